"""`redline screen`: screen `{"id","text"}` JSON Lines with the packs, no database.

Streams in batches (one engine call per batch), shows a progress bar over the input's
bytes, and writes one finding per line. A bad line (invalid JSON or UTF-8, no id, text not a
string) is reported with its line number on stderr and skipped; the scan never stops.

A line may say where the message was posted, as a bundle's messages.jsonl does: `group_type`
(the organisation's word for it, mapped as groups.csv's `type` is: 工作群 → department,
家庭群 → social …) and `conversation` (the conversation's id: `dm:a|b` is private, `weibo:…` and
`moments:…` are public posts, as `redline scan` reads them). Rules scoped to work groups
(off-topic chat, 与工作无关) then leave a family or hobby group's messages alone; a line that
says nothing is screened by every rule, as before.
"""

from __future__ import annotations

import functools
import sys
import time
from collections.abc import Iterator
from contextlib import nullcontext
from dataclasses import dataclass, field
from operator import itemgetter, methodcaller
from pathlib import Path
from typing import IO, Annotated, Any, Final

import numpy as np
import orjson
import typer
from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, TimeRemainingColumn

from redline.cli.common import DEFAULT_DB, DbOption
from redline.cli.packs import OverridesOption, PacksOption, load_text_plan
from redline.contracts import SCAN_BATCH as BATCH, Finding
from redline.errors import ConfigError, InputError, SourceLocation
from redline.rules.plan import MessageContext, ScanPlan
from redline.scan.context import message_context as conversation_context

Contexts = list[MessageContext | None] | None  # one per message, or None: no line said where
Parsed = tuple[list[str], list[str], Contexts]

OUTPUT_FIELDS: Final = (
    "message_id", "rule_id", "category", "detector", "label", "start", "end", "evidence",
    "severity", "reason",
)


@dataclass(slots=True)
class BadLines:
    """Bad input lines: counted, the first few printed with their line number."""

    path: str
    count: int = 0
    shown: list[str] = field(default_factory=list)
    limit: int = 20
    echo: bool = True  # False in a `--jobs` worker: the parent prints, in input order

    def add(self, lineno: int, why: str) -> None:
        self.count += 1
        if len(self.shown) < self.limit:
            self._show(f"{self.path}:{lineno}: {why}")

    def merge(self, count: int, shown: list[str]) -> None:
        """Another BadLines' lines (a worker's, for the chunk after every one merged so far):
        the same first lines shown and the same count as one process reading them all."""
        for msg in shown[: max(0, self.limit - len(self.shown))]:
            self._show(msg)
        self.count += count

    def _show(self, msg: str) -> None:
        self.shown.append(msg)
        if self.echo:
            print(f"redline: skipped {msg}", file=sys.stderr)


@functools.cache
def _group_types() -> dict[str, str]:
    from redline.bundle.synonyms import synonyms

    return synonyms("groups", "type")


@functools.cache
def message_context(group_type: str | None, conversation: str | None) -> MessageContext | None:
    """The context a line gives (None: it gives none). A group type nobody maps is `other`, as
    in groups.csv; without a group type, the conversation's id says what `redline scan` reads
    from it (scan.context: `dm:` private, `weibo:`/`moments:` public, else unknown)."""
    if group_type is None:
        return None if not conversation else conversation_context(conversation, "", {})
    kind = _group_types().get(group_type.strip().lower(), "other")
    return MessageContext(kind, "group", conversation or None)


def _context_problem(group_type: object, conversation: object) -> str | None:
    if group_type is not None and not isinstance(group_type, str):
        return "`group_type` is not a string"
    if conversation is not None and not isinstance(conversation, str):
        return "`conversation` is not a string"
    return None


def parse_line(raw: bytes, lineno: int, bad: BadLines) -> tuple[str, str, MessageContext | None] | None:
    """(id, text, context) of one JSONL line, or None (reported) when the line is unusable."""
    if not raw.strip():
        return None
    try:
        record: Any = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        why = "invalid UTF-8" if "UTF-8" in str(exc) else f"invalid JSON ({exc})"
        bad.add(lineno, why)
        return None
    if not isinstance(record, dict):
        bad.add(lineno, "not a JSON object")
        return None
    mid, text = record.get("id"), record.get("text")
    if mid is None or isinstance(mid, (dict, list)) or mid == "":
        bad.add(lineno, "no usable `id`")
        return None
    if text is None:
        text = ""  # an image or a red packet: nothing to screen, but not an error
    if not isinstance(text, str):
        bad.add(lineno, "`text` is not a string")
        return None
    group_type, conversation = record.get("group_type"), record.get("conversation")
    problem = _context_problem(group_type, conversation)
    if problem is not None:
        bad.add(lineno, problem)
        return None
    return str(mid), text, message_context(group_type, conversation)


_TEXT: Final = itemgetter("text")
_ID: Final = itemgetter("id")
_ID_TYPES: Final = frozenset((str, int))
_GROUP_TYPE: Final = methodcaller("get", "group_type")
_CONVERSATION: Final = methodcaller("get", "conversation")


def _contexts(records: list[dict[str, Any]]) -> tuple[bool, Contexts]:
    """(well-formed, each record's context or None when no record gives one)."""
    kinds = list(map(_GROUP_TYPE, records))
    convs = list(map(_CONVERSATION, records))
    if not set(map(type, kinds)) <= {str, type(None)} or not set(map(type, convs)) <= {str, type(None)}:
        return False, None  # a number, a list or an object: the line parser names it
    if set(kinds) == {None} and set(convs) <= {None, ""}:
        return True, None
    return True, list(map(message_context, kinds, convs))


def _columns(records: Any) -> Parsed | None:
    """(ids, texts, contexts) of parsed records when every one is well-formed, else None.

    Checked column-wise with C-level `map`s (no Python call per record): every record an
    object with a string `text` and a non-empty string or integer `id`. Anything else (a
    null text, a missing id) takes the line-by-line path, which handles or names it.
    """
    try:
        texts = list(map(_TEXT, records))
        ids = list(map(_ID, records))
    except (KeyError, TypeError, IndexError):  # not an object, or a field missing
        return None
    if set(map(type, records)) != {dict} or set(map(type, texts)) != {str}:
        return None
    id_types = set(map(type, ids))
    if not id_types <= _ID_TYPES or "" in ids:
        return None
    ok, contexts = _contexts(records)
    if not ok:
        return None
    return (ids if id_types == {str} else list(map(str, ids))), texts, contexts


def parse_chunk(raws: list[bytes], first_lineno: int, bad: BadLines) -> Parsed:
    """(ids, texts, contexts) of consecutive JSONL lines.

    Fast path: the chunk parsed as ONE JSON array by orjson (no Python call per line to the
    parser) and checked column-wise; any failure (a bad or blank line) falls back to
    line-by-line parsing, which names the bad lines.
    """
    try:
        records = orjson.loads(b"[" + b",".join(raws) + b"]")
    except orjson.JSONDecodeError:
        records = None
    if records is not None and len(records) == len(raws):
        columns = _columns(records)
        if columns is not None:
            return columns
    ids: list[str] = []
    texts: list[str] = []
    contexts: list[MessageContext | None] = []
    for k, raw in enumerate(raws):
        parsed = parse_line(raw, first_lineno + k, bad)
        if parsed is not None:
            ids.append(parsed[0])
            texts.append(parsed[1])
            contexts.append(parsed[2])
    return ids, texts, (contexts if any(c is not None for c in contexts) else None)


def parse_lines(chunk: bytes, n: int, first_lineno: int, bad: BadLines) -> Parsed:
    """(ids, texts, contexts) of `n` whole lines (`chunk` ends with a newline): as `parse_chunk`, without
    making one bytes object per line on the fast path (the newlines become the commas of one
    JSON array)."""
    try:
        records = orjson.loads(b"[" + chunk[:-1].replace(b"\n", b",") + b"]")
    except orjson.JSONDecodeError:
        records = None  # a bad or blank line: found and named line by line below
    if records is not None and len(records) == n:
        columns = _columns(records)
        if columns is not None:
            return columns
    return parse_chunk(chunk.split(b"\n")[:n], first_lineno, bad)


Chunk = tuple[bytes, int, int]  # whole lines (each ending with a newline), how many, the first's line number


def read_chunks(stream: IO[bytes], progress: Any, task: Any, block: int = 1 << 22) -> Iterator[Chunk]:
    """Chunks of BATCH whole lines (the last may be shorter) from a JSONL byte stream, read in
    blocks of `block` bytes, unparsed: the batch boundaries of every `--jobs` are these."""
    pending = b""  # whole lines not given out yet, each ending with a newline
    ends = np.zeros(0, dtype=np.int64)  # where each of them ends in `pending` (exclusive)
    first = 1  # line number of pending's first line
    rest = b""  # an unfinished last line waits for the next block
    while True:
        data = stream.read(block)
        if progress is not None:
            progress.advance(task, len(data))
        if not data:
            break
        data = rest + data
        cut = data.rfind(b"\n") + 1
        rest = data[cut:]
        if not cut:
            continue
        found = np.flatnonzero(np.frombuffer(data, dtype=np.uint8, count=cut) == 0x0A) + (len(pending) + 1)
        pending += data[:cut]
        ends = np.concatenate([ends, found])
        at, k = 0, 0
        while len(ends) - k >= BATCH:
            stop = int(ends[k + BATCH - 1])
            yield pending[at:stop], BATCH, first
            at, k, first = stop, k + BATCH, first + BATCH
        pending, ends = pending[at:], ends[k:] - at
    if rest.strip():
        pending += rest + b"\n"
        ends = np.append(ends, len(pending))
    if len(ends):
        yield pending, len(ends), first


def read_batches(
    stream: IO[bytes], bad: BadLines, progress: Any, task: Any, block: int = 1 << 22,
) -> Iterator[Parsed]:
    """(ids, texts, contexts) batches of BATCH lines from a JSONL byte stream, read in blocks of `block` bytes."""
    for chunk, n, first in read_chunks(stream, progress, task, block):
        yield parse_lines(chunk, n, first, bad)


def screen_chunk(plan: ScanPlan, chunk: Chunk, bad: BadLines) -> tuple[bytes, int, int]:
    """One chunk of input lines → (its findings as output JSONL bytes, messages, findings).

    What `--jobs 1` does per batch and what each worker of `--jobs N` does: one function, so
    the bytes cannot differ between the two."""
    from redline.scan.engine import scan_batch_records

    ids, texts, contexts = parse_lines(*chunk, bad)
    records = scan_batch_records(plan, texts, ids, contexts)  # the output records, no Finding objects
    return b"".join([orjson.dumps(r, option=orjson.OPT_APPEND_NEWLINE) for r in records]), len(ids), len(records)


def finding_record(f: Finding) -> dict[str, Any]:
    """A finding in the `screen` output format (DESIGN.md)."""
    return {
        "message_id": f.subject_id, "rule_id": f.rule_id, "category": f.category,
        "detector": f.detector, "label": f.label, "start": f.start, "end": f.end,
        "evidence": f.evidence, "severity": f.severity, "reason": f.reason,
    }


def register(app: typer.Typer) -> None:
    """Add `redline screen` to the root app."""

    @app.command("screen")
    def screen(
        input_path: Annotated[Path, typer.Option(
            "--input", "-i", help="messages.jsonl: {\"id\",\"text\"} per line; optional \"group_type\" (工作群, 家庭群 …) "
            "and \"conversation\" (its id: dm:… private, weibo:…/moments:… public) scope the rules that "
            "apply to work groups only")],
        output: Annotated[str, typer.Option("--output", "-o", help="findings.jsonl, or - for stdout")] = "-",
        packs: PacksOption = "all",
        overrides: OverridesOption = None,
        db: DbOption = DEFAULT_DB,
        engine: Annotated[str, typer.Option("--engine", help="local (default) or spark")] = "local",
        master: Annotated[str, typer.Option("--master", help="Spark master URL with --engine spark")] = "local[2]",
        jobs: Annotated[int | None, typer.Option(
            "--jobs", "-j", help="worker processes (default: the cores this process may use). Each screens "
            "whole batches of the input; the output is the same, byte for byte, for any number. 1: one "
            "process, no fork (also where the platform cannot fork, and for inputs under 1 MiB)",
            show_default=False)] = None,
    ) -> None:
        """Screen messages with the rule packs (no database) and write findings as JSON Lines.

        `--jobs N` screens with N worker processes forked after the packs are loaded (default:
        every usable core); findings come out in input order, the same as with one.
        Parquet in or out (`.parquet`), or `--engine spark`, runs the same batch function on
        Arrow record batches and writes findings.parquet with the same columns.
        """
        from redline.cli.screen_pool import open_pool, usable_cores

        if engine != "local" or input_path.suffix == ".parquet" or output.endswith(".parquet"):
            from redline.scan.parquet import screen_command

            print(screen_command(engine=engine, master=master, input_path=input_path, output=output,
                                 packs=packs, overrides=overrides), file=sys.stderr)
            return
        if not input_path.is_file():
            raise InputError("no such input file", SourceLocation(input_path))
        if jobs is not None and jobs < 1:
            raise ConfigError(f"--jobs must be at least 1, not {jobs}")
        plan = load_text_plan(packs, overrides)
        bad = BadLines(str(input_path))
        err = Console(stderr=True)
        n_msgs = n_findings = 0
        started = time.perf_counter()
        size = input_path.stat().st_size
        pool = open_pool(plan, str(input_path), usable_cores() if jobs is None else jobs, size)  # forks now
        try:
            out_cm = nullcontext(sys.stdout.buffer) if output == "-" else Path(output).open("wb")  # noqa: SIM115
            with out_cm as out, input_path.open("rb") as stream, Progress(
                "[progress.description]{task.description}", BarColumn(), DownloadColumn(), TimeRemainingColumn(),
                console=err, transient=True, disable=not err.is_terminal,
            ) as progress:
                task = progress.add_task("screening", total=size)
                chunks = read_chunks(stream, progress, task)
                if pool is not None:
                    n_msgs, n_findings = pool.run(chunks, bad, out.write)
                else:  # one process: read, screen and write each batch in turn
                    for chunk in chunks:
                        data, msgs, findings = screen_chunk(plan, chunk, bad)
                        out.write(data)
                        n_msgs += msgs
                        n_findings += findings
        except BaseException:
            if pool is not None:
                pool.stop()
            raise
        if pool is not None:
            pool.close()
        secs = time.perf_counter() - started
        more = f" (first {len(bad.shown)} shown)" if bad.count > len(bad.shown) else ""
        err.print(
            f"screened {n_msgs} messages in {secs:.1f} s: {n_findings} findings; "
            f"{bad.count} bad lines skipped{more}; plan {plan.version}",
            markup=False, highlight=False,
        )
