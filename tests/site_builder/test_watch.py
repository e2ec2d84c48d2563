"""`portal build --watch` rebuilds after a staff member saves a file, and only then."""

from __future__ import annotations

from pathlib import Path

import pytest

from site_builder.watch import snapshot, watch


class _Done(Exception):
    pass


def test_snapshot_sees_edits_and_ignores_editor_files(tmp_path: Path) -> None:
    (tmp_path / "courses").mkdir()
    course = tmp_path / "courses/c01.yaml"
    course.write_text("id: c01\n", encoding="utf-8")
    before = snapshot(tmp_path)
    (tmp_path / "courses/.c01.yaml.swp").write_text("x", encoding="utf-8")
    assert snapshot(tmp_path) == before
    course.write_text("id: c01\ntitle: 新标题\n", encoding="utf-8")
    assert snapshot(tmp_path) != before


def test_a_saved_file_triggers_one_rebuild(tmp_path: Path) -> None:
    page = tmp_path / "faq.md"
    page.write_text("# 常见问题\n", encoding="utf-8")
    calls = []

    def rebuild() -> None:
        calls.append(page.read_text(encoding="utf-8"))
        if len(calls) == 1:
            page.write_text("# 常见问题\n\n新的一问。\n", encoding="utf-8")
        else:
            raise _Done

    with pytest.raises(_Done):
        watch(tmp_path, rebuild=rebuild, poll=0.01)
    assert calls == ["# 常见问题\n", "# 常见问题\n\n新的一问。\n"]
