"""The festival calendar: when gift-giving festivals fall, from libraries, not a typed list.

Statutory holiday spans come from `chinese_calendar` (it knows the State Council's yearly
arrangements, 2004 onwards); for years it does not cover, lunar festivals are computed with
`lunardate` and National Day is the fixed 1–7 October golden week.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

import chinese_calendar
import lunardate

EPOCH: Final = dt.date(1970, 1, 1)


class Festival(StrEnum):
    """The festivals that gifts to officials cluster around (四风 cases are filed by them)."""

    SPRING_FESTIVAL = "spring_festival"  # 春节
    DRAGON_BOAT = "dragon_boat"  # 端午节
    MID_AUTUMN = "mid_autumn"  # 中秋节
    NATIONAL_DAY = "national_day"  # 国庆节


_HOLIDAY_NAME: Final = {
    "Spring Festival": Festival.SPRING_FESTIVAL,
    "Dragon Boat Festival": Festival.DRAGON_BOAT,
    "Mid-autumn Festival": Festival.MID_AUTUMN,
    "National Day": Festival.NATIONAL_DAY,
}
_LUNAR: Final = {
    Festival.SPRING_FESTIVAL: (1, 1),
    Festival.DRAGON_BOAT: (5, 5),
    Festival.MID_AUTUMN: (8, 15),
}


@dataclass(frozen=True, slots=True)
class FestivalSpan:
    """One festival in one year: its holiday span (first and last day, inclusive)."""

    festival: Festival
    year: int
    first: dt.date
    last: dt.date


def _statutory(year: int) -> list[FestivalSpan]:
    spans: dict[Festival, list[dt.date]] = {}
    for day in chinese_calendar.get_holidays(dt.date(year, 1, 1), dt.date(year, 12, 31), include_weekends=False):
        _, name = chinese_calendar.get_holiday_detail(day)
        festival = _HOLIDAY_NAME.get(name or "")
        if festival is not None:
            spans.setdefault(festival, []).append(day)
    # 2020 and 2023 put Mid-Autumn and National Day into one holiday; keep both festivals.
    return [FestivalSpan(f, year, min(days), max(days)) for f, days in spans.items()]


def _computed(year: int) -> list[FestivalSpan]:
    out = []
    for festival, (month, day) in _LUNAR.items():
        solar = lunardate.LunarDate(year, month, day).to_solar_date()
        out.append(FestivalSpan(festival, year, solar, solar))
    out.append(FestivalSpan(Festival.NATIONAL_DAY, year, dt.date(year, 10, 1), dt.date(year, 10, 7)))
    return out


def festival_spans(first_year: int, last_year: int) -> list[FestivalSpan]:
    """Every festival span from `first_year` to `last_year`, statutory where known."""
    out: list[FestivalSpan] = []
    for year in range(first_year, last_year + 1):
        try:
            spans = _statutory(year)
        except NotImplementedError:  # chinese_calendar does not know this year yet
            spans = []
        known = {s.festival for s in spans}
        # A lunar festival whose holiday the calendar files under another name (2023's
        # Mid-Autumn inside National Day) is computed from the lunar date instead.
        out.extend(spans + [s for s in _computed(year) if s.festival not in known])
    return sorted(out, key=lambda s: s.first)


def day_number(day: dt.date) -> int:
    """Days since 1970-01-01 (the numbering of Arrow date32 and PaymentFrame.day)."""
    return (day - EPOCH).days


def from_day_number(day: int) -> dt.date:
    """The calendar date of a day number."""
    return EPOCH + dt.timedelta(days=int(day))
