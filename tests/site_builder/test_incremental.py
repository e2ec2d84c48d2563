"""A one-listing publish renders only the pages that changed, and gives exactly the site a full
build of the same content gives, search index included, also in a process that has built
other sites before (as the form service's publish does)."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from site_builder import incremental
from site_builder.catalog import ContentError
from tests.support.site import build

C01 = "courses/c01-jisuanji-wuji.yaml"


def _files(site: Path) -> dict[str, bytes]:
    return {
        p.relative_to(site).as_posix(): p.read_bytes()
        for p in sorted(site.rglob("*"))
        if p.is_file() and p.name != ".portal-build"
    }


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _append(path: Path, line: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + line + "\n", encoding="utf-8")


def _live_site(content: Path, tmp_path: Path) -> Path:
    """Build and publish `content` as the live site, the one the next builds update."""
    build(content, tmp_path / "live" / "site")
    return tmp_path / "live" / "site"


def _full_build(content: Path, folder: Path) -> dict[str, bytes]:
    """Return the files of a full build of `content` (into a new site in `folder`)."""
    build(content, folder / "site")
    return _files(folder / "site")


def test_an_edit_rebuilds_only_its_pages_and_matches_a_full_build(
    content_copy: Path, tmp_path: Path
) -> None:
    live = _live_site(content_copy, tmp_path)
    untouched = live / "bases" / "b01-shizong-peixun-zhongxin" / "index.html"
    built_at = untouched.stat().st_mtime_ns
    _edit(content_copy / C01, "capacity: 40", "capacity: 45")
    build(content_copy, live)
    assert untouched.stat().st_mtime_ns == built_at  # copied, not rendered again
    assert "招生 <strong>45</strong> 人" in (
        live / "courses" / "c01-jisuanji-wuji" / "index.html"
    ).read_text(encoding="utf-8")
    assert _files(live) == _full_build(content_copy, tmp_path / "full")
    # A second edit recycles the site the first one retired, brought up to date file by file.
    (retired,) = (tmp_path / "live" / "site.build").glob("old-*")
    _edit(content_copy / "job_fairs" / "f02-yangpu-yinhang.yaml", "employers: ", "employers: 1")
    build(content_copy, live)
    assert not retired.exists()  # renamed into the new site, not copied
    assert _files(live) == _full_build(content_copy, tmp_path / "again")


def test_new_and_withdrawn_listings_also_match_a_full_build(
    content_copy: Path, tmp_path: Path
) -> None:
    live = _live_site(content_copy, tmp_path)
    shutil.copytree(live, tmp_path / "full0")
    source = (content_copy / C01).read_text(encoding="utf-8")
    (content_copy / "courses" / "c24-jisuanji-zhoumo.yaml").write_text(
        source.replace("id: c01-jisuanji-wuji", "id: c24-jisuanji-zhoumo"), encoding="utf-8"
    )
    _append(content_copy / "courses" / "c14-jiazheng-wuji-chongming.yaml", "withdrawn: 本期停办")
    (content_copy / "job_fairs" / "f08-huangpu-wuliqiao.yaml").unlink()  # deleted by hand
    build(content_copy, live)
    built = _files(live)
    assert built == _full_build(content_copy, tmp_path / "full")
    assert "courses/c24-jisuanji-zhoumo/index.html" in built
    fair_page = "job-fairs/f08-huangpu-wuliqiao/index.html"
    assert fair_page in _files(tmp_path / "full0") and fair_page not in built


def test_a_changed_base_or_unit_renders_its_listings_again(
    content_copy: Path, tmp_path: Path
) -> None:
    live = _live_site(content_copy, tmp_path)
    c01 = live / "courses" / "c01-jisuanji-wuji" / "index.html"
    for edited, before, after in (
        ("bases/b03-zhabei-peixun-fenzhongxin.yaml", '"56650000"', '"56650001"'),  # c01's base
        ("units.yaml", '"68226078"', '"68226079"'),  # zhabei answers c01's applications
    ):
        _edit(content_copy / edited, before, after)
        build(content_copy, live)
        assert after.strip('"') in c01.read_text(encoding="utf-8")
        assert _files(live) == _full_build(content_copy, tmp_path / f"full-{Path(edited).stem}")


def test_another_sites_build_in_the_same_process_leaves_no_trace(
    content_copy: Path, tmp_path: Path
) -> None:
    other = tmp_path / "other-content"
    shutil.copytree(content_copy, other)
    live, other_live = tmp_path / "live" / "site", tmp_path / "other" / "site"
    build(content_copy, live)
    build(other, other_live)
    _append(other / "courses" / "c14-jiazheng-wuji-chongming.yaml", "withdrawn: 本期停办")
    build(other, other_live)  # incremental: MkDocs' search plugin once kept its index
    _edit(content_copy / C01, "capacity: 40", "capacity: 45")
    build(content_copy, live)
    assert _files(live) == _full_build(content_copy, tmp_path / "full")


def test_a_changed_theme_or_date_means_a_full_build(
    content_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    live = tmp_path / "site"
    build(content_copy, live)
    page = live / "bases" / "b01-shizong-peixun-zhongxin" / "index.html"
    os.utime(page, ns=(1, 1))
    state = json.loads((tmp_path / "site.build" / incremental.STATE).read_text())
    (tmp_path / "site.build" / incremental.STATE).write_text(
        json.dumps({**state, "key": "built-with-another-theme"})
    )
    build(content_copy, live)
    assert page.stat().st_mtime_ns != 1  # rendered again


def test_a_page_gone_has_every_link_checked_again(content_copy: Path, tmp_path: Path) -> None:
    """MkDocs checks the links of the pages it renders only: a deleted listing is a full build."""
    _append(content_copy / "pages" / "faq.md",
            "\n看[杨浦招聘会](../job-fairs/f08-huangpu-wuliqiao/index.md)。")  # fmt: skip
    live = tmp_path / "site"
    build(content_copy, live)
    (content_copy / "job_fairs" / "f08-huangpu-wuliqiao.yaml").unlink()
    with pytest.raises(ContentError) as failure:
        build(content_copy, live)
    assert [p.path for p in failure.value.problems] == ["content/pages/faq.md"]
