"""A short term that a word segmenter puts across two words is no hit (快转 in 加快转变).

Two-character terms (快转, 股票, 网传) turn up inside ordinary words: 加快转变 reads 加快 / 转变,
and 快转 is then not written at all. Only hits of two characters with 汉字 on both sides can
be split so; for those, jieba's dictionary is asked first (numpy, no segmentation): does a
word end with the character before and the hit's first character (加快), and does one start
with its last character and the one after (转变)? Only the few hits where both are true are
segmented with jieba (on a dozen characters around the hit), and dropped when a jieba word
crosses the hit's start or end without containing it. A lexicon term flagged `|inword`
matches inside words all the same.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
from collections.abc import Sequence
from pathlib import Path
from typing import Final

import numpy as np
import numpy.typing as npt

from redline.cache import cached_arrays, content_key
from redline.text.pinyin import is_han

CONTEXT: Final = 6  # characters each side of a hit given to jieba
MIN_FREQ: Final = 3  # dictionary words rarer than this do not make a candidate
_SHIFT: Final = 21


def _dictionary_file() -> Path:
    """jieba's dictionary, found without importing jieba (its import costs a tenth of a second)."""
    spec = importlib.util.find_spec("jieba")
    if spec is None or spec.origin is None:
        raise ImportError("jieba is not installed (it is in requirements.lock)")
    return Path(spec.origin).parent / "dict.txt"


@functools.cache
def _dictionary_pairs() -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """(sorted keys of every word's last two characters, of every word's first two).

    Reading jieba's 349,046-word dictionary takes a good part of a second, so the two tables
    are kept in the user's cache (redline.cache, a few MB) and read from there after the
    first time; a new jieba dictionary gets new tables.
    """
    dictionary = _dictionary_file()
    stat = dictionary.stat()
    key = content_key(str(stat.st_size), str(stat.st_mtime_ns), str(MIN_FREQ))

    def build() -> dict[str, npt.NDArray[np.generic]]:
        ends, starts = _read_dictionary(dictionary)
        return {"ends": ends, "starts": starts}

    tables = cached_arrays("word-pairs", key, build)
    return tables["ends"], tables["starts"]  # type: ignore[return-value]


def _read_dictionary(path: Path) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    ends: set[int] = set()
    starts: set[int] = set()
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            word, freq, *_ = line.split(" ")
            if len(word) >= 2 and int(freq) >= MIN_FREQ:
                ends.add((ord(word[-2]) << _SHIFT) | ord(word[-1]))
                starts.add((ord(word[0]) << _SHIFT) | ord(word[1]))
    return np.array(sorted(ends), dtype=np.int64), np.array(sorted(starts), dtype=np.int64)


def _member(keys: npt.NDArray[np.int64], table: npt.NDArray[np.int64]) -> npt.NDArray[np.bool_]:
    at = np.minimum(np.searchsorted(table, keys), len(table) - 1)
    found: npt.NDArray[np.bool_] = table[at] == keys
    return found


def _word_key(word: str) -> int:
    return int.from_bytes(hashlib.blake2b(word.encode("utf-8"), digest_size=8).digest(), "little")


def _build_prefixes() -> dict[str, npt.NDArray[np.generic]]:
    """jieba's own prefix dictionary (every word with its frequency, every prefix of a word
    with 0), as sorted 64-bit keys of the strings and their frequencies."""
    import jieba

    tokenizer = jieba.Tokenizer()
    freq, total = tokenizer.gen_pfdict(tokenizer.get_dict_file())
    keys = np.fromiter(map(_word_key, freq), dtype=np.uint64, count=len(freq))
    values = np.fromiter(freq.values(), dtype=np.int64, count=len(freq))
    order = np.argsort(keys)
    return {"keys": keys[order], "freqs": values[order], "total": np.array([total], dtype=np.int64)}


@functools.cache
def _prefixes() -> tuple[npt.NDArray[np.uint64], npt.NDArray[np.int64], int]:
    """(sorted keys, frequencies, total) of jieba's prefix dictionary, from the user's cache.

    jieba builds the same dictionary as a Python dict of 498,113 strings when a Tokenizer is
    first used (~0.6 s of one core in every process); only the few substrings of the
    characters around a candidate hit are ever asked about, so they are looked up here.
    """
    import jieba

    dictionary = _dictionary_file()
    stat = dictionary.stat()
    key = content_key(str(stat.st_size), str(stat.st_mtime_ns), getattr(jieba, "__version__", ""))
    arrays = cached_arrays("jieba-prefixes", key, _build_prefixes)
    return arrays["keys"], arrays["freqs"], int(arrays["total"][0])  # type: ignore[return-value]


def _cut(text: str) -> list[str]:
    """jieba's `cut(text, HMM=False)` with its default dictionary, the dictionary narrowed to
    the substrings of `text` (jieba asks about nothing else), so it is never loaded whole."""
    import logging

    import jieba

    keys, freqs, total = _prefixes()
    subs = list({text[i:j] for i in range(len(text)) for j in range(i + 1, len(text) + 1)})
    wanted = np.fromiter(map(_word_key, subs), dtype=np.uint64, count=len(subs))
    at = np.minimum(np.searchsorted(keys, wanted), len(keys) - 1)
    present = keys[at] == wanted
    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.FREQ = {sub: int(f) for sub, f, ok in zip(subs, freqs[at].tolist(), present.tolist(), strict=True) if ok}
    tokenizer.total = total
    tokenizer.initialized = True  # the dictionary is set: nothing to load
    return list(tokenizer.cut(text, HMM=False))


def split_by_words(
    texts: Sequence[str], rows: npt.NDArray[np.int64], starts: npt.NDArray[np.int64],
    ends: npt.NDArray[np.int64], candidates: npt.NDArray[np.bool_],
) -> npt.NDArray[np.bool_]:
    """Mask of the hits (among `candidates`: two-character hits that may be split) that a
    segmenter splits across two words."""
    split = np.zeros(len(rows), dtype=np.bool_)
    at = np.flatnonzero(candidates & (ends - starts == 2))
    if not len(at):
        return split
    around: list[tuple[int, str, str, str, str]] = []
    for i in at.tolist():
        text, s, e = texts[int(rows[i])], int(starts[i]), int(ends[i])
        if s > 0 and e < len(text) and is_han(text[s - 1]) and is_han(text[e]):
            around.append((i, text[s - 1], text[s], text[e - 1], text[e]))
    if not around:
        return split
    word_ends, word_starts = _dictionary_pairs()
    left = np.array([(ord(b) << _SHIFT) | ord(f) for _, b, f, _, _ in around], dtype=np.int64)
    right = np.array([(ord(la) << _SHIFT) | ord(n) for _, _, _, la, n in around], dtype=np.int64)
    both = _member(left, word_ends) & _member(right, word_starts)
    for (i, *_), maybe in zip(around, both.tolist(), strict=True):
        if maybe:
            split[i] = _crossed(texts[int(rows[i])], int(starts[i]), int(ends[i]))
    return split


def _crossed(text: str, start: int, end: int) -> bool:
    """A jieba word crosses the hit's start or end without containing the hit."""
    lo, hi = max(0, start - CONTEXT), min(len(text), end + CONTEXT)
    at = lo
    for word in _cut(text[lo:hi]):
        w_start, w_end = at, at + len(word)
        at = w_end
        contains = w_start <= start and end <= w_end
        if not contains and (w_start < start < w_end or w_start < end < w_end):
            return True
    return False
