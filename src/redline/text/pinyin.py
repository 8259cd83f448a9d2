"""Romanised spellings of a 汉字 term: the ways people type a word to slip past a filter.

Evaders write a banned word in pinyin (jimi, ji mi), split at word boundaries (jimi wenjian),
or mix scripts (机mi文件, ji密). `spellings` lists those forms for one normalised term so
that the lexicon detector can put them in its one literal database: matching stays one
pass per batch, however many spellings there are.
"""

from __future__ import annotations

import functools
import itertools
from typing import Final

from redline.text.tables import fold_tables

MIXED_MAX: Final = 4  # mixed 汉字/pinyin spellings for terms up to this long (3^(n-1)·2^n forms)
SPACED_MAX: Final = 6  # every split into words for pinyin terms up to this long (2^(n-1) forms)
READINGS_MAX: Final = 8  # readings of a term with polyphones (不得外传: wai chuan / wai zhuan)


def is_han(ch: str) -> bool:
    """A Han ideograph, by the normaliser's own table (the same test the scan applies)."""
    return bool(fold_tables().han[ord(ch)])


def syllables(term: str) -> list[str] | None:
    """One pinyin syllable per character (context-aware: 银行 → yin hang), or None if the term
    is not all 汉字 (romanising only part of VPN账号 would say nothing new)."""
    if not term or not all(is_han(ch) for ch in term):
        return None
    from pypinyin import Style, lazy_pinyin  # ~0.3 s to import: only when lexicons are compiled

    out = lazy_pinyin(term, style=Style.NORMAL)
    return out if len(out) == len(term) and all(s.isascii() and s.isalpha() for s in out) else None


def readings(term: str) -> list[list[str]]:
    """The term's pinyin readings: the reading in context first, then with a polyphone read
    as the character alone (pypinyin reads 传 in 不得外传 as zhuan; people type chuan), at
    most READINGS_MAX. Rare readings (红 gong) are left out: gongbao is 宫保, not 红包."""
    first = syllables(term)
    if first is None:
        return []
    options = []
    for ch, sound in zip(term, first, strict=True):
        alone = _alone(ch)
        options.append(list(dict.fromkeys([sound, alone] if alone.isascii() and alone.isalpha() else [sound])))
    return [list(combo) for combo in itertools.islice(itertools.product(*options), READINGS_MAX)]


def spellings(term: str, *, full: bool = True) -> list[str]:
    """The romanised and mixed-script spellings of an all-汉字 term (not the term itself).

    - all pinyin, joined or split into words anywhere (hongbao, hong bao; jimi wenjian);
      ü also as u (lvka, luka);
    - for short terms, every mix of 汉字 and pinyin (机mi文件, ji密文件), with or without a
      space between neighbouring syllables.
    `full=False` keeps the all-pinyin forms joined or fully spaced only (jimiwenjian,
    ji mi wen jian): a tenth of the literals, for lists of thousands of terms.
    """
    if len(term) < 2:
        return []
    out: dict[str, None] = {}
    for sounds in readings(term):
        variants = [sounds] + ([[s.replace("v", "u") for s in sounds]] if any("v" in s for s in sounds) else [])
        for sound in variants:
            n = len(sound) - 1
            gaps = _gaps(n) if full and len(sound) <= SPACED_MAX else [("",) * n, (" ",) * n]
            for gap in gaps:
                out[_join(sound, gap)] = None
        if full and len(term) <= MIXED_MAX:
            for pick in itertools.product((False, True), repeat=len(term)):
                if all(pick) or not any(pick):
                    continue
                parts = [s if roman else ch for ch, s, roman in zip(term, sounds, pick, strict=True)]
                # a space only between two romanised syllables: next to a 汉字 people do not
                # type one (and 机 mi would need the normaliser to drop it)
                choices = [(("", " ") if a and b else ("",)) for a, b in itertools.pairwise(pick)]
                for gap in itertools.product(*choices):
                    out[_join(parts, gap)] = None
    out.pop(term, None)
    return list(out)


@functools.lru_cache(maxsize=65536)
def _alone(ch: str) -> str:
    """The reading of one character on its own (cached: lists repeat characters a lot)."""
    from pypinyin import Style, lazy_pinyin

    return str(lazy_pinyin(ch, style=Style.NORMAL)[0])


def _gaps(n: int) -> list[tuple[str, ...]]:
    return list(itertools.product(("", " "), repeat=n))


def _join(parts: list[str], gaps: tuple[str, ...]) -> str:
    return parts[0] + "".join(g + p for g, p in zip(gaps, parts[1:], strict=True))
