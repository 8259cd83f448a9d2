"""regex: organisation patterns through RE2 on the normalised text; bad patterns are PackErrors."""

from __future__ import annotations

import pickle

import pytest

from redline.contracts import BuildContext, Trigger
from redline.detectors.regex import RegexConfig, RegexDetector
from redline.errors import PackError
from redline.scan.engine import scan_hits

CASES = [
    ("项目回扣三个点", ["项目回扣"]),
    ("項目的回扣", ["項目的回扣"]),  # traditional folded before matching
    ("项目 的 回扣", ["项目 的 回扣"]),
    ("Project-X 上线", ["Project-X"]),  # case-insensitive by default
    ("项目验收顺利", []),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0] for c in CASES])
def test_patterns(detect, text: str, expected: list[str]) -> None:
    config = {"pattern": ["项目.{0,2}回扣", r"project-[a-z]\b"]}
    assert [ev for ev, _ in detect(RegexDetector, text, config)] == expected


@pytest.mark.parametrize("pattern", [r"(a)\1", r"(?<=x)y", "(unclosed"], ids=["backref", "lookbehind", "syntax"])
def test_pattern_re2_cannot_compile_is_a_pack_error(pattern: str) -> None:
    trigger = Trigger("ORG-1", "ORG-1#0", RegexConfig.model_validate({"pattern": pattern}))
    with pytest.raises(PackError, match="ORG-1#0: pattern"):
        RegexDetector.build([trigger], BuildContext())


def test_catastrophic_pattern_stays_linear() -> None:
    # (a+)+$ hangs a backtracking engine on "aaaa…b"; RE2 answers at once
    trigger = Trigger("ORG-1", "ORG-1#0", RegexConfig.model_validate({"pattern": "(a+)+$"}))
    detector = RegexDetector.build([trigger], BuildContext())
    assert scan_hits([detector], ["a" * 50_000 + "b"]) == []


def test_pickles() -> None:
    trigger = Trigger("ORG-1", "ORG-1#0", RegexConfig.model_validate({"pattern": "回扣"}))
    detector = RegexDetector.build([trigger], BuildContext())
    clone = pickle.loads(pickle.dumps(detector))
    assert scan_hits([clone], ["有回扣"]) == scan_hits([detector], ["有回扣"])
    assert [(h.start, h.end) for h in scan_hits([clone], ["有回扣"])] == [(1, 3)]
