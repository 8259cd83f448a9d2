"""A spool folder as a live source: files appear or grow there and are imported as they do.

A WeCom archive puller appends decrypted JSON lines (one message a line) to files in the
folder; an officer drops in a bill or a roster. Appended files are read line by line from
the stored position up to the last complete line (a half-written line waits for its end);
any other file is imported whole once it has stopped changing for `SETTLE_SECONDS`, and again
if it changes later (loads are upserts, so that repeats nothing). Each chunk goes through
`redline ingest`'s own readers into a bundle, and is loaded with its new position in one
transaction (`positions.writer`): a crash either keeps both or neither.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Final

import orjson
import pyarrow as pa
from sqlalchemy import Engine, select
from sqlalchemy.orm import InstrumentedAttribute

from redline.bundle import BundleRead, read_bundle
from redline.bundle.schema import FILES, empty_table
from redline.contracts import BundleTables
from redline.errors import InputError, RedlineError, SourceLocation
from redline.ingest.run import ingest
from redline.pipeline.positions import Position, read_positions, writer
from redline.pipeline.source import Loaded, Pulled
from redline.store.load import load_tables
from redline.store.tables.org import Group, Person

PREFIX: Final = "spool:"
APPEND_SUFFIXES: Final = frozenset({".jsonl", ".ndjson"})
SETTLE_SECONDS: Final = 2.0  # a dropped file is read once it has not changed for this long
MAX_CHUNK: Final = 8 * 1024 * 1024  # bytes of appended lines read in one go
PARTIAL_SUFFIXES: Final = (".part", ".tmp", ".crdownload", ".swp")


@dataclass(frozen=True, slots=True)
class Chunk:
    """New data in one file: bytes [start, end) of an appended file, or the whole file."""

    source: str  # key in source_positions
    path: Path
    identity: str
    start: int
    end: int
    appended: bool
    arrived: float  # the file's modification time: when this data reached the spool


def _identity(stat: os.stat_result) -> str:
    return f"{stat.st_dev}:{stat.st_ino}"


def is_appended(path: Path) -> bool:
    """JSON Lines of WeCom archive messages grow by appending; everything else is whole."""
    if path.suffix.lower() in APPEND_SUFFIXES:
        return True
    try:
        with path.open("rb") as handle:
            first = handle.readline(64 * 1024)
        record = orjson.loads(first)
    except (OSError, orjson.JSONDecodeError):
        return False
    return isinstance(record, dict) and "msgid" in record


class Spool:
    """One spool folder: which of its files hold data not yet in the store."""

    name = "spool"

    def __init__(self, root: Path, *, owner: str = "self", settle: float = SETTLE_SECONDS,
                 max_chunk: int = MAX_CHUNK) -> None:
        if not root.is_dir():
            raise InputError("the spool is not a folder", SourceLocation(root))
        self.root = root.resolve()
        self.owner = owner  # person id of the account holder of dropped bills and personal exports
        self.settle = settle
        self.max_chunk = max_chunk
        self._modes: dict[str, bool] = {}
        self.more = False  # a file had more than one chunk of new lines

    @property
    def prefix(self) -> str:
        return f"{PREFIX}{self.root}/"

    def files(self) -> Iterator[Path]:
        """Files of the spool, sorted; hidden and half-transferred files are left alone."""
        for path in sorted(self.root.rglob("*")):
            rel = path.relative_to(self.root)
            if any(part.startswith(".") for part in rel.parts) or path.name.endswith(PARTIAL_SUFFIXES):
                continue
            if path.is_file():
                yield path

    def chunks(self, engine: Engine) -> Iterator[Chunk]:
        """New data per file, from the stored positions; at most one chunk per file per call."""
        known = read_positions(engine, self.prefix)
        now = time.time()
        for path in self.files():
            try:
                stat = path.stat()
            except FileNotFoundError:  # removed between listing and stat
                continue
            source = f"{self.prefix}{path.relative_to(self.root)}"
            identity = _identity(stat)
            stored = known.get(source, Position(0, identity))
            # another file under the same name, or the same one truncated: read it from the start
            start = stored.position if stored.identity == identity and stored.position <= stat.st_size else 0
            if source not in self._modes:
                if stat.st_size == 0:  # nothing to tell the format by yet
                    continue
                self._modes[source] = is_appended(path)
            if self._modes[source]:
                end = self._line_end(path, start, stat.st_size)
                self.more = self.more or stat.st_size - start > self.max_chunk  # read was capped
                if end > start:
                    yield Chunk(source, path, identity, start, end, appended=True, arrived=stat.st_mtime)
            elif (start != stat.st_size or stored.identity != identity) and now - stat.st_mtime >= self.settle:
                yield Chunk(source, path, identity, 0, stat.st_size, appended=False, arrived=stat.st_mtime)

    def pull(self, engine: Engine) -> Pulled:
        """Load every file's new data; a file that fails is reported and retried next time."""
        pulled = Pulled()
        self.more = False
        for chunk in self.chunks(engine):
            try:
                pulled.loaded.append(load_chunk(engine, chunk, owner=self.owner))
            except (RedlineError, OSError) as exc:
                pulled.errors.append(f"{chunk.path.name}: {exc}")
        pulled.more = self.more
        return pulled

    def _line_end(self, path: Path, start: int, size: int) -> int:
        """The offset just after the last complete line in [start, start + max_chunk)."""
        if size <= start:
            return start
        with path.open("rb") as handle:
            handle.seek(start)
            data = handle.read(min(size - start, self.max_chunk))
        cut = data.rfind(b"\n")
        if cut < 0 and len(data) == self.max_chunk:
            raise InputError(f"a line longer than {self.max_chunk} bytes", SourceLocation(path))
        return start + cut + 1


def read_chunk(chunk: Chunk, *, owner: str = "self") -> BundleRead | None:
    """The chunk through `redline ingest`'s readers; None when the format is not recognised."""
    if chunk.appended:
        with chunk.path.open("rb") as handle:
            handle.seek(chunk.start)
            data = handle.read(chunk.end - chunk.start)
        # the new lines alone, under the file's own name (format detection looks at it)
        return bundle_of(data, chunk.path.name, owner=owner, where=chunk.path)
    return _ingested(chunk.path, owner, chunk.path)


def bundle_of(data: bytes, name: str, *, owner: str = "self", where: Path | str = "") -> BundleRead:
    """Rows of `data` (a file's new lines) as `redline ingest` reads a file called `name`."""
    with tempfile.TemporaryDirectory(prefix="redline-watch-") as tmp:
        source = Path(tmp) / Path(name).name
        source.write_bytes(data)
        read = _ingested(source, owner, where or name)
    if read is None:
        raise InputError("lines of no format Redline reads", SourceLocation(str(where or name)))
    return read


def _ingested(source: Path, owner: str, where: Path | str) -> BundleRead | None:
    with tempfile.TemporaryDirectory(prefix="redline-watch-") as tmp:
        report = ingest([source], Path(tmp) / "bundle", owner=owner)
        if report.failed:
            if any("not recognised" in f for f in report.failed):
                return None
            raise InputError("; ".join(f.replace(str(source), str(where)) for f in report.failed), SourceLocation(where))
        return read_bundle(Path(tmp) / "bundle")


def _absent(engine: Engine, table: pa.Table, column: str, key: InstrumentedAttribute[str]) -> pa.Table:
    """Rows of `table` whose key is not stored yet."""
    if table.num_rows == 0:
        return table
    ids = table.column(column).to_pylist()
    with engine.connect() as conn:
        stored = set(conn.execute(select(key).where(key.in_(ids))).scalars())
    if not stored:
        return table
    return table.filter(pa.array([i not in stored for i in ids]))


def without_placeholders(engine: Engine, bundle: BundleRead) -> BundleRead:
    """An archive names people and group chats by id only (no name, unit, owner): such rows
    may create a person or group, never overwrite what a roster said about them."""
    tables = bundle.tables
    kept = replace(
        tables,
        people=_absent(engine, tables.people, "person_id", Person.person_id),
        groups=_absent(engine, tables.groups, "group_id", Group.group_id),
    )
    return replace(bundle, tables=kept)


def load_chunk(engine: Engine, chunk: Chunk, *, owner: str = "self") -> Loaded:
    """Read and load one chunk with its new position, in one transaction."""
    try:
        bundle = read_chunk(chunk, owner=owner)
    except InputError:
        if not chunk.appended:  # a broken dropped file: reported once, read again when it changes
            with engine.begin() as conn:
                writer(chunk.source, chunk.end, chunk.identity)(conn)
        raise
    if bundle is None:  # not a format Redline reads: remember it, so it is not retried each poll
        with engine.begin() as conn:
            writer(chunk.source, chunk.end, chunk.identity)(conn)
        return Loaded(BundleRead(tables=_no_tables()), 0, chunk.arrived)
    if chunk.appended:
        bundle = without_placeholders(engine, bundle)
    name = f"{chunk.source}@{chunk.start}"[-500:]
    load_tables(engine, bundle, source_name=name, also=writer(chunk.source, chunk.end, chunk.identity))
    return Loaded(bundle, bundle.tables.messages.num_rows + bundle.tables.payments.num_rows, chunk.arrived)


def _no_tables() -> BundleTables:
    return BundleTables(**{spec.table: empty_table(spec.table) for spec in FILES})
