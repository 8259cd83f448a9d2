"""Typing raw bundle columns, a column at a time: validation, fen from yuan, +08:00 times.

Every check is a vectorised Arrow kernel over a whole column; Python runs only for the rows
that fail (to word their reason). A row with any bad field is rejected as a whole, with the
first bad field (in schema order) named in its quarantine record.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from redline.bundle.parse import RawRows
from redline.bundle.quarantine import QuarantineRecord
from redline.bundle.schema import (
    ENUMS,
    MAX_AMOUNT_FEN,
    OFFSET_TEXT,
    TIMESTAMP,
    FileSpec,
    csv_columns,
)
from redline.bundle.synonyms import FALLBACK, synonyms
from redline.errors import InputError, SourceLocation

TRUE_WORDS = ("true", "1", "是")
FALSE_WORDS = ("false", "0", "否")
DATE_RE = r"^\d{4}-\d{2}-\d{2}$"
TIME_RE = r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})?$"
OFFSET_RE = r"(Z|[+-]\d{2}:?\d{2})$"
DEFAULT_OFFSET = OFFSET_TEXT  # exports without an offset are local (China) time


@dataclass(slots=True)
class Converted:
    """The good rows of one file as a typed table, and what was rejected or assumed."""

    table: pa.Table  # canonical columns (schema order), then unknown extras as strings
    lines: np.ndarray  # 1-based first line of each kept row
    rejected: list[QuarantineRecord]
    notes: list[str] = field(default_factory=list)


class _Problems:
    """The first problem of each bad row, by row index."""

    def __init__(self, n: int) -> None:
        self.bad = np.zeros(n, dtype=bool)
        self.reasons: dict[int, tuple[str, str]] = {}

    def add(self, mask: np.ndarray, name: str, reason: Callable[[int], str]) -> None:
        for row in np.flatnonzero(mask & ~self.bad):
            self.reasons[int(row)] = (name, reason(int(row)))
        self.bad |= mask


def _mask(array: pa.Array) -> np.ndarray:
    """A boolean Arrow array as numpy, nulls as False."""
    return np.asarray(pc.fill_null(array, False).to_numpy(zero_copy_only=False), dtype=bool)


def _fallback_parse(values: pa.Array, parse: Callable[[str], object]) -> np.ndarray:
    """Rows whose text Python's own ISO parser refuses (used only when Arrow's cast failed)."""
    bad = np.zeros(len(values), dtype=bool)
    for i, value in enumerate(values.to_pylist()):
        if value is not None:
            try:
                parse(value)
            except ValueError:
                bad[i] = True
    return bad


def _cast_or_find(values: pa.Array, target: pa.DataType, parse: Callable[[str], object]) -> tuple[pa.Array, np.ndarray]:
    """Cast strings to `target`; if some cannot be, find them (slow path) and cast the rest."""
    try:
        return pc.cast(values, target), np.zeros(len(values), dtype=bool)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        pass
    bad = _fallback_parse(values, parse)
    while True:
        kept = pc.if_else(pa.array(bad), pa.nulls(len(values), pa.string()), values)
        try:
            return pc.cast(kept, target), bad
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            # Arrow and Python disagree on some text: find them one by one (rare).
            for i, value in enumerate(kept.to_pylist()):
                if value is not None:
                    try:
                        pc.cast(pa.array([value]), target)
                    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
                        bad[i] = True


def _parse_time(text: str) -> datetime:
    return datetime.fromisoformat(text)


def _times(values: pa.Array, name: str, problems: _Problems, notes: list[str], filename: str) -> pa.Array:
    shape_bad = _mask(pc.invert(pc.match_substring_regex(values, TIME_RE))) & _mask(pc.is_valid(values))
    problems.add(shape_bad, name, lambda r: f"not an ISO 8601 time: {values[r].as_py()!r}")
    values = pc.if_else(pa.array(shape_bad), pa.nulls(len(values), pa.string()), values)
    no_offset = _mask(pc.invert(pc.match_substring_regex(values, OFFSET_RE)))
    if no_offset.any():
        count = int(no_offset.sum())
        notes.append(f"{filename}: {count} value(s) of '{name}' had no UTC offset and were read as {DEFAULT_OFFSET}")
        values = pc.if_else(pa.array(no_offset), pc.binary_join_element_wise(values, DEFAULT_OFFSET, ""), values)
    cast, bad = _cast_or_find(values, pa.timestamp("us", tz="UTC"), _parse_time)
    problems.add(bad, name, lambda r: f"not a valid time: {values[r].as_py()!r}")
    return cast.cast(TIMESTAMP)


def _dates(values: pa.Array, name: str, problems: _Problems) -> pa.Array:
    shape_bad = _mask(pc.invert(pc.match_substring_regex(values, DATE_RE))) & _mask(pc.is_valid(values))
    problems.add(shape_bad, name, lambda r: f"not an ISO date (YYYY-MM-DD): {values[r].as_py()!r}")
    values = pc.if_else(pa.array(shape_bad), pa.nulls(len(values), pa.string()), values)
    cast, bad = _cast_or_find(values, pa.date32(), date.fromisoformat)
    problems.add(bad, name, lambda r: f"not a valid date: {values[r].as_py()!r}")
    return cast


def _bools(values: pa.Array, name: str, problems: _Problems) -> pa.Array:
    lowered = pc.utf8_lower(values)
    is_true = _mask(pc.is_in(lowered, pa.array(TRUE_WORDS)))
    is_false = _mask(pc.is_in(lowered, pa.array(FALSE_WORDS)))
    present = _mask(pc.is_valid(values))
    problems.add(present & ~is_true & ~is_false, name,
                 lambda r: f"not a boolean (true/false/1/0/是/否): {values[r].as_py()!r}")
    return pa.array(is_true, mask=~(is_true | is_false))


def _amounts(values: pa.Array, name: str, problems: _Problems) -> pa.Array:
    """Yuan with at most two decimals → int64 fen, refusing negative and absurd sums."""
    present = _mask(pc.is_valid(values))
    negative = present & _mask(pc.match_substring_regex(values, r"^-\s*\d"))
    problems.add(negative, name, lambda r: f"negative amount: {values[r].as_py()!r}")
    too_fine = present & _mask(pc.match_substring_regex(values, r"^\d+\.\d{3,}$"))
    problems.add(too_fine, name, lambda r: f"more than two decimals: {values[r].as_py()!r}")
    shape_ok = _mask(pc.match_substring_regex(values, r"^\d{1,15}(\.\d{1,2})?$"))
    problems.add(present & ~shape_ok, name, lambda r: f"not an amount in yuan: {values[r].as_py()!r}")
    ok = pc.if_else(pa.array(shape_ok), values, pa.nulls(len(values), pa.string()))
    # "12" → "12.00", "12.5" → "12.50", then drop the point: fen as an integer string.
    padded = pc.replace_substring_regex(ok, r"^(\d+)$", r"\1.00")
    padded = pc.replace_substring_regex(padded, r"^(\d+)\.(\d)$", r"\1.\20")  # RE2: \2, then "0"
    fen = pc.cast(pc.replace_substring(padded, ".", ""), pa.int64())
    absurd = _mask(pc.greater(fen, MAX_AMOUNT_FEN))
    problems.add(absurd, name, lambda r: f"absurd amount (over 10^9 yuan): {values[r].as_py()!r}")
    return fen


def _required(values: pa.Array, name: str, problems: _Problems) -> None:
    empty = _mask(pc.is_null(values)) | _mask(pc.equal(values, ""))
    problems.add(empty, name, lambda _r: f"required field '{name}' is empty")


def _canonical(values: pa.Array, table: str, name: str, allowed: frozenset[str], derived: dict[str, pa.Array],
               notes: list[str], filename: str) -> pa.Array:
    """The organisation's words mapped to the canonical value; for a column with a fallback
    (a group's type), a value nobody maps becomes the fallback with a note, the word kept in
    `<name>_given`."""
    words = synonyms(table, name)
    if words:
        folded = pc.utf8_lower(pc.utf8_trim_whitespace(values))
        position = pc.index_in(folded, value_set=pa.array(list(words), pa.string()))
        mapped = pc.take(pa.array(list(words.values()), pa.string()), position)
        values = pc.if_else(pc.and_(pc.is_valid(mapped), pc.invert(pc.is_in(values, pa.array(sorted(allowed))))),
                            mapped, values)
    fallback = FALLBACK.get((table, name))
    if fallback is None:
        return values
    unknown = pc.and_(pc.is_valid(values), pc.invert(pc.is_in(values, pa.array(sorted(allowed)))))
    if not pc.any(unknown).as_py():
        return values
    given = sorted({v for v in pc.filter(values, unknown).to_pylist() if v is not None})
    derived[f"{name}_given"] = pc.if_else(unknown, values, pa.nulls(len(values), pa.string()))
    notes.append(f"{filename}: {pc.sum(unknown).as_py()} row(s) with an unknown {name} kept as {fallback!r} "
                 f"({', '.join(repr(g) for g in given[:10])}); map them in REDLINE_SYNONYMS")
    return pc.if_else(unknown, pa.scalar(fallback, pa.string()), values)


def _enum(values: pa.Array, name: str, allowed: frozenset[str], problems: _Problems) -> None:
    wrong = _mask(pc.is_valid(values)) & ~_mask(pc.is_in(values, pa.array(sorted(allowed))))
    choices = ", ".join(sorted(allowed))
    problems.add(wrong, name, lambda r: f"{values[r].as_py()!r} is not one of {choices}")


def first_occurrence(keys: Sequence[pa.Array]) -> np.ndarray:
    """True for the first row of each distinct natural key (the rows that win)."""
    if not keys or len(keys[0]) == 0:
        return np.ones(len(keys[0]) if keys else 0, dtype=bool)
    joined = keys[0] if len(keys) == 1 else pc.binary_join_element_wise(*keys, "\x1f")
    firsts = pc.index_in(pc.unique(joined), value_set=joined).to_numpy(zero_copy_only=False)
    winners = np.zeros(len(joined), dtype=bool)
    winners[firsts.astype(np.int64)] = True
    return winners


def convert(raw: RawRows, spec: FileSpec) -> Converted:
    """Type and validate the raw rows of one bundle file against its spec."""
    outside = csv_columns(spec) if spec.filename.endswith(".csv") else tuple(spec.schema.names)
    missing = [c for c, inside in zip(outside, spec.schema.names, strict=True) if inside in spec.required and c not in raw.columns]
    if missing:
        raise InputError(f"required column(s) missing: {', '.join(missing)}", SourceLocation(raw.filename, 1, field=missing[0]))
    n = raw.num_rows
    problems = _Problems(n)
    notes: list[str] = []
    absent: list[str] = []
    columns: dict[str, pa.Array] = {}
    derived: dict[str, pa.Array] = {}  # columns the reading adds after the canonical ones (type_given)
    for out_name, schema_field in zip(outside, spec.schema, strict=True):
        name, kind = schema_field.name, schema_field.type
        values = raw.columns.get(out_name)
        if values is None:
            absent.append(out_name)
            columns[name] = pa.nulls(n, kind)
            continue
        # Only free text keeps "" apart from null (and only in JSON); codes and typed values do not.
        if raw.empty_is_null or kind != pa.string() or (spec.table, name) in ENUMS:
            values = pc.if_else(pc.equal(values, ""), pa.nulls(n, pa.string()), values)
        if kind != pa.string():
            values = pc.utf8_trim_whitespace(values)
            values = pc.if_else(pc.equal(values, ""), pa.nulls(n, pa.string()), values)
        if name in spec.required:
            _required(values, out_name, problems)
        if kind == TIMESTAMP:
            columns[name] = _times(values, out_name, problems, notes, raw.filename)
        elif kind == pa.date32():
            columns[name] = _dates(values, out_name, problems)
        elif kind == pa.bool_():
            columns[name] = _bools(values, out_name, problems)
        elif kind == pa.int64():
            columns[name] = _amounts(values, out_name, problems)
        else:
            allowed = ENUMS.get((spec.table, name))
            if allowed is not None:
                values = _canonical(values, spec.table, name, allowed, derived, notes, raw.filename)
                _enum(values, out_name, allowed, problems)
            columns[name] = values
    if absent:
        notes.append(f"{raw.filename}: column(s) absent, left empty: {', '.join(absent)}")
    extras = [c for c in raw.columns if c not in outside]
    clashing = [c for c in extras if c in spec.schema.names]
    if clashing:  # e.g. amount_fen in payments.csv: outside, money is amount_yuan
        raise InputError(
            f"column '{clashing[0]}' is the internal name; the file's column is "
            f"'{outside[spec.schema.names.index(clashing[0])]}'",
            SourceLocation(raw.filename, 1, field=clashing[0]),
        )
    for extra in extras:
        values = raw.columns[extra]
        if raw.empty_is_null:
            values = pc.if_else(pc.equal(values, ""), pa.nulls(n, pa.string()), values)
        columns[extra] = values
    if extras:
        notes.append(f"{raw.filename}: unknown column(s) kept: {', '.join(extras)}")
    columns.update({k: v for k, v in derived.items() if k not in columns})
    keep = ~problems.bad
    winners = np.zeros(n, dtype=bool)
    kept_rows = np.flatnonzero(keep)
    key_arrays = [columns[k].take(pa.array(kept_rows)) for k in spec.key]
    winners[kept_rows[first_occurrence(key_arrays)]] = True
    duplicates = keep & ~winners
    if duplicates.any():
        first_line = _first_lines(key_arrays, raw.first_line[kept_rows])
        for row in np.flatnonzero(duplicates):
            position = int(np.searchsorted(kept_rows, row))
            problems.reasons[int(row)] = (
                ",".join(spec.key), f"duplicate key, first seen at line {first_line[position]}",
            )
    table = pa.table(columns).filter(pa.array(winners))
    rejected = list(raw.rejected) + [
        QuarantineRecord(raw.filename, int(raw.first_line[row]), fld, reason, raw.raw(row))
        for row, (fld, reason) in problems.reasons.items()
    ]
    rejected.sort(key=lambda r: r.line)
    return Converted(table, raw.first_line[winners], rejected, notes)


def _first_lines(keys: list[pa.Array], lines: np.ndarray) -> np.ndarray:
    """For each row, the line of the first row with the same key."""
    joined = keys[0] if len(keys) == 1 else pc.binary_join_element_wise(*keys, "\x1f")
    uniq = pc.unique(joined)
    firsts = pc.index_in(uniq, value_set=joined).to_numpy(zero_copy_only=False).astype(np.int64)
    group = pc.index_in(joined, value_set=uniq).to_numpy(zero_copy_only=False).astype(np.int64)
    return np.asarray(lines[firsts[group]], dtype=np.int64)
