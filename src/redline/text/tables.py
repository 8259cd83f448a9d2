"""Folding tables over all Unicode code points, built once and cached (redline.cache).

Every code point c gets P(c), the fixpoint of NFKC → one-to-one lower case → OpenCC t2s
(繁→简, single characters only) → whitespace/control → " ". Most P(c) are one character
(kept in `fold`, a uint32 lookup table applied to whole batches with numpy); zero-width
characters vanish (`ignorable`, removed with a mask). The rare code points that expand
(``㎡`` → ``m2``) or may compose with their neighbour (combining marks, Hangul jamo) are
`special`: only messages holding one take the slow Python path.
"""

from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Final

import numpy as np
import numpy.typing as npt
import opencc

from redline.cache import cached_arrays, content_key

N_CODEPOINTS: Final = 0x110000
REPLACEMENT: Final = 0xFFFD  # lone surrogates (invalid UTF-16 in the source) become U+FFFD

# Marks that carry meaning for detectors and must never be dropped as "separators":
# ★/☆ belong to a 密级 marking (机密★1年).
_KEPT_SYMBOLS: Final = frozenset("★☆")
# Ranges of Han ideographs (汉字) between which inserted separators are dropped.
_HAN_RANGES: Final = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x3134F))
# Deliberately one-to-one where NFKC expands: the ellipsis is everyday Chinese punctuation
# (……), and no detector counts dots, so it must not push whole batches onto the slow path.
_ONE_TO_ONE: Final = {"\u2026": ".", "\u2025": ".", "\u22ef": "."}
# Zero-width and presentation characters evaders insert inside words (default-ignorable).
_IGNORABLE_RANGES: Final = ((0xFE00, 0xFE0F), (0xE0100, 0xE01EF), (0x180B, 0x180F), (0xE0000, 0xE007F))
# Chinese numerals (中文数字, incl. 大写 financial forms) read digit by digit: 一三八… → 138…
NUMERALS: Final = {
    "〇": "0", "零": "0", "一": "1", "壹": "1", "幺": "1", "二": "2", "贰": "2", "两": "2",
    "三": "3", "叁": "3", "四": "4", "肆": "4", "五": "5", "伍": "5", "六": "6", "陆": "6",
    "七": "7", "柒": "7", "拐": "7", "八": "8", "捌": "8", "九": "9", "玖": "9", "勾": "9",
}


# Bits of `props` / `folded_props`: one uint8 gather tells the normaliser everything.
SEP: Final = 1  # separator: space, punctuation, symbol, control
IGN: Final = 2  # ignorable: deleted (zero-width, variation selectors)
HAN: Final = 4  # a Han ideograph
SPECIAL: Final = 8  # expands or may compose: the slow path
UTF8_SHIFT: Final = 4  # bits 4-5: UTF-8 length - 1
DIGIT: Final = 64  # an ASCII digit or a Chinese numeral (for PII prefilters)
LATIN: Final = 128  # an ASCII letter (pinyin typed next to 汉字: 机 mi 文件)


@dataclass(frozen=True, slots=True)
class FoldTables:
    """Per-code-point tables; index any of them with a uint32 array of code points."""

    fold: npt.NDArray[np.uint32]  # P(c) when it is one character, else c
    ignorable: npt.NDArray[np.bool_]  # P(c) is empty: zero-width and variation characters
    compose: npt.NDArray[np.bool_]  # may combine with what precedes it (NFKC composition)
    separator: npt.NDArray[np.bool_]  # spaces, punctuation, symbols, controls (after folding)
    han: npt.NDArray[np.bool_]  # Han ideographs
    digit: npt.NDArray[np.uint32]  # Chinese numeral → ASCII digit, else identity (one-to-one)
    special: npt.NDArray[np.bool_]  # P(c) expands, or c may compose: the slow path
    props: npt.NDArray[np.uint8]  # bits of c itself
    folded_props: npt.NDArray[np.uint8]  # bits of fold[c], with c's own SPECIAL and IGN


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
    if ch in _ONE_TO_ONE:
        return _ONE_TO_ONE[ch]
    if unicodedata.category(ch) == "Cf" or any(lo <= cp <= hi for lo, hi in _IGNORABLE_RANGES):
        return ""
    current = ch
    for _ in range(8):
        nxt = "".join(_fold_char(c, t2s) for c in unicodedata.normalize("NFKC", current))
        if nxt == current:
            return current
        current = nxt
    return current  # pragma: no cover - no known code point needs more rounds


@functools.lru_cache(maxsize=65536)
def pipeline_char(ch: str) -> str:
    """P(ch) for one character (the slow path's per-character step)."""
    return _pipeline(ch, _t2s())


def pipeline_text(text: str) -> str:
    """P applied character by character (no composition, no separator dropping)."""
    return "".join(map(pipeline_char, text))


@functools.cache
def _t2s() -> dict[str, str]:
    return _t2s_single()


@functools.cache
def fold_tables() -> FoldTables:
    """The tables, shared by the whole process: read from the user's cache (~0.01 s), or
    built (~1 s of one core: a Python pass over all 1.1M code points) and cached.

    The cache entry is named by this module's source, the Unicode version of `unicodedata`
    and OpenCC's version: everything the tables are made from.
    """
    key = content_key(Path(__file__).read_bytes(), unicodedata.unidata_version,
                      getattr(opencc, "__version__", ""), np.__version__)
    arrays = cached_arrays("fold-tables", key, _build_arrays)
    return FoldTables(**{f.name: arrays[f.name] for f in fields(FoldTables)})  # type: ignore[arg-type]


def _build_arrays() -> dict[str, npt.NDArray[np.generic]]:
    """The arrays of `FoldTables` by field name, computed from `unicodedata` and OpenCC."""
    t2s = _t2s()
    fold = np.arange(N_CODEPOINTS, dtype=np.uint32)
    out_len = np.ones(N_CODEPOINTS, dtype=np.uint8)
    compose = np.zeros(N_CODEPOINTS, dtype=np.bool_)
    separator = np.zeros(N_CODEPOINTS, dtype=np.bool_)
    # code points NFC may compose onto a preceding starter (NFC_QC=Maybe with ccc=0): the
    # second half of every canonical pair, and Hangul vowels and trailing consonants
    seconds: set[int] = set(range(0x1161, 0x1176)) | set(range(0x11A8, 0x11C3))
    changed: list[tuple[int, str, str]] = []
    for cp in range(N_CODEPOINTS):
        ch = chr(cp)
        cat = unicodedata.category(ch)
        # unassigned and private-use code points fold to themselves (one pass, ~0.5 s, not 2 s)
        if cat in ("Cn", "Co") and not any(lo <= cp <= hi for lo, hi in _IGNORABLE_RANGES):
            continue
        if ch not in _KEPT_SYMBOLS and (cat[0] in "PZS" or cat == "Cc"):
            separator[cp] = True
        decomposition = unicodedata.decomposition(ch) if cat != "Cs" else ""
        if decomposition and not decomposition.startswith("<"):
            parts = decomposition.split()
            if len(parts) == 2:
                seconds.add(int(parts[1], 16))
        out = _pipeline(ch, t2s)
        if len(out) == 1:
            fold[cp] = ord(out)
        else:
            out_len[cp] = min(len(out), 255)
        changed.append((cp, ch, out))

    def maybe_composes(ch: str) -> bool:
        return unicodedata.combining(ch) != 0 or ord(ch) in seconds

    for cp, ch, out in changed:
        compose[cp] = maybe_composes(ch) or any(maybe_composes(c) for c in out)
    separator[0] = False  # NUL marks message boundaries in joined batches
    han = np.zeros(N_CODEPOINTS, dtype=np.bool_)
    for lo, hi in _HAN_RANGES:
        han[lo : hi + 1] = True
    han[0x3007] = True  # 〇
    digit = np.arange(N_CODEPOINTS, dtype=np.uint32)
    for numeral, value in NUMERALS.items():
        digit[ord(numeral)] = ord(value)
    ignorable, special = out_len == 0, (out_len > 1) | compose
    idx = np.arange(N_CODEPOINTS, dtype=np.int64)
    utf8_extra = (idx >= 0x80).astype(np.uint8) + (idx >= 0x800) + (idx >= 0x10000)
    props = (
        separator * np.uint8(SEP) + ignorable * np.uint8(IGN) + han * np.uint8(HAN)
        + special * np.uint8(SPECIAL) + (utf8_extra << UTF8_SHIFT)
    ).astype(np.uint8)
    props[digit != np.arange(N_CODEPOINTS, dtype=np.uint32)] |= np.uint8(DIGIT)
    props[ord("0") : ord("9") + 1] |= np.uint8(DIGIT)
    props[ord("a") : ord("z") + 1] |= np.uint8(LATIN)
    props[ord("A") : ord("Z") + 1] |= np.uint8(LATIN)
    own = props & np.uint8(SPECIAL | IGN)
    folded_props = ((props[fold] & np.uint8(~(SPECIAL | IGN) & 0xFF)) | own).astype(np.uint8)
    return {"fold": fold, "ignorable": ignorable, "compose": compose, "separator": separator, "han": han,
            "digit": digit, "special": special, "props": props, "folded_props": folded_props}
