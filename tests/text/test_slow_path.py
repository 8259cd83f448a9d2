"""The normaliser's slow path (expanding and combining characters) equals its plain definition:
P of each character, then NFKC composition of each run a combining character joins."""

from __future__ import annotations

import unicodedata

import numpy as np
from hypothesis import given, settings, strategies as st

from redline.text import normalize
from redline.text.tables import fold_tables, pipeline_char, pipeline_text

# kaomoji and combining marks seen in real chat, expanding forms, Hangul jamo, zero-width and
# variation characters, a lone surrogate, 汉字 and ASCII
ALPHABET = ("￣´ㅠ\u0300\u0301\u0329\u0352˙﹋᷄℃‼㎡⒈①ﬁ\u1100\u1161\u11a8가\u200b\ufe0f\u00ade\u0065"
            "\ud800红包机密ABC abc。！…")


def _reference(text: str, base: int) -> tuple[list[int], list[int], list[int]]:
    """Character by character, run by run, in plain Python."""
    tables = fold_tables()
    cps: list[int] = []
    starts: list[int] = []
    for i, ch in enumerate(text):
        for out in pipeline_char(ch):
            cps.append(ord(out))
            starts.append(base + i)
    ends = [s + 1 for s in starts]
    res: tuple[list[int], list[int], list[int]] = ([], [], [])
    i = 0
    while i < len(cps):
        j = i + 1
        while j < len(cps) and tables.compose[cps[j]]:
            j += 1
        if j - i == 1:
            res[0].append(cps[i])
            res[1].append(starts[i])
            res[2].append(ends[i])
        else:
            seg = "".join(map(chr, cps[i:j]))
            for _ in range(8):
                nxt = pipeline_text(unicodedata.normalize("NFKC", seg))
                if nxt == seg:
                    break
                seg = nxt
            for ch in seg:
                res[0].append(ord(ch))
                res[1].append(starts[i])
                res[2].append(max(ends[i:j]))
        i = j
    return res


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=24), st.integers(0, 50))
def test_slow_row_equals_the_plain_definition(text: str, base: int) -> None:
    cps, starts, ends = normalize._slow_row(fold_tables(), text, base)
    assert (cps.tolist(), starts.tolist(), ends.tolist()) == _reference(text, base)
    assert cps.dtype == np.uint32
