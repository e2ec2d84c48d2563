"""`portal check`: every fault is reported at once, as the exact `path:line: message` lines."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from form_service.cli import main
from site_builder.catalog import load_catalogue
from site_builder.catalog.loader import check_content


def _lines(content: Path) -> list[str]:
    return [str(p) for p in check_content(content)]


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_small_content_is_clean(small_content: Path) -> None:
    assert _lines(small_content) == []


def test_check_command_exit_codes(small_content: Path) -> None:
    runner = CliRunner()
    ok = runner.invoke(main, ["check", "--content", str(small_content)])
    assert ok.exit_code == 0
    assert ok.output.startswith("内容检查通过:课程 1 个,培训基地 1 个,招聘会 1 场")
    _edit(small_content / "courses" / "c01.yaml", "2011-07-11", "2011-13-01")
    bad = runner.invoke(main, ["check", "--content", str(small_content)])
    assert bad.exit_code == 1
    assert 'content/courses/c01.yaml:8: 开课日期 "2011-13-01" 不是有效日期' in bad.output


def test_every_problem_is_reported_at_once(small_content: Path) -> None:
    course = small_content / "courses" / "c01.yaml"
    _edit(course, "2011-07-11", "2011-13-01")
    _edit(course, "hours: 100", "hours: 一百")
    _edit(course, "base: b01", "base: b02")
    (small_content / "job_fairs" / "f01.yaml").write_text(
        "id: f01\ntitle: [oops\n", encoding="utf-8"
    )
    _edit(small_content / "bases" / "b01.yaml", 'postcode: "200082"', 'postcode: "2000"')
    assert _lines(small_content) == [
        'content/bases/b01.yaml:5: 邮政编码 "2000" 应为 6 位上海邮政编码(如 200082)',
        'content/courses/c01.yaml:6: 培训基地 "b02" 不存在,是不是 "b01"?',
        'content/courses/c01.yaml:8: 开课日期 "2011-13-01" 不是有效日期',
        'content/courses/c01.yaml:12: 课时 "一百" 应为不小于 0 的整数',
        "content/job_fairs/f01.yaml:3: YAML 语法错误:方括号列表 [ ] 没有写完整,缺少逗号或右括号 ]",
    ]


def test_unknown_missing_and_wrong_type_keys(small_content: Path) -> None:
    course = small_content / "courses" / "c01.yaml"
    _edit(course, "occupation: 计算机操作员\n", "")
    _edit(course, "capacity: 30", "capcity: 30")
    _edit(course, "title: 计算机操作员(五级)", "title: [计算机, 操作员]")
    assert _lines(small_content) == [
        'content/courses/c01.yaml:1: 缺少必填项 "occupation"(职业(工种))',
        'content/courses/c01.yaml:1: 缺少必填项 "capacity"(招生人数)',
        "content/courses/c01.yaml:2: 课程名称 应为文字,而不是列表",
        'content/courses/c01.yaml:10: 未知的键 "capcity",是不是 "capacity"?',
    ]


def test_end_before_start_and_late_deadline(small_content: Path) -> None:
    course = small_content / "courses" / "c01.yaml"
    _edit(course, "end_date: 2011-08-19", "end_date: 2011-07-01")
    _edit(course, "apply_by: 2011-07-08", "apply_by: 2011-07-09")
    assert _lines(small_content) == [
        "content/courses/c01.yaml:9: 结课日期 2011-07-01 早于开课日期 2011-07-11",
        "content/courses/c01.yaml:10: 报名截止日期 2011-07-09 晚于结课日期 2011-07-01",
    ]


def test_duplicate_ids_across_files(small_content: Path) -> None:
    original = (small_content / "courses" / "c01.yaml").read_text(encoding="utf-8")
    (small_content / "courses" / "c02.yaml").write_text(original, encoding="utf-8")
    assert _lines(small_content) == [
        'content/courses/c02.yaml:1: 编号 "c01" 重复(已在 content/courses/c01.yaml:1 使用)'
    ]


def test_duplicate_key_in_one_record(small_content: Path) -> None:
    _edit(small_content / "courses" / "c01.yaml", "hours: 100\n", "hours: 100\nhours: 120\n")
    assert _lines(small_content) == ['content/courses/c01.yaml:13: 键 "hours" 重复']


def test_phone_and_unknown_unit_and_bad_time(small_content: Path) -> None:
    _edit(small_content / "bases" / "b01.yaml", 'phone: "65124362"', "phone: 12345")
    _edit(small_content / "bases" / "b01.yaml", "unit: yangpu", "unit: yangpuu")
    fair = small_content / "job_fairs" / "f01.yaml"
    _edit(fair, 'end_time: "11:30"', 'end_time: "08:30"')
    assert _lines(small_content) == [
        'content/bases/b01.yaml:3: 所属工会 "yangpuu" 不存在,是不是 "yangpu"?',
        'content/bases/b01.yaml:6: 联系电话 "12345" 格式不对'
        "(应为 8 位上海电话如 65124362、分机如 63211939-3153,或 11 位手机号)",
        "content/job_fairs/f01.yaml:5: 结束时间 08:30 不晚于开始时间 09:00",
    ]


def test_targets_must_add_up_to_city_totals(small_content: Path) -> None:
    _edit(small_content / "targets.yaml", "    skills: 100\n", "    skills: 90\n")
    assert _lines(small_content) == [
        "content/targets.yaml:2: 技能培训 各区县指标合计 90 与全市指标 100 不符"
    ]


def test_self_set_targets_do_not_count_toward_city_totals(small_content: Path) -> None:
    catalogue = load_catalogue(small_content)
    assert catalogue.targets["ind-jiaoyu"].source == "self_set"
    assert catalogue.targets["yangpu"].of("skills") == catalogue.city_totals["skills"]


def test_strings_stay_strings(small_content: Path) -> None:
    _edit(small_content / "units.yaml", '  code: "310110"', "  code: 0571")
    _edit(small_content / "units.yaml", "  short_name: 杨浦区", "  short_name: no")
    catalogue = load_catalogue(small_content)
    assert catalogue.units["yangpu"].code == "0571"
    assert catalogue.units["yangpu"].short_name == "no"
    assert catalogue.bases["b01"].phone == "65124362"


def test_missing_and_empty_files(small_content: Path) -> None:
    (small_content / "targets.yaml").unlink()
    (small_content / "courses" / "c02.yaml").write_text("", encoding="utf-8")
    assert _lines(small_content) == [
        "content/courses/c02.yaml:1: 文件是空的",
        "content/targets.yaml:1: 缺少指标分解表文件 targets.yaml",
    ]


def test_tab_indentation_is_explained(small_content: Path) -> None:
    _edit(small_content / "courses" / "c01.yaml", "hours: 100", "hours:\t100\n\tfee: 1")
    assert _lines(small_content) == [
        "content/courses/c01.yaml:13: YAML 语法错误:不能用 Tab 键缩进,请改用空格"
    ]


def test_page_needs_a_title(small_content: Path) -> None:
    (small_content / "pages" / "faq.md").write_text("没有标题\n", encoding="utf-8")
    assert _lines(small_content) == ["content/pages/faq.md:1: 页面第一行应是标题,例如 “# 联系我们”"]
