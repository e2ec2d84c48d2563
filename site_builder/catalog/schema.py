"""The keys staff may write for each kind of record, with labels used in messages and docs.

This table is the single description of the content: the loader validates with it and the staff
guide (`docs/content-guide.md`) is checked against it by the tests.
"""

from site_builder.catalog import fields as f
from site_builder.catalog import vocabulary as v
from site_builder.catalog.yaml_source import Located


def _organisers(raw: Located, label: str) -> tuple[tuple[str, str], ...]:
    """`主办: 名称` / `协办: [名称, 名称]` into (role, name) pairs."""
    if not isinstance(raw.value, dict):
        raise f.FieldProblem(raw.line, f"{label} 应写成 主办/承办/协办 对应单位名称")
    pairs: list[tuple[str, str]] = []
    for role, names in raw.value.items():
        if role not in v.ORGANISER_ROLES:
            raise f.FieldProblem(names.line, f'{label} 中的 "{role}" 应为 主办、承办 或 协办')
        pairs.extend((role, name) for name in f.list_of(f.text)(names, f"{label}({role})"))
    return tuple(pairs)


UNIT = (
    f.Field("id", "编号", f.slug),
    f.Field("name", "名称", f.text),
    f.Field("type", "类型", f.one_of(tuple(v.UNIT_TYPES))),
    f.Field("short_name", "简称", f.text, required=False),
    f.Field("code", "行政区划代码", f.text, required=False),
    f.Field("active", "是否在用", f.boolean, required=False),
    f.Field("merged_into", "并入单位", f.slug, required=False),
    f.Field("example", "示例数据", f.boolean, required=False),
    f.Field("phone", "联系电话", f.phone, required=False),
    f.Field("address", "地址", f.text, required=False),
    f.Field("hours", "办公时间", f.text, required=False),
    # The contact is made up (a real unit whose phone and address are not known yet).
    f.Field("contact_example", "联系方式为示例", f.boolean, required=False),
)

BASE = (
    f.Field("id", "编号", f.slug),
    f.Field("name", "名称", f.text),
    f.Field("unit", "所属工会", f.slug),
    f.Field("address", "地址", f.text),
    f.Field("phone", "联系电话", f.phone),
    f.Field("kind", "基地类型", f.one_of(v.BASE_KINDS), required=False),
    f.Field("postcode", "邮政编码", f.postcode, required=False),
    f.Field("contact", "联系人", f.text, required=False),
    f.Field("transport", "交通", f.text, required=False),
    f.Field("opening_hours", "开放时间", f.text, required=False),
    f.Field("occupations", "培训工种", f.list_of(f.text), required=False),
    f.Field("national_base", "全国工会就业培训基地", f.boolean, required=False),
    f.Field("appraisal_site", "职业技能鉴定点", f.boolean, required=False),
    f.Field("example", "示例数据", f.boolean, required=False),
    f.Field("description", "介绍", f.long_text, required=False),
    f.Field("withdrawn", "撤下原因", f.text, required=False),
)

COURSE = (
    f.Field("id", "编号", f.slug),
    f.Field("title", "课程名称", f.text),
    f.Field("kind", "培训类别", f.one_of(tuple(v.KINDS))),
    f.Field("occupation", "职业(工种)", f.text),
    f.Field("level", "等级", f.one_of(tuple(v.LEVELS))),
    f.Field("base", "培训基地", f.slug),
    f.Field("unit", "负责工会", f.slug),
    f.Field("start_date", "开课日期", f.iso_date),
    f.Field("end_date", "结课日期", f.iso_date),
    f.Field("apply_by", "报名截止日期", f.iso_date),
    f.Field("capacity", "招生人数", f.positive_integer),
    f.Field("hours", "课时", f.positive_integer),
    f.Field("fee", "培训费标准(元)", f.integer),
    f.Field("self_pay", "个人自付(元)", f.integer, required=False),
    f.Field("subsidy", "补贴说明", f.text, required=False),
    f.Field("schedule", "上课时间", f.text, required=False),
    f.Field("target_groups", "招生对象", f.list_of(f.one_of(v.TARGET_GROUPS)), required=False),
    f.Field("eligibility", "报名条件", f.long_text, required=False),
    f.Field("certificate", "证书", f.text, required=False),
    f.Field("seats_taken", "已报名人数", f.integer, required=False),
    f.Field("example", "示例数据", f.boolean, required=False),
    f.Field("description", "课程介绍", f.long_text, required=False),
    f.Field("withdrawn", "撤下原因", f.text, required=False),
)

JOB_FAIR = (
    f.Field("id", "编号", f.slug),
    f.Field("title", "名称", f.text),
    f.Field("date", "日期", f.iso_date),
    f.Field("start_time", "开始时间", f.clock_time),
    f.Field("end_time", "结束时间", f.clock_time),
    f.Field("unit", "负责工会", f.slug),
    f.Field("venue", "场地", f.text),
    f.Field("address", "地址", f.text),
    f.Field("series", "系列", f.text, required=False),
    f.Field("street", "街道/镇", f.text, required=False),
    f.Field("transport", "交通", f.text, required=False),
    f.Field("organisers", "主办单位", _organisers, required=False),
    f.Field("employers", "参会企业数(计划)", f.integer, required=False),
    f.Field("posts", "提供岗位数(计划)", f.integer, required=False),
    f.Field("post_types", "主要岗位", f.list_of(f.text), required=False),
    f.Field("target_groups", "服务对象", f.list_of(f.one_of(v.TARGET_GROUPS)), required=False),
    f.Field("bring", "求职者须携带", f.list_of(f.text), required=False),
    f.Field("services", "现场服务", f.list_of(f.text), required=False),
    f.Field("contact", "联系人", f.text, required=False),
    f.Field("phone", "联系电话", f.phone, required=False),
    f.Field("example", "示例数据", f.boolean, required=False),
    f.Field("description", "介绍", f.long_text, required=False),
    f.Field("withdrawn", "撤下原因", f.text, required=False),
)

TARGET = (
    f.Field("unit", "单位", f.slug),
    f.Field("skills", "技能培训指标", f.integer),
    f.Field("housekeeping", "家政培训指标", f.integer),
    f.Field("entrepreneurship", "创业培训指标", f.integer),
    f.Field("placements", "职业介绍指标", f.integer),
    f.Field("source", "指标来源", f.one_of(tuple(v.TARGET_SOURCES)), required=False),
    f.Field("note", "备注", f.text, required=False),
    # Made-up numbers (not yet the official breakdown): the 统计表 says so.
    f.Field("example", "示例指标", f.boolean, required=False),
)

CITY_TOTALS = tuple(
    f.Field(key, f"全市{label}指标", f.integer) for key, label in v.INDICATORS.items()
)

CUTOFF = (
    f.Field("date", "统计截止日期", f.iso_date),
    f.Field("due", "报送日期", f.iso_date),
    f.Field("label", "说明", f.text, required=False),
)

TARGETS_FILE = (
    f.Field("year", "年度", f.positive_integer),
    f.Field("city_totals", "全市指标", lambda raw, label: raw),
    f.Field("cutoffs", "统计截止日期", lambda raw, label: raw),
    f.Field("units", "各单位指标", lambda raw, label: raw),
)
