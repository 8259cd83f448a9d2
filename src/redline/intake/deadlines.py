"""The two deadlines of a real-name report (实名检举控告), counted in China's working days.

Under the 2020 rules for handling reports, the reporter is told within 15 working days of
receipt whether the report was accepted, and within 15 working days of its conclusion what
the result was. Working days come from `chinese_calendar` (statutory holidays and swapped
weekend days) through `redline.workdays`, never from a hand-typed list or a Monday–Friday guess.
"""

from __future__ import annotations

import logging
from datetime import date
from typing import Final

from redline import workdays

WORKING_DAYS: Final = 15
log = logging.getLogger(__name__)


def add_working_days(start: date, days: int = WORKING_DAYS) -> date:
    """The day `days` working days after `start` (the receipt day itself does not count).

    Refuses (`workdays.CalendarNotCoveredError`) when the official calendar does not cover the
    days counted: a statutory deadline is never computed on a guessed calendar.
    """
    return workdays.add_working_days(start, days)


def due_date(start: date) -> date | None:
    """The deadline 15 working days after `start`, or None when the official calendar does not
    cover those days yet (each December, before the State Council's next holiday notice reaches
    chinese-calendar): a report is still received, the deadline is left for the officer to set
    and the log says why — never a Monday–Friday guess."""
    try:
        return add_working_days(start)
    except workdays.CalendarNotCoveredError as exc:
        log.warning("statutory deadline after %s not computed: %s", start, exc)
        return None
