"""The content staff publish: clean, complete for 2011, and documented key by key."""

from __future__ import annotations

from collections import Counter

from site_builder.catalog import Catalogue, schema
from site_builder.catalog.loader import check_content
from site_builder.catalog.vocabulary import INDICATORS
from tests.support.settings import REAL_CONTENT, ROOT


def test_real_content_has_no_problems() -> None:
    assert [str(p) for p in check_content(REAL_CONTENT)] == []


def test_real_content_covers_the_programme(catalogue: Catalogue) -> None:
    kinds = Counter(c.kind for c in catalogue.courses.values())
    assert len(catalogue.courses) >= 20
    assert set(kinds) == {"skills", "housekeeping", "entrepreneurship"}
    assert len(catalogue.bases) >= 10
    assert len(catalogue.job_fairs) >= 8
    assert any("百企千岗进社区" in f.title for f in catalogue.job_fairs.values())
    assert len(catalogue.active_districts()) == 17
    assert {u.id for u in catalogue.units.values() if not u.active} == {"luwan", "nanhui"}
    assert [(c.date.isoformat(), c.due.isoformat()) for c in catalogue.cutoffs] == [
        ("2011-08-31", "2011-09-06"),
        ("2011-11-30", "2011-12-05"),
    ]
    assert {"programme", "contacts", "privacy"} <= set(catalogue.pages)


def test_targets_match_the_notice(catalogue: Catalogue) -> None:
    assert catalogue.city_totals == {
        "skills": 30000,
        "housekeeping": 5000,
        "entrepreneurship": 3000,
        "placements": 15000,
    }
    assigned = [t for t in catalogue.targets.values() if t.source == "assigned"]
    assert {t.unit for t in assigned} == {u.id for u in catalogue.active_districts()}
    for indicator in INDICATORS:
        assert sum(t.of(indicator) for t in assigned) == catalogue.city_totals[indicator]


def test_the_real_training_centre_is_not_marked_example(catalogue: Catalogue) -> None:
    centre = [b for b in catalogue.bases.values() if "吉林路2号" in b.address]
    assert len(centre) == 1
    assert not centre[0].example and centre[0].phone == "65124362"
    assert all(b.example for b in catalogue.bases.values() if b is not centre[0])


def test_staff_guide_documents_every_key() -> None:
    guide = (ROOT / "docs" / "content-guide.md").read_text(encoding="utf-8")
    specs = (schema.UNIT, schema.BASE, schema.COURSE, schema.JOB_FAIR, schema.TARGET, schema.CUTOFF)
    missing = sorted({f.key for spec in specs for f in spec if f"`{f.key}`" not in guide})
    assert missing == []
