"""Applications stored through the real submission code, and moved on through the real
lifecycle code: what a test needs before it looks at the console, a register or a return."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import UTC, date, datetime

import sqlalchemy as sa

from form_service.applications import outcomes
from form_service.applications.consent import CONSENT_VERSION
from form_service.applications.outcomes import Outcome
from form_service.applications.submit import NewApplication, submit_application
from form_service.store import Store
from form_service.store.crypto import IdentityCipher
from form_service.store.tables import applications


def apply(
    store: Store,
    cipher: IdentityCipher,
    *,
    flow: str,
    unit_id: str,
    person_id: str,
    name: str = "张三",
    course_id: str | None = None,
    groups: tuple[str, ...] = ("农民工",),
    phone: str = "13912345678",
    created: datetime | None = None,
    is_demo: bool = False,
) -> int:
    """Store an application through `submit_application` and return its id."""
    born = date(int(person_id[6:10]), int(person_id[10:12]), int(person_id[12:14]))
    now = created or datetime(2011, 7, 1, 2, 0, tzinfo=UTC)
    new = NewApplication(
        flow=flow,
        course_id=course_id,
        unit_id=unit_id,
        name=name,
        id_number=person_id,
        birth_date=born,
        gender="男" if int(person_id[16]) % 2 else "女",
        phone=phone,
        household_place="外省市" if "农民工" in groups else "本市",
        household_type="农业" if "农民工" in groups else "非农业",
        target_groups=groups,
        education="初中",
        employment_status="在岗" if "农民工" in groups else "失业(已登记)",
        details={"home_unit": unit_id},
        consent_version=CONSENT_VERSION,
        consent_at=now,
        idempotency_key=secrets.token_hex(16),
        is_demo=is_demo,
    )
    result = submit_application(store, application=new, cipher=cipher, seat_rule=None, now=now)
    assert result.kind == "created", result
    with store.read() as conn:
        return int(
            conn.execute(
                sa.select(applications.c.id).where(applications.c.reference == result.reference)
            ).scalar_one()
        )


def advance(
    store: Store,
    *,
    application_id: int,
    track: str,
    steps: Iterable[tuple[str, date]],
    actor: str,
    state: str = "已提交",
) -> str:
    """Take `steps` (to state, on day) in turn from `state`, as staff do; return the state reached."""
    with store.write() as conn:
        for to_state, on in steps:
            outcomes.take_step(conn, application_id=application_id, track=track, expected=state,
                               to_state=to_state, on=on, actor=actor)  # fmt: skip
            state = to_state
    return state


def train(
    store: Store, *, application_id: int, track: str, start: date, end: date, actor: str
) -> str:
    """Admit, start (on `start`) and finish (on `end`) a course: 已录取, 在训, 结业."""
    steps = (("已录取", start), ("在训", start), ("结业", end))
    return advance(store, application_id=application_id, track=track, steps=steps, actor=actor)


def record(
    store: Store, *, application_id: int, track: str, state: str, outcome: Outcome, actor: str
) -> str:
    """Record `outcome` of an application in `state`, as staff do; return the state it is in now."""
    with store.write() as conn:
        return outcomes.record_outcome(conn, application_id=application_id, track=track,
                                       expected=state, outcome=outcome, actor=actor)  # fmt: skip
