"""The XLSX templates staff fill in: a sign-up list and a results list.

The first sheet is the list itself (the importer reads the first sheet): column names are the
register's, the ID, phone, course and certificate number columns are text (Excel never turns
an ID number into 3.1E+17), and the closed value lists are drop-downs fed from a hidden sheet
(a list longer than 255 characters cannot be written into the validation itself). The second
sheet says how to fill it in.
"""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from form_service.applications import lifecycle as lc
from form_service.applications.outcomes import EMPLOYMENT_ROUTES, OPEN_ENDED
from form_service.forms import choices as c
from form_service.imports.signups import project_label
from site_builder.catalog import Catalogue
from site_builder.catalog.vocabulary import LEVELS

ROWS = 1_000  # rows made ready (text format, drop-downs)
SIGNUP_COLUMNS = (
    "姓名", "身份证号", "联系电话", "户口类型", "户籍地", "文化程度", "人员类别", "就业状态",
    "所属工会", "参加项目", "课程编号", "同意书签署日期", "同意书存放处",
)  # fmt: skip
RESULT_COLUMNS = (
    "身份证号", "姓名", "课程编号", "证书工种", "证书等级", "证书编号", "发证日期",
    "就业单位", "就业日期", "劳动合同期限(月)", "就业途径", "创业项目", "开业日期", "带动就业人数",
)  # fmt: skip
TEXT = frozenset({"身份证号", "联系电话", "课程编号", "证书编号"})
SIGNUP_HELP = (
    "报名名单(班级名单)填写说明",
    "1. 每人一行,从第 2 行开始填写;不要改动第 1 行的列名,也不要合并单元格。",
    "2. 身份证号填 18 位(最后一位可以是 X),联系电话填 11 位手机号码;这两列已设为文本格式,请不要改成数字。",
    "3. 户口类型、户籍地、文化程度、就业状态、所属工会从下拉列表中选择;人员类别可以多选,用顿号“、”分开,例如 农民工、下岗失业人员。",
    "4. 参加项目从下拉列表选择(例如 技能培训:电工(五级)晚班,或 求职登记);也可以只填课程编号(见课程页面地址中的编号)。",
    "5. 同意书签署日期、同意书存放处:本人在纸质《个人信息处理规则》和身份证号码单独同意书上签字的日期和原件存放地点。",
    "6. 导入时先检查整份名单:有任何一处问题都不会导入,并列出每一处问题(第几行、哪一列、什么问题);改好后重新上传即可。",
    "7. 同一份名单导入两次不会重复:已经导入过的人(同一人、同一项目)会被跳过。",
    "8. 导入班级名单时,名单上的人记为“在训”(从开班日起);只是报名、还没有入班的,请在上传时勾选“只是报名”。",
    "9. 实名制台账(Excel)也可以直接导入:列名相同,报名编号一列不导入。",
)
RESULT_HELP = (
    "结果名单填写说明",
    "1. 每行一个人的一项或几项结果:鉴定证书、就业、创业;身份证号必填,姓名和课程编号用来核对和区分。",
    "2. 鉴定证书:证书工种、证书等级(下拉选择)、证书编号、发证日期。",
    f"3. 就业:就业单位、就业日期、劳动合同期限(月),没有固定期限的填“{OPEN_ENDED}”;就业途径从下拉列表选择。",
    "4. 创业:创业项目(字号)、开业日期(营业执照日期)、带动就业人数。",
    "5. 日期一律写成 2011-08-31 的格式。结果记在此人在本单位的申请上(证书记在已结业的培训上),并按日期计入统计表。",
    "6. 有任何一处问题都不会导入,并列出每一处问题;同一份结果导入两次不会重复记录。",
)


def _lists(catalogue: Catalogue, *, units: list[str]) -> dict[str, list[str]]:
    courses = sorted(catalogue.courses.values(), key=lambda x: (x.kind, x.start_date, x.id))
    return {
        "户口类型": list(c.HOUSEHOLD_TYPES),
        "户籍地": list(c.HOUSEHOLD_PLACES),
        "文化程度": list(c.EDUCATION),
        "就业状态": list(c.EMPLOYMENT),
        "人员类别": list(c.TARGETS),
        "所属工会": units,
        "参加项目": [project_label(track=x.kind, title=x.title) for x in courses]
        + [lc.TRACKS["jobseeker"], lc.TRACKS["housekeeping"], lc.TRACKS["entrepreneurship"]],
        "课程编号": [x.id for x in courses],
        "证书等级": list(LEVELS),
        "就业途径": list(EMPLOYMENT_ROUTES.values()),
    }


def _book(
    columns: tuple[str, ...], lists: dict[str, list[str]], help_lines: tuple[str, ...]
) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "名单"
    sheet.append(list(columns))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    options = book.create_sheet("选项")
    options.sheet_state = "hidden"
    lists_written = 0
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = 22 if column in ("参加项目", "所属工会") else 14
        if column in TEXT:
            for row in range(2, ROWS + 2):
                sheet.cell(row, index).number_format = "@"
        values = lists.get(column)
        if not values:
            continue
        lists_written += 1
        where = get_column_letter(lists_written)
        options[f"{where}1"] = column
        for row, value in enumerate(values, start=2):
            options[f"{where}{row}"] = value
        check = DataValidation(
            type="list",
            formula1=f"选项!${where}$2:${where}${len(values) + 1}",
            allow_blank=True,
            # 人员类别 takes several values: a hint, not a refusal.
            errorStyle="information" if column == "人员类别" else "stop",
            showErrorMessage=True,
            error="请从下拉列表中选择",
        )
        sheet.add_data_validation(check)
        check.add(f"{letter}2:{letter}{ROWS + 1}")
    guide = book.create_sheet("填写说明")
    guide.column_dimensions["A"].width = 120
    for line in help_lines:
        guide.append([line])
    guide["A1"].font = Font(bold=True, size=14)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def signup_template(catalogue: Catalogue, *, unit_id: str | None) -> bytes:
    """Return the sign-up (class list) template; a unit's staff see their own units to choose."""
    scope = catalogue.units_reporting_to(unit_id)
    units = [
        u.name
        for u in catalogue.active_districts() + catalogue.industry_unions()
        if scope is None or u.id in scope
    ]
    return _book(SIGNUP_COLUMNS, _lists(catalogue, units=units), SIGNUP_HELP)


def results_template(catalogue: Catalogue) -> bytes:
    """Return the results template (鉴定 certificates, jobs, businesses)."""
    return _book(RESULT_COLUMNS, _lists(catalogue, units=[]), RESULT_HELP)
