"""China's working-day calendar (工作日), with its swapped weekend days (调休): the one place
Redline counts working days.

`chinese_calendar` knows the State Council's holiday notices year by year: a Saturday can be
a working day (2026-10-10) and a Thursday a holiday. For a year it does not cover yet, this
module REFUSES (`CalendarNotCoveredError`) rather than guess: the statutory 15-working-day
deadlines of a report (`add_working_days`) are never counted on a made-up calendar. Only a
group check may opt in to Monday–Friday for such years (`working_days(…, "weekdays")`), and
every finding built on that guess says so.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Literal

import chinese_calendar
import pyarrow as pa

from redline.errors import ConfigError

Outside = Literal["weekdays", "error"]


class CalendarNotCoveredError(ConfigError):
    """The official working-day calendar has no notice for this year yet (upgrade chinese-calendar)."""


def is_workday(day: date) -> bool:
    """True on a working day (调休 included); CalendarNotCoveredError for a year with no official notice."""
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError as exc:  # the package has no notice for this year yet
        raise CalendarNotCoveredError(f"no official working-day calendar for {day.year}: {exc}") from exc


def add_working_days(start: date, days: int) -> date:
    """The day `days` working days after `start` (the start day itself does not count)."""
    current, left = start, days
    while left > 0:
        current += timedelta(days=1)
        if is_workday(current):
            left -= 1
    return current


def working_days(start: date, end: date, outside: Outside = "error") -> tuple[pa.Table, bool]:
    """Working days from `start` to `end` inclusive, and whether any day was guessed
    (only with `outside="weekdays"`; by default an uncovered year is CalendarNotCoveredError).

    One library call per calendar day (a few hundred per audit), never per message.
    """
    days, guessed = [], False
    day = start
    while day <= end:
        try:
            work = is_workday(day)
        except CalendarNotCoveredError:
            if outside == "error":
                raise
            work, guessed = day.weekday() < 5, True
        if work:
            days.append(day)
        day += timedelta(days=1)
    return pa.table({"day": pa.array(days, pa.date32())}), guessed
