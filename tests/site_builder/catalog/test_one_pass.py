"""`portal check` finds everything in one pass: a record with a bad field still takes part in the
checks across files (duplicate ids, references, the units' target totals)."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from form_service.cli import main
from site_builder.catalog.loader import check_content


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def _lines(content: Path) -> list[str]:
    return [str(p) for p in check_content(content)]


def test_a_bad_date_does_not_hide_a_duplicate_id(content_copy: Path) -> None:
    courses = content_copy / "courses"
    copy = courses / "c99-copy.yaml"
    copy.write_text((courses / "c05-diangong-wuji.yaml").read_text(encoding="utf-8"), "utf-8")
    _edit(copy, "start_date: 2011-07-18", "start_date: 2011-13-18")
    assert _lines(content_copy) == [
        "content/courses/c99-copy.yaml:1: "
        '编号 "c05-diangong-wuji" 重复(已在 content/courses/c05-diangong-wuji.yaml:1 使用)',
        'content/courses/c99-copy.yaml:8: 开课日期 "2011-13-18" 不是有效日期',
    ]


def test_a_record_with_a_bad_field_is_still_checked_for_its_references(
    content_copy: Path,
) -> None:
    course = content_copy / "courses" / "c05-diangong-wuji.yaml"
    _edit(course, "fee: 1300", "fee: 一千三")
    _edit(course, "base: b01-shizong-peixun-zhongxin", "base: b01-shizong-peixun-zhongxn")
    problems = _lines(content_copy)
    assert len(problems) == 2
    assert problems[0].startswith(
        'content/courses/c05-diangong-wuji.yaml:6: 培训基地 "b01-shizong-peixun-zhongxn" 不存在'
    )
    assert problems[1].startswith("content/courses/c05-diangong-wuji.yaml:14: ")


def test_a_unit_with_a_bad_phone_still_exists_for_its_targets_and_courses(
    content_copy: Path,
) -> None:
    _edit(content_copy / "units.yaml", 'phone: "66742026"', 'phone: "6674"')
    problems = _lines(content_copy)
    assert len(problems) == 1
    assert problems[0].startswith('content/units.yaml:34: 联系电话 "6674" 格式不对')


def test_a_target_row_with_a_bad_number_still_takes_part_in_the_unit_checks(
    content_copy: Path,
) -> None:
    targets = content_copy / "targets.yaml"
    _edit(targets, "  - unit: xuhui\n    skills: 1850\n", "  - unit: xuhiu\n    skills: 一千八\n")
    _edit(targets, "  - unit: changning\n    skills: 1350\n    housekeeping: 230\n",
          "  - unit: changning\n    skills: 1350\n    housekeeping: 231\n")  # fmt: skip
    problems = _lines(content_copy)
    # The misspelt unit, its bad number and the wrong 家政 total of another row: one run.
    assert (
        problems[0] == "content/targets.yaml:9: 家政培训 各区县指标合计 5,001 与全市指标 5,000 不符"
    )
    assert problems[1].startswith('content/targets.yaml:33: 单位 "xuhiu" 不存在')
    assert problems[2].startswith("content/targets.yaml:34: ")
    assert len(problems) == 3


def test_the_command_prints_every_fault_of_one_pass(content_copy: Path) -> None:
    courses = content_copy / "courses"
    copy = courses / "c99-copy.yaml"
    copy.write_text((courses / "c05-diangong-wuji.yaml").read_text(encoding="utf-8"), "utf-8")
    _edit(copy, "start_date: 2011-07-18", "start_date: 2011-13-18")
    _edit(copy, "unit: yangpu", "unit: yangpo")
    result = CliRunner().invoke(main, ["check", "--content", str(content_copy)])
    assert result.exit_code == 1
    for expected in (
        'content/courses/c99-copy.yaml:1: 编号 "c05-diangong-wuji" 重复',
        'content/courses/c99-copy.yaml:7: 负责工会 "yangpo" 不存在',
        'content/courses/c99-copy.yaml:8: 开课日期 "2011-13-18" 不是有效日期',
    ):
        assert expected in result.output
