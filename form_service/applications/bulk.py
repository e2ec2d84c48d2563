"""Bulk steps: take one step on many applications at once (a class finishes, a list is admitted).

Each application goes through the same step functions as the detail page (`outcomes.take_step`,
`outcomes.record_outcome`), so each gets its own history entry; all of them in one write
transaction with one audit record naming the step and the count. An application the step does
not apply to (another state, already marked) is listed with the reason and left unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa

from form_service.accounts import audit
from form_service.accounts.audit import Actor
from form_service.applications import lifecycle as lc
from form_service.applications import outcomes as oc
from form_service.store.tables import applications, outcomes
from site_builder.catalog import Catalogue

# step key → (what staff read, the state it leads to, or None for the 全总帮扶系统 mark)
STEPS: dict[str, tuple[str, str | None]] = {
    "admit": ("录取", lc.ADMITTED),
    "waitlist": ("列入候补", lc.WAITLISTED),
    "start": ("开班(在训)", lc.IN_TRAINING),
    "complete": ("结业", lc.COMPLETED),
    "not_complete": ("未结业(中途退出)", lc.DROPPED),
    "realname": ("标记已录入全总帮扶系统", None),
}
MAX_AT_ONCE = 5_000


@dataclass(frozen=True)
class Item:
    application_id: int
    reference: str
    name: str
    state: str
    reason: str = ""


@dataclass
class BulkResult:
    step: str
    done: list[Item] = field(default_factory=list)
    refused: list[Item] = field(default_factory=list)

    @property
    def label(self) -> str:
        return STEPS[self.step][0]


def _realnamed(conn: sa.Connection, ids: list[int]) -> set[int]:
    found: set[int] = set()
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        found.update(
            conn.execute(
                sa.select(outcomes.c.application_id).where(
                    outcomes.c.application_id.in_(chunk), outcomes.c.kind == "realname"
                )
            ).scalars()
        )
    return found


def _why_not(step: str, *, track: str, state: str, marked: bool) -> str:
    label, target = STEPS[step]
    if target is None:
        if marked:
            return "已经标记过录入全总帮扶系统"
        if not lc.can_record(track=track, state=state, kind="realname"):
            return f"“{state}”的申请不能标记"
        return ""
    if target not in lc.plain_steps(track=track, state=state):
        return f"{lc.TRACKS[track]}申请现在是“{state}”,不能{label}"
    return ""


def take_bulk_step(
    conn: sa.Connection,
    *,
    application_ids: list[int],
    scope: frozenset[str] | None,
    unit_id: str | None,
    step: str,
    on: date,
    catalogue: Catalogue,
    by: Actor,
) -> BulkResult:
    """Take `step` (dated `on`) on every application it applies to, in the caller's write transaction."""
    a = applications.c
    ids = sorted(set(application_ids))[:MAX_AT_ONCE]
    rows: list[sa.Row] = []
    for start in range(0, len(ids), 500):
        query = sa.select(a.id, a.reference, a.name, a.flow, a.course_id, a.state, a.unit_id).where(
            a.id.in_(ids[start : start + 500])
        )
        if scope is not None:
            query = query.where(a.unit_id.in_(sorted(scope)))
        rows.extend(conn.execute(query))
    marked = _realnamed(conn, ids) if step == "realname" else set()
    result = BulkResult(step)
    target = STEPS[step][1]
    for row in sorted(rows, key=lambda r: r.id):
        track = lc.track_of(flow=row.flow, course_id=row.course_id, catalogue=catalogue)
        reason = _why_not(step, track=track, state=row.state, marked=row.id in marked)
        if reason:
            result.refused.append(Item(row.id, row.reference, row.name, row.state, reason))
            continue
        if target is None:
            after = oc.record_outcome(conn, application_id=row.id, track=track, expected=row.state,
                                      outcome=oc.Outcome("realname", on, note="批量办理"), actor=by.name)  # fmt: skip
        else:
            oc.take_step(conn, application_id=row.id, track=track, expected=row.state,
                         to_state=target, on=on, actor=by.name, note="批量办理")  # fmt: skip
            after = target
        result.done.append(Item(row.id, row.reference, row.name, after))
    audit.record(
        conn,
        by=by,
        action="bulk_step",
        unit_id=unit_id,
        target=f"批量{result.label} {on.isoformat()}",
        detail={"step": step, "count": len(result.done), "refused": len(result.refused)},
    )
    return result
