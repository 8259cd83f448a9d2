"""RosterMatcher: exact roster names over a batch, offsets in characters of each message."""

from __future__ import annotations

import pickle

import pytest

from redline.detectors.classifiers.roster import NameMatch, RosterMatcher


@pytest.mark.parametrize(
    ("texts", "expected"),
    [
        (["张三和李四"], [(0, 0, 2, "张三"), (0, 3, 5, "李四")]),
        (["", "今天张三丰来了", "李四"], [(1, 2, 4, "张三"), (1, 2, 5, "张三丰"), (2, 0, 2, "李四")]),
        (["🧧🧧张三收到红包"], [(0, 2, 4, "张三")]),  # emoji outside the BMP count as one character
        (["a.b 和 axb"], [(0, 0, 3, "a.b")]),  # regex metacharacters are literal
        (["王五不在名单"], []),
    ],
    ids=["two-names", "rows-and-overlap", "emoji-offsets", "literal-dot", "none"],
)
def test_matches(texts: list[str], expected: list[tuple[int, int, int, str]]) -> None:
    matcher = RosterMatcher(["张三", "李四", "张三丰", "a.b", "王"])
    found = [(m.row, m.start, m.end, m.name) for m in matcher.find(texts)]
    assert found == expected


def test_one_character_names_and_blanks_are_ignored() -> None:
    assert RosterMatcher(["王", " ", "", "张三 "]).names == ("张三",)


def test_pickle_rebuilds_the_database() -> None:
    matcher = RosterMatcher(["张三"])
    assert matcher.find(["张三"]) == [NameMatch(0, 0, 2, "张三")]
    clone = pickle.loads(pickle.dumps(matcher))
    assert clone.find(["我是张三"]) == [NameMatch(0, 2, 4, "张三")]


def test_empty_roster_finds_nothing() -> None:
    assert RosterMatcher([]).find(["张三"]) == []


def test_a_missing_hyperscan_is_a_clear_error() -> None:
    # a fresh interpreter in which `import hyperscan` fails, as on a platform without the wheel
    import subprocess
    import sys

    code = ("import sys; sys.modules['hyperscan'] = None\n"
            "import redline.detectors.classifiers.roster")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert run.returncode != 0
    assert "need hyperscan" in run.stderr
    assert "requirements.lock" in run.stderr
