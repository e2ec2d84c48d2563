"""Closed value lists of the application forms."""

from __future__ import annotations

from site_builder.catalog import Catalogue, Course
from site_builder.catalog.vocabulary import TARGET_GROUPS

HOUSEHOLD_PLACES = ("本市", "外省市")
HOUSEHOLD_TYPES = ("非农业", "农业", "农转居")
HOUSEHOLD_TYPE_LABELS = {"非农业": "非农业(城镇)", "农业": "农业(农村)", "农转居": "农转居"}
EDUCATION = ("小学及以下", "初中", "高中", "中专·职校·技校", "大专", "本科", "研究生")
EMPLOYMENT = ("失业(已登记)", "失业(未登记)", "在岗", "灵活就业", "应届毕业未就业")
YES_NO = ("是", "否")
TARGETS = TARGET_GROUPS

# 技能培训
CLASS_TIMES = ("工作日白天", "工作日晚上", "双休日")

# 创业扶持: the stages and the union's service chain (创业培训 → 项目扶持 → 小额贷款 → 跟踪服务).
STAGES = (
    "有创业意愿,还没有项目",
    "已有项目构思",
    "已办照经营不满18个月",
    "已经营18个月以上",
)
STAGE_WITHOUT_PROJECT = STAGES[0]
INDUSTRIES = ("零售", "餐饮", "家政服务", "维修", "手工制作", "电子商务", "农业", "其他")
ORGANISATION_FORMS = ("个体工商户", "有限责任公司", "合伙企业", "农民专业合作社", "民办非企业")
REGISTRATION = ("未登记", "办理中", "已登记")
FUNDING_METHODS = ("小额贷款担保", "贷款贴息", "工会再就业创业基金借款", "暂不需要")
PREMISES = ("房租补贴", "入驻孵化基地", "不需要")
SERVICES = (
    "创业培训",
    "项目扶持(项目推介、开业指导)",
    "小额贷款",
    "创业跟踪服务",
    "工商登记",
    "税费减免政策咨询",
    "场地安排",
)

# 家政
WORK_PATTERNS = ("住家", "不住家", "钟点工(上午)", "钟点工(下午)", "周末", "月嫂")
SERVICE_TYPES = (
    "一般家务(保洁)",
    "烹饪(家常菜)",
    "育儿兼家务",
    "育儿嫂",
    "照顾老人",
    "病人陪护",
    "母婴护理",
    "涉外家政",
)
HEALTH_CERTIFICATE = ("有,在有效期内", "有,已过期", "没有")
CERTIFICATES = (
    "家政服务员",
    "育婴员",
    "母婴护理",
    "养老护理员",
    "保育员",
    "营养师",
    "厨师",
    "驾驶证",
)


def pairs(values: tuple[str, ...], labels: dict[str, str] | None = None) -> list[tuple[str, str]]:
    """Return WTForms choices where the stored value is the Chinese text itself."""
    return [(v, (labels or {}).get(v, v)) for v in values]


def courses_of_kind(cat: Catalogue, kind: str) -> list[Course]:
    return [c for c in cat.courses.values() if c.kind == kind and not c.withdrawn]


def unit_choices(cat: Catalogue) -> list[tuple[str, str]]:
    """Districts first, then industry unions, as (id, label) pairs."""
    return [(u.id, u.name) for u in cat.active_districts()] + [
        (u.id, u.name) for u in cat.industry_unions()
    ]
