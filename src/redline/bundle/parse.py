"""Splitting a bundle file into raw columns: every field still a string, every row a line number.

CSV goes through pyarrow's multi-threaded reader when the file is regular, and through the C
`csv` module when it is not (ragged rows, blank lines, broken quoting, bad UTF-8), so that a
bad row costs only itself. JSON Lines go through orjson one line at a time. Typing and
validation happen afterwards, a column at a time (bundle.convert).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import orjson
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from redline.bundle.quarantine import QuarantineRecord
from redline.errors import InputError, SourceLocation

BOM = b"\xef\xbb\xbf"
HEADER_LIMIT = 65536  # characters


class Lines:
    """A file's physical lines ("\n"-separated), split only if a row is ever rejected."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._lines: list[str] | None = None

    def span(self, first: int, last: int) -> str:
        """Lines `first`..`last` (1-based, inclusive) as one string."""
        if self._lines is None:
            self._lines = self._text.split("\n")
        return "\n".join(self._lines[first - 1 : last])


@dataclass(slots=True)
class RawRows:
    """A file split into rows: string columns, physical line spans, rows already rejected."""

    filename: str
    columns: dict[str, pa.Array]  # every column as large-enough string arrays, nulls allowed
    first_line: np.ndarray  # int64, 1-based physical line where each row starts
    last_line: np.ndarray  # int64, line where it ends (quoted newlines span lines)
    lines: Lines  # the file's physical lines, for the quarantine's `raw`
    rejected: list[QuarantineRecord] = field(default_factory=list)
    empty_is_null: bool = True  # CSV cannot tell "" from null; JSON can

    @property
    def num_rows(self) -> int:
        return len(self.first_line)

    def raw(self, row: int) -> str:
        """The original text of one row (all its physical lines)."""
        return self.lines.span(int(self.first_line[row]), int(self.last_line[row]))


def _decode(data: bytes, filename: str) -> tuple[str, set[int]]:
    """Decode UTF-8; lines with invalid bytes are reported so their rows can be rejected."""
    try:
        return data.decode("utf-8"), set()
    except UnicodeDecodeError:
        bad = set()
        for number, line in enumerate(data.split(b"\n"), start=1):
            try:
                line.decode("utf-8")
            except UnicodeDecodeError:
                bad.add(number)
        return data.decode("utf-8", errors="replace"), bad


def _header(text: str, filename: str) -> tuple[list[str], int]:
    # Only the start of the file: a header longer than 64 KiB is not a bundle header.
    if len(text) > HEADER_LIMIT and "\n" not in text[:HEADER_LIMIT]:
        raise InputError("no header row within the first 64 KiB", SourceLocation(filename, 1))
    reader = csv.reader(io.StringIO(text[:HEADER_LIMIT], newline="\n"), strict=False)
    try:
        header = next(reader, None)
    except csv.Error as exc:
        raise InputError(f"unreadable header: {exc}", SourceLocation(filename, 1)) from exc
    if not header or not any(name.strip() for name in header):
        raise InputError("the file has no header row", SourceLocation(filename, 1))
    header = [name.strip() for name in header]
    seen: set[str] = set()
    for name in header:
        if name in seen or not name:
            what = f"duplicate column '{name}'" if name else "an empty column name"
            raise InputError(f"the header has {what}", SourceLocation(filename, 1, field=name or None))
        seen.add(name)
    return header, reader.line_num


def parse_csv(data: bytes, filename: str) -> RawRows:
    """Split CSV bytes (UTF-8, optional BOM) into string columns named by the header."""
    data = data.removeprefix(BOM)
    text, bad_lines = _decode(data, filename)
    header, header_lines = _header(text, filename)
    lines = Lines(text)
    # pyarrow skips blank lines and splits on a lone "\r": either would shift line numbers.
    lone_cr = "\r" in text and "\r" in text.replace("\r\n", "")
    body = text.rstrip("\r\n")  # blank lines at the very end shift nothing
    regular = not bad_lines and "\n\n" not in body and "\n\r\n" not in body and not lone_cr
    if regular:
        fast = _parse_csv_arrow(data, header, header_lines, filename, lines)
        if fast is not None:
            return fast
    return _parse_csv_python(text, header, bad_lines, filename, lines)


def _parse_csv_arrow(
    data: bytes, header: list[str], header_lines: int, filename: str, lines: Lines,
) -> RawRows | None:
    """The fast path; None when pyarrow finds the file irregular (the slow path decides)."""
    names = [f"f{i}" for i in range(len(header))]
    try:
        table = pacsv.read_csv(
            io.BytesIO(data),
            read_options=pacsv.ReadOptions(column_names=names),  # the header is row 0
            parse_options=pacsv.ParseOptions(newlines_in_values=True),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()), strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return None
    table = table.slice(1)
    n = table.num_rows
    spans = np.zeros(n, dtype=np.int64)  # newlines inside quoted values, per row
    for column in table.columns:
        spans += pc.count_substring(column, "\n").to_numpy(zero_copy_only=False).astype(np.int64)
    before = np.concatenate(([0], np.cumsum(spans)[:-1])) if n else spans
    first = header_lines + 1 + np.arange(n, dtype=np.int64) + before
    columns = {name: table.column(f"f{i}") for i, name in enumerate(header)}
    return RawRows(filename, columns, first, first + spans, lines)


def _parse_csv_python(
    text: str, header: list[str], bad_lines: set[int], filename: str, lines: Lines,
) -> RawRows:
    """The careful path: the C csv reader, one row at a time, rejecting only what is bad."""
    # Split physical lines on "\n" only, as the line numbers and the raw text do.
    reader = csv.reader(io.StringIO(text, newline="\n"), strict=False)
    width = len(header)
    rows: list[list[str]] = []
    firsts: list[int] = []
    lasts: list[int] = []
    rejected: list[QuarantineRecord] = []
    line = 0
    iterator = iter(reader)
    while True:
        start = reader.line_num + 1
        try:
            row = next(iterator)
        except StopIteration:
            break
        except csv.Error as exc:
            end = max(reader.line_num, start)
            rejected.append(QuarantineRecord(filename, start, "", f"unreadable CSV: {exc}", lines.span(start, end)))
            continue
        line += 1
        end = reader.line_num
        if line == 1 or not row:  # the header (already parsed), or a blank line
            continue
        raw = lines.span(start, end)
        if any(number in bad_lines for number in range(start, end + 1)):
            rejected.append(QuarantineRecord(filename, start, "", "invalid UTF-8 bytes", raw))
        elif len(row) != width:
            rejected.append(QuarantineRecord(filename, start, "", f"expected {width} fields, got {len(row)}", raw))
        else:
            rows.append(row)
            firsts.append(start)
            lasts.append(end)
    values = list(zip(*rows, strict=True)) if rows else [() for _ in header]
    columns = {name: pa.array(col, type=pa.string()) for name, col in zip(header, values, strict=True)}
    return RawRows(
        filename, columns, np.asarray(firsts, dtype=np.int64), np.asarray(lasts, dtype=np.int64),
        lines, rejected,
    )


def _as_text(value: Any) -> str | None:
    """A JSON scalar as the string the CSV would have held; objects and lists as JSON."""
    if value is None or isinstance(value, str):
        return value
    return orjson.dumps(value).decode()


def parse_jsonl(data: bytes, filename: str, fields: list[str], object_fields: frozenset[str]) -> RawRows:
    """Split JSON Lines into string columns: known `fields` first, unknown keys after.

    `object_fields` must hold a JSON object or null (kept as JSON text); every other known
    field must be a string, a number or null. Anything else rejects the row.
    """
    data = data.removeprefix(BOM)
    text, _ = _decode(data, filename)
    lines = Lines(text)
    objects: list[dict[str, Any]] = []
    numbers: list[int] = []
    rejected: list[QuarantineRecord] = []
    loads, decode_error = orjson.loads, orjson.JSONDecodeError
    for number, chunk in enumerate(data.split(b"\n"), start=1):
        try:
            obj = loads(chunk)
        except decode_error as exc:
            if chunk.strip():
                rejected.append(QuarantineRecord(filename, number, "", f"invalid JSON: {exc}", lines.span(number, number)))
            continue
        if type(obj) is dict:
            objects.append(obj)
            numbers.append(number)
        else:
            rejected.append(QuarantineRecord(filename, number, "", "not a JSON object", lines.span(number, number)))
    bad: dict[int, tuple[str, str]] = {}
    columns: dict[str, pa.Array] = {}
    for name in fields:
        values = [o.get(name) for o in objects]
        columns[name] = (_object_column if name in object_fields else _string_column)(values, name, bad)
    extra_names = sorted(set().union(*objects) - set(fields)) if objects else []
    for name in extra_names:
        columns[name] = pa.array([_as_text(o.get(name)) for o in objects], type=pa.string())
    first = np.asarray(numbers, dtype=np.int64)
    if bad:
        keep = np.ones(len(objects), dtype=bool)
        for index, (name, reason) in sorted(bad.items()):
            keep[index] = False
            rejected.append(QuarantineRecord(filename, numbers[index], name, reason, lines.span(numbers[index], numbers[index])))
        mask = pa.array(keep)
        columns = {name: column.filter(mask) for name, column in columns.items()}
        first = first[keep]
        rejected.sort(key=lambda r: r.line)
    return RawRows(filename, columns, first, first.copy(), lines, rejected, empty_is_null=False)


def _string_column(values: list[Any], name: str, bad: dict[int, tuple[str, str]]) -> pa.Array:
    """Strings as they are, numbers as their text; objects, lists and booleans reject the row."""
    try:
        return pa.array(values, type=pa.string())
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        pass
    for index, value in enumerate(values):
        if isinstance(value, bool | dict | list):
            bad.setdefault(index, (name, f"expected a string, got {type(value).__name__}"))
    return pa.array([None if isinstance(v, bool | dict | list) else _as_text(v) for v in values], type=pa.string())


def _object_column(values: list[Any], name: str, bad: dict[int, tuple[str, str]]) -> pa.Array:
    """A JSON object (kept as compact JSON text) or null; anything else rejects the row."""
    texts: list[str | None] = []
    for index, value in enumerate(values):
        if value is None:
            texts.append(None)
        elif isinstance(value, dict):
            texts.append(orjson.dumps(value).decode())
        else:
            bad.setdefault(index, (name, "expected a JSON object or null"))
            texts.append(None)
    return pa.array(texts, type=pa.string())
