"""A new city account enrols in the second factor in Chromium, signs out, and signs in with a code.

The QR code is scanned from the screen (zxing-cpp reads Chromium's picture of it); the
authenticator app is pyotp, given the `otpauth://` URI the scan found.
"""

from __future__ import annotations

import base64
import re
import time
from typing import Any

import pyotp
import pytest
import zxingcpp

from tests.support.axe import blocking, run_axe, small_targets, unlabelled_fields
from tests.support.browser import Portal
from tests.support.browser_actions import tap
from tests.support.staff import PASSWORD

pytestmark = pytest.mark.browser

# Chromium turns its own PNG into grey levels, one byte a pixel (no imaging library needed here).
GREY_PIXELS = """async (png) => {
  const image = new Image();
  image.src = "data:image/png;base64," + png;
  await image.decode();
  const canvas = document.createElement("canvas");
  canvas.width = image.naturalWidth;
  canvas.height = image.naturalHeight;
  const context = canvas.getContext("2d");
  context.drawImage(image, 0, 0);
  const rgba = context.getImageData(0, 0, canvas.width, canvas.height).data;
  const grey = new Array(canvas.width * canvas.height);
  for (let i = 0; i < grey.length; i++) grey[i] = rgba[4 * i];
  return [canvas.width, canvas.height, grey];
}"""


def scan(page: Any, selector: str) -> list[str]:
    """Photograph the element as shown and return the text of every QR code found in it."""
    png = base64.b64encode(page.locator(selector).screenshot()).decode("ascii")
    width, height, grey = page.evaluate(GREY_PIXELS, png)
    pixels = memoryview(bytes(grey)).cast("B", (height, width))
    return [code.text for code in zxingcpp.read_barcodes(pixels, formats=zxingcpp.QRCode)]


@pytest.mark.parametrize("device", ["phone", "desktop"])
def test_a_new_city_account_enrols_signs_out_and_signs_in_with_a_code(
    open_session: Any, portal: Portal, device: str
) -> None:
    username = f"city-2fa-{device}"
    portal.command("staff", "add", username, "--role", "admin", "--password-stdin",
                   stdin=PASSWORD + "\n")  # fmt: skip
    session = open_session(device)
    page = session.page

    session.go("/staff/login")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    tap(session, page.get_by_role("button", name="登录", exact=True))
    assert session.path() == "/staff/"  # development: the second factor is optional

    tap(session, page.get_by_role("link", name="两步验证", exact=True))
    assert session.path() == "/staff/two-factor"
    qr = page.locator("#enrol-qr svg")
    assert qr.is_visible() and qr.bounding_box()["width"] >= 150  # big enough to scan
    session.shot(page, "enrol")
    scanned = scan(page, "#enrol-qr")
    assert scanned == [page.locator("#otpauth-link").get_attribute("href")]
    totp = pyotp.parse_uri(scanned[0])
    assert (totp.issuer, totp.name, totp.digits, totp.interval) == (
        "上海工会培训门户", username, 6, 30,
    )  # fmt: skip
    assert page.locator("#enrol-secret").inner_text().replace(" ", "") == totp.secret
    used_step = int(time.time()) // 30
    page.get_by_label("验证码").fill(totp.at(used_step * 30))
    tap(session, page.get_by_role("button", name="启用两步验证", exact=True))
    codes = page.locator("#recovery-codes li").all_inner_texts()
    assert len(set(codes)) == 10 and all(re.fullmatch(r"[a-z2-9]{5}-[a-z2-9]{5}", c) for c in codes)
    session.shot(page, "recovery-codes")
    tap(session, page.get_by_role("link", name="我已记下恢复码,进入后台", exact=True))
    tap(session, page.get_by_role("button", name="退出", exact=True))
    assert session.path() == "/staff/login?out=1"

    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    tap(session, page.get_by_role("button", name="登录", exact=True))
    assert session.path() == "/staff/login/code"
    assert f"账号 {username} 已启用两步验证" in page.locator("main").inner_text()
    session.shot(page, "code")
    # The code used to enrol is spent; the authenticator shows the next one within 30 seconds.
    page.get_by_label("验证码").fill(totp.at((used_step + 1) * 30))
    tap(session, page.get_by_role("button", name="登录", exact=True))
    assert session.path() == "/staff/"
    assert page.locator("#signed-in-as").inner_text().startswith(username)
    session.shot(page, "signed-in")


def test_the_second_factor_pages_pass_axe(
    open_session: Any, portal: Portal, axe_source: str
) -> None:
    username = "city-2fa-axe"
    portal.command("staff", "add", username, "--role", "admin", "--password-stdin",
                   stdin=PASSWORD + "\n")  # fmt: skip
    # axe is injected as a script; the console's CSP would refuse it, so the test lifts it.
    session = open_session("phone", bypass_csp=True)
    page = session.page
    problems: list[str] = []

    def check(kind: str) -> None:
        problems.extend(f"{kind}: {line}" for line in blocking(run_axe(page, axe_source)))
        problems.extend(f"{kind}: no label: {html}" for html in unlabelled_fields(page))
        problems.extend(f"{kind}: small target: {t}" for t in small_targets(page))

    session.go("/staff/login")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    tap(session, page.get_by_role("button", name="登录", exact=True))
    session.go("/staff/two-factor")
    check("enrol")
    page.get_by_label("验证码").fill("12")
    tap(session, page.get_by_role("button", name="启用两步验证", exact=True))
    check("enrol with error")
    totp = pyotp.parse_uri(page.locator("#otpauth-link").get_attribute("href"))
    step = int(time.time()) // 30
    page.get_by_label("验证码").fill(totp.at(step * 30))
    tap(session, page.get_by_role("button", name="启用两步验证", exact=True))
    check("recovery codes")
    session.go("/staff/two-factor")
    check("second factor state")
    tap(session, page.get_by_role("button", name="退出", exact=True))
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    tap(session, page.get_by_role("button", name="登录", exact=True))
    check("code")
    page.get_by_label("验证码").fill("000000" if totp.at((step + 1) * 30) != "000000" else "1")
    tap(session, page.get_by_role("button", name="登录", exact=True))
    check("code with error")
    assert problems == []
