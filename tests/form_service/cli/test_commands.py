"""`portal staff`, `portal demo-data`, `portal purge`, `portal stats --format text`."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa
from flask import Flask

from form_service.accounts import users as accounts
from form_service.accounts.audit import Actor
from form_service.applications import outcomes
from form_service.applications.identity import parse_id_number
from form_service.applications.outcomes import Outcome
from form_service.store import Store, migrate
from form_service.store.tables import application_events, applications, audit_log
from form_service.web import services
from site_builder.catalog import Catalogue
from tests.support.applications import apply
from tests.support.apps import portal_command
from tests.support.people import id_number
from tests.support.staff import PASSWORD, SETUP, Staff


def test_staff_add_disable_reset(app: Flask, store: Store) -> None:
    added = portal_command(
        app,
        ["staff", "add", "xuhui-li", "--role", "unit", "--unit", "xuhui", "--password-stdin"],
        PASSWORD + "\n",
    )
    assert (added.exit_code, added.output) == (0, "已新增账号 xuhui-li(区县/局(产业)工会)。\n")
    staff = Staff(app.test_client())
    assert staff.login("xuhui-li").status_code == 302
    assert staff.get("/staff/").status_code == 200
    disabled = portal_command(app, ["staff", "disable", "xuhui-li"])
    assert disabled.output == "已停用账号 xuhui-li,其登录状态已全部失效。\n"
    assert staff.get("/staff/").status_code == 302
    assert portal_command(app, ["staff", "enable", "xuhui-li"]).exit_code == 0
    reset = portal_command(
        app, ["staff", "reset", "xuhui-li", "--password-stdin"], "a new long passphrase\n"
    )
    assert reset.output == "已重设账号 xuhui-li 的密码,其登录状态已全部失效。\n"
    assert Staff(app.test_client()).login("xuhui-li").status_code == 200  # the old password is gone
    assert Staff(app.test_client()).login("xuhui-li", "a new long passphrase").status_code == 302
    refused = portal_command(
        app,
        ["staff", "add", "bad", "--role", "unit", "--unit", "nowhere", "--password-stdin"],
        PASSWORD,
    )
    assert (refused.exit_code, refused.output) == (
        1,
        "Error: 没有在用的单位“nowhere”,请用 units.yaml 里的单位 id。\n",
    )
    listed = portal_command(app, ["staff", "list"])
    assert listed.output == "xuhui-li\t区县/局(产业)工会\txuhui\t在用\n"
    with store.read() as conn:
        actions = (
            conn.execute(sa.select(audit_log.c.action).order_by(audit_log.c.id)).scalars().all()
        )
    assert actions == [
        "staff_add",
        "login",
        "staff_disable",
        "staff_disable",
        "staff_reset",
        "login_failed",
        "login",
    ]


def test_demo_data_fills_an_empty_store_only(app: Flask, store: Store) -> None:
    made = portal_command(app, ["demo-data", "--count", "40", "--seed", "7"])
    assert (made.exit_code, made.output) == (0, "已生成 40 份演示申请(标记为演示数据)。\n")
    cipher = services.cipher(app)
    with store.read() as conn:
        rows = conn.execute(sa.select(applications)).all()
        kinds = set(conn.execute(sa.select(outcomes.outcomes.c.kind)).scalars())
        days = conn.execute(sa.select(outcomes.outcomes.c.happened_on)).scalars().all()
    assert len(rows) == 40 and all(r.is_demo for r in rows)
    for row in rows:  # every ID is valid and agrees with the stored birth date and gender
        resident = parse_id_number(cipher.decrypt(row.id_number_encrypted), today=date(2011, 7, 1))
        assert (resident.birth_date, resident.gender) == (row.birth_date, row.gender)
    assert {r.flow for r in rows} == {"training", "housekeeping", "entrepreneurship", "jobseeker"}
    assert kinds >= {"enrolment", "completion", "certificate", "employment", "realname"}
    assert max(days) <= date(2011, 12, 31)
    for cutoff in (date(2011, 8, 31), date(2011, 11, 30)):  # outcomes on both sides of each
        assert min(days) <= cutoff < max(days)
    again = portal_command(app, ["demo-data", "--count", "5"])
    assert (again.exit_code, again.output) == (
        1,
        "Error: 库里已经有申请,演示数据只能放进空库(请换一个 PORTAL_DATABASE_URL)。\n",
    )
    prod = portal_command(app, ["demo-data"], PORTAL_ENV="production", PORTAL_SECRET_KEY="Kx8#vQ2!mZ7@pL4$wR9^tY6&nB3*hJ5%gF1(",
                PORTAL_ID_KEY="Qa7!Zs2@Xd9#Cf4$Vg6%Bh1^Nj8&Mk3*Lp5(",
                PORTAL_RATELIMIT_STORAGE_URL="redis://127.0.0.1:6379/15")  # fmt: skip
    assert (prod.exit_code, prod.output) == (1, "Error: 生产环境不能生成演示数据。\n")


def test_purge_anonymises_after_three_years_past_the_programme_year(
    app: Flask, store: Store
) -> None:
    cipher = services.cipher(app)
    # 23:59 in Shanghai, programme year 2011
    old = apply(store, cipher, flow="jobseeker", unit_id="yangpu", person_id=id_number("310110", "19800101", 11),
                created=datetime(2011, 12, 31, 15, 59, tzinfo=UTC))  # fmt: skip
    # already 2012 in Shanghai
    new = apply(store, cipher, flow="jobseeker", unit_id="yangpu", person_id=id_number("310110", "19800101", 13),
                created=datetime(2011, 12, 31, 16, 0, tzinfo=UTC))  # fmt: skip
    with store.write() as conn:
        outcomes.record_outcome(conn, application_id=old, track="jobseeker", expected="已提交", actor="t",
                                outcome=Outcome("employment", date(2011, 12, 1), employer="某公司", contract_months=12))  # fmt: skip
    kept = portal_command(app, ["purge", "--dry-run"], PORTAL_TODAY="2014-12-31")
    assert kept.output == "试运行:共 0 份申请将被匿名化,未做任何修改。\n"
    with store.read() as conn:
        reference = conn.execute(
            sa.select(applications.c.reference).where(applications.c.id == old)
        ).scalar_one()
    dry = portal_command(app, ["purge", "--dry-run"], PORTAL_TODAY="2015-01-01")
    assert dry.output == (
        "2011 年度:1 份申请(保存至 2014-12-31)\n"
        f"  {reference}\tyangpu\t已就业\n"
        "试运行:共 1 份申请将被匿名化,未做任何修改。\n"
    )
    done = portal_command(app, ["purge"], PORTAL_TODAY="2015-01-01")
    assert done.output == "2011 年度:1 份申请(保存至 2014-12-31)\n已匿名化 1 份申请。\n"
    with store.read() as conn:
        a = applications.c
        row = conn.execute(sa.select(a.name, a.id_number_encrypted, a.id_last4, a.phone_encrypted, a.phone_last4,
                                     a.details, a.birth_date, a.state, a.unit_id).where(a.id == old)).one()  # fmt: skip
        employer = conn.execute(
            sa.select(outcomes.outcomes.c.employer).where(outcomes.outcomes.c.application_id == old)
        ).scalar_one()
        notes = (
            conn.execute(
                sa.select(application_events.c.note).where(
                    application_events.c.application_id == old
                )
            )
            .scalars()
            .all()
        )
        untouched = conn.execute(sa.select(a.name).where(a.id == new)).scalar_one()
    assert tuple(row) == ("已匿名", "", "", "", "", {}, date(1980, 1, 1), "已就业", "yangpu")
    assert (employer, notes, untouched) == ("", ["", ""], "张三")
    assert (
        portal_command(app, ["purge", "--dry-run"], PORTAL_TODAY="2015-06-01").output
        == "试运行:共 0 份申请将被匿名化,未做任何修改。\n"
    )


def test_audit_log_is_append_only(store: Store) -> None:
    from form_service.accounts import audit

    with store.write() as conn:
        audit.record(conn, by=Actor("t"), action="login")
    for statement in (audit.audit_log.update().values(actor="x"), audit.audit_log.delete()):
        with pytest.raises(sa.exc.DatabaseError), store.write() as conn:
            conn.execute(statement)
    with store.read() as conn:
        assert conn.execute(sa.select(audit.audit_log.c.actor)).scalars().all() == ["t"]


def test_migration_0002_goes_down_and_up(store: Store, cat: Catalogue) -> None:
    migrate.downgrade(store, revision="0001")
    assert migrate.current_revision(store) == "0001"
    with store.read() as conn:
        assert not sa.inspect(conn).has_table("staff_users")
    migrate.upgrade(store)
    assert migrate.current_revision(store) == migrate.head_revision()
    with store.write() as conn:
        accounts.add_staff(
            conn,
            username="again",
            role="admin",
            unit_id=None,
            password=PASSWORD,
            catalogue=cat,
            by=SETUP,
        )
