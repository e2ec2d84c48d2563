"""Every message a person reads about their answers, one group per kind of field.

Tests and browser tests quote these constants, so a wording change is made here once.
"""

from __future__ import annotations

# The error summary at the top of a page with problems (GOV.UK "There is a problem").
SUMMARY_TITLE = "提交的信息有问题"
TITLE_PREFIX = "错误:"


class Refusal(Exception):
    """Something a person asked for that cannot be done; `message` is what they read."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class Name:
    REQUIRED = "请输入姓名"
    TOO_SHORT = "姓名至少要有 2 个字"
    TOO_LONG = "姓名不能超过 50 个字(您输入了 {count} 个字)"
    INVISIBLE = "姓名中有看不见的字符或控制字符,请删除后重新输入"
    CHARACTERS = "姓名只能包含汉字、字母和间隔号“·”,例如 买买提·艾力"
    SEPARATOR = "间隔号“·”只能写在两个字之间"


class IdNumber:
    REQUIRED = "请输入身份证号码"
    LENGTH = "身份证号码应为 18 位或 15 位(您输入了 {count} 位)"
    # Shown on the check-answers page beside the number made from a first-generation card.
    CONVERTED = "由您填写的 15 位号码 {old} 按国家标准转换为 18 位,请核对"
    CHARACTERS = "身份证号码只能包含数字,最后一位可以是 X"
    REGION = "身份证号码的前两位不是有效的省份代码,请核对"
    BIRTH_DATE = "身份证号码中的出生日期无效,请核对"
    CHECK_DIGIT = "身份证号码校验位不正确,请核对后重新输入"


class Phone:
    REQUIRED = "请输入手机号码"
    INVALID = "请输入 11 位手机号码,例如 139 1234 5678"


class Text:
    INVISIBLE = "{label}中有看不见的字符或控制字符,请删除后重新输入"
    TOO_LONG = "{label}不能超过 {limit} 个字(您输入了 {count} 个字)"
    REQUIRED = "请填写{label}"


class Number:
    REQUIRED = "请填写{label}"
    NOT_A_NUMBER = "{label}请填写整数,例如 {example}"
    OUT_OF_RANGE = "{label}应在 {low} 到 {high} 之间"


class Choice:
    REQUIRED = "请选择{label}"
    INVALID = "请从列表中选择{label}"
    REQUIRED_SOME = "请至少选择一项{label}"


class Consent:
    PRIVACY = "请阅读并同意个人信息处理规则,否则我们无法受理您的申请"
    ID_NUMBER = "请单独同意我们处理您的身份证号码,否则我们无法核实资格和办理补贴"


class Form:
    """Messages about the form as a whole rather than one answer."""

    EXPIRED = "页面停留时间过长,已经过期。您填写的内容还在,请检查后重新提交。"
    # Other reasons a form is refused by its CSRF check: say which, never "expired".
    TOKEN_MISSING = (
        "提交的内容里没有本站页面自带的安全校验码,所以没有受理。请在本站的页面上检查后重新提交。"
    )
    TOKEN_FOREIGN = (
        "提交的安全校验码不是本站发给这个浏览器的(可能来自别的网站或别的浏览器),"
        "为保护您,没有受理。请在本站的页面上检查后重新提交。"
    )
    NO_COOKIE = (
        "浏览器没有带上本站的 Cookie(可能被禁用或已清除),无法确认是您本人提交,所以没有受理。"
        "请允许本站使用 Cookie,再在本站的页面上重新提交。"
    )
    WRONG_ORIGIN = "无法确认这次提交来自本站的页面,所以没有受理。请在本站的页面上重新提交。"
    REFUSED = "表单内容不完整或含有多余的项目,请重新打开报名页面填写。"
    ALREADY_SUBMITTED = "这份表单已经提交过了。如需再提交一份申请,请重新打开报名页面填写。"
    DUPLICATE = "该身份证号码已经提交过这项申请,无需重复提交。"
    DUPLICATE_WITH_REFERENCE = "您已经提交过这项申请,报名编号是 {reference},无需重复提交。"
    BUSY = "系统繁忙,您的申请还没有提交成功,请稍后再试一次。"
    TOO_MANY = "操作太频繁,请过几分钟再试。"
    COURSE_UNKNOWN = "没有找到这门课程,请从列表中选择。"
    FAIR_UNKNOWN = "没有找到这场招聘会。您仍然可以在这里求职登记。"
    FROM_FAIR = "本次求职登记来自招聘会:{title}({day}),由{unit}负责联系您。"
    PROJECT_REQUIRED = "已有项目构思或已在经营的,请填写项目名称"


class Status:
    NOT_FOUND = "没有查到对应的申请。请核对报名编号和手机号码后四位;多次查询失败需要等几分钟再试。"
    REFERENCE_REQUIRED = "请输入报名编号"
    LAST4_INVALID = "请输入报名时所留手机号码的后 4 位数字"
