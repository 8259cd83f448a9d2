"""Bank statements: eleven layouts described as column mappings in banks.yaml, one parser.

A statement of any other bank is read by its column names (the `generic` synonyms in
banks.yaml), so a new bank's export lands without a code change, flagged in the report.

Statements belong to the account holder (`owner`): money in means the counterparty paid
the owner. Footer rows (合计) are counted as skipped, never mistaken for payments.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from datetime import date, datetime
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator
from ruamel.yaml import YAML

from redline.bundle.schema import CHINA
from redline.errors import InputError, SourceLocation
from redline.ingest.result import SourceResult
from redline.ingest.tabular import SheetRow, cell, column_index, csv_rows, find_header
from redline.ingest.values import (
    CellError,
    clean,
    is_empty,
    parse_date,
    parse_fen,
    parse_local_time,
)

_PLACEHOLDER = re.compile(r"^[xXyYzZ,.*]+$")  # anonymised balances such as "xx,yyyy.zz"


class Amount(BaseModel):
    """How a layout writes money and its direction."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)
    signed: str | None = None
    in_: str | None = Field(None, alias="in")
    out: str | None = None
    value: str | None = None
    direction: str | None = None
    in_marks: tuple[str, ...] = ()
    out_marks: tuple[str, ...] = ()
    positive: Literal["in", "out"] | None = None
    in_keywords: tuple[str, ...] = ()
    keyword_columns: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _one_style(self) -> Amount:
        styles = [self.signed is not None, self.in_ is not None and self.out is not None,
                  self.value is not None and (self.direction is not None or self.positive is not None)]
        if sum(styles) != 1:
            raise ValueError("amount needs exactly one of: signed; in+out; value+direction; value+positive")
        return self


class BankLayout(BaseModel):
    """One bank's statement layout."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str
    name: str
    header: tuple[str, ...]
    date: str
    time: str | None = None
    date_formats: tuple[str, ...] = ()
    year_from_title: str | None = None
    amount: Amount
    counterparty: tuple[str, ...] = ()
    memo: tuple[str, ...] = ()
    id_column: str | None = None  # the statement's own transaction id, where it has one
    currency: str | None = None


class GenericNames(BaseModel):
    """Column-name synonyms for statements of banks without a layout of their own."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    date: tuple[str, ...]
    time: tuple[str, ...]
    amount_pairs: tuple[tuple[str, str], ...]
    signed: tuple[str, ...]
    direction: tuple[str, ...]
    in_marks: tuple[str, ...]
    out_marks: tuple[str, ...]
    counterparty: tuple[str, ...]
    memo: tuple[str, ...]
    id: tuple[str, ...]
    currency: tuple[str, ...]


class _Layouts(BaseModel):
    banks: tuple[BankLayout, ...]
    generic: GenericNames


@cache
def _shipped() -> _Layouts:
    text = files("redline.ingest").joinpath("banks.yaml").read_text(encoding="utf-8")
    return _Layouts.model_validate(YAML(typ="safe").load(text))


def layouts() -> tuple[BankLayout, ...]:
    """The shipped layouts, most specific (longest header) first."""
    return tuple(sorted(_shipped().banks, key=lambda b: -len(b.header)))


def match_layout(rows: list[SheetRow]) -> tuple[BankLayout, int] | None:
    """The layout whose header appears in the rows, and the header's index."""
    for layout in layouts():
        try:
            return layout, find_header(rows, layout.header)
        except LookupError:
            continue
    return generic_layout(rows[:40])


def generic_layout(rows: list[SheetRow]) -> tuple[BankLayout, int] | None:
    """A layout made from the first row whose names say date and money, if data follows it."""
    names = _shipped().generic
    for index, row in enumerate(rows):
        present = set(row.cells)
        date_col = next((n for n in names.date if n in present), None)
        amount = _generic_amount(present, names)
        if date_col is None or amount is None or not _dated_row_follows(rows[index + 1:], row, date_col):
            continue
        time_col = next((n for n in names.time if n in present and n != date_col), None)
        picked = [date_col, *(c for c in (amount.signed, amount.in_, amount.out, amount.value, amount.direction) if c)]
        return BankLayout(
            id="generic", name="未登记的银行（按列名识别）bank not listed: read by column names",
            header=tuple(picked), date=date_col, time=time_col, amount=amount,
            counterparty=tuple(n for n in names.counterparty if n in present),
            memo=tuple(n for n in names.memo if n in present),
            id_column=next((n for n in names.id if n in present), None),
            currency=next((n for n in names.currency if n in present), None),
        ), index
    return None


def _generic_amount(present: set[str], names: GenericNames) -> Amount | None:
    for money_in, money_out in names.amount_pairs:
        if money_in in present and money_out in present:
            return Amount.model_validate({"in": money_in, "out": money_out})
    value = next((n for n in names.signed if n in present), None)
    if value is None:
        return None
    direction = next((n for n in names.direction if n in present), None)
    if direction is not None:
        return Amount(value=value, direction=direction, in_marks=names.in_marks, out_marks=names.out_marks)
    return Amount(signed=value)


def _dated_row_follows(rest: list[SheetRow], header: SheetRow, date_col: str) -> bool:
    following = next((r for r in rest if any(r.cells)), None)
    if following is None:
        return False
    position = header.cells.index(date_col)
    try:
        return position < len(following.cells) and parse_date(following.cells[position]) is not None
    except CellError:
        return False


def read_bank_csv(path: Path, text: str, result: SourceResult, owner: str) -> None:
    """A bank statement CSV in any of the known layouts."""
    rows = csv_rows(text)
    found = match_layout(rows)
    if found is None:
        raise InputError("not a bank statement layout Redline knows (see ingest/banks.yaml)", SourceLocation(path))
    layout, start = found
    result.note(f"bank layout: {layout.id} ({layout.name})")
    if layout.id == "generic":
        result.note("columns used: " + ", ".join(f"{role}={col}" for role, col in _roles(layout).items())
                    + "; check the first rows of the bundle against the statement")
    columns = column_index(rows[start])
    year_month = _title_year_month(rows[:start], layout)
    seen: Counter[str] = Counter()  # identical rows are real: two equal purchases on one day
    for row in rows[start + 1:]:
        if not any(row.cells):
            continue
        result.rows_read += 1
        first = row.cells[0] if row.cells else ""
        try:
            when = _when(row, columns, layout, year_month)
        except CellError as exc:
            if "合计" in "".join(row.cells[:2]) or first.startswith(("合计", "人民币合计")):
                result.rows_read -= 1
                result.skipped["footer row (合计)"] += 1
                continue
            result.reject(row.line, layout.date, str(exc), row.raw)
            continue
        try:
            fen, direction = _amount(row, columns, layout.amount)
        except CellError as exc:
            result.reject(row.line, layout.amount.signed or layout.amount.value or layout.amount.in_ or "amount",
                          str(exc), row.raw)
            continue
        if fen is None:
            result.skipped["row without an amount"] += 1
            result.note("rows whose amount columns are all empty ('-') were counted as skipped")
            continue
        counterparty = next((str(cell(row, columns, c)) for c in layout.counterparty
                             if not is_empty(cell(row, columns, c))), "")
        own_id = str(cell(row, columns, layout.id_column)) if layout.id_column else ""
        digest = hashlib.sha256("\x1f".join(row.cells).encode()).hexdigest()[:16]
        seen[digest] += 1
        if seen[digest] > 1:
            digest = f"{digest}-{seen[digest]}"
        # no named counterparty (interest, fees): a party of its own, never pooled with others
        other = f"bank-name:{counterparty}" if counterparty else f"unknown:{layout.id}:{own_id or digest}"
        payer, payee = (other, owner) if direction == "in" else (owner, other)
        result.add("payments", {
            "payment_id": f"bank:{layout.id}:{own_id or digest}", "time": when, "payer": payer,
            "payee": payee, "amount_fen": fen, "kind": "bank", "channel": "bank", "conversation": "",
            "memo": " ".join(str(cell(row, columns, c)) for c in layout.memo if not is_empty(cell(row, columns, c))),
            "status": "received" if direction == "in" else "paid", "packet_id": "",
            "direction": direction, "bank_layout": layout.id, "counterparty_name": counterparty,
            "currency": str(cell(row, columns, layout.currency)) if layout.currency else "",
        })


def _roles(layout: BankLayout) -> dict[str, str]:
    amount = layout.amount
    roles = {"date": layout.date, "time": layout.time, "signed": amount.signed, "in": amount.in_,
             "out": amount.out, "value": amount.value, "direction": amount.direction,
             "counterparty": "/".join(layout.counterparty), "id": layout.id_column}
    return {role: col for role, col in roles.items() if col}


def _title_year_month(preamble: list[SheetRow], layout: BankLayout) -> tuple[int, int] | None:
    if not layout.year_from_title:
        return None
    pattern = re.compile(layout.year_from_title)
    for row in preamble:
        match = pattern.search(" ".join(row.cells))
        if match:
            return int(match.group(1)), int(match.group(2))
    return None


def _when(row: SheetRow, columns: dict[str, int], layout: BankLayout,
          year_month: tuple[int, int] | None) -> datetime:
    text = str(cell(row, columns, layout.date))
    if layout.date_formats and year_month:
        for fmt in layout.date_formats:
            try:
                parsed = datetime.strptime(f"{year_month[0]}/{text}", f"%Y/{fmt}")  # noqa: DTZ007 - tz below
            except ValueError:
                continue
            # a statement for January lists December's days of the year before
            year = year_month[0] - 1 if parsed.month > year_month[1] else year_month[0]
            return datetime(year, parsed.month, parsed.day, tzinfo=CHINA)
        raise CellError(f"not a date: {text!r}")
    day: date | None = parse_date(text)
    if day is None:
        raise CellError("empty date")
    if layout.time is None and len(text.split()) > 1:
        try:
            return parse_local_time(text)  # one cell with date and time of day
        except CellError:
            pass  # e.g. "2024-01-02 周二": the date alone
    clock = clean(cell(row, columns, layout.time)) if layout.time else ""
    return parse_local_time(day.isoformat(), clock)


def _money(text: object) -> int | None:
    value = clean(text)
    if is_empty(value) or _PLACEHOLDER.match(value):
        return None
    return parse_fen(value)


def _amount(row: SheetRow, columns: dict[str, int], amount: Amount) -> tuple[int | None, str]:
    """(fen, 'in'|'out'); fen is unsigned."""
    if amount.signed:
        fen = _money(cell(row, columns, amount.signed))
        return (None, "in") if fen is None else (abs(fen), "in" if fen > 0 else "out")
    if amount.in_ and amount.out:
        money_in, money_out = _money(cell(row, columns, amount.in_)), _money(cell(row, columns, amount.out))
        if money_in:
            return abs(money_in), "in"
        return (abs(money_out), "out") if money_out else (None, "in")
    assert amount.value is not None  # noqa: S101 - guaranteed by the model validator
    fen = _money(str(cell(row, columns, amount.value)).replace("CNY", ""))
    if fen is None:
        return None, "in"
    if amount.direction:
        mark = str(cell(row, columns, amount.direction))
        if any(m in mark for m in amount.in_marks):
            return abs(fen), "in"
        if any(m in mark for m in amount.out_marks):
            return abs(fen), "out"
        raise CellError(f"unknown debit/credit mark {mark!r}")
    words = " ".join(str(cell(row, columns, c)) for c in amount.keyword_columns)
    is_in = fen < 0 or any(k in words for k in amount.in_keywords)
    if amount.positive == "in":
        is_in = fen > 0
    return abs(fen), "in" if is_in else "out"
