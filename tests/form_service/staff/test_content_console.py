"""The content console: one line changed per changed key, nothing written by a refused save,
units keep to their own listings, history with revert, and a publish every worker sees."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from werkzeug.datastructures import MultiDict

from form_service.store.tables import audit_log, content_changes
from form_service.web import services
from site_builder.catalog.loader import check_content
from tests.support.apps import make_app
from tests.support.html_forms import form_data
from tests.support.staff import Staff, add_accounts, text_of

C01 = "/staff/content/courses/c01-jisuanji-wuji"


@pytest.fixture
def console(
    db_url: str, content_copy: Path, tmp_path: Path
) -> Iterator[tuple[Flask, dict[str, Staff]]]:
    """An app on a writable copy of the content (serving the site too), on SQLite and
    PostgreSQL, with city, 闸北, 杨浦 and 教育 staff signed in."""
    app = make_app(db_url, tmp_path, content=content_copy, serve_site=True)
    made = {"shizong": None, "zhabei-staff": "zhabei", "yangpu-staff": "yangpu",
            "jiaoyu-staff": "ind-jiaoyu"}  # fmt: skip
    add_accounts(app, made)
    people = {}
    for username in made:
        people[username] = Staff(app.test_client())
        people[username].login(username)
    yield app, people
    services.store(app).dispose()


def _form(staff: Staff, path: str) -> MultiDict[str, str]:
    page = staff.get(path)
    assert page.status_code == 200
    return MultiDict(form_data(page.get_data(as_text=True), path.split("?")[0]))


def _post(staff: Staff, path: str, data: MultiDict[str, str]):  # type: ignore[no-untyped-def]
    data = MultiDict(data)
    data.setlist("csrf_token", [staff.token])
    data.setlist("action", ["save"])
    response = staff.client.post(path, data=data)
    response.get_data()
    return response


def _file(content: Path, name: str = "courses/c01-jisuanji-wuji.yaml") -> bytes:
    return (content / name).read_bytes()


def test_a_changed_capacity_changes_exactly_that_line(console, content_copy: Path) -> None:  # type: ignore[no-untyped-def]
    app, people = console
    before = _file(content_copy)
    data = _form(people["zhabei-staff"], C01)
    data.setlist("capacity", ["45"])
    saved = _post(people["zhabei-staff"], C01, data)
    assert (saved.status_code, saved.location) == (302, C01)
    assert _file(content_copy) == before.replace(b"\ncapacity: 40\n", b"\ncapacity: 45\n")
    with services.store(app).read() as conn:
        row = conn.execute(sa.select(content_changes)).one()
        actions = list(conn.execute(sa.select(audit_log.c.action, audit_log.c.target)
                                    .where(audit_log.c.action.like("content%"))))  # fmt: skip
    assert (row.actor, row.unit_id, row.path, row.action, row.changed) == (
        "zhabei-staff", "zhabei", "content/courses/c01-jisuanji-wuji.yaml", "edit", ["capacity"])  # fmt: skip
    assert (row.before_text.encode(), row.after_text.encode()) == (before, _file(content_copy))
    assert actions == [("content_save", "c01-jisuanji-wuji")]


def test_a_breaking_save_shows_the_check_message_on_its_field_and_writes_nothing(
    console, content_copy: Path, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    _, people = console
    before = _file(content_copy)
    data = _form(people["zhabei-staff"], C01)
    data.setlist("capacity", ["45"])
    data.setlist("end_date", ["2011-07-01"])
    refused = _post(people["zhabei-staff"], C01, data)
    assert refused.status_code == 400
    assert _file(content_copy) == before
    # `portal check` on the same change prints the same words.
    hand = tmp_path / "hand" / "content"
    shutil.copytree(content_copy, hand)
    path = hand / "courses" / "c01-jisuanji-wuji.yaml"
    path.write_bytes(before.replace(b"end_date: 2011-08-19", b"end_date: 2011-07-01"))
    printed = [p.message for p in check_content(hand)]
    assert printed == ["结课日期 2011-07-01 早于开课日期 2011-07-11",
                       "报名截止日期 2011-07-05 晚于结课日期 2011-07-01"]  # fmt: skip
    page = refused.get_data(as_text=True)
    on_fields = dict(
        re.findall(r'id="f-(\w+)-error"><span class="visually-hidden">错误:</span>([^<]+)<', page)
    )
    assert on_fields == {"end_date": printed[0], "apply_by": printed[1]}
    kept = MultiDict(form_data(page, C01))
    assert (kept["capacity"], kept["end_date"]) == ("45", "2011-07-01")  # typed values kept


def test_a_stale_save_is_refused_with_both_versions_and_writes_nothing(
    console, content_copy: Path
) -> None:  # type: ignore[no-untyped-def]
    _, people = console
    data = _form(people["zhabei-staff"], C01)
    path = content_copy / "courses" / "c01-jisuanji-wuji.yaml"
    by_hand = path.read_bytes().replace(b"hours: 100", b"hours: 120  # by hand")
    path.write_bytes(by_hand)
    data.setlist("capacity", ["45"])
    stale = _post(people["zhabei-staff"], C01, data)
    assert stale.status_code == 409
    assert _file(content_copy) == by_hand
    table = (
        text_of(stale).split("核对后再按“保存”,会以你填写的为准。")[1].split("课程名称 title")[0]
    )
    assert "项 你填写的 文件现在的 招生人数 capacity 45 40 课时 hours 100 120" in table
    kept = MultiDict(form_data(stale.get_data(as_text=True), C01))
    assert kept["capacity"] == "45" and kept["version"] != data["version"]


def test_unit_staff_keep_to_their_own_listings(console, content_copy: Path) -> None:  # type: ignore[no-untyped-def]
    app, people = console
    before = _file(content_copy)
    yangpu, zhabei = people["yangpu-staff"], people["zhabei-staff"]
    assert "c01-jisuanji-wuji" not in text_of(yangpu.get("/staff/content/"))
    assert yangpu.get(C01).status_code == 404
    assert yangpu.get(C01 + "/history").status_code == 404
    data = _form(zhabei, C01)
    data.setlist("capacity", ["45"])
    assert _post(yangpu, C01, data).status_code == 404
    assert (
        yangpu.post(C01 + "/withdraw", {"reason": "x", "version": data["version"]}).status_code
        == 404
    )
    data.setlist("unit", ["yangpu"])  # moving it to another unit, by a forged form
    moved = _post(zhabei, C01, data)
    assert moved.status_code == 400
    assert "负责工会 只能是你所在的工会(或已并入它的单位)" in text_of(moved)
    assert _file(content_copy) == before
    with services.store(app).read() as conn:
        denied = list(conn.execute(sa.select(audit_log.c.actor, audit_log.c.target)
                                   .where(audit_log.c.action == "denied")))  # fmt: skip
    assert ("yangpu-staff", C01) in denied


def test_an_industry_union_sets_its_own_targets_only(console, content_copy: Path) -> None:  # type: ignore[no-untyped-def]
    _, people = console
    jiaoyu = people["jiaoyu-staff"]
    own = "/staff/content/targets/ind-jiaoyu"
    data = _form(jiaoyu, own)
    assert sorted(set(data.keys())) == sorted({"csrf_token", "version", "skills", "housekeeping",
                                               "entrepreneurship", "placements", "note"})  # fmt: skip
    before = _file(content_copy, "targets.yaml")
    data.setlist("skills", ["180"])
    assert _post(jiaoyu, own, data).status_code == 302
    assert _file(content_copy, "targets.yaml") == before.replace(
        b"  - unit: ind-jiaoyu\n    skills: 150\n", b"  - unit: ind-jiaoyu\n    skills: 180\n")  # fmt: skip
    assert jiaoyu.get("/staff/content/targets/huangpu").status_code == 404
    assert jiaoyu.get("/staff/content/targets/ind-yiwu").status_code == 404
    assert people["zhabei-staff"].get(own).status_code == 404  # districts: city staff only


def test_new_listing_copied_then_withdrawn_then_history_reverts(
    console, content_copy: Path
) -> None:  # type: ignore[no-untyped-def]
    _, people = console
    zhabei = people["zhabei-staff"]
    new = "/staff/content/courses/new"
    data = _form(zhabei, new + "?from=c01-jisuanji-wuji")
    assert (data["id"], data["capacity"], data["title"]) == ("", "40", "计算机操作员(五级)晚班")
    data.setlist("id", ["c24-jisuanji-zhoumo"])
    data.setlist("title", ["计算机操作员(五级)周末班"])
    created = _post(zhabei, new, data)
    assert created.location == "/staff/content/courses/c24-jisuanji-zhoumo"
    made = (content_copy / "courses" / "c24-jisuanji-zhoumo.yaml").read_text(encoding="utf-8")
    assert made.startswith(
        "id: c24-jisuanji-zhoumo\ntitle: 计算机操作员(五级)周末班\nkind: skills\n"
    )
    assert check_content(content_copy) == []
    page = "/staff/content/courses/c24-jisuanji-zhoumo"
    version = _form(zhabei, page)["version"]
    assert "请写明撤下的原因" in text_of(zhabei.client.get(
        zhabei.post(page + "/withdraw", {"reason": " ", "version": version}).location))  # fmt: skip
    zhabei.post(page + "/withdraw", {"reason": "报名人数不足", "version": version})
    withdrawn = (content_copy / "courses" / "c24-jisuanji-zhoumo.yaml").read_text(encoding="utf-8")
    assert withdrawn == made + "withdrawn: 报名人数不足\n"
    history = zhabei.get(page + "/history")
    assert "+ withdrawn: 报名人数不足" in text_of(history)
    change = re.findall(r"/revert/(\d+)", history.get_data(as_text=True))[0]
    zhabei.post(f"{page}/revert/{change}")
    assert (content_copy / "courses" / "c24-jisuanji-zhoumo.yaml").read_text(
        encoding="utf-8"
    ) == made


def test_each_save_is_a_commit_by_its_author_where_content_is_a_git_work_tree(
    console, content_copy: Path
) -> None:  # type: ignore[no-untyped-def]
    _, people = console
    git = ["git", "-C", str(content_copy), "-c", "user.name=t", "-c", "user.email=t@t"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "start"], check=True)
    data = _form(people["zhabei-staff"], C01)
    data.setlist("capacity", ["45"])
    _post(people["zhabei-staff"], C01, data)
    log = subprocess.run([*git, "log", "-1", "--format=%an|%s", "--stat"], capture_output=True,
                         text=True, check=True).stdout  # fmt: skip
    assert log.startswith("zhabei-staff|修改 课程 c01-jisuanji-wuji\n")
    assert "courses/c01-jisuanji-wuji.yaml | 2 +-" in log


def test_unit_staff_publish_and_the_forms_see_it_without_a_restart(
    console, content_copy: Path
) -> None:  # type: ignore[no-untyped-def]
    app, people = console
    zhabei = people["zhabei-staff"]
    assert zhabei.post("/staff/publish").status_code == 200
    data = _form(zhabei, C01)
    data.setlist("capacity", ["45"])
    _post(zhabei, C01, data)
    pending = text_of(zhabei.get("/staff/publish"))
    assert "content/courses/c01-jisuanji-wuji.yaml 修改 zhabei-staff 修改" in pending
    api = app.test_client()
    assert api.get("/api/courses/c01-jisuanji-wuji/availability").get_json()["capacity"] == 40
    done = zhabei.post("/staff/publish")
    assert "新网站已于" in text_of(done)
    assert api.get("/api/courses/c01-jisuanji-wuji/availability").get_json()["capacity"] == 45
    assert "没有待发布的修改" in text_of(zhabei.get("/staff/publish"))


def test_a_post_without_its_csrf_token_is_refused_and_writes_nothing(
    console, content_copy: Path
) -> None:  # type: ignore[no-untyped-def]
    _, people = console
    before = _file(content_copy)
    data = _form(people["zhabei-staff"], C01)
    data.setlist("capacity", ["45"])
    data.setlist("csrf_token", ["forged"])
    refused = people["zhabei-staff"].client.post(C01, data=data)
    assert refused.status_code == 400
    assert _file(content_copy) == before


def test_a_withdrawn_course_leaves_the_lists_and_the_form_but_keeps_its_page(console) -> None:  # type: ignore[no-untyped-def]
    app, people = console
    zhabei = people["zhabei-staff"]
    version = _form(zhabei, C01)["version"]
    zhabei.post(C01 + "/withdraw", {"reason": "培训基地装修,本期停办", "version": version})
    assert "新网站已于" in text_of(zhabei.post("/staff/publish"))
    public = Staff(app.test_client())  # not signed in: reads and closes each response
    page = text_of(public.get("/courses/c01-jisuanji-wuji/"))
    assert "本课程已撤下:培训基地装修,本期停办。" in page and "我要报名" not in page
    listed = public.get("/courses/").get_data(as_text=True)
    assert "/courses/c11-wuliu-siji/" in listed and "/courses/c01-jisuanji-wuji/" not in listed
    seats = public.get("/api/courses/c01-jisuanji-wuji/availability").get_json()
    assert (seats["state"], seats["accepts_sign_ups"]) == ("已撤下", False)
    form = public.get("/apply/training?course=c01-jisuanji-wuji").get_data(as_text=True)
    assert "没有找到这门课程,请从列表中选择。" in form
    assert 'value="c01-jisuanji-wuji"' not in form


def test_city_staff_edit_a_unit_in_the_shared_file_one_line_only(
    console, content_copy: Path
) -> None:  # type: ignore[no-untyped-def]
    _, people = console
    before = _file(content_copy, "units.yaml")
    page = "/staff/content/units/jingan"
    data = _form(people["shizong"], page)
    old_phone = data["phone"]
    data.setlist("phone", ["62150000"])
    assert _post(people["shizong"], page, data).status_code == 302
    line = f'  phone: "{old_phone}"\n'.encode()
    assert before.count(line) == 1
    assert _file(content_copy, "units.yaml") == before.replace(line, b'  phone: "62150000"\n')
    assert people["zhabei-staff"].get(page).status_code == 404  # units: city staff only


def test_the_markdown_preview_renders_and_writes_nothing(console, content_copy: Path) -> None:  # type: ignore[no-untyped-def]
    _, people = console
    before = _file(content_copy)
    data = _form(people["zhabei-staff"], C01)
    data.setlist("description", ["**晚班**上课\n\n- 会打字更好\n\n<script>alert(1)</script>"])
    data.setlist("csrf_token", [people["zhabei-staff"].token])
    data.setlist("action", ["preview"])
    shown = people["zhabei-staff"].client.post(C01, data=data)
    body = shown.get_data(as_text=True)
    preview = body.split('aria-label="课程介绍预览">')[1].split("</div>")[0]
    assert "<strong>晚班</strong>上课" in preview and "<li>会打字更好</li>" in preview
    assert "<script>" not in preview  # the site's allow-list, here too
    assert _file(content_copy) == before


def test_the_preview_shows_drafts_to_staff_only_and_leaves_the_live_site(console) -> None:  # type: ignore[no-untyped-def]
    app, people = console
    zhabei = people["zhabei-staff"]
    zhabei.post("/staff/publish")
    data = _form(zhabei, C01)
    data.setlist("capacity", ["45"])
    _post(zhabei, C01, data)
    assert "预览已生成" in text_of(zhabei.post("/staff/publish/preview"))
    folder = zhabei.get("/staff/preview/courses/c01-jisuanji-wuji")
    assert (folder.status_code, folder.location) == (
        301,
        "/staff/preview/courses/c01-jisuanji-wuji/",
    )
    draft = zhabei.get("/staff/preview/courses/c01-jisuanji-wuji/").get_data(as_text=True)
    assert 'data-capacity="45"' in draft
    live = Staff(app.test_client()).get("/courses/c01-jisuanji-wuji/").get_data(as_text=True)
    assert 'data-capacity="40"' in live
    assert zhabei.get("/staff/preview/../site/index.html").status_code == 404
    assert zhabei.get("/staff/preview/%2e%2e/site/index.html").status_code == 404
    anonymous = Staff(app.test_client()).get("/staff/preview/courses/c01-jisuanji-wuji/")
    assert anonymous.status_code == 302 and anonymous.location.startswith("/staff/login")
