"""The third attempt at a better clf.offensive (issue 21 item 7): written authors, left out in turn.

The second attempt (offensive_written.py) held out a fifth of one author's comments, which share
that author's phrasing. Here four authors (`data/offensive/authors/`) are each scored by a model
fitted without any of their comments; a candidate (C, the written rows' weight) is judged by the
mean of its macro-F1 on COLD's dev rows and on the pooled left-out authors, at one shared
threshold (offensive_choice.judge). The winner is refitted on COLD train + dev, the work-chat safe
rows and every written row, and scored once on COLD's test rows only when asked (`--look`).

`python -m redline.training.offensive_loao [--look]` (reads $REDLINE_DATASETS). Not shipped: the
look gave macro-F1 0.7901 against 1.3.0's 0.8037 (offensive.THIRD_ATTEMPT).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from redline.training.datasets import resolve_data_dir
from redline.training.evaluation import figures, macro_f1
from redline.training.offensive import Split, _joined, domain_negatives, load_splits
from redline.training.offensive_authors import AUTHORS_DIR, Written, WrittenRow, read_written
from redline.training.offensive_choice import Judged, Scored, judge
from redline.training.offensive_written import _fit, _row_weights

C_GRID: Final = (10.0, 30.0)
WEIGHTS: Final = (0.0, 1.0, 3.0, 10.0)  # of a written row against a COLD row; 0: 1.3.0's rows


@dataclass(frozen=True, slots=True)
class Candidate:
    """One (C, weight) of the grid and what the two dev sets said of it."""

    c: float
    weight: float
    judged: Judged
    per_author: dict[str, float]  # each left-out author's macro-F1 at the shared threshold


def _say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def _fit_scores(base: Split, written: Sequence[WrittenRow], c: float, weight: float,
                texts: list[str]) -> npt.NDArray[np.float64]:
    rows = list(written) if weight > 0 else []
    extra = Split(Written.texts(rows), Written.labels(rows))
    model = _fit(_joined(base, extra), c, _row_weights(len(base.texts), len(rows), weight))
    scores: npt.NDArray[np.float64] = model.scores(texts)
    return scores


def candidates(splits: dict[str, Split], domain: Split, written: Sequence[WrittenRow]) -> list[Candidate]:
    """Every (C, weight) of the grid, judged on COLD dev and the left-out authors (no test row)."""
    base, dev = _joined(splits["train"], domain), splits["dev"]
    authors = sorted({r.author for r in written})
    by_author = {a: [r for r in written if r.author == a] for a in authors}
    labels = np.array([r.offensive for a in authors for r in by_author[a]], dtype=bool)
    out = []
    for c in C_GRID:
        for weight in WEIGHTS:
            dev_scores = _fit_scores(base, written, c, weight, dev.texts)
            if weight > 0:
                left_out = np.concatenate([
                    _fit_scores(base, [r for r in written if r.author != a], c, weight, [r.text for r in by_author[a]])
                    for a in authors])
            else:  # no written row is fitted: one model reads every author
                left_out = _fit_scores(base, [], c, 0.0, [r.text for a in authors for r in by_author[a]])
            judged = judge(Scored(dev_scores, left_out), dev.labels, labels)
            per, start = {}, 0
            for a in authors:
                end = start + len(by_author[a])
                per[a] = round(macro_f1(labels[start:end], left_out[start:end] >= judged.threshold), 4)
                start = end
            out.append(Candidate(c, weight, judged, per))
            _say(f"C = {c:g}, written weight {weight:g}: threshold {judged.threshold:.3f}, COLD dev "
                 f"{judged.dev:.4f}, authors left out {judged.written:.4f}, mean {judged.mean:.4f} {per}")
    return out


def look(splits: dict[str, Split], domain: Split, written: Sequence[WrittenRow], best: Candidate) -> dict[str, Any]:
    """The one look: the winner refitted on train + dev + every written row, scored on COLD's test rows."""
    base = _joined(_joined(splits["train"], domain), splits["dev"])
    test = splits["test"]
    scores = _fit_scores(base, written, best.c, best.weight, test.texts)
    return figures(test.labels, scores, best.judged.threshold).as_dict()


def main(argv: Sequence[str]) -> None:
    data_dir = resolve_data_dir(None)
    splits = load_splits(data_dir)
    domain, _ = domain_negatives()
    written = read_written(AUTHORS_DIR)
    rows = written.train + written.held_out  # every comment: authors, not a hash, are held out here
    found = candidates(splits, domain, rows)
    best = max(found, key=lambda k: k.judged.mean)  # ties: the first, the smaller C and weight
    _say(f"chosen: C = {best.c:g}, written weight {best.weight:g}, threshold {best.judged.threshold:.3f}")
    if "--look" in argv:
        _say(json.dumps({"test": look(splits, domain, rows, best)}))


if __name__ == "__main__":
    main(sys.argv[1:])
