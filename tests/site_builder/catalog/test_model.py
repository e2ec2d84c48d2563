"""Facts derived from the records: listing states, indicators, certificate levels, merges."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from site_builder.catalog import Course, load_catalogue, today
from site_builder.catalog.vocabulary import counts_as_primary_or_above


@pytest.fixture
def course(small_content: Path) -> Course:
    return load_catalogue(small_content).courses["c01"]


@pytest.mark.parametrize(
    ("day", "seats_taken", "state"),
    [
        (date(2011, 6, 20), 0, "报名中"),
        (date(2011, 7, 1), 0, "报名中"),  # 7 days before the deadline: still open
        (date(2011, 7, 2), 0, "即将截止"),
        (date(2011, 7, 8), 0, "即将截止"),  # the deadline day itself
        (date(2011, 7, 5), 30, "已满"),
        (date(2011, 7, 9), 0, "已截止"),
        (date(2011, 7, 9), 30, "已截止"),
        (date(2011, 8, 19), 0, "已截止"),
        (date(2011, 8, 20), 0, "已结束"),
    ],
)
def test_listing_state_on_a_day(course: Course, day: date, seats_taken: int, state: str) -> None:
    assert course.state_on(day, seats_taken=seats_taken) == state
    assert course.accepts_sign_ups_on(day, seats_taken=seats_taken) == (
        state in ("报名中", "即将截止")
    )


def test_seats_taken_from_yaml_is_the_default(course: Course) -> None:
    assert replace(course, seats_taken=30).state_on(date(2011, 7, 1)) == "已满"


@pytest.mark.parametrize(
    ("level", "counts"),
    [
        ("五级", True),
        ("四级", True),
        ("一级", True),
        ("专项职业能力", False),
        ("培训合格证", False),
    ],
)
def test_primary_or_above(level: str, counts: bool) -> None:
    assert counts_as_primary_or_above(level) is counts


def test_indicator_follows_kind(course: Course) -> None:
    assert course.indicator == "skills"
    assert replace(course, kind="housekeeping").indicator == "housekeeping"
    assert replace(course, kind="entrepreneurship").indicator == "entrepreneurship"


def test_merged_units_report_through_their_successor(small_content: Path) -> None:
    catalogue = load_catalogue(small_content)
    assert catalogue.reporting_unit("luwan").id == "yangpu"
    assert catalogue.units_reporting_to("yangpu") == frozenset({"yangpu", "luwan"})
    assert catalogue.units_reporting_to("luwan") == frozenset()
    assert catalogue.units_reporting_to(None) is None
    assert [u.id for u in catalogue.active_districts()] == ["yangpu"]
    assert [u.id for u in catalogue.industry_unions()] == ["ind-jiaoyu"]


def test_one_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PORTAL_TODAY", "2011-08-31")
    assert today() == date(2011, 8, 31)
    monkeypatch.delenv("PORTAL_TODAY")
    assert today() >= date(2026, 1, 1)


def test_job_fair_upcoming(small_content: Path) -> None:
    fair = load_catalogue(small_content).job_fairs["f01"]
    assert fair.is_upcoming_on(date(2011, 7, 9))
    assert not fair.is_upcoming_on(date(2011, 7, 10))
    assert fair.organisers == (
        ("主办", "上海市总工会"),
        ("协办", "杨浦区总工会"),
        ("协办", "北站街道办事处"),
    )
