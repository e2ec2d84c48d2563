"""What an import does, line by line, and its audit record.

A dry run returns the plan without storing; a real run stores it in one transaction and
records who imported which file (name, SHA-256) with the counts, never the people in it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

import sqlalchemy as sa

from form_service.accounts import audit
from form_service.accounts.audit import Actor

ADDED, SKIPPED, CHANGED = "added", "skipped", "changed"
ACTION_NAMES = {ADDED: "新增", SKIPPED: "已有,跳过", CHANGED: "已有,补记"}
KIND_NAMES = {"signups": "报名名单", "results": "结果名单"}
SHOWN = 2_000  # steps listed on the page and by the command; the rest are counted


@dataclass(frozen=True)
class Step:
    """What happens for one application: added, skipped (already there) or changed."""

    line: int
    person: str  # name and masked ID number
    project: str
    action: str
    state: str
    detail: str = ""

    @property
    def action_name(self) -> str:
        return ACTION_NAMES[self.action]


@dataclass
class ImportPlan:
    """What an import did or would do: counts of each action, and the first steps to show."""

    kind: str  # signups | results
    file: str
    sha256: str
    rows: int
    unit_id: str | None
    dry_run: bool
    steps: list[Step] = field(default_factory=list)  # the first SHOWN of them
    unused_columns: tuple[str, ...] = ()
    counts: dict[str, int] = field(default_factory=lambda: {ADDED: 0, SKIPPED: 0, CHANGED: 0})

    def add(self, step: Step) -> None:
        """Count a step; keep it to show while fewer than SHOWN are kept (flat memory)."""
        self.counts[step.action] += 1
        if len(self.steps) < SHOWN:
            self.steps.append(step)

    def count(self, action: str) -> int:
        return self.counts[action]

    @property
    def hidden(self) -> int:
        """How many steps were counted but are not listed."""
        return sum(self.counts.values()) - len(self.steps)

    def summary(self) -> str:
        """One line: what was (or, in a dry run, would be) done."""
        n = self.counts
        verb = "试运行,将" if self.dry_run else "已"
        text = (
            f"{self.file}:{self.rows} 行,{verb}新增 {n[ADDED]} 项,"
            f"补记 {n[CHANGED]} 项,跳过已有的 {n[SKIPPED]} 项"
        )
        return text + (",未做任何修改。" if self.dry_run else "。")


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def record(conn: sa.Connection, plan: ImportPlan, *, by: Actor) -> None:
    """Write the audit record of a stored import: file, SHA-256, rows and counts."""
    audit.record(
        conn,
        by=by,
        action=f"import_{plan.kind}",
        unit_id=plan.unit_id,
        target=f"{KIND_NAMES[plan.kind]} {plan.file}"[:120],
        detail={"file": plan.file, "sha256": plan.sha256, "rows": plan.rows, **plan.counts},
    )
