"""Publishing is all or nothing: a failed build leaves the published site byte-for-byte as it was."""

from __future__ import annotations

import fcntl
import hashlib
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from form_service.cli import main
from site_builder import swap
from site_builder.catalog import ContentError
from tests.support.settings import SITE_URL
from tests.support.site import build


def _fingerprint(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _work_files(site: Path) -> list[str]:
    """What is beside the site between builds: no half-built site is ever left there."""
    names = (p.name for p in (site.parent / "site.build").iterdir())
    return sorted("old-*" if name.startswith("old-") else name for name in names)


@pytest.fixture
def published(tmp_path: Path, built_site: Path) -> Path:
    """A copy of the session's real site, published where the failing builds will aim."""
    site = tmp_path / "site"
    shutil.copytree(built_site, site)
    return site


def test_content_problems_leave_the_site_untouched(published: Path, content_copy: Path) -> None:
    before = _fingerprint(published)
    course = next(content_copy.glob("courses/*.yaml"))
    course.write_text(
        course.read_text(encoding="utf-8").replace("base: ", "base: no-such-base-", 1),
        encoding="utf-8",
    )
    (content_copy / "job_fairs/broken.yaml").write_text("id: [unclosed\n", encoding="utf-8")
    with pytest.raises(ContentError) as failure:
        build(content_copy, published)
    messages = [str(p) for p in failure.value.problems]
    assert [m.split(":")[0] for m in messages] == sorted(
        [f"content/courses/{course.name}", "content/job_fairs/broken.yaml"]
    )
    assert _fingerprint(published) == before
    assert _work_files(published) == ["lock"]


def test_a_broken_link_in_a_staff_page_fails_strictly_and_points_at_it(
    published: Path, content_copy: Path
) -> None:
    before = _fingerprint(published)
    faq = content_copy / "pages/faq.md"
    text = faq.read_text(encoding="utf-8")
    faq.write_text(text + "\n请看[报名须知](no-such-page.md)。\n", encoding="utf-8")
    with pytest.raises(ContentError) as failure:
        build(content_copy, published)
    (problem,) = failure.value.problems
    assert (problem.path, problem.line) == ("content/pages/faq.md", len(text.splitlines()) + 2)
    assert "no-such-page.md" in problem.message and problem.message.startswith("网站生成失败:")
    assert _fingerprint(published) == before
    assert _work_files(published) == [
        "docs", "docs.manifest.json", "lock", "page-memo.json", "qr-cache"
    ]  # fmt: skip


def test_cli_build_replaces_the_site_whole(
    published: Path, content_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`portal build --content --out`, the command staff run, over an already published site."""
    monkeypatch.setenv("PORTAL_SITE_URL", SITE_URL)
    (published / "left-over.html").write_text("old", encoding="utf-8")
    course = next(content_copy.glob("courses/*.yaml"))
    text = course.read_text(encoding="utf-8")
    title_line = next(line for line in text.splitlines() if line.startswith("title: "))
    course.write_text(text.replace(title_line, "title: 新标题培训班"), encoding="utf-8")
    args = ["build", "--content", str(content_copy), "--out", str(published)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"网站已发布到 {published}:课程 ")
    assert not (published / "left-over.html").exists()
    (retired,) = (published.parent / "site.build").glob("old-*")
    assert (retired / "left-over.html").read_text(encoding="utf-8") == "old"  # until next build
    course_id = next(line for line in text.splitlines() if line.startswith("id: "))[4:]
    page = (published / f"courses/{course_id}/index.html").read_text(encoding="utf-8")
    assert '<h1 id="新标题培训班">新标题培训班</h1>' in page
    assert _work_files(published) == [
        "docs", "docs.manifest.json", "incremental.json", "lock", "old-*", "page-memo.json",
        "published", "qr-cache",
    ]  # fmt: skip
    # The content it was built from, kept aside for the form service (site/.portal-build).
    [snapshot] = (published.parent / "site.build" / "published").iterdir()
    assert json.loads((published / ".portal-build").read_text())["content"] == (
        f"published/{snapshot.name}/content"
    )
    assert (snapshot / "content" / "units.yaml").read_bytes() == (
        content_copy / "units.yaml"
    ).read_bytes()


def test_only_one_build_at_a_time(tmp_path: Path) -> None:
    site = tmp_path / "site"
    with (
        swap.build_lock(site),
        open(tmp_path / "site.build/lock", "a") as other,
        pytest.raises(BlockingIOError),
    ):
        fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)
    with open(tmp_path / "site.build/lock", "a") as other:
        fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)  # released when the build is done


def test_publish_swaps_folders(tmp_path: Path) -> None:
    live, new = tmp_path / "site", tmp_path / "new"
    live.mkdir()
    (live / "index.html").write_text("old", encoding="utf-8")
    new.mkdir()
    (new / "index.html").write_text("new", encoding="utf-8")
    previous = swap.publish(new, live)
    assert (live / "index.html").read_text(encoding="utf-8") == "new"
    assert previous is not None and (previous / "index.html").read_text(encoding="utf-8") == "old"


def test_cli_build_prints_every_problem_and_exits_1(
    tmp_path: Path, content_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PORTAL_SITE_URL", SITE_URL)
    for course in sorted(content_copy.glob("courses/*.yaml"))[:2]:
        course.write_text(
            course.read_text(encoding="utf-8").replace("kind: ", "kind: x", 1), encoding="utf-8"
        )
    result = CliRunner().invoke(
        main, ["build", "--content", str(content_copy), "--out", str(tmp_path / "site")]
    )
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 3 and lines[-1] == "共 2 个问题,网站未更新。"
    assert all(
        line.startswith("content/courses/") and ': 培训类别 "x' in line for line in lines[:2]
    )
    assert not (tmp_path / "site").exists()
