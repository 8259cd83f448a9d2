"""The lexicon detector: every lexicon term of every rule in ONE literal automaton.

Terms are normalised exactly as messages are (so 紅包, ＨＯＮＧＢＡＯ and 红 包 all meet
红包), then compiled together into one hyperscan literal database scanned once per batch.
A term of two or more 汉字 also matches its romanised and mixed-script spellings
(``hongbao``, ``hong bao``, ``jimi wenjian``, ``机mi文件``: `redline.text.pinyin`) unless it
carries the ``|exact`` flag (for a term whose pinyin is a common word); a two-character term
that a segmenter finds split across two words (快转 in 加快转变) is no hit unless it carries
``|inword`` (`segments`); ``红包|initials``
also matches ``hb``. Romanised forms match whole words only (initials are noisy).
Stuttered spellings (红红包包, 不得得外传) are found on the repeat-collapsed view of the rows
that repeat a 汉字, for terms that do not repeat a character themselves (牛牛 stays literal).
A term quoted by a rule reminder (严禁…机密文件) is no hit (`notices`).
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

from redline.contracts import BuildContext, Hit, HitColumns, Trigger
from redline.detectors.matchers import LiteralMatcher
from redline.detectors.notices import drop_notice_hits
from redline.detectors.register import official_register
from redline.detectors.segments import split_by_words
from redline.errors import PackError
from redline.text.joined import joined_view
from redline.text.normalize import normalize_text
from redline.text.pinyin import is_han, spellings
from redline.text.repeats import collapse_repeats

_FLAGS: Final = frozenset({"pinyin", "initials", "exact", "inword", "org"})
# A term the organisation added (`|org`, rules/lexicons.merge_terms) hits at full strength: a
# model veto drops only weak hits (under its `hits_under`), and the organisation's own list is
# its judgement, not ours to overrule with a model that has never seen its new words.
ORG_TERM_SCORE: Final = 1.0
_WORD: Final = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")
FULL_SPELLINGS_MAX: Final = 1000  # lexicons up to this many terms get every romanised spelling
_STUTTER: Final = " (repeated characters)"  # appended to the `why` of a stuttered match


class LexiconConfig(BaseModel):
    """`- lexicon: gift-offers` or `- lexicon: {lexicon: [a, b], score: 0.8}`.

    `official_prose: false`: no hit in a sentence of official prose (`register`), for a list of
    chat's topics (off-topic: 股票 in "规范国有企业股票投资行为" is a report's field of work, not
    chat about the market). By default a rule reads official prose too: a leak in formal
    words is a leak.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    lexicon: list[str] = Field(min_length=1)
    score: float = Field(default=0.7, ge=0.0, le=1.0)
    official_prose: bool = True

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
    inword: bool = False  # `|inword`: a hit inside a longer word counts (see `segments`)
    chat_only: bool = False  # the trigger's `official_prose: false`: no hit in official prose

    @property
    def why(self) -> str:
        return f"term {self.term}" if self.form == "term" else f"term {self.term} ({self.form})"


def parse_term(raw: str) -> tuple[str, frozenset[str]]:
    """`红包|initials` → ("红包", {"initials"}); unknown flags raise PackError."""
    term, *flags = (part.strip() for part in raw.split("|"))
    unknown = set(flags) - _FLAGS
    if unknown:
        raise PackError(f"term {raw!r}: unknown flag(s) {sorted(unknown)} (known: {', '.join(sorted(_FLAGS))})")
    return term, frozenset(flags)


def term_forms(raw: str, *, full: bool = True) -> list[tuple[str, str]]:
    """The normalised literals one lexicon entry stands for, with their form (`full`: every
    romanised spelling; otherwise whole pinyin only, see `redline.text.pinyin.spellings`)."""
    term, flags = parse_term(raw)
    norm = normalize_text(term)
    if not norm.strip():
        return []
    forms = [(norm, "term")]
    if "exact" not in flags:
        forms += [(spelling, "pinyin") for spelling in spellings(norm, full=full)]
    if "initials" in flags:
        from pypinyin import Style, lazy_pinyin  # ~0.3 s to import: only when lexicons are compiled

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
        self._lengths = np.array([len(lit) for lit in literals], dtype=np.int64)
        # every literal's entries flattened into columns, so that a match expands to its hits
        # with numpy (no Python object per hit); whys: the plain notes, then the stutter notes
        labels = sorted({entry.label for group in entries for entry in group})
        whys = sorted({entry.why for group in entries for entry in group})
        label_id = {label: i for i, label in enumerate(labels)}
        why_id = {why: i for i, why in enumerate(whys)}
        flat = [entry for group in entries for entry in group]
        self._labels = tuple(labels)
        self._whys = tuple(whys) + tuple(why + _STUTTER for why in whys)
        counts = np.array([len(group) for group in entries], dtype=np.int64)
        self._entry_counts = counts
        self._entry_first = np.cumsum(counts) - counts
        self._entry_label = np.array([label_id[e.label] for e in flat], dtype=np.int64)
        self._entry_why = np.array([why_id[e.why] for e in flat], dtype=np.int64)
        self._entry_score = np.array([e.score for e in flat], dtype=np.float64)
        self._entry_word = np.array([e.form != "term" for e in flat], dtype=np.bool_)  # whole words only
        self._entry_chat_only = np.array([e.chat_only for e in flat], dtype=np.bool_)
        # two-character 汉字 terms a segmenter may find split across two words (快转 in 加快转变)
        self._entry_splittable = np.array(
            [e.form == "term" and not e.inword and len(normalize_text(e.term)) == 2 and _has_han(e.term)
             for e in flat], dtype=np.bool_)
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
                # a long list (an organisation's project and firm names) gets whole-pinyin
                # spellings only: every split and mix of 10,000 terms is ~200,000 literals
                # and 15 s of compiling for spellings nobody types
                full = len(ctx.lexicons[name]) <= FULL_SPELLINGS_MAX
                for raw in ctx.lexicons[name]:
                    term, flags = parse_term(raw)
                    for literal, form in term_forms(raw, full=full):
                        score = ORG_TERM_SCORE if "org" in flags else config.score
                        entry = _Entry(trigger.label, term, form, score, "inword" in flags,
                                       not config.official_prose)
                        if entry not in by_literal[literal]:
                            by_literal[literal].append(entry)
        literals = sorted(by_literal)
        return cls(literals, [by_literal[lit] for lit in literals], LiteralMatcher(literals, ctx.cache_dir))

    def scan(self, texts: Sequence[str]) -> list[Hit]:
        """One pass over the batch (and one over its few stuttering rows); normalised offsets."""
        return self.scan_columns(texts).to_hits()

    def scan_columns(self, texts: Sequence[str]) -> HitColumns:
        """`scan` as columns: every match expanded to its entries' hits with numpy."""
        joined = joined_view(texts)
        found = self._matcher.scan(joined)
        # one literal matches once per position and its entries are distinct: no dedupe here
        rows, starts, ends, entries = self._expand(texts, found.ids, found.rows, found.starts, found.ends)
        why_ids = self._entry_why[entries]
        collapsed = collapse_repeats(joined, self._bigrams) if self._collapsible.any() else None
        if collapsed is not None:
            more = self._matcher.scan(collapsed.joined)
            ok = self._collapsible[more.ids]
            c_rows, c_starts, c_ends = collapsed.to_batch(more.rows[ok], more.starts[ok], more.ends[ok])
            ids = more.ids[ok]
            stutter = (c_ends - c_starts) > self._lengths[ids]  # plain matches are already reported
            s_rows, s_starts, s_ends, s_entries = self._expand(
                texts, ids[stutter], c_rows[stutter], c_starts[stutter], c_ends[stutter])
            keep = self._new_stutters(rows, starts, ends, entries, s_rows, s_starts, s_ends, s_entries)
            rows = np.concatenate([rows, s_rows[keep]])
            starts = np.concatenate([starts, s_starts[keep]])
            ends = np.concatenate([ends, s_ends[keep]])
            why_ids = np.concatenate([why_ids, self._entry_why[s_entries[keep]] + len(self._whys) // 2])
            entries = np.concatenate([entries, s_entries[keep]])
        keep = _first_of_overlaps(rows, entries, starts, ends)
        keep &= ~split_by_words(texts, rows, starts, ends, keep & self._entry_splittable[entries])
        keep &= ~_in_official_prose(texts, rows, keep & self._entry_chat_only[entries])
        columns = HitColumns(
            self.name, self._labels, self._whys, rows[keep], starts[keep], ends[keep],
            self._entry_label[entries[keep]], why_ids[keep], self._entry_score[entries[keep]],
        )
        return drop_notice_hits(columns, joined)

    def _expand(
        self, texts: Sequence[str], ids: npt.NDArray[np.int64], rows: npt.NDArray[np.int64],
        starts: npt.NDArray[np.int64], ends: npt.NDArray[np.int64],
    ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.int64]]:
        """Each match → one hit per entry of its literal (in entry order): rows, starts, ends, entries.

        Romanised forms (pinyin, initials) must stand as whole words; only those few are
        checked in Python.
        """
        counts = self._entry_counts[ids]
        total = int(counts.sum())
        match = np.repeat(np.arange(len(ids), dtype=np.int64), counts)
        entries = np.repeat(self._entry_first[ids] - (np.cumsum(counts) - counts), counts)
        entries += np.arange(total, dtype=np.int64)
        rows, starts, ends = rows[match], starts[match], ends[match]
        word = np.flatnonzero(self._entry_word[entries])
        if len(word):
            keep = np.ones(total, dtype=np.bool_)
            for i, row, start, end in zip(word.tolist(), rows[word].tolist(), starts[word].tolist(),
                                          ends[word].tolist(), strict=True):
                keep[i] = _whole_word(texts[row], start, end)
            rows, starts, ends, entries = rows[keep], starts[keep], ends[keep], entries[keep]
        return rows, starts, ends, entries

    def _new_stutters(
        self, rows: npt.NDArray[np.int64], starts: npt.NDArray[np.int64], ends: npt.NDArray[np.int64],
        entries: npt.NDArray[np.int64], s_rows: npt.NDArray[np.int64], s_starts: npt.NDArray[np.int64],
        s_ends: npt.NDArray[np.int64], s_entries: npt.NDArray[np.int64],
    ) -> npt.NDArray[np.bool_]:
        """Which stutter hits to keep: the first per (row, label, span), and none that overlaps
        a plain hit of the same trigger (a stutter around a plain match adds nothing: 红红包包).
        Stutter rows are few: plain hits are looked at in those rows only."""
        keep = np.zeros(len(s_rows), dtype=np.bool_)
        if not len(s_rows):
            return keep
        plain: dict[tuple[int, int], list[tuple[int, int]]] = defaultdict(list)
        stutter_row = np.zeros(int(max(rows.max(initial=0), s_rows.max())) + 1, dtype=np.bool_)
        stutter_row[s_rows] = True
        near = np.flatnonzero(stutter_row[rows])
        for row, lid, start, end in zip(rows[near].tolist(), self._entry_label[entries[near]].tolist(),
                                        starts[near].tolist(), ends[near].tolist(), strict=True):
            plain[(row, lid)].append((start, end))
        seen: set[tuple[int, int, int, int]] = set()
        for i, (row, lid, start, end) in enumerate(zip(
            s_rows.tolist(), self._entry_label[s_entries].tolist(), s_starts.tolist(), s_ends.tolist(),
            strict=True,
        )):
            key = (row, lid, start, end)
            if key in seen:
                continue
            seen.add(key)
            keep[i] = not _overlaps(plain.get((row, lid), []), start, end)
        return keep


def _first_of_overlaps(
    rows: npt.NDArray[np.int64], entries: npt.NDArray[np.int64], starts: npt.NDArray[np.int64],
    ends: npt.NDArray[np.int64],
) -> npt.NDArray[np.bool_]:
    """Keep-mask: one hit per run of a term overlapping itself (牛牛牛牛 holds 牛牛 three times;
    the reviewer wants one lead, not three)."""
    if len(rows) < 2:
        return np.ones(len(rows), dtype=np.bool_)
    order = np.lexsort((starts, entries, rows))
    r, e, s, t = rows[order], entries[order], starts[order], ends[order]
    repeat = np.zeros(len(order), dtype=np.bool_)
    repeat[1:] = (r[1:] == r[:-1]) & (e[1:] == e[:-1]) & (s[1:] < t[:-1])
    keep = np.ones(len(order), dtype=np.bool_)
    keep[order[repeat]] = False
    return keep


def _in_official_prose(
    texts: Sequence[str], rows: npt.NDArray[np.int64], asked: npt.NDArray[np.bool_],
) -> npt.NDArray[np.bool_]:
    """True for the `asked` hits whose message reads as official prose; the register is
    judged once per row, only for the few rows with such a hit."""
    out = np.zeros(len(rows), dtype=np.bool_)
    if not asked.any():
        return out
    candidates = np.unique(rows[asked])
    prose = candidates[official_register([texts[r] for r in candidates.tolist()])]
    out[asked] = np.isin(rows[asked], prose)
    return out


def _overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(s < end and start < e for s, e in spans)


def _has_han(text: str) -> bool:
    return any(is_han(ch) for ch in text)


def _repeats(text: str) -> bool:
    return any(a == b for a, b in itertools.pairwise(text))


def _whole_word(text: str, start: int, end: int) -> bool:
    return (start == 0 or text[start - 1] not in _WORD) and (end >= len(text) or text[end] not in _WORD)
