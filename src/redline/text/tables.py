"""Folding tables over all Unicode code points, built once per process.

Every code point c gets P(c), the fixpoint of NFKC → one-to-one lower case → OpenCC t2s
(繁→简, single characters only) → whitespace/control → " ". Most P(c) are one character
(kept in `fold`, a uint32 lookup table applied to whole batches with numpy); the few that
expand (``…`` → ``...``) or vanish (zero-width characters) are in `out_len` / `expansion`.
`compose` marks code points after which NFKC may combine characters across positions
(combining marks, Hangul jamo): only messages holding one take the slow Python path.
"""

from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt
import opencc

N_CODEPOINTS: Final = 0x110000
REPLACEMENT: Final = 0xFFFD  # lone surrogates (invalid UTF-16 in the source) become U+FFFD

# Marks that carry meaning for detectors and must never be dropped as "separators":
# ★/☆ belong to a 密级 marking (机密★1年).
_KEPT_SYMBOLS: Final = frozenset("★☆")
# Ranges of Han ideographs (汉字) between which inserted separators are dropped.
_HAN_RANGES: Final = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x3134F))
# Zero-width and presentation characters evaders insert inside words (default-ignorable).
_IGNORABLE_RANGES: Final = ((0xFE00, 0xFE0F), (0xE0100, 0xE01EF), (0x180B, 0x180F), (0xE0000, 0xE007F))
# Chinese numerals (中文数字, incl. 大写 financial forms) read digit by digit: 一三八… → 138…
_NUMERALS: Final = {
    "〇": "0", "零": "0", "一": "1", "壹": "1", "幺": "1", "二": "2", "贰": "2", "两": "2",
    "三": "3", "叁": "3", "四": "4", "肆": "4", "五": "5", "伍": "5", "六": "6", "陆": "6",
    "七": "7", "柒": "7", "拐": "7", "八": "8", "捌": "8", "九": "9", "玖": "9", "勾": "9",
}


@dataclass(frozen=True, slots=True)
class FoldTables:
    """Per-code-point tables; index any of them with a uint32 array of code points."""

    fold: npt.NDArray[np.uint32]  # P(c) when it is one character, else c
    out_len: npt.NDArray[np.uint8]  # len(P(c)): 0 deleted, 1 folded, >1 expanded
    expansion_row: npt.NDArray[np.int32]  # row of `expansion` for expanding code points, else -1
    expansion: npt.NDArray[np.uint32]  # rows of expanded code points, zero padded
    compose: npt.NDArray[np.bool_]  # may combine with what precedes it (NFKC composition)
    separator: npt.NDArray[np.bool_]  # spaces, punctuation, symbols, controls (after folding)
    han: npt.NDArray[np.bool_]  # Han ideographs
    digit: npt.NDArray[np.uint32]  # Chinese numeral → ASCII digit, else identity (one-to-one)
    special: npt.NDArray[np.uint8]  # 1: out_len != 1, 2: compose; 0 for the plain fold


def _t2s_single() -> dict[str, str]:
    """OpenCC t2s on every Han character alone: the one-to-one part of 繁→简."""
    chars = [chr(c) for lo, hi in _HAN_RANGES for c in range(lo, hi + 1)]
    chars += [chr(c) for c in range(0x2F00, 0x2FE0)]  # Kangxi radicals fold to Han via NFKC
    converted = opencc.OpenCC("t2s").convert("\n".join(chars)).split("\n")
    if len(converted) != len(chars):  # pragma: no cover - would mean OpenCC merged lines
        raise RuntimeError("OpenCC t2s changed the number of lines")
    return {a: b for a, b in zip(chars, converted, strict=True) if a != b and len(b) == 1}


def _fold_char(ch: str, t2s: dict[str, str]) -> str:
    low = ch.lower()
    if len(low) == 1:  # 'İ'.lower() is two characters: keep such letters as they are
        ch = low
    ch = t2s.get(ch, ch)
    cat = unicodedata.category(ch)
    if ch.isspace() or cat == "Cc":
        return " "
    return ch


def _pipeline(ch: str, t2s: dict[str, str]) -> str:
    """P(ch): iterate NFKC + per-character folding until nothing changes."""
    cp = ord(ch)
    if 0xD800 <= cp <= 0xDFFF:
        return chr(REPLACEMENT)
    if unicodedata.category(ch) == "Cf" or any(lo <= cp <= hi for lo, hi in _IGNORABLE_RANGES):
        return ""
    current = ch
    for _ in range(8):
        nxt = "".join(_fold_char(c, t2s) for c in unicodedata.normalize("NFKC", current))
        if nxt == current:
            return current
        current = nxt
    return current  # pragma: no cover - no known code point needs more rounds


def _second_of_pairs() -> set[int]:
    """Code points that NFC may compose onto a preceding starter (NFC_QC=Maybe, ccc=0 ones)."""
    seconds: set[int] = set(range(0x1161, 0x1176)) | set(range(0x11A8, 0x11C3))  # Hangul V, T
    for cp in range(N_CODEPOINTS):
        decomposition = unicodedata.decomposition(chr(cp)) if not 0xD800 <= cp <= 0xDFFF else ""
        if decomposition and not decomposition.startswith("<"):
            parts = decomposition.split()
            if len(parts) == 2:
                seconds.add(int(parts[1], 16))
    return seconds


def pipeline_text(text: str) -> str:
    """P applied character by character (the reference for the vectorised path; used on terms)."""
    t2s = _t2s()
    return "".join(_pipeline(ch, t2s) for ch in text)


@functools.cache
def _t2s() -> dict[str, str]:
    return _t2s_single()


@functools.cache
def fold_tables() -> FoldTables:
    """The tables, built on first use (~1 s) and shared by the whole process."""
    t2s = _t2s()
    seconds = _second_of_pairs()
    fold = np.arange(N_CODEPOINTS, dtype=np.uint32)
    out_len = np.ones(N_CODEPOINTS, dtype=np.uint8)
    expansion_row = np.full(N_CODEPOINTS, -1, dtype=np.int32)
    compose = np.zeros(N_CODEPOINTS, dtype=np.bool_)
    separator = np.zeros(N_CODEPOINTS, dtype=np.bool_)
    rows: list[str] = []

    def maybe_composes(ch: str) -> bool:
        return unicodedata.combining(ch) != 0 or ord(ch) in seconds

    for cp in range(N_CODEPOINTS):
        ch = chr(cp)
        out = _pipeline(ch, t2s)
        if len(out) == 1:
            fold[cp] = ord(out)
        else:
            out_len[cp] = len(out)
            if out:
                expansion_row[cp] = len(rows)
                rows.append(out)
        compose[cp] = maybe_composes(ch) or any(maybe_composes(c) for c in out)
    width = max(len(r) for r in rows)
    expansion = np.zeros((len(rows), width), dtype=np.uint32)
    for i, row in enumerate(rows):
        expansion[i, : len(row)] = [ord(c) for c in row]
    for cp in range(N_CODEPOINTS):
        ch = chr(cp)
        cat = unicodedata.category(ch)
        if ch not in _KEPT_SYMBOLS and (cat[0] in "PZS" or cat == "Cc"):
            separator[cp] = True
    separator[0] = False  # NUL marks message boundaries in joined batches
    han = np.zeros(N_CODEPOINTS, dtype=np.bool_)
    for lo, hi in _HAN_RANGES:
        han[lo : hi + 1] = True
    han[0x3007] = True  # 〇
    digit = np.arange(N_CODEPOINTS, dtype=np.uint32)
    for numeral, value in _NUMERALS.items():
        digit[ord(numeral)] = ord(value)
    special = ((out_len != 1).astype(np.uint8) | (compose.astype(np.uint8) << 1)).astype(np.uint8)
    return FoldTables(
        fold, out_len, expansion_row, expansion, compose, separator, han, digit, special
    )
