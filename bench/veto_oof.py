"""The written rows a veto study reads, and clf.conduct's out-of-fold scores of them.

Every written row (the corpus's authors a0, w1 … in `data/conduct/{train,dev}.jsonl.gz`, hand
lines and their register variants, and the pilot's one author) is scored by a model fitted
*without its author* (`conduct_authors.out_of_fold`, the shipped recipe `conduct.fit`), so a
veto is judged by the scores an author the model never saw would get — the shipped 1.3.0 was
fitted on every author, and its own scores of them are in-sample. The fit takes minutes, so
the scores are cached under the user cache dir (redline/cache.py), named by a hash of the rows
and the recipe's constants: a new author's lines (or a changed recipe) give a new entry.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from redline.training import conduct, conduct_authors
from redline.training.conduct_data import (
    CORPUS_DIR,
    FIRST_AUTHOR,
    WORK_CHANNEL,
    Rows,
    corpus_records,
    held_out_mask,
    make_rows,
    real_negatives,
    row_labels,
)
from redline.training.datasets import read_jsonl

F64 = npt.NDArray[np.float64]
PILOT = "pilot"


@dataclass(frozen=True, slots=True)
class Written:
    """One written row: the raw text (as a user would screen it), its categories, who wrote it,
    the negative's kind (`work`, `case`, `notice` …; `violation` for a violation) and whether it
    is a hand line (not a register variant of one)."""

    text: str
    labels: tuple[str, ...]
    author: str
    kind: str
    hand: bool
    work: bool = True  # posted in a work channel (off_topic's label is unknown elsewhere: CHANNEL_BOUND)


def written_rows(data_dir: Path, corpus_dir: Path = CORPUS_DIR) -> list[Written]:
    """The corpus's rows (both files, every author) and the pilot's, in a fixed order."""
    out: list[Written] = []
    for name in ("train", "dev"):
        for r in corpus_records(corpus_dir, name):
            labels = tuple(row_labels(r))
            out.append(Written(str(r["text"]), labels, str(r.get("author", FIRST_AUTHOR)),
                               "violation" if labels else str(r.get("kind", "other")),
                               r.get("origin", "hand") == "hand", r.get("channel", WORK_CHANNEL) == WORK_CHANNEL))
    for r in read_jsonl(data_dir, "conduct_pilot"):
        labels = tuple(row_labels(r))
        out.append(Written(str(r["text"]), labels, PILOT, "violation" if labels else PILOT, True))
    return out


def as_rows(written: Sequence[Written]) -> Rows:
    """The training view of the rows (normalised texts, label matrix, source, author)."""
    pilot = np.array([w.author == PILOT for w in written], dtype=bool)
    rows = make_rows([w.text for w in written], [w.labels for w in written], "corpus", [w.author for w in written],
                     [w.work for w in written])
    sources = ["pilot" if p else "corpus" for p in pilot.tolist()]
    return Rows(rows.texts, rows.labels, sources, rows.authors, rows.unknown)


Fitter = Callable[[Rows], Callable[[Sequence[str]], F64]]


shipped_fit = conduct.oof_fit  # the shipped recipe without its gate (a veto reads the full model: conduct.py)


def out_of_fold_scores(written: Sequence[Written], data_dir: Path, fit: Fitter = shipped_fit,
                       log: Callable[[str], None] | None = None) -> conduct_authors.OutOfFold:
    """Each written row scored by the model fitted without its author, and the held-out real
    text by each author's model (for the author's fold thresholds); cached, and the same cache
    entry `redline train conduct` fills for the shipped recipe."""
    rows = as_rows(written)
    real = real_negatives(data_dir)
    held = held_out_mask(real)
    return conduct_authors.cached_out_of_fold(rows, real.where(~held), real.where(held), fit, conduct.recipe_key(), log=log)


def log_line(message: str) -> None:
    print(message, file=sys.stderr)


def main() -> None:
    """Compute (or read) the cached scores: `python -m bench.veto_oof` (minutes, once per data)."""
    import os
    import time

    data_dir = Path(os.environ.get("REDLINE_DATASETS", "/work/shared/datasets"))
    start = time.perf_counter()
    written = written_rows(data_dir)
    oof = out_of_fold_scores(written, data_dir, log=log_line)
    sys.stderr.write(f"{len(written)} rows, {len(oof.authors)} authors, {time.perf_counter() - start:.0f} s\n")


if __name__ == "__main__":
    main()
