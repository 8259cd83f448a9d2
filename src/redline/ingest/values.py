"""Cell values of real exports: money to fen, local times to aware datetimes, cleaned text.

Exports pad cells with spaces and TABs (the Excel "keep as text" trick), write amounts as
"¥1,234.56", "￥0.10", "CNY 123.18", "+10000.00" or "-3.90(CN)", and use "/" or "-" for empty.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import Final

from redline.bundle.schema import CHINA, MAX_AMOUNT_FEN

EMPTY_MARKERS: Final = frozenset({"", "/", "-", "--", "(null)", "null", "None"})
# yuan: optional sign, currency marks, thousands separators, at most two decimals
_MONEY = re.compile(r"^([+-])?\s*(?:CNY|RMB|人民币)?\s*[¥￥]?\s*([+-])?\s*(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?\s*(?:元|\(CN\)|CNY)?$")
_DATE_FORMATS: Final = ("%Y-%m-%d", "%Y/%m/%d", "%Y%m%d", "%Y.%m.%d", "%Y年%m月%d日")
_TIME_FORMATS: Final = ("%H:%M:%S", "%H:%M", "%H%M%S")


class CellError(ValueError):
    """A cell that cannot be read; the message is the reason put in quarantine."""


def clean(cell: object) -> str:
    """Strip padding (spaces, TABs, NBSP, the BOM) that exports put around cells."""
    if cell is None:
        return ""
    return str(cell).replace("\ufeff", "").replace("\u00a0", " ").strip(" \t\r\n")


def is_empty(cell: object) -> bool:
    """True for the markers exports use for an empty cell."""
    return clean(cell) in EMPTY_MARKERS


def parse_fen(cell: object, *, allow_negative: bool = True) -> int | None:
    """Amount in yuan (as written in exports) → integer fen; None for an empty cell."""
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        value = Decimal(str(cell))
        return _to_fen(value, str(cell), allow_negative)
    text = clean(cell)
    if text in EMPTY_MARKERS:
        return None
    match = _MONEY.match(text)
    if not match:
        raise CellError(f"not an amount in yuan: {text!r}")
    sign = -1 if "-" in ((match.group(1) or "") + (match.group(2) or "")) else 1
    whole = match.group(3).replace(",", "")
    cents = (match.group(4) or "").ljust(2, "0")
    try:
        value = Decimal(f"{whole}.{cents}") * sign
    except InvalidOperation as exc:
        raise CellError(f"not an amount in yuan: {text!r}") from exc
    return _to_fen(value, text, allow_negative)


def _to_fen(value: Decimal, text: str, allow_negative: bool) -> int:
    if not value.is_finite() or abs(value) * 100 > MAX_AMOUNT_FEN:
        raise CellError(f"absurd amount (over 10^9 yuan): {text!r}")
    if value != value.quantize(Decimal("0.01")):
        raise CellError(f"more than two decimals in an amount: {text!r}")
    fen = int(value * 100)
    if fen < 0 and not allow_negative:
        raise CellError(f"negative amount: {text!r}")
    if abs(fen) > MAX_AMOUNT_FEN:
        raise CellError(f"absurd amount (over 10^9 yuan): {text!r}")
    return fen


def parse_date(cell: object) -> date | None:
    """A date as exports write it (2024-01-02, 2024/1/2, 20240102, 2024年1月2日)."""
    if isinstance(cell, datetime):
        return cell.date()
    if isinstance(cell, date):
        return cell
    text = clean(cell)
    if text in EMPTY_MARKERS or not text.split():
        return None
    head = text.split()[0] if text.split() else ""
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(head, fmt).date()  # noqa: DTZ007 - a date, no time of day
        except ValueError:
            continue
    raise CellError(f"not a date: {text!r}")


def parse_local_time(cell: object, time_cell: object = None) -> datetime:
    """Date and time in China local time (+08:00) → aware datetime.

    Accepts one cell with both ("2024-10-04 11:42:41", "2024/10/4 11:42" as Excel re-saves
    it, ISO 8601 with an offset) or a date cell plus a separate time cell ("123456", "").
    """
    if isinstance(cell, datetime):
        return cell if cell.tzinfo else cell.replace(tzinfo=CHINA)
    text = clean(cell)
    if not text or text in EMPTY_MARKERS:
        raise CellError("empty time")
    if "T" in text or "+" in text[10:]:
        try:
            parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            parsed = None
        if parsed is not None:
            return parsed if parsed.tzinfo else parsed.replace(tzinfo=CHINA)
    parts = text.split() or [""]
    day = parse_date(parts[0])
    if day is None:
        raise CellError(f"not a time: {text!r}")
    clock = parts[1] if len(parts) > 1 else clean(time_cell)
    if not clock or clock in EMPTY_MARKERS:
        return datetime(day.year, day.month, day.day, tzinfo=CHINA)
    for fmt in _TIME_FORMATS:
        try:
            t = datetime.strptime(clock, fmt).time()  # noqa: DTZ007 - combined with CHINA below
        except ValueError:
            continue
        return datetime.combine(day, t, tzinfo=CHINA)
    raise CellError(f"not a time of day: {clock!r}")


def from_epoch(value: object, *, millis: bool = False) -> datetime:
    """Unix seconds (or milliseconds) → aware datetime in +08:00."""
    try:
        number = int(str(value).strip())
    except ValueError as exc:
        raise CellError(f"not a unix time: {value!r}") from exc
    if number <= 0:
        raise CellError(f"no time recorded (unix time {number})")
    seconds = number / 1000 if millis else number
    return datetime.fromtimestamp(seconds, UTC).astimezone(CHINA)
