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
from redline.detectors.absent_acts import act_absent
from redline.detectors.classifiers.multilabel import Evidence
from redline.detectors.matchers import HitColumnsBuilder
from redline.detectors.register import official_rows

if TYPE_CHECKING:
    from redline.detectors.classifiers.multilabel import MultiLabelModel
    from redline.rules.plan import RuleRef
    from redline.text.normalize import NormalizedBatch


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
    checks: tuple[str, ...] = ()  # absent_acts.CHECKS names


# (text, row, second, score, evidence) -> the lead's hit, as the detector words it
MakeHit = Callable[[str, int, Second, float, "Evidence"], Hit]

_MARKS: Final = "，,。；;！!？?、 \t\n\r\u3000"  # what ends a clause
_CLAUSE: Final = re.compile(f"[^{re.escape(_MARKS)}]+")
_IS_MARK: Final = np.zeros(0x10000, dtype=bool)  # a lookup by code point (every mark is in the BMP)
_IS_MARK[[ord(c) for c in _MARKS]] = True
READ_EVERY_CLAUSE: bool = False  # bench.alongside_study: every clause read, not only where needed
MIN_CLAUSE: Final = 4  # characters: shorter pieces (好的, 收到) say too little to score alone


def clauses(texts: Sequence[str], rows: Sequence[int],
            batch: NormalizedBatch | None = None) -> tuple[list[str], list[int], list[int]]:
    """The clauses of `rows` worth scoring: their texts, the index into `rows` each comes from,
    and where each starts in its (normalised) message. A message of one clause has none.

    Normalisation drops punctuation, so with the batch at hand a clause ends where the original
    text between two kept characters holds a mark; without it, at the marks left in `texts`. A
    mark normalisation keeps (a comma between digits) stays inside its clause."""
    # with an identity map (nothing dropped) the marks are still in `texts`
    cuts = _cuts(batch, batch.src_starts, rows) if batch is not None and batch.src_starts is not None else None
    out: list[str] = []
    owner: list[int] = []
    start: list[int] = []
    for i, row in enumerate(rows):
        text = texts[row]
        if cuts is not None:
            if not cuts[i]:
                continue  # one clause: the whole message is it
            bounds = list(itertools.pairwise([0, *cuts[i], len(text)]))
        else:
            bounds = [(m.start(), m.end()) for m in _CLAUSE.finditer(text)]
        found = [(a, b) for a, b in bounds if b - a >= MIN_CLAUSE]
        if len(found) < 2 and (not found or found[0] == (0, len(text))):
            continue
        for a, b in found:
            out.append(text[a:b])
            owner.append(i)
            start.append(a)
    return out, owner, start


def _cuts(batch: NormalizedBatch, src_starts: npt.NDArray[np.int64], rows: Sequence[int]) -> list[list[int]]:
    """Per row, the normalised positions where a clause starts after a mark normalisation
    dropped: one vectorised pass over the rows' characters (prefix sums of the marks in the
    original join)."""
    joined = batch.texts.joined
    codes = np.frombuffer("\0".join(batch.originals).encode("utf-32-le"), dtype=np.uint32)
    prefix = np.concatenate([[0], np.cumsum(_IS_MARK[np.minimum(codes, len(_IS_MARK) - 1)])])
    idx = np.asarray(rows, dtype=np.int64)
    lo, hi = joined.row_starts[idx], joined.row_ends[idx]
    counts = np.maximum(hi - lo - 1, 0)  # the positions 1..len-1 of each row
    owner = np.repeat(np.arange(len(idx)), counts)
    pos = np.repeat(lo + 1, counts) + (np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts))
    ends = src_starts + 1 if batch.src_ends is None else batch.src_ends
    cut = prefix[src_starts[pos]] - prefix[ends[pos - 1]] > 0
    out: list[list[int]] = [[] for _ in idx]
    for i, p in zip(owner[cut].tolist(), (pos[cut] - lo[owner[cut]]).tolist(), strict=True):
        out[i].append(p)
    return out


def led_categories(n: int, parts: Sequence[HitColumns], rules: Mapping[str, RuleRef],
                   categories: Sequence[str]) -> npt.NDArray[np.bool_]:
    """(n, C + 1): whether each row already has a lead in each of `categories`; the last
    column, in any other category (political, governance, …)."""
    led = np.zeros((n, len(categories) + 1), dtype=bool)
    column = {c: i for i, c in enumerate(categories)}
    for part in parts:
        if not len(part):
            continue
        cats = np.array([column.get(rules[lb].category, len(categories)) if lb in rules else -1
                         for lb in part.labels], dtype=np.int64)[part.label_ids]
        known = cats >= 0  # a label of no rule files under no category
        led[part.rows[known], cats[known]] = True
    return led


# the rows the detector's scan scored (sorted) and their (n, K) scores
Scored = tuple[npt.NDArray[np.int64], npt.NDArray[np.float64]]


def second_leads(model: MultiLabelModel, seconds: Sequence[Second], texts: Sequence[str],
                 parts: Sequence[HitColumns], rules: Mapping[str, RuleRef], make_hit: MakeHit,
                 batch: NormalizedBatch | None = None, scored: Scored | None = None) -> list[Hit]:
    """The alongside leads of a batch: rows led in another category that the model's first
    stage passes, at the scores the scan gave them (`scored`; else scored here)."""
    led = led_categories(len(texts), parts, rules, model.categories)
    mine = np.array([model.categories.index(s.category) for s in seconds], dtype=np.int64)
    # open[j, s]: row j has a lead in another category than second s's, and none in s's
    open_ = ~led[:, mine] & (led.sum(axis=1, keepdims=True) > led[:, mine])
    rows = np.flatnonzero(open_.any(axis=1))
    open_ = open_[rows]
    if not rows.size:
        return []
    if scored is None:
        keep = model.passing([texts[i] for i in rows.tolist()])
        rows, open_ = rows[keep], open_[keep]
        scores = model.full_scores([texts[i] for i in rows.tolist()])
    elif not scored[0].size:
        return []  # the scan passed no row of the batch to the model
    else:  # the scan's scores: no second pass of the model over the batch
        at = np.searchsorted(scored[0], rows)
        inside = (at < len(scored[0])) & (scored[0][np.minimum(at, len(scored[0]) - 1)] == rows)
        rows, open_, scores = rows[inside], open_[inside], scored[1][at[inside]]
    if not rows.size:
        return []
    columns = np.array([s.column for s in seconds], dtype=np.int64)
    bounds = np.array([s.threshold for s in seconds])
    whole = open_ & (scores[:, columns] >= bounds)
    best = np.full(whole.shape, -1, dtype=np.int64)  # the clause a second's score comes from; -1: the whole
    # clauses are read where the whole message falls short (a study reads them everywhere, to
    # know each lead's highest score)
    reread = open_ & np.array([s.clauses for s in seconds], dtype=bool) & (READ_EVERY_CLAUSE | ~whole)
    at = np.flatnonzero(reread.any(axis=1))
    pieces, owner, starts = clauses(texts, rows[at].tolist(), batch) if at.size else ([], [], [])
    found = whole.copy()
    if pieces:
        piece_rows = at[np.array(owner, dtype=np.int64)]
        piece_scores = np.where(reread[piece_rows], model.full_scores(pieces)[:, columns], -1.0)
        top = np.full(whole.shape, -1.0)
        np.maximum.at(top, piece_rows, piece_scores)
        # the clause holding each row's top score (the last such clause, when two tie)
        holder = np.nonzero((piece_scores >= 0) & (piece_scores == top[piece_rows]))
        best[piece_rows[holder[0]], holder[1]] = holder[0]
        wins = (best >= 0) & (top >= bounds) & (top > scores[:, columns])
        best[~wins] = -1
        scores[:, columns] = np.where(wins, top, scores[:, columns])
        found |= wins
    picked: list[tuple[int, Second, float, int]] = []
    for j, k in zip(*np.nonzero(found), strict=True):
        second, row = seconds[int(k)], int(rows[j])
        if not act_absent(texts[row], second.unless, second.checks):
            picked.append((row, second, float(scores[j, second.column]), int(best[j, k])))
    prose = official_rows(texts, np.unique([f[0] for f in picked if not f[1].official_prose]))
    picked = [f for f in picked if f[1].official_prose or not prose[f[0]]]
    # evidence in two batched passes: whole messages, then clauses (placed in their message)
    in_whole = [f for f in picked if f[3] < 0]
    in_clause = [f for f in picked if f[3] >= 0]
    evidence = model.evidence_rows(texts, [f[0] for f in in_whole], [f[1].column for f in in_whole])
    hits = [make_hit(texts[row], row, second, score, ev)
            for (row, second, score, _), ev in zip(in_whole, evidence, strict=True)]
    evidence = model.evidence_rows(pieces, [f[3] for f in in_clause], [f[1].column for f in in_clause])
    for (row, second, score, clause), ev in zip(in_clause, evidence, strict=True):
        shift = starts[clause]
        hits.append(make_hit(texts[row], row, second, score,
                             Evidence(tuple((s + shift, e + shift, w) for s, e, w in ev.spans))))
    return hits


def as_columns(detector: str, hits: Sequence[Hit]) -> HitColumns:
    """One detector's few hits as one `HitColumns` (rows in order)."""
    labels = sorted({h.label for h in hits})
    lid = {label: i for i, label in enumerate(labels)}
    out = HitColumnsBuilder()
    for h in sorted(hits, key=lambda h: (h.row, h.label)):
        out.add(h.row, lid[h.label], h.start, h.end, h.score, h.why)
    return out.build(detector, labels)
