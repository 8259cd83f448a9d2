"""Romanised spellings of 汉字 terms: what evaders type instead of the term."""

from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from redline.text.pinyin import MIXED_MAX, spellings, syllables


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ("红包", {"hongbao", "hong bao", "hong包", "红bao"}),
        ("绿卡", {"lvka", "lv ka", "luka", "lu ka", "绿ka", "lv卡"}),  # ü typed as v or u
    ],
)
def test_short_terms_have_every_spelling(term: str, expected: set[str]) -> None:
    assert set(spellings(term)) == expected


@pytest.mark.parametrize(
    "spelling",
    ["jimiwenjian", "jimi wenjian", "ji mi wen jian", "jimi wen jian", "机mi文件", "ji密文件", "机密wenjian",
     "机密wen jian", "jimi文件"],
)
def test_four_character_term_spellings(spelling: str) -> None:
    assert spelling in spellings("机密文件")


def test_context_reading_of_polyphones() -> None:
    assert syllables("银行") == ["yin", "hang"]  # not xing


@pytest.mark.parametrize("term", ["红", "VPN账号", "", "abc"])
def test_no_spellings_for_single_characters_or_mixed_terms(term: str) -> None:
    assert spellings(term) == []


def test_long_terms_get_pinyin_but_no_mixed_forms() -> None:
    out = spellings("不准转发内部资料")
    assert "buzhunzhuanfaneibuziliao" in out
    assert "bu zhun zhuan fa nei bu zi liao" in out
    assert not any(any("\u4e00" <= ch <= "\u9fff" for ch in s) for s in out)


_HAN = st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5), min_size=1, max_size=MIXED_MAX + 2)


@given(_HAN)
def test_spellings_are_distinct_romanised_and_never_the_term(term: str) -> None:
    out = spellings(term)
    assert term not in out
    assert len(out) == len(set(out))
    for spelling in out:
        assert spelling == spelling.strip()
        assert "  " not in spelling
        assert any(ch.isascii() and ch.isalpha() for ch in spelling)


def test_whole_pinyin_only_for_long_lists() -> None:
    assert set(spellings("机密文件", full=False)) == {"jimiwenjian", "ji mi wen jian"}
