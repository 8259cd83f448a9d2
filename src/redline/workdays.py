"""China's working-day calendar (工作日), with its swapped weekend days (调休), as an Arrow table.

`chinese_calendar` knows the State Council's holiday notices year by year: a Saturday can be
a working day (2026-10-10) and a Thursday a holiday. For years it does not cover yet, the
calendar either falls back to Monday–Friday (and says so in every finding built on it) or
refuses, as the organisation chooses.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Literal

import chinese_calendar
import pyarrow as pa

from redline.errors import ConfigError

Outside = Literal["weekdays", "error"]


def working_days(start: date, end: date, outside: Outside = "weekdays") -> tuple[pa.Table, bool]:
    """Working days from `start` to `end` inclusive, and whether any day was guessed.

    One library call per calendar day (a few hundred per audit), never per message.
    """
    days, guessed = [], False
    day = start
    while day <= end:
        try:
            work = chinese_calendar.is_workday(day)
        except NotImplementedError as exc:  # the package has no notice for this year yet
            if outside == "error":
                raise ConfigError(f"no official working-day calendar for {day.year}: {exc}") from exc
            work, guessed = day.weekday() < 5, True
        if work:
            days.append(day)
        day += timedelta(days=1)
    return pa.table({"day": pa.array(days, pa.date32())}), guessed
