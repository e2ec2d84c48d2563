"""Column shapes the migrations share. Frozen like the migrations: never change one, add another."""

import sqlalchemy as sa


def owned_by(parent: str, *, column: str, primary_key: bool = False) -> sa.Column[int]:
    """Return a reference to `parent.id` whose rows go when the parent's row goes."""
    reference = sa.ForeignKey(f"{parent}.id", ondelete="CASCADE")
    return sa.Column(column, sa.Integer, reference, nullable=False, primary_key=primary_key)
