"""Checkpoints of the audit chain outside the database: what the chain alone cannot prove.

The hash chain (`audit_log`) shows that the entries in the database fit together, but whoever
can write the database can delete the newest entries, or change one and recompute every later
link, and the chain still fits. So each append also writes one line, `{"seq": N, "hash": H}`,
to an append-only file kept elsewhere (another disk, another owner, `chattr +a`, or a share
that a second system collects). `verify` then compares the database with the file:

* truncation: the file saw entry N, the database has no entry N (the first missing is named);
* rewriting: entry N's hash in the database is not the one the file recorded.

What it cannot prove: entries written by a process that was not given the file (reported as
"newer than the last checkpoint"), and anything if the file itself can be rewritten by the
same person. A line is well under PIPE_BUF, so appends from several worker processes do not
interleave.
"""

from __future__ import annotations

import json
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from redline.errors import ConfigError

_LOCK: Final = threading.Lock()


def append(path: Path, seq: int, entry_hash: str) -> None:
    """Append one checkpoint (O_APPEND: never rewrites what is there, atomic for one line)."""
    line = json.dumps({"seq": seq, "hash": entry_hash}, separators=(",", ":")) + "\n"
    with _LOCK:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
        try:
            os.write(fd, line.encode())
        finally:
            os.close(fd)


@dataclass(frozen=True, slots=True)
class Checkpoints:
    """seq → hash as the anchor file recorded them; `head` is the highest seq seen."""

    hashes: dict[int, str]
    head: int


def read(path: Path) -> Checkpoints:
    """The checkpoints in the file; a damaged line is an error (the file is evidence)."""
    if not path.is_file():
        raise ConfigError(f"audit anchor {path} does not exist: the checkpoints are gone or the path is wrong")
    hashes: dict[int, str] = {}
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                raw = json.loads(line)
                seq, value = int(raw["seq"]), str(raw["hash"])
            except (ValueError, KeyError, TypeError) as exc:
                raise ConfigError(f"audit anchor {path}:{number} is damaged: {line[:80]!r}") from exc
            if hashes.get(seq, value) != value:
                raise ConfigError(f"audit anchor {path}:{number} records entry {seq} twice with different hashes")
            hashes[seq] = value
    return Checkpoints(hashes, max(hashes, default=0))
