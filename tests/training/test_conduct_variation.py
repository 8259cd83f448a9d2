"""The conduct corpus's variation rules: they change how a line is written, never what it says."""

from __future__ import annotations

import importlib.util
import random
import sys
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import given, strategies as st

TOOLS = Path(__file__).resolve().parents[2] / "data" / "conduct" / "tools"


def _variation() -> ModuleType:
    sys.path.insert(0, str(TOOLS))  # variation.py imports its tables from rewrites.py
    spec = importlib.util.spec_from_file_location("conduct_variation", TOOLS / "variation.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


V = _variation()
NUMERALS = "零一二两三四五六七八九十百千万"

# rule, line, a spelling the rule may produce, a spelling it must never produce
CASES = [
    ("abbreviation", "每人一百，转我微信", "每人100", None),
    ("abbreviation", "一共一百二十人参加", None, "100二十"),  # a number inside a number stays
    ("abbreviation", "发现一起查处一起", None, "yq"),  # 一起 here is "one case", not "together"
    ("homophone", "你们要不要也去测测", None, "要表"),  # 不要 inside 要不要 is not 不要
    ("dialect", "你们要不要也去测测", None, "要莫"),
    ("role_or_amount", "副院长说明天开会", None, "副副院长"),
    ("role_or_amount", "五十块一把，来不来", "八十块一把", "五二十块"),
    ("traditional", "这个红头文件还没印发", "這個紅頭文件還沒印發", None),
    ("terse", "明天开会，别迟到。", "明天开会 别迟到", None),
]


@pytest.mark.parametrize(("rule", "line", "may", "never"), CASES)
def test_rule_examples_and_counter_examples(
    rule: str, line: str, may: str | None, never: str | None
) -> None:
    outputs = {V.RULES[rule](line, random.Random(seed)) for seed in range(40)}
    outputs.discard(None)
    if may is not None:
        assert any(may in out for out in outputs), outputs
    if never is not None:
        assert not any(never in out for out in outputs), outputs


@pytest.mark.parametrize("line", ["请拨打12388举报", "2026年的预算", "报警请拨110"])
def test_years_and_hotlines_are_not_amounts(line: str) -> None:
    assert all(V.role_or_amount(line, random.Random(seed)) is None for seed in range(20))


@given(
    st.text(alphabet="的在已经做了你们我要不是一起知道红包微信钱，。！", min_size=1, max_size=30)
)
def test_variants_are_distinct_capped_and_reproducible(text: str) -> None:
    first = V.variants(text, "seed", 6)
    assert len(first) <= 4
    texts = [t for _, t in first]
    assert len(set(texts)) == len(texts)
    assert text not in texts
    assert all(rule in V.RULES for rule, _ in first)
    assert V.variants(text, "seed", 6) == first


@given(
    st.text(alphabet=NUMERALS, min_size=1, max_size=3),
    st.sampled_from(["一百", "五十", "两千", "一万", "二十"]),
    st.text(alphabet=NUMERALS, min_size=1, max_size=3),
)
def test_a_spelled_number_is_only_rewritten_whole(before: str, number: str, after: str) -> None:
    text = f"共{before}{number}{after}人"
    out = V._replace_some(text, V.ABBREVIATIONS, random.Random(0), 3)
    assert out is None or out == text  # the number is part of a longer one: left alone
