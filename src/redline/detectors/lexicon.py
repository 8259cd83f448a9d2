"""The lexicon detector: every lexicon term of every rule in ONE literal automaton.

Terms are normalised exactly as messages are (so 紅包, ＨＯＮＧＢＡＯ and 红 包 all meet
红包), then compiled together into one hyperscan literal database scanned once per batch.
A term may opt in to pinyin matching with flags kept in the term string (scan.plan
conventions): ``红包|pinyin`` also matches ``hongbao`` / ``hong bao``, ``红包|initials``
also matches ``hb`` (romanised forms match whole words only: initials are noisy).
Stuttered spellings (红红包包, 不得得外传) are found on the repeat-collapsed view of the rows
that repeat a 汉字, for terms that do not repeat a character themselves (牛牛 stays literal).
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar, Final

import numpy as np
import numpy.typing as npt
from pydantic import BaseModel, ConfigDict, Field, field_validator
from pypinyin import Style, lazy_pinyin

from redline.contracts import BuildContext, Hit, Trigger
from redline.detectors.matchers import LiteralMatcher
from redline.errors import PackError
from redline.text.joined import joined_view
from redline.text.normalize import normalize_text
from redline.text.repeats import collapse_repeats

_FLAGS: Final = frozenset({"pinyin", "initials"})
_WORD: Final = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")


class LexiconConfig(BaseModel):
    """`- lexicon: gift-offers` or `- lexicon: {lexicon: [a, b], score: 0.8}`."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    lexicon: list[str] = Field(min_length=1)
    score: float = Field(default=0.7, ge=0.0, le=1.0)

    @field_validator("lexicon", mode="before")
    @classmethod
    def _one_or_many(cls, value: object) -> object:
        return [value] if isinstance(value, str) else value


@dataclass(frozen=True, slots=True)
class _Entry:
    label: str
    term: str  # the term as written in the lexicon (for `why`)
    form: str  # "term", "pinyin" or "initials"
    score: float

    @property
    def why(self) -> str:
        return f"term {self.term}" if self.form == "term" else f"term {self.term} ({self.form})"


def parse_term(raw: str) -> tuple[str, frozenset[str]]:
    """`红包|pinyin|initials` → ("红包", {"pinyin", "initials"}); unknown flags raise PackError."""
    term, *flags = (part.strip() for part in raw.split("|"))
    unknown = set(flags) - _FLAGS
    if unknown:
        raise PackError(f"term {raw!r}: unknown flag(s) {sorted(unknown)} (known: pinyin, initials)")
    return term, frozenset(flags)


def term_forms(raw: str) -> list[tuple[str, str]]:
    """The normalised literals one lexicon entry stands for, with their form."""
    term, flags = parse_term(raw)
    norm = normalize_text(term)
    if not norm.strip():
        return []
    forms = [(norm, "term")]
    if "pinyin" in flags:
        syllables = lazy_pinyin(norm, style=Style.NORMAL)
        forms += [("".join(syllables), "pinyin"), (" ".join(syllables), "pinyin")]
    if "initials" in flags:
        forms.append(("".join(lazy_pinyin(norm, style=Style.FIRST_LETTER)), "initials"))
    return forms


class LexiconDetector:
    """Built lexicon detector: one automaton for all lexicon triggers of a plan."""

    name: ClassVar[str] = "lexicon"
    Config: ClassVar[type[BaseModel]] = LexiconConfig

    def __init__(self, literals: list[str], entries: list[list[_Entry]], matcher: LiteralMatcher) -> None:
        self._literals = literals
        self._entries = entries
        self._matcher = matcher
        self._whys = [[entry.why for entry in group] for group in entries]  # built once, not per hit
        self._lengths = np.array([len(lit) for lit in literals], dtype=np.int64)
        # literals the collapsed view may report: 汉字 terms with no repeated character
        self._collapsible = np.array(
            [len(lit) >= 2 and _has_han(lit) and not _repeats(lit) for lit in literals], dtype=np.bool_
        )
        pairs = {(ord(a) << 21) | ord(b) for lit, ok in zip(literals, self._collapsible, strict=True)
                 if ok for a, b in itertools.pairwise(lit)}
        self._bigrams = np.array(sorted(pairs), dtype=np.int64)

    @classmethod
    def build(cls, triggers: Sequence[Trigger], ctx: BuildContext) -> LexiconDetector:
        """Compile every term of every trigger's lexicons into one literal database."""
        by_literal: dict[str, list[_Entry]] = defaultdict(list)
        for trigger in triggers:
            config = trigger.config
            if not isinstance(config, LexiconConfig):
                raise PackError(f"{trigger.label}: lexicon trigger with a {type(config).__name__}")
            for name in config.lexicon:
                if name not in ctx.lexicons:
                    raise PackError(f"{trigger.label}: unknown lexicon {name!r}")
                for raw in ctx.lexicons[name]:
                    term = parse_term(raw)[0]
                    for literal, form in term_forms(raw):
                        entry = _Entry(trigger.label, term, form, config.score)
                        if entry not in by_literal[literal]:
                            by_literal[literal].append(entry)
        literals = sorted(by_literal)
        return cls(literals, [by_literal[lit] for lit in literals], LiteralMatcher(literals, ctx.cache_dir))

    def scan(self, texts: Sequence[str]) -> list[Hit]:
        """One pass over the batch (and one over its few stuttering rows); normalised offsets."""
        joined = joined_view(texts)
        found = self._matcher.scan(joined)
        hits: list[Hit] = []
        # one literal matches once per position and its entries are distinct: no dedupe here
        self._emit(texts, found.ids, found.rows, found.starts, found.ends, "", hits, None)
        collapsed = collapse_repeats(joined, self._bigrams) if self._collapsible.any() else None
        if collapsed is not None:
            more = self._matcher.scan(collapsed.joined)
            ok = self._collapsible[more.ids]
            rows, starts, ends = collapsed.to_batch(more.rows[ok], more.starts[ok], more.ends[ok])
            ids = more.ids[ok]
            stutter = (ends - starts) > self._lengths[ids]  # plain matches are already reported
            plain: dict[tuple[int, str], list[tuple[int, int]]] = defaultdict(list)
            for h in hits:
                plain[(h.row, h.label)].append((h.start, h.end))
            more_hits: list[Hit] = []
            self._emit(texts, ids[stutter], rows[stutter], starts[stutter], ends[stutter],
                       " (repeated characters)", more_hits, set())
            # a stutter around a plain match of the same trigger adds nothing (红红包包)
            hits.extend(h for h in more_hits if not _overlaps(plain.get((h.row, h.label), []), h))
        return hits

    def _emit(
        self, texts: Sequence[str], ids: npt.NDArray[np.int64], rows: npt.NDArray[np.int64],
        starts: npt.NDArray[np.int64], ends: npt.NDArray[np.int64], note: str, hits: list[Hit],
        seen: set[tuple[int, str, int, int]] | None,
    ) -> None:
        """Hits for matched literals; `seen` dedupes a second pass against the first."""
        name, whys = self.name, self._whys
        for pid, row, start, end in zip(ids.tolist(), rows.tolist(), starts.tolist(), ends.tolist(), strict=True):
            for entry, why in zip(self._entries[pid], whys[pid], strict=True):
                if entry.form != "term" and not _whole_word(texts[row], start, end):
                    continue
                if seen is not None:
                    key = (row, entry.label, start, end)
                    if key in seen:
                        continue
                    seen.add(key)
                hits.append(Hit(row, name, entry.label, start, end, entry.score, why + note))


def _overlaps(spans: list[tuple[int, int]], hit: Hit) -> bool:
    return any(start < hit.end and hit.start < end for start, end in spans)


def _has_han(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" for ch in text)


def _repeats(text: str) -> bool:
    return any(a == b for a, b in itertools.pairwise(text))


def _whole_word(text: str, start: int, end: int) -> bool:
    return (start == 0 or text[start - 1] not in _WORD) and (end >= len(text) or text[end] not in _WORD)
