"""Cell values: money to fen, times to +08:00, with property tests."""

from __future__ import annotations

import contextlib
from datetime import datetime

import pytest
from hypothesis import given, strategies as st

from redline.ingest.values import CHINA, CellError, parse_fen, parse_local_time

MONEY = [
    ("¥28.16", 2816), ("￥1,234.56", 123456), ("CNY 123.18", 12318), ("+10000.00", 1000000),
    ("-3.90(CN)", -390), ("8,000.00(CN)", 800000), ("0.1", 10), ("12", 1200), ("/", None), ("", None),
    ("-", None), ("  49.74  \t", 4974), ("人民币 5.00", 500),
]


@pytest.mark.parametrize(("text", "fen"), MONEY, ids=[m[0] or "empty" for m in MONEY])
def test_parse_fen(text: str, fen: int | None) -> None:
    assert parse_fen(text) == fen


@pytest.mark.parametrize("text", ["1.234", "abc", "12元5角", "1e5", "99999999999999.00"])
def test_parse_fen_refuses(text: str) -> None:
    with pytest.raises(CellError):
        parse_fen(text)


def test_negative_refused_where_money_has_no_sign() -> None:
    with pytest.raises(CellError, match="negative"):
        parse_fen("-1.00", allow_negative=False)


@given(st.integers(min_value=0, max_value=10**11))
def test_yuan_text_round_trips_to_fen(fen: int) -> None:
    text = f"¥{fen // 100:,}.{fen % 100:02d}"
    assert parse_fen(text) == fen


@given(st.text(max_size=30))
def test_parse_fen_only_raises_our_error(text: str) -> None:
    with contextlib.suppress(CellError):
        parse_fen(text)


@given(st.text(max_size=30))
def test_parse_time_only_raises_our_error(text: str) -> None:
    try:
        value = parse_local_time(text)
    except CellError:
        return
    assert value.tzinfo is not None


TIMES = [
    ("2024/10/4 11:42", datetime(2024, 10, 4, 11, 42, tzinfo=CHINA)),
    ("2024-10-04 11:42:41", datetime(2024, 10, 4, 11, 42, 41, tzinfo=CHINA)),
    ("2025-08-27T00:00:00+08:00", datetime(2025, 8, 27, tzinfo=CHINA)),
    ("2023-02-12 21:32:14 ", datetime(2023, 2, 12, 21, 32, 14, tzinfo=CHINA)),
]


@pytest.mark.parametrize(("text", "expected"), TIMES, ids=[t[0] for t in TIMES])
def test_parse_local_time(text: str, expected: datetime) -> None:
    assert parse_local_time(text) == expected
