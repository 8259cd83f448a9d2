"""The split-word check asks jieba's algorithm with the dictionary narrowed to the substrings
around a hit: it must cut exactly as jieba does with its whole dictionary."""

from __future__ import annotations

import logging

import jieba
import pytest
from hypothesis import given, settings, strategies as st

from redline.detectors import segments

# characters of real words (加快转变, 股票市场, 快转发) and some that are not, digits and Latin
ALPHABET = "加快转变发股票市场红包接龙领导机密文件风水坡上分开黑一把五十的了是不在有人这个们 0123abcXYZ，。"


@pytest.fixture(scope="module")
def jieba_cut() -> jieba.Tokenizer:
    jieba.setLogLevel(logging.WARNING)
    return jieba.Tokenizer()


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=14))
def test_cut_equals_jiebas_own(jieba_cut: jieba.Tokenizer, text: str) -> None:
    assert segments._cut(text) == list(jieba_cut.cut(text, HMM=False))


@pytest.mark.parametrize(("text", "start", "split"), [
    ("要加快转变发展方式", 2, True),  # 快转 inside 加快 / 转变
    ("收到请快转给大家", 3, False),  # 快转 as written
])
def test_split_by_words(text: str, start: int, split: bool) -> None:
    import numpy as np

    got = segments.split_by_words([text], np.array([0]), np.array([start]), np.array([start + 2]),
                                  np.array([True]))
    assert got.tolist() == [split]
