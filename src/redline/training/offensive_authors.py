"""Comments written for Redline on COLD's topics (`data/offensive/authors/<author>/`).

COLD's test rows hold a kind of comment its train and dev rows lack: anti-bias, counter-speech
and descriptive comments that name groups (黑人, 女权, 河南人). Authors who never saw COLD
write such comments, and offensive ones on the same topics, one file per kind:
`safe_<kind>.txt` or `offensive_<kind>.txt`, a `# ` description on the first line, then one
comment a line as `topic|text` (topic: race, gender, region, or another word). Blank lines
and further `#` lines are skipped.

A text-hash split puts about 80 % of the distinct texts in training and holds 20 % out as a
second dev set ("written"): identical texts always fall on the same side, so a comment written
twice cannot sit on both.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import numpy as np
import numpy.typing as npt

from redline.errors import ConfigError
from redline.training.datasets import is_validation, normalized

AUTHORS_DIR: Final = Path(__file__).resolve().parents[3] / "data" / "offensive" / "authors"
SALT: Final = "offensive-authors"  # the hash split's salt; changing it reshuffles the held-out rows
HELD_OUT: Final = 0.2
FILE_NAME: Final = re.compile(r"^(safe|offensive)_([a-z0-9_]+)\.txt$")


@dataclass(frozen=True, slots=True)
class WrittenRow:
    """One written comment; `text` is in the scan engine's normalised form."""

    author: str
    kind: str  # the file's kind: antibias, descriptive, explicit, sarcastic …
    topic: str
    text: str
    offensive: bool


@dataclass(frozen=True, slots=True)
class Written:
    """Written rows split into the training part and the held-out part."""

    train: list[WrittenRow]
    held_out: list[WrittenRow]

    @staticmethod
    def labels(rows: list[WrittenRow]) -> npt.NDArray[np.bool_]:
        return np.array([r.offensive for r in rows], dtype=bool)

    @staticmethod
    def texts(rows: list[WrittenRow]) -> list[str]:
        return [r.text for r in rows]


def parse_file(path: Path, author: str) -> list[tuple[str, str, str, bool]]:
    """(kind, topic, raw text, offensive) of each comment line of one file."""
    match = FILE_NAME.match(path.name)
    if match is None:
        raise ConfigError(f"{path}: name must be safe_<kind>.txt or offensive_<kind>.txt")
    label, kind = match.groups()
    out = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        topic, sep, text = line.partition("|")
        if not sep or not text.strip() or not topic.strip():
            raise ConfigError(f"{path}:{number}: expected `topic|text`, got {line[:40]!r}")
        out.append((kind, topic.strip(), text.strip(), label == "offensive"))
    return out


def read_written(root: Path = AUTHORS_DIR) -> Written:
    """Every author's comments under `root`, normalised, deduplicated, split by text hash.

    A text written both as safe and as offensive (by two authors, say) is dropped: its label is
    not settled. Missing `root` gives empty parts (COLD alone, as before the authors wrote).
    """
    raw: list[tuple[str, str, str, str, bool]] = []
    if root.is_dir():
        for path in sorted(root.glob("*/*.txt")):
            author = path.parent.name
            raw += [(author, kind, topic, text, offensive)
                    for kind, topic, text, offensive in parse_file(path, author)]
    texts = normalized([r[3] for r in raw])
    seen: dict[str, set[bool]] = {}
    for row, text in zip(raw, texts, strict=True):
        seen.setdefault(text, set()).add(row[4])
    train: list[WrittenRow] = []
    held: list[WrittenRow] = []
    kept: set[str] = set()
    for (author, kind, topic, _, offensive), text in zip(raw, texts, strict=True):
        if not text or len(seen[text]) > 1 or text in kept:
            continue
        kept.add(text)
        written = WrittenRow(author, kind, topic, text, offensive)
        (held if is_validation(text, SALT, HELD_OUT) else train).append(written)
    return Written(train, held)
