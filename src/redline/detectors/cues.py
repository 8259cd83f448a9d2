"""Cue vocabularies: a weak cue becomes a lead only with a context word nearby (Presidio style).

A detector built on a `CueVocabulary` finds its strong cues (a lead on their own), weak cues
(e.g. 牛牛, 红包) and context words (stakes, 关照, an addressee) with ONE literal database per
batch, then scores per message: weak cue + context within `window` characters = a hit whose
span covers both; strong cue = a hit, boosted by context. The `why` records the evidence.
Weak cues with a slot (投<someone>一票) are patterns: their fixed part (一票) is found with the
literals, and the pattern is run only around it, in the few rows that have it.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar, Final

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from redline.contracts import BuildContext, Hit, HitColumns, Trigger, config_as
from redline.detectors.matchers import HitColumnsBuilder, LiteralMatcher
from redline.detectors.notices import drop_notice_hits, quoted_mask
from redline.text.joined import JoinedText, joined_view
from redline.text.normalize import normalize_text

STRONG_BASE: Final = 0.8
WEAK_BASE: Final = 0.4
CONTEXT_BOOST: Final = 0.35  # weak + context = 0.75; strong + context = 0.95 (capped)
_STRONG, _WEAK, _CONTEXT, _ANCHOR, _SLOT, _NOT_CONTEXT = 0, 1, 2, 3, 4, 5  # _SLOT: a weak pattern's match
_ANCHOR_MARK: Final = "\x01"  # prefix that keeps an anchor's key apart from a cue of the same text
_PATTERN_REACH: Final = 12  # characters around an anchor a weak pattern may cover


class CueConfig(BaseModel):
    """`- gambling: {}` or `- gambling: {window: 20}` (characters between cue and context)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    window: int = Field(default=16, ge=1, le=500)


@dataclass(frozen=True, slots=True)
class CueVocabulary:
    """Built-in terms of one cue detector (written in simplified Chinese; normalised at build)."""

    strong: tuple[str, ...]
    weak: tuple[str, ...]
    context: tuple[str, ...]
    context_name: str  # how `why` names a context word: "stake", "addressee", …
    # weak cues with a slot: (anchor literal, regex on normalised text, name in `why`);
    # the regex's match must contain the anchor
    weak_patterns: tuple[tuple[str, str, str], ...] = ()
    # longer words that hold a context word without being one (党的领导 is the party's
    # leadership, not a leader addressed): a context word inside one of them does not count
    not_context: tuple[str, ...] = ()


class CueDetector:
    """Base of the cue detectors; subclasses set `name`, `Config` and `VOCABULARY` only."""

    name: ClassVar[str] = ""
    Config: ClassVar[type[BaseModel]] = CueConfig
    VOCABULARY: ClassVar[CueVocabulary]

    def __init__(self, labels: list[tuple[str, int]], literals: list[str], kinds: list[int]) -> None:
        self._labels = labels  # (trigger label, window)
        self._literals = literals
        self._kinds = kinds
        # two stages: cues over the whole batch, context words only in the rows with a cue
        self._cue_ids = [i for i, k in enumerate(kinds) if k not in (_CONTEXT, _NOT_CONTEXT)]
        self._context_ids = [i for i, k in enumerate(kinds) if k in (_CONTEXT, _NOT_CONTEXT)]
        self._cues = LiteralMatcher([literals[i].lstrip(_ANCHOR_MARK) for i in self._cue_ids])
        self._context = LiteralMatcher([literals[i] for i in self._context_ids])
        # patterns by anchor literal id (anchors are literals of kind _ANCHOR)
        self._patterns: dict[int, list[tuple[re.Pattern[str], str]]] = defaultdict(list)
        for anchor, pattern, name in self.VOCABULARY.weak_patterns:
            self._patterns[literals.index(_anchor_key(anchor))].append((re.compile(pattern), name))

    @classmethod
    def build(cls, triggers: Sequence[Trigger], ctx: BuildContext) -> CueDetector:
        """Literal databases for the vocabulary; every trigger gets every hit."""
        labels = [(t.label, config_as(t, CueConfig).window) for t in triggers]
        kind_of: dict[str, int] = {}
        vocab = cls.VOCABULARY
        # a term listed under several kinds keeps the strongest
        for kind, terms in ((_CONTEXT, vocab.context), (_NOT_CONTEXT, vocab.not_context), (_WEAK, vocab.weak),
                            (_STRONG, vocab.strong)):
            for term in terms:
                kind_of[normalize_text(term)] = kind
        for anchor, _, _ in vocab.weak_patterns:
            kind_of[_anchor_key(anchor)] = _ANCHOR
        literals = sorted(kind_of)
        return cls(labels, literals, [kind_of[lit] for lit in literals])

    def scan(self, texts: Sequence[str]) -> list[Hit]:
        """Hits per trigger label; offsets in the normalised texts."""
        return self.scan_columns(texts).to_hits()

    def scan_columns(self, texts: Sequence[str]) -> HitColumns:
        """`scan` as columns (no Hit object per hit)."""
        out = HitColumnsBuilder()
        if not self._labels:
            return out.build(self.name, [])
        joined = joined_view(texts)
        cues = self._cues.scan(joined)
        if not len(cues):
            return out.build(self.name, [])
        # a cue a notice quotes is no cue (换届严禁拉票, 红包厂): judged on the cue's own span,
        # before a context word (换届, 投产) widens it past the prohibition or the place suffix
        quoted = quoted_mask(HitColumns(self.name, ("",), ("",), cues.rows, cues.starts, cues.ends,
                                        np.zeros(len(cues), dtype=np.int64), np.zeros(len(cues), dtype=np.int64),
                                        np.zeros(len(cues))), joined).tolist()
        per_row: dict[int, list[tuple[int, int, int, int]]] = defaultdict(list)
        for pid, row, start, end, skip in zip(
            cues.ids.tolist(), cues.rows.tolist(), cues.starts.tolist(), cues.ends.tolist(), quoted, strict=True
        ):
            if skip:
                continue
            literal = self._cue_ids[pid]
            if self._kinds[literal] == _ANCHOR:
                per_row[row].extend(self._pattern_cues(texts[row], literal, start, end))
            else:
                per_row[row].append((self._kinds[literal], literal, start, end))
        rows = sorted(row for row, matches in per_row.items() if matches)
        if not rows:
            return out.build(self.name, [label for label, _ in self._labels])
        context = self._context.scan(JoinedText.from_texts([texts[r] for r in rows]))
        for pid, sub, start, end in zip(
            context.ids.tolist(), context.rows.tolist(), context.starts.tolist(), context.ends.tolist(),
            strict=True,
        ):
            literal = self._context_ids[pid]
            per_row[rows[sub]].append((self._kinds[literal], literal, start, end))
        for row in rows:
            per_row[row] = _without_void_contexts(per_row[row])
        for row, matches in per_row.items():
            contexts = [m for m in matches if m[0] == _CONTEXT]
            for index, (_, window) in enumerate(self._labels):
                scored = [
                    self._score(window, kind, pid, start, end, contexts)
                    for kind, pid, start, end in matches
                    if kind != _CONTEXT and not _inside_longer_cue(matches, kind, start, end)
                ]
                for start, end, score, why in _merge([h for h in scored if h is not None]):
                    out.add(row, index, start, end, score, why)
        return drop_notice_hits(out.build(self.name, [label for label, _ in self._labels]), joined)

    def _pattern_cues(self, text: str, anchor: int, start: int, end: int) -> list[tuple[int, int, int, int]]:
        """Weak cues from the patterns of one anchor found at [start, end): (_SLOT, anchor, start, end)."""
        lo, hi = max(0, start - _PATTERN_REACH), min(len(text), end + _PATTERN_REACH)
        return [
            (_SLOT, anchor, m.start(), m.end())
            for pattern, _ in self._patterns[anchor]
            for m in pattern.finditer(text, lo, hi)
            if m.start() <= start and m.end() >= end
        ]

    def _cue_name(self, pid: int) -> str:
        if self._kinds[pid] == _ANCHOR:
            return " / ".join(name for _, name in self._patterns[pid])
        return self._literals[pid]

    def _score(
        self, window: int, kind: int, pid: int, start: int, end: int,
        contexts: list[tuple[int, int, int, int]],
    ) -> _Scored | None:
        near = [
            c for c in contexts
            if c[2] < end + window and c[3] > start - window and not (c[2] >= start and c[3] <= end)
        ]
        cue = self._cue_name(pid)
        if kind in (_WEAK, _SLOT) and not near:
            return None
        score = STRONG_BASE if kind == _STRONG else WEAK_BASE
        why = f"{'strong' if kind == _STRONG else 'weak'} cue {cue}"
        if near:
            best = min(near, key=lambda c: min(abs(c[2] - end), abs(start - c[3])))
            score = min(0.95, score + CONTEXT_BOOST)
            why += f"; {self.VOCABULARY.context_name} {self._literals[best[1]]}"
            start, end = min(start, best[2]), max(end, best[3])
        return start, end, score, why


_Scored = tuple[int, int, float, str]  # start, end, score, why


def _merge(hits: list[_Scored]) -> list[_Scored]:
    """One hit per run of overlapping hits: the union span, the best score and its `why`."""
    merged: list[_Scored] = []
    for hit in sorted(hits, key=lambda h: (h[0], h[1])):
        last = merged[-1] if merged else None
        if last is not None and hit[0] < last[1]:
            best = hit if hit[2] > last[2] else last
            merged[-1] = (last[0], max(last[1], hit[1]), best[2], best[3])
        else:
            merged.append(hit)
    return merged


def _without_void_contexts(matches: list[tuple[int, int, int, int]]) -> list[tuple[int, int, int, int]]:
    """The matches without the not-context words and the context words inside one of them."""
    void = [(s, e) for k, _, s, e in matches if k == _NOT_CONTEXT]
    if not void:
        return matches
    return [m for m in matches if m[0] != _NOT_CONTEXT
            and not (m[0] == _CONTEXT and any(s <= m[2] and m[3] <= e for s, e in void))]


def _inside_longer_cue(matches: list[tuple[int, int, int, int]], kind: int, start: int, end: int) -> bool:
    """True if a longer cue covers this one (红包扫雷 makes 扫雷 redundant), or a listed cue
    the same span as a pattern's match (投我一票 is named, not 投…一票)."""
    return any(
        k != _CONTEXT and s <= start and e >= end and k <= kind
        and ((e - s) > (end - start) or (kind == _SLOT and k != _SLOT))
        for k, _, s, e in matches
    )


def _anchor_key(anchor: str) -> str:
    """An anchor's literal, kept apart from a cue or context word of the same text."""
    return _ANCHOR_MARK + normalize_text(anchor)
