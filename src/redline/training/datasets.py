"""The licensed training data sets and deterministic splits of them.

Data is only ever read from the shared folder, never copied into the repository. Where that
folder is comes from the caller — a `--data-dir` flag, or the environment variable
`REDLINE_DATASETS` — never from a path guessed outside the repository (the Makefile and
the test setup pass `../shared/datasets` relative to the repository).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, Final

import numpy as np
import orjson

from redline.errors import ConfigError
from redline.text.normalize import normalize_batch

DATASETS_ENV: Final = "REDLINE_DATASETS"


def resolve_data_dir(data_dir: Path | None = None) -> Path:
    """The datasets folder to read: `data_dir` (a flag), else `$REDLINE_DATASETS`; ConfigError if neither
    names an existing folder."""
    if data_dir is None:
        from_env = os.environ.get(DATASETS_ENV, "").strip()
        if not from_env:
            raise ConfigError(f"no datasets folder: pass --data-dir or set {DATASETS_ENV}")
        data_dir = Path(from_env)
    path = data_dir.resolve()
    if not path.is_dir():
        raise ConfigError(f"datasets folder not found: {path}")
    return path


def read_jsonl(data_dir: Path, name: str) -> Iterator[dict[str, Any]]:
    """Rows of `<data_dir>/<name>/train.jsonl` as dicts."""
    path = data_dir / name / "train.jsonl"
    if not path.is_file():
        raise ConfigError(f"data set missing: {path}")
    with path.open("rb") as fh:
        for line in fh:
            if line.strip():
                yield orjson.loads(line)


def hash_fraction(text: str, salt: str) -> float:
    """A stable pseudo-random number in [0, 1) from a text: identical texts share a side."""
    digest = hashlib.blake2b(f"{salt}\x00{text}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2**64


def is_validation(text: str, salt: str, fraction: float = 0.2) -> bool:
    """True for the deterministic validation part (about `fraction` of distinct texts)."""
    return hash_fraction(text, salt) < fraction


def normalized(texts: Sequence[str]) -> list[str]:
    """Texts as detectors see them at scan time (redline.text.normalize_batch).

    Models are trained on the same view the scan engine hands them, so that dropped
    separators and folded characters mean the same thing in training and in use.
    """
    return list(normalize_batch(list(texts)).texts)


def normalized_spans(
    texts: Sequence[str], spans: Sequence[Sequence[tuple[int, int]]]
) -> tuple[list[str], list[list[tuple[int, int]]]]:
    """Normalised texts and gold spans moved onto them (spans that vanish are dropped)."""
    batch = normalize_batch(list(texts))
    out_texts = list(batch.texts)
    out_spans: list[list[tuple[int, int]]] = []
    for row, gold in enumerate(spans):
        starts = batch.offsets(row).starts
        moved = []
        for start, end in gold:
            lo = int(np.searchsorted(starts, start, side="left"))
            hi = int(np.searchsorted(starts, end, side="left"))
            if hi > lo:
                moved.append((lo, hi))
        out_spans.append(moved)
    return out_texts, out_spans
