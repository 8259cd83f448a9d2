"""Statutory deadlines: counted on the official calendar, or left for the officer when it has no notice yet."""

from __future__ import annotations

import logging
from datetime import date

import pytest

from redline import workdays
from redline.intake.deadlines import add_working_days, due_date


def test_fifteen_working_days_skip_weekends_and_holidays() -> None:
    # 2023-09-28 (Thu): 中秋/国庆 from 09-29 to 10-06, with 10-07 and 10-08 swapped working days
    assert add_working_days(date(2023, 9, 28)) == date(2023, 10, 25)
    assert due_date(date(2023, 9, 28)) == date(2023, 10, 25)


def test_a_deadline_beyond_the_calendar_is_left_open_and_logged(caplog: pytest.LogCaptureFixture) -> None:
    year = max(y for y in range(2004, 2100) if _covered(y))
    late = date(year, 12, 28)
    with pytest.raises(workdays.CalendarNotCoveredError):
        add_working_days(late)
    with caplog.at_level(logging.WARNING):
        assert due_date(late) is None
    assert "not computed" in caplog.text


def _covered(year: int) -> bool:
    try:
        workdays.is_workday(date(year, 6, 1))
    except workdays.CalendarNotCoveredError:
        return False
    return True
