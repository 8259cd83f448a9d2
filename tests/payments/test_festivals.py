from __future__ import annotations

from datetime import date

import pytest

from redline.payments.festivals import Festival, festival_spans


@pytest.mark.parametrize(
    ("year", "festival", "first"),
    [
        (2016, Festival.SPRING_FESTIVAL, date(2016, 2, 7)),  # statutory holiday from chinese_calendar
        (2016, Festival.MID_AUTUMN, date(2016, 9, 15)),
        (2023, Festival.MID_AUTUMN, date(2023, 9, 29)),  # merged with National Day that year
        (2023, Festival.NATIONAL_DAY, date(2023, 9, 30)),
        (2031, Festival.SPRING_FESTIVAL, date(2031, 1, 23)),  # beyond the calendar: lunardate
        (2031, Festival.DRAGON_BOAT, date(2031, 6, 24)),
        (2031, Festival.NATIONAL_DAY, date(2031, 10, 1)),
    ],
    ids=["cny-2016", "mid-autumn-2016", "mid-autumn-2023", "national-2023", "cny-2031", "dragon-2031", "national-2031"],
)
def test_festival_spans_come_from_the_calendars(year: int, festival: Festival, first: date) -> None:
    spans = [s for s in festival_spans(year, year) if s.festival is festival]
    assert [s.first for s in spans] == [first]


def test_every_festival_every_year() -> None:
    spans = festival_spans(2015, 2027)
    assert sorted((s.year, s.festival.value) for s in spans) == sorted(
        (y, f.value) for y in range(2015, 2028) for f in Festival)
