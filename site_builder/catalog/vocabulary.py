"""Closed value lists of the programme: kinds, levels, target groups and their Chinese labels."""

# Course kinds and the notice's indicator each one counts toward.
KINDS = {
    "skills": "技能培训",
    "housekeeping": "家政培训",
    "entrepreneurship": "创业培训",
}
INDICATOR_OF_KIND = {
    "skills": "skills",
    "housekeeping": "housekeeping",
    "entrepreneurship": "entrepreneurship",
}

# The four indicators of the notice (指标), in the order of the targets breakdown.
INDICATORS = {
    "skills": "技能培训",
    "housekeeping": "家政培训",
    "entrepreneurship": "创业培训",
    "placements": "职业介绍",
}

# 国家职业资格 levels, then certificates that are not a level.
LEVELS = {
    "五级": "五级(初级)",
    "四级": "四级(中级)",
    "三级": "三级(高级)",
    "二级": "二级(技师)",
    "一级": "一级(高级技师)",
    "专项职业能力": "专项职业能力(相当于初级以下)",
    "培训合格证": "培训合格证(无等级)",
}
PRIMARY_OR_ABOVE = frozenset({"五级", "四级", "三级", "二级", "一级"})

TARGET_GROUPS = (
    "农民工",
    "困难职工家庭高校毕业生",
    "下岗失业人员",
    "协保人员",
    "就业困难人员",
    "征地农转非人员",
    "残疾人",
    "退役士兵",
    "其他",
)

UNIT_TYPES = {"district": "区县总工会", "industry": "局(产业)工会"}
TARGET_SOURCES = {"assigned": "市总工会分解", "self_set": "自行设定"}

BASE_KINDS = (
    "市总培训中心",
    "区总工会培训分中心",
    "全国工会就业培训基地",
    "合作职业培训学校",
    "企业培训中心",
    "家政服务培训站",
    "创业指导站",
)

ORGANISER_ROLES = ("主办", "承办", "协办")

# Listing states, computed for a given day.
OPEN = "报名中"
CLOSING_SOON = "即将截止"
FULL = "已满"
CLOSED = "已截止"
ENDED = "已结束"
STATES = (OPEN, CLOSING_SOON, FULL, CLOSED, ENDED)
# Taken down by staff (撤下): kept in the content with its reason, never listed.
WITHDRAWN = "已撤下"
CLOSING_SOON_DAYS = 7


def counts_as_primary_or_above(level: str) -> bool:
    """Tell whether a certificate level counts toward 初级以上 (五级..一级, not 专项职业能力)."""
    return level in PRIMARY_OR_ABOVE


# How long applications are kept in full after their programme year ends: the one number the
# consent text, the privacy page (its 【保存年限】 and 【删除日期】 placeholders) and the purge use.
RETENTION_YEARS = 3


def retention_end(year: int) -> str:
    """Say in words the day after which records of programme `year` are anonymised."""
    return f"{year + RETENTION_YEARS} 年 12 月 31 日"
