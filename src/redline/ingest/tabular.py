"""Spreadsheet-like sources (CSV text, XLSX sheets) as rows of cleaned cells with their line
numbers, and finding the header row by its column names, never by counting lines.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from redline.errors import InputError, SourceLocation
from redline.ingest.values import clean


@dataclass(frozen=True, slots=True)
class SheetRow:
    """One row: its 1-based physical line (CSV) or row number (XLSX), and its cleaned cells."""

    line: int
    cells: tuple[str, ...]
    raw: tuple[object, ...]  # the cells as read (numbers stay numbers in XLSX)


def csv_rows(text: str) -> list[SheetRow]:
    """Rows of CSV text; the line is where the record starts (records may span lines)."""
    reader = csv.reader(io.StringIO(text, newline=""))
    rows: list[SheetRow] = []
    line = 1
    try:
        for record in reader:
            rows.append(SheetRow(line, tuple(clean(c) for c in record), tuple(record)))
            line = reader.line_num + 1
    except csv.Error as exc:
        raise InputError(f"broken CSV after line {line}: {exc}") from exc
    return rows


def xlsx_rows(path: Path) -> list[SheetRow]:
    """Rows of the first sheet of an .xlsx workbook (read-only, values not formulas)."""
    from openpyxl import load_workbook  # heavy import, only for workbooks

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a broken file
        raise InputError(f"not a readable .xlsx workbook: {exc}", SourceLocation(path)) from exc
    try:
        sheet = book.worksheets[0]
        rows = []
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            raw = tuple("" if v is None else v for v in values)
            rows.append(SheetRow(number, tuple(clean(v) for v in raw), raw))
        return rows
    finally:
        book.close()


def find_header(rows: Sequence[SheetRow], required: Iterable[str]) -> int:
    """Index of the first row holding every required column name (exports pad and vary)."""
    needed = set(required)
    for index, row in enumerate(rows):
        if needed <= set(row.cells):
            return index
    raise LookupError(", ".join(sorted(needed)))


def column_index(header: SheetRow) -> dict[str, int]:
    """Column name → position (first occurrence)."""
    index: dict[str, int] = {}
    for position, name in enumerate(header.cells):
        index.setdefault(name, position)
    return index


def cell(row: SheetRow, columns: dict[str, int], name: str, *, raw: bool = False) -> object:
    """The row's cell under a column name ('' when the row is short or the column absent)."""
    position = columns.get(name)
    if position is None or position >= len(row.cells):
        return ""
    return row.raw[position] if raw else row.cells[position]
