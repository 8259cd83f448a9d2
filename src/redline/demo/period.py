"""The demo period (six months): working days (调休 included) and festivals, from chinese_calendar and lunardate.

All times are Beijing time (+08:00); a time inside the generator is microseconds since the
Unix epoch (int64), the unit of the bundle's Arrow timestamps.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache
from typing import Final

import chinese_calendar
import numpy as np
from lunardate import LunarDate

from redline.bundle.schema import CHINA

START: Final = date(2023, 9, 1)
END: Final = date(2024, 2, 29)  # inclusive: autumn grain purchase, National Day, New Year, Spring Festival
US_PER_DAY: Final = 86_400_000_000
US_PER_MINUTE: Final = 60_000_000


@dataclass(frozen=True, slots=True)
class Festival:
    """A festival on which families and colleagues send red packets."""

    key: str  # stable key used in planted.json
    name: str  # Chinese name, used in chat
    day: date
    greeting: str


def days() -> list[date]:
    """Every day of the demo period."""
    return [START + timedelta(days=i) for i in range((END - START).days + 1)]


def workdays() -> list[date]:
    """China's working days in the period, with the weekend days swapped in for holidays."""
    return list(chinese_calendar.get_workdays(START, END))


def festivals() -> list[Festival]:
    """Festivals in the period; lunar dates computed, never typed by hand."""
    moon = LunarDate(START.year, 8, 15).to_solar_date()  # 中秋
    new_year_eve = LunarDate(START.year + 1, 1, 1).to_solar_date() - timedelta(days=1)  # 除夕
    spring = LunarDate(START.year + 1, 1, 1).to_solar_date()  # 春节
    lantern = LunarDate(START.year + 1, 1, 15).to_solar_date()  # 元宵
    double_ninth = LunarDate(START.year, 9, 9).to_solar_date()  # 重阳
    out = [
        Festival("mid_autumn", "中秋", moon, "中秋快乐，阖家团圆"),
        Festival("national_day", "国庆", date(START.year, 10, 1), "国庆快乐"),
        Festival("double_ninth", "重阳", double_ninth, "重阳节快乐，祝身体健康"),
        Festival("new_year", "元旦", date(START.year + 1, 1, 1), "新年快乐"),
        Festival("new_year_eve", "除夕", new_year_eve, "除夕快乐，新年大吉"),
        Festival("spring", "春节", spring, "新春快乐，龙年大吉"),
        Festival("lantern", "元宵", lantern, "元宵节快乐"),
    ]
    for f in out:  # the statutory ones must agree with the official holiday table
        if f.key in ("mid_autumn", "national_day", "new_year", "spring"):
            on_holiday, _ = chinese_calendar.get_holiday_detail(f.day)
            if not on_holiday:
                raise ValueError(f"{f.name} {f.day} is not a holiday in chinese_calendar")  # data bug
    return [f for f in out if START <= f.day <= END]


@cache  # asked once per episode: the library validates and looks up on every call
def is_workday(day: date) -> bool:
    return bool(chinese_calendar.is_workday(day))


def day_us(day: date) -> int:
    """Microseconds since the epoch of 00:00 Beijing time on `day`."""
    return int(datetime(day.year, day.month, day.day, tzinfo=CHINA).timestamp()) * 1_000_000


def at(day: date, hour: int, minute: int = 0, second: int = 0) -> int:
    """Microseconds since the epoch of a Beijing wall-clock time."""
    return day_us(day) + ((hour * 60 + minute) * 60 + second) * 1_000_000


def day_array(ds: list[date]) -> np.ndarray:
    """Midnights (+08:00) of `ds` as an int64 array of microseconds."""
    return np.array([day_us(d) for d in ds], dtype=np.int64)


def to_date(us: int) -> date:
    return datetime.fromtimestamp(us / 1_000_000, tz=CHINA).date()
