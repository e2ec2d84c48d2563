"""One clock, one wording: sitemap dates, the retention period, 报名编号, stable addresses."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from form_service.applications import consent, retention
from form_service.web import services
from site_builder.catalog import Catalogue
from site_builder.catalog.vocabulary import KINDS, RETENTION_YEARS, STATES, TARGET_GROUPS
from site_builder.render import paths
from tests.support.apps import make_app
from tests.support.settings import PINNED_TODAY, REAL_CONTENT

ROOT = REAL_CONTENT.parent
OLD_WORD = "参" + "考号"  # spelt in two halves so this file does not match itself


def test_the_sitemap_dates_every_page_by_the_one_clock(built_site: Path) -> None:
    sitemap = (built_site / "sitemap.xml").read_text(encoding="utf-8")
    dates = re.findall(r"<lastmod>([^<]+)</lastmod>", sitemap)
    assert len(dates) > 50
    assert set(dates) == {PINNED_TODAY}


def test_the_retention_period_is_one_number_in_consent_privacy_and_purge(
    built_site: Path, catalogue: Catalogue
) -> None:
    assert RETENTION_YEARS == retention.RETENTION_YEARS == 3
    assert f"信息保存到本年度行动结束后 {RETENTION_YEARS} 年" in consent.PRIVACY_SUMMARY
    assert retention.purge_after(catalogue.year) == date(2014, 12, 31)
    source = (REAL_CONTENT / "pages" / "privacy.md").read_text(encoding="utf-8")
    assert "【保存年限】" in source and "【删除日期】" in source
    assert not re.search(r"满[一二三四五两\d]+ ?年", source)
    page = (built_site / "privacy" / "index.html").read_text(encoding="utf-8")
    text = re.sub(r"<[^>]+>", "", page)
    assert "在行动年度结束后满 3 年,也就是 2014 年 12 月 31 日以后" in text
    assert "【" not in text.split("保存多久")[1].split("你可以做什么")[0]


def _text_files() -> list[Path]:
    found = []
    for folder in ("form_service", "site_builder", "content", "deploy", "docs", "bench", "tests"):
        for path in (ROOT / folder).rglob("*"):
            if path.is_file() and path.suffix in (
                ".py", ".html", ".j2", ".md", ".yaml", ".js", ".css", ".conf", ".txt", ".csv"
            ) and "artifacts" not in path.parts and "__pycache__" not in path.parts:  # fmt: skip
                found.append(path)
    return [*found, ROOT / "README.md"]


def test_the_applicant_s_number_is_called_baoming_bianhao_everywhere() -> None:
    files = _text_files()
    assert len(files) > 200
    using_old = [str(p.relative_to(ROOT)) for p in files if OLD_WORD in p.read_text("utf-8")]
    assert using_old == []
    submitted = (ROOT / "form_service/apply/templates/apply/submitted.html").read_text("utf-8")
    assert "您的报名编号是" in submitted


def _stable_addresses(catalogue: Catalogue) -> list[str]:
    """Every address the README promises, each filter value included."""
    fixed = ["/", "/courses/", "/bases/", "/job-fairs/", "/job-fairs/upcoming.ics",
             "/programme/", "/service-chain/", "/faq/", "/contacts/", "/privacy/",
             "/catalog.json", "/catalog.csv", "/job-fairs.csv", "/bases.csv", "/sitemap.xml",
             "/assets/portal.css", "/assets/portal.js"]  # fmt: skip
    filters = ["/courses/by/state/accepting/"]
    filters += [f"/courses/by/state/{paths.STATE_SLUGS[s]}/" for s in STATES]
    filters += [f"/courses/by/kind/{k}/" for k in KINDS]
    filters += [f"/courses/by/unit/{u.id}/" for u in catalogue.units.values() if u.active]
    filters += [f"/courses/by/group/{paths.GROUP_SLUGS.get(g, 'others')}/" for g in TARGET_GROUPS]
    return fixed + filters


@pytest.mark.parametrize("db", ["sqlite"])
def test_every_stable_address_answers_200_even_when_its_list_is_empty(
    db: str, built_site: Path, catalogue: Catalogue, tmp_path: Path
) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "`state/ended`" in readme
    app = make_app(f"{db}:///{tmp_path / 'p.db'}", tmp_path, serve_site=True,
                   PORTAL_SITE_DIR=str(built_site))  # fmt: skip
    try:
        client = app.test_client()
        for address in _stable_addresses(catalogue):
            response = client.get(address)
            assert response.status_code == 200, address
            response.close()
        response = client.get("/courses/by/state/ended/")
        ended = response.get_data(as_text=True)
        response.close()
        if not any(c.state_on(date.fromisoformat(PINNED_TODAY)) == "已结束"
                   for c in catalogue.courses.values()):  # fmt: skip
            assert "没有符合条件的课程" in ended
    finally:
        services.store(app).dispose()
