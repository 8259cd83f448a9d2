"""One working-day calendar: statutory deadlines and group checks count the same days, and refuse to guess."""

from __future__ import annotations

from datetime import date

import pytest

from redline.intake.deadlines import add_working_days
from redline.workdays import CalendarNotCoveredError, is_workday, working_days

UNCOVERED = date(2099, 3, 2)  # a year with no State Council notice in chinese_calendar


@pytest.mark.parametrize(("day", "work"), [
    (date(2026, 10, 10), True),   # a Saturday made a working day (调休)
    (date(2026, 10, 1), False),   # 国庆, a Thursday
    (date(2026, 3, 2), True),
], ids=["swapped-saturday", "national-day", "monday"])
def test_is_workday_follows_the_official_notice(day: date, work: bool) -> None:
    assert is_workday(day) is work


def test_statutory_deadline_counts_official_working_days() -> None:
    assert add_working_days(date(2026, 12, 1)) == date(2026, 12, 22)
    assert add_working_days(date(2026, 9, 28)) == date(2026, 10, 23)  # the Golden Week does not count


@pytest.mark.parametrize("start", [date(2026, 12, 28), UNCOVERED], ids=["runs-into-2027", "far-future"])
def test_statutory_deadline_refuses_an_uncovered_year(start: date) -> None:
    with pytest.raises(CalendarNotCoveredError, match="no official working-day calendar"):
        add_working_days(start)


def test_group_calendar_refuses_by_default_and_guesses_only_when_asked() -> None:
    with pytest.raises(CalendarNotCoveredError):
        working_days(UNCOVERED, date(2099, 3, 8))
    days, guessed = working_days(UNCOVERED, date(2099, 3, 8), "weekdays")
    assert guessed
    assert days.num_rows == 5
