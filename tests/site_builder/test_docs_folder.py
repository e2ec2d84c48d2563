"""The docs folder is rewritten only where the content changed, and never trusted after a crash."""

from __future__ import annotations

from pathlib import Path

from site_builder import docs_folder


def _tree(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): p.read_text("utf-8")
        for p in folder.rglob("*")
        if p.is_file()
    }


def test_only_changed_files_are_written_and_removed_ones_go(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    first = {
        "index.md": "# 首页\n",
        "courses/c01/index.md": "# 电工\n",
        "job-fairs/f01.ics": b"BEGIN",
    }
    assert docs_folder.sync(first, docs_dir=docs) == 3
    second = {
        "index.md": "# 首页\n",
        "courses/c02/index.md": "# 焊工\n",
        "job-fairs/f01.ics": b"BEGIN:2",
    }
    assert docs_folder.sync(second, docs_dir=docs) == 2
    assert _tree(docs) == {
        "index.md": "# 首页\n",
        "courses/c02/index.md": "# 焊工\n",
        "job-fairs/f01.ics": "BEGIN:2",
    }


def test_without_a_manifest_everything_is_written_again(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    files = {"index.md": "# 首页\n"}
    docs_folder.sync(files, docs_dir=docs)
    (docs / "index.md").write_text("# 半途被改\n", encoding="utf-8")  # a build killed mid-write
    (docs / "stray.md").write_text("# 残留\n", encoding="utf-8")
    (tmp_path / docs_folder.MANIFEST).unlink()
    assert docs_folder.sync(files, docs_dir=docs) == 1
    assert _tree(docs) == {"index.md": "# 首页\n"}
