"""Fixtures of the reliability tests: the course people apply for, the seed of the faults."""

from __future__ import annotations

import os
import random

import pytest

from bench.bench_submit import pick_course

# A fresh database per test, on SQLite and on PostgreSQL: the staff tests' fixture.
from tests.staff.conftest import db_url, postgres_reason  # noqa: F401

# Fault times are random but replayable: the seed is printed with the figures of each run.
SEED = int(os.environ.get("PORTAL_FAULT_SEED", "2011"))


@pytest.fixture
def course_and_unit() -> tuple[str, str]:
    """An open skills course of the real content on the pinned day, and a district."""
    return pick_course()


@pytest.fixture
def rng() -> random.Random:
    return random.Random(SEED)
