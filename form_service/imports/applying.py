"""What an import does to stored applications: who is already there, and recording outcomes.

Imports follow the lifecycle's own rules (`applications/lifecycle.py`): an outcome is recorded
only where the console's outcome form could record it, 结业 only where the step form could
take it, and each recorded outcome moves the state as the console would.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime

import sqlalchemy as sa

from form_service.applications import lifecycle as lc
from form_service.applications import outcomes as oc
from form_service.applications.outcomes import Outcome
from form_service.store.tables import applications, outcomes

CHUNK = 500


def advance(*, track: str, state: str, outcome: Outcome) -> str | None:
    """Return the state after recording `outcome` on an application in `state`, or None if not allowed."""
    if outcome.kind == "completion":
        steps = lc.plain_steps(track=track, state=state)
        return lc.COMPLETED if lc.COMPLETED in steps else None
    if not lc.can_record(track=track, state=state, kind=outcome.kind):
        return None
    return lc.state_after_outcome(track=track, state=state, kind=outcome.kind)


def refusal(*, track: str, state: str, outcome: Outcome) -> str:
    """Say why `outcome` cannot be recorded on an application of `track` in `state`."""
    what = "结业" if outcome.kind == "completion" else lc.OUTCOME_KINDS[outcome.kind]
    return f"{lc.TRACKS[track]}申请现在是“{state}”,不能记录{what}"


def stored_for(conn: sa.Connection, *, id_hashes: Iterable[str]) -> dict[str, list[sa.Row]]:
    """Return the stored applications of these people (any unit), by keyed ID hash, oldest first."""
    a = applications.c
    found: dict[str, list[sa.Row]] = defaultdict(list)
    wanted = sorted(set(id_hashes))
    for start in range(0, len(wanted), CHUNK):
        query = (
            sa.select(a.id, a.reference, a.flow, a.course_id, a.unit_id, a.state, a.name)
            .add_columns(a.id_number_hash, a.dedupe_key)
            .where(a.id_number_hash.in_(wanted[start : start + CHUNK]))
            .order_by(a.id)
        )
        for row in conn.execute(query):
            found[row.id_number_hash].append(row)
    return found


def outcomes_for(conn: sa.Connection, *, application_ids: Iterable[int]) -> dict[int, list[sa.Row]]:
    """Return the recorded outcomes of these applications, by application id."""
    o = outcomes.c
    found: dict[int, list[sa.Row]] = defaultdict(list)
    wanted = sorted(set(application_ids))
    for start in range(0, len(wanted), CHUNK):
        query = sa.select(
            o.application_id,
            o.kind,
            o.happened_on,
            o.occupation,
            o.level,
            o.cert_number,
            o.employer,
            o.business_name,
        ).where(o.application_id.in_(wanted[start : start + CHUNK]))
        for row in conn.execute(query.order_by(o.id)):
            found[row.application_id].append(row)
    return found


def record_all(
    conn: sa.Connection,
    *,
    application_id: int,
    track: str,
    state: str,
    found: Iterable[Outcome],
    actor: str,
    note: str,
    at: datetime,
) -> str:
    """Record outcomes on a stored application through the console's own steps; return the state."""
    for outcome in found:
        if outcome.kind == "completion":
            oc.take_step(
                conn,
                application_id=application_id,
                track=track,
                expected=state,
                to_state=lc.COMPLETED,
                on=outcome.happened_on,
                actor=actor,
                note=note,
                at=at,
            )
            state = lc.COMPLETED
            continue
        state = oc.record_outcome(
            conn,
            application_id=application_id,
            track=track,
            expected=state,
            outcome=replace(outcome, note=note),
            actor=actor,
            at=at,
        )
    return state
