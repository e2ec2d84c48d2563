"""What the people of the browser tests do with their hands: find, fill, tap, read."""

from __future__ import annotations

import re
from typing import Any

from tests.support.browser import Session

REFERENCE = re.compile(r"[ABCDEFGHJKLMNPRSTUVWXY23456789]{8}")


def visible_text(locator: Any) -> str:
    """Return what a person reads: the search index's zero-width separators removed."""
    return str(locator.inner_text()).replace("\u200b", "").strip()


def tap(session: Session, locator: Any) -> None:
    """Tap (phone) or click (desktop) a link or button that loads the next page; wait for it."""
    with session.page.expect_navigation():
        if session.mobile:
            locator.tap()
        else:
            locator.click()


def search_site(session: Session, word: str) -> Any:
    """Open the site search and type `word`; return the result list."""
    page = session.page
    opener = page.locator("label.md-header__button[for=__search]")
    if opener.is_visible():
        opener.click()
    box = page.locator("input.md-search__input")
    box.click()
    box.fill(word)
    box.press("End")  # the theme searches on keyup, as an input method's last key gives it
    results = page.locator(".md-search-result__item")
    results.first.wait_for()
    return results


def choose(page: Any, question: str, answer: str) -> None:
    """Tick the radio or checkbox `answer` of the question whose legend starts with `question`."""
    group = page.get_by_role("group", name=question)
    group.get_by_label(answer, exact=True).check()


def fill_real_name(
    page: Any, *, name: str, id_number: str, phone: str, groups: tuple[str, ...] = ("农民工",)
) -> None:
    """Fill the real-name block every flow shares, with both consents given."""
    page.get_by_label("姓名", exact=True).fill(name)
    page.get_by_label("身份证号码", exact=True).fill(id_number)
    page.get_by_label("手机号码", exact=True).fill(phone)
    choose(page, "户籍地", "外省市")
    choose(page, "户口性质", "农业(农村)")
    for group in groups:
        choose(page, "人员类别", group)
    page.get_by_label("文化程度", exact=True).select_option("初中")
    choose(page, "目前就业状态", "失业(未登记)")
    page.get_by_label("所在区县或所属产业工会", exact=True).select_option("yangpu")
    page.get_by_label("我已阅读并同意《个人信息处理规则》").check()
    page.get_by_label("我单独同意处理我的身份证号码").check()


def checked(page: Any, question: str) -> list[str]:
    """Return the labels of the ticked answers of a question."""
    group = page.get_by_role("group", name=question)
    labels = []
    for box in group.locator("input:checked").all():
        labels.append(page.locator(f"label[for='{box.get_attribute('id')}']").inner_text().strip())
    return labels
