"""Reading a canonical bundle (folder or .zip) into Arrow tables, quarantining bad rows.

`read_bundle` never stops at a bad row: the row goes to the quarantine with file, line,
field and reason, and every good row is kept. It raises `InputError` only when the bundle
as a whole cannot be read (no such path, not a zip, no people.csv, a required column absent).
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa

from redline.bundle.archive_limits import check_members, copy_member
from redline.bundle.convert import convert
from redline.bundle.parse import parse_csv, parse_jsonl
from redline.bundle.quarantine import QuarantineRecord
from redline.bundle.schema import FILES, MESSAGES, PEOPLE, FileSpec, empty_table
from redline.contracts import BundleTables
from redline.errors import InputError, SourceLocation

# Fields of messages.jsonl that hold a JSON object (kept as JSON text inside).
OBJECT_FIELDS = frozenset({"attachment"})


@dataclass(frozen=True, slots=True)
class FileReport:
    """What happened to one bundle file."""

    filename: str
    present: bool
    rows_read: int  # rows found in the file (good and bad)
    rows_kept: int
    rows_quarantined: int


@dataclass(frozen=True, slots=True)
class ReadReport:
    """Per-file counts and the assumptions made while reading (e.g. +08:00 for bare times)."""

    source: str
    files: tuple[FileReport, ...]
    notes: tuple[str, ...] = ()

    @property
    def rows_quarantined(self) -> int:
        return sum(f.rows_quarantined for f in self.files)


@dataclass(frozen=True, slots=True)
class BundleRead:
    """The result of reading a bundle: the good rows as tables, the bad rows, the report."""

    tables: BundleTables
    quarantined: list[QuarantineRecord] = field(default_factory=list)
    report: ReadReport | None = None


class _Source:
    """The files of a bundle, from a folder or from a zip (optionally one folder deep)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._zip: dict[str, bytes] | None = None
        if not path.exists():
            raise InputError("no such bundle (expected a folder or a .zip)", SourceLocation(path))
        if path.is_file():
            try:
                with zipfile.ZipFile(path) as archive:
                    self._zip = self._members(archive)
            except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError) as exc:
                raise InputError(f"not a readable zip bundle: {exc}", SourceLocation(path)) from exc

    @staticmethod
    def _members(archive: zipfile.ZipFile) -> dict[str, bytes]:
        wanted = {spec.filename for spec in FILES}
        found: dict[str, bytes] = {}
        where = SourceLocation(archive.filename or "")
        # the limits of the importers' archive reader, checked before anything is inflated
        check_members(archive.infolist(), where)
        for info in archive.infolist():
            parts = [p for p in info.filename.split("/") if p]
            if info.is_dir() or len(parts) > 2 or parts[-1] not in wanted:
                continue
            name = parts[-1]
            if name in found:
                raise InputError(f"the zip holds {name} twice", SourceLocation(archive.filename or "", field=name))
            buffer = io.BytesIO()
            with archive.open(info) as member:
                copy_member(member, buffer, info, SourceLocation(where.path, field=info.filename))
            found[name] = buffer.getvalue()
        return found

    @property
    def is_zip(self) -> bool:
        return self._zip is not None

    def read(self, filename: str) -> bytes | None:
        if self._zip is not None:
            return self._zip.get(filename)
        target = self.path / filename
        if not target.is_file():
            return None
        try:
            return target.read_bytes()
        except OSError as exc:
            raise InputError(f"cannot read: {exc.strerror}", SourceLocation(target)) from exc


def _read_file(data: bytes, spec: FileSpec) -> tuple[pa.Table, list[QuarantineRecord], list[str], int]:
    if spec is MESSAGES:
        raw = parse_jsonl(data, spec.filename, list(spec.schema.names), OBJECT_FIELDS)
    else:
        raw = parse_csv(data, spec.filename)
    converted = convert(raw, spec)
    total = raw.num_rows + len(raw.rejected)
    return converted.table, converted.rejected, converted.notes, total


def read_bundle(path: str | Path) -> BundleRead:
    """Read a bundle folder or .zip: good rows as canonical Arrow tables, bad rows quarantined.

    Money comes out as `amount_fen` (int64), times as timestamp[us, Asia/Shanghai]; times
    without an offset are read as +08:00 (and the report says so); absent optional files
    give empty tables; unknown columns are kept as string columns after the canonical ones.
    """
    source = _Source(Path(path))
    tables = {}
    quarantined: list[QuarantineRecord] = []
    reports = []
    notes: list[str] = []
    for spec in FILES:
        data = source.read(spec.filename)
        if data is None:
            if spec is PEOPLE:
                raise InputError("not a bundle: people.csv is missing", SourceLocation(Path(path), field="people.csv"))
            tables[spec.table] = empty_table(spec.table)
            reports.append(FileReport(spec.filename, False, 0, 0, 0))
            continue
        try:
            table, rejected, file_notes, total = _read_file(data, spec)
        except InputError as exc:
            # Name the bundle as well as the file, so the one-line CLI error is enough.
            where = exc.location or SourceLocation(spec.filename)
            raise InputError(exc.message, SourceLocation(
                f"{path}/{where.path}" if not source.is_zip else f"{path}!{where.path}",
                where.line, where.column, where.field,
            )) from exc
        tables[spec.table] = table
        quarantined.extend(rejected)
        notes.extend(file_notes)
        reports.append(FileReport(spec.filename, True, total, table.num_rows, len(rejected)))
    report = ReadReport(str(path), tuple(reports), tuple(notes))
    return BundleRead(BundleTables(**tables), quarantined, report)
