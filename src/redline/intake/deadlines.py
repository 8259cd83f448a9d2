"""The two deadlines of a real-name report (实名检举控告), counted in China's working days.

Under the 2020 rules for handling reports, the reporter is told within 15 working days of
receipt whether the report was accepted, and within 15 working days of its conclusion what
the result was. Working days come from `chinese_calendar` (statutory holidays and swapped
weekend days), never from a hand-typed list.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Final

import chinese_calendar

WORKING_DAYS: Final = 15


def add_working_days(start: date, days: int = WORKING_DAYS) -> date:
    """The day `days` working days after `start` (the receipt day itself does not count)."""
    current, left = start, days
    while left > 0:
        current += timedelta(days=1)
        if _is_workday(current):
            left -= 1
    return current


def _is_workday(day: date) -> bool:
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        # beyond the library's years: fall back to Monday–Friday, the rule without holidays
        return day.weekday() < 5
