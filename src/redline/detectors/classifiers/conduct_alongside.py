"""A second category beside a lead: what `clf.conduct`'s `alongside:` adds after every detector.

One message often breaks two rules at once: a section chief collecting a managed party's cards
is gifts *and* misuse of office (conduct); a chain post in the work group is rumour *and*
off-topic. The term rules and the model's own threshold name the breach the message is mostly
about; the second one scores lower, because the model learnt mostly from messages that break
one rule each. A rule whose `clf.conduct` entry says `alongside: F` leads on a message at F
times its lead threshold, but only where the message already has a lead in another category
(after vetoes), so it never raises a lead on a message that had none: it adds the reviewer a
category, not a message to read. Notices, official prose and the `unless` phrases judge these
leads as they judge the ordinary ones. Like the ordinary leads, they are read only on
messages the model's first stage passes, at the scores the scan already gave them.

The model sums the n-grams of the whole message, and the words of the first breach weigh
against the second (it learnt that a gift message is not a conduct one):
"所长让我们随礼，上班时间开公车去他家喝酒" scores 0.05 in conduct, its clause "上班时间开公车去他家喝酒"
0.98. Hence the small shares, and a rule may ask for its category to be read clause by clause
too (`clauses: true`): the score is then the highest of the whole message's and of each
clause's (text between punctuation marks), and the evidence is the clause's. Read alone, a
clause loses its context, so that pays only where the breach sits in a few words (a swear word);
`bench.alongside_study` measures both per category.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

import numpy as np
import numpy.typing as npt

from redline.contracts import Hit, HitColumns
from redline.detectors.classifiers.multilabel import Evidence
from redline.detectors.register import official_rows

if TYPE_CHECKING:
    from redline.detectors.classifiers.multilabel import MultiLabelModel
    from redline.rules.plan import RuleRef
    from redline.text.normalize import NormalizedBatch
    from redline.text.offsets import OffsetMap


# the part of a lead's `why` that says it stands beside another category's lead (why_zh.py)
SECOND_NOTE: Final = "second category beside a lead in another"


@dataclass(frozen=True, slots=True)
class Second:
    """One rule's alongside trigger: its label, category, model column and lowered threshold."""

    label: str
    category: str
    column: int
    threshold: float
    notices: bool
    official_prose: bool
    unless: tuple[str, ...]  # normalised
    clauses: bool = False  # also read each clause alone (see the module's note)


# (text, row, second, score, evidence) -> the lead's hit, as the detector words it
MakeHit = Callable[[str, int, Second, float, "Evidence"], Hit]

_CLAUSE: Final = re.compile(r"[^，,。；;！!？?、\s]+")
_MARK: Final = re.compile(r"[，,。；;！!？?、\s]")
MIN_CLAUSE: Final = 4  # characters: shorter pieces (好的, 收到) say too little to score alone


def clauses(texts: Sequence[str], rows: Sequence[int],
            batch: NormalizedBatch | None = None) -> tuple[list[str], list[int], list[int]]:
    """The clauses of `rows` worth scoring: their texts, the index into `rows` each comes from,
    and where each starts in its (normalised) message. A message of one clause has none.

    Normalisation drops punctuation, so with the batch at hand a clause ends where the original
    text between two kept characters holds a mark; without it, at the marks left in `texts`."""
    out: list[str] = []
    owner: list[int] = []
    start: list[int] = []
    for i, row in enumerate(rows):
        text = texts[row]
        bounds = _bounds(text, batch.originals[row], batch.offsets(row)) if batch is not None else [
            (m.start(), m.end()) for m in _CLAUSE.finditer(text)]
        found = [(a, b) for a, b in bounds if b - a >= MIN_CLAUSE]
        if len(found) < 2 and (not found or found[0] == (0, len(text))):
            continue
        for a, b in found:
            out.append(text[a:b])
            owner.append(i)
            start.append(a)
    return out, owner, start


def _bounds(text: str, original: str, offsets: OffsetMap) -> list[tuple[int, int]]:
    """Clause spans of a normalised text: cut where the original between two kept characters
    holds a punctuation mark or a space."""
    ends, starts = offsets.ends.tolist(), offsets.starts.tolist()
    cuts = [0, *(i for i in range(1, len(text))
                 if ends[i - 1] < starts[i] and _MARK.search(original, ends[i - 1], starts[i])), len(text)]
    return [(a, b) for a, b in itertools.pairwise(cuts) if b > a]


def led_categories(parts: Sequence[HitColumns], rules: Mapping[str, RuleRef]) -> dict[int, set[str]]:
    """The categories each row already has a lead in, over every detector's hits."""
    led: dict[int, set[str]] = {}
    for part in parts:
        if not len(part):
            continue
        cats = [rules[lb].category if lb in rules else "" for lb in part.labels]
        for row, lid in zip(part.rows.tolist(), part.label_ids.tolist(), strict=True):
            led.setdefault(row, set()).add(cats[lid])
    return led


# the rows the detector's scan scored (sorted) and their (n, K) scores
Scored = tuple[npt.NDArray[np.int64], npt.NDArray[np.float64]]


def second_leads(model: MultiLabelModel, seconds: Sequence[Second], texts: Sequence[str],
                 parts: Sequence[HitColumns], rules: Mapping[str, RuleRef], make_hit: MakeHit,
                 batch: NormalizedBatch | None = None, scored: Scored | None = None) -> list[Hit]:
    """The alongside leads of a batch: rows led in another category that the model's first
    stage passes, at the scores the scan gave them (`scored`; else scored here)."""
    led = led_categories(parts, rules)
    wanted = {s.category for s in seconds}
    rows = np.array(sorted(r for r, cats in led.items() if any(
        c not in cats and cats - {c, ""} for c in wanted)), dtype=np.int64)
    if not rows.size:
        return []
    if scored is None:
        rows = rows[model.passing([texts[i] for i in rows.tolist()])]
        scores = model.full_scores([texts[i] for i in rows.tolist()])
    else:  # the scan's scores: no second pass of the model over the batch
        at = np.searchsorted(scored[0], rows)
        inside = (at < len(scored[0])) & (scored[0][np.minimum(at, len(scored[0]) - 1)] == rows)
        rows, scores = rows[inside], scored[1][at[inside]]
    if not rows.size:
        return []
    best = np.full(scores.shape, -1, dtype=np.int64)  # the clause a score comes from; -1: the whole
    by_clause = np.array([s.column for s in seconds if s.clauses], dtype=np.int64)
    pieces, owner, starts = clauses(texts, rows.tolist(), batch) if by_clause.size else ([], [], [])
    if pieces:
        piece_scores = model.full_scores(pieces)[:, by_clause]
        for c, i in enumerate(owner):
            better = piece_scores[c] > scores[i, by_clause]
            scores[i, by_clause[better]] = piece_scores[c, better]
            best[i, by_clause[better]] = c
    found: list[tuple[int, Second, float, int]] = []
    for second in seconds:
        for j in np.flatnonzero(scores[:, second.column] >= second.threshold).tolist():
            row = int(rows[j])
            cats = led[row]
            if second.category in cats or not cats - {second.category, ""}:
                continue  # already led in this category, or no other category to stand beside
            if not any(phrase in texts[row] for phrase in second.unless):
                found.append((row, second, float(scores[j, second.column]), int(best[j, second.column])))
    prose = official_rows(texts, np.unique([f[0] for f in found if not f[1].official_prose]))
    found = [f for f in found if f[1].official_prose or not prose[f[0]]]
    hits = []
    for row, second, score, clause in found:
        if clause < 0:
            ev = model.evidence_rows(texts, [row], [second.column])[0]
        else:  # the clause's evidence, placed in the whole message
            shift = starts[clause]
            ev = model.evidence_rows(pieces, [clause], [second.column])[0]
            ev = Evidence(tuple((s + shift, e + shift, w) for s, e, w in ev.spans))
        hits.append(make_hit(texts[row], row, second, score, ev))
    return hits


def as_columns(detector: str, hits: Sequence[Hit]) -> HitColumns:
    """One detector's few hits as one `HitColumns` (rows in order)."""
    hits = sorted(hits, key=lambda h: (h.row, h.label))
    labels = sorted({h.label for h in hits})
    whys = sorted({h.why for h in hits})
    lid = {label: i for i, label in enumerate(labels)}
    wid = {why: i for i, why in enumerate(whys)}
    return HitColumns(
        detector, labels, whys,
        np.array([h.row for h in hits], dtype=np.int64), np.array([h.start for h in hits], dtype=np.int64),
        np.array([h.end for h in hits], dtype=np.int64), np.array([lid[h.label] for h in hits], dtype=np.int64),
        np.array([wid[h.why] for h in hits], dtype=np.int64), np.array([h.score for h in hits], dtype=np.float64),
    )
