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


def test_an_edit_rebuilds_only_its_pages_and_matches_a_full_build(
    content_copy: Path, tmp_path: Path
) -> None:
    live = tmp_path / "live" / "site"
    build(content_copy, live)
    untouched = live / "bases" / "b01-shizong-peixun-zhongxin" / "index.html"
    built_at = untouched.stat().st_mtime_ns
    course = content_copy / C01
    course.write_text(course.read_text(encoding="utf-8").replace("capacity: 40", "capacity: 45"),
                      encoding="utf-8")  # fmt: skip
    build(content_copy, live)
    assert untouched.stat().st_mtime_ns == built_at  # copied, not rendered again
    assert "招生 <strong>45</strong> 人" in (
        live / "courses" / "c01-jisuanji-wuji" / "index.html"
    ).read_text(encoding="utf-8")
    full = tmp_path / "full" / "site"
    build(content_copy, full)
    incremental_files, full_files = _files(live), _files(full)
    assert sorted(incremental_files) == sorted(full_files)
    differing = [name for name in full_files if incremental_files[name] != full_files[name]]
    assert differing == []
    # A second edit recycles the site the first one retired, brought up to date file by file.
    (retired,) = (tmp_path / "live" / "site.build").glob("old-*")
    fair = content_copy / "job_fairs" / "f02-yangpu-yinhang.yaml"
    fair.write_text(fair.read_text(encoding="utf-8").replace("employers: ", "employers: 1"),
                    encoding="utf-8")  # fmt: skip
    build(content_copy, live)
    assert not retired.exists()  # renamed into the new site, not copied
    again = tmp_path / "again" / "site"
    build(content_copy, again)
    assert _files(live) == _files(again)


def test_new_and_withdrawn_listings_also_match_a_full_build(
    content_copy: Path, tmp_path: Path
) -> None:
    live = tmp_path / "live" / "site"
    build(content_copy, live)
    shutil.copytree(live, tmp_path / "full0")
    source = (content_copy / C01).read_text(encoding="utf-8")
    (content_copy / "courses" / "c24-jisuanji-zhoumo.yaml").write_text(
        source.replace("id: c01-jisuanji-wuji", "id: c24-jisuanji-zhoumo"), encoding="utf-8"
    )
    c14 = content_copy / "courses" / "c14-jiazheng-wuji-chongming.yaml"
    c14.write_text(c14.read_text(encoding="utf-8") + "withdrawn: 本期停办\n", encoding="utf-8")
    (content_copy / "job_fairs" / "f08-huangpu-wuliqiao.yaml").unlink()  # deleted by hand
    build(content_copy, live)
    full = tmp_path / "full" / "site"
    build(content_copy, full)
    incremental_files, full_files = _files(live), _files(full)
    assert sorted(incremental_files) == sorted(full_files)
    assert [n for n in full_files if incremental_files[n] != full_files[n]] == []
    assert "courses/c24-jisuanji-zhoumo/index.html" in full_files
    fair_page = "job-fairs/f08-huangpu-wuliqiao/index.html"
    assert fair_page in _files(tmp_path / "full0") and fair_page not in incremental_files


def test_a_changed_base_or_unit_renders_its_listings_again(
    content_copy: Path, tmp_path: Path
) -> None:
    live = tmp_path / "live" / "site"
    build(content_copy, live)
    c01 = live / "courses" / "c01-jisuanji-wuji" / "index.html"
    for edited, before, after in (
        ("bases/b03-zhabei-peixun-fenzhongxin.yaml", '"56650000"', '"56650001"'),  # c01's base
        ("units.yaml", '"68226078"', '"68226079"'),  # zhabei answers c01's applications
    ):
        path = content_copy / edited
        path.write_text(path.read_text(encoding="utf-8").replace(before, after), encoding="utf-8")
        build(content_copy, live)
        assert after.strip('"') in c01.read_text(encoding="utf-8")
        full = tmp_path / f"full-{path.stem}" / "site"
        build(content_copy, full)
        assert _files(live) == _files(full)


def test_another_sites_build_in_the_same_process_leaves_no_trace(
    content_copy: Path, tmp_path: Path
) -> None:
    other = tmp_path / "other-content"
    shutil.copytree(content_copy, other)
    live, other_live = tmp_path / "live" / "site", tmp_path / "other" / "site"
    build(content_copy, live)
    build(other, other_live)
    c14 = other / "courses" / "c14-jiazheng-wuji-chongming.yaml"
    c14.write_text(c14.read_text(encoding="utf-8") + "withdrawn: 本期停办\n", encoding="utf-8")
    build(other, other_live)  # incremental: MkDocs' search plugin once kept its index
    course = content_copy / C01
    course.write_text(course.read_text(encoding="utf-8").replace("capacity: 40", "capacity: 45"),
                      encoding="utf-8")  # fmt: skip
    build(content_copy, live)
    full = tmp_path / "full" / "site"
    build(content_copy, full)
    assert _files(live) == _files(full)


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
    faq = content_copy / "pages" / "faq.md"
    text = faq.read_text(encoding="utf-8")
    faq.write_text(text + "\n看[杨浦招聘会](../job-fairs/f08-huangpu-wuliqiao/index.md)。\n",
                   encoding="utf-8")  # fmt: skip
    live = tmp_path / "site"
    build(content_copy, live)
    (content_copy / "job_fairs" / "f08-huangpu-wuliqiao.yaml").unlink()
    with pytest.raises(ContentError) as failure:
        build(content_copy, live)
    assert [p.path for p in failure.value.problems] == ["content/pages/faq.md"]
