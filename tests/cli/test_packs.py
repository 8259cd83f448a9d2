"""`redline packs list|show|test|coverage` end to end (the suite runs `packs test` here)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from tests.cli.run import run_cli


def test_packs_test_passes_for_every_shipped_pack(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "packs", "test")
    assert code == 0, out
    match = re.search(r"^(\d+)/(\d+) examples pass in (\d+) rules$", out, re.M)
    assert match is not None, out
    passed, total, rules = map(int, match.groups())
    assert passed == total >= 150
    assert rules >= 29


def test_packs_test_fails_on_a_wrong_example(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    pack = tmp_path / "demo.yaml"
    pack.write_text(
        'pack: demo\ntitle: 示例\nissued_by: 示例\nyear: 2017\nversion: "1"\n'
        "source: {title: t, publisher: p, date: 2017-06-13}\nrules:\n"
        "  - id: DM-01\n    title: 送礼\n    text: 示例。\n    category: gifts\n    severity: high\n"
        "    when:\n      - lexicon: gift-offers\n"
        "    examples:\n      match: [一点心意, 今天开会]\n      no_match: [明天开会]\n",
        encoding="utf-8",
    )
    code, out, _ = run_cli(capsys, "packs", "test", "--packs", str(pack))
    assert code == 1
    assert "FAIL DM-01 [demo] '今天开会': match example: no finding" in out
    assert "2/3 examples pass in 1 rules" in out


def test_a_broken_pack_is_reported_with_file_line_and_field(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    pack = tmp_path / "bad.yaml"
    pack.write_text(
        'pack: demo\ntitle: 示例\nissued_by: 示例\nyear: 2017\nversion: "1"\n'
        "source: {title: t, publisher: p, date: 2017-06-13}\nrules:\n"
        "  - id: DM-01\n    title: 送礼\n    text: 示例。\n    category: gifts\n    severity: high\n"
        "    when:\n      - lexicon: gift-offer\n      - regex: {patterns: {x: '(unclosed'}}\n",
        encoding="utf-8",
    )
    code, _, err = run_cli(capsys, "packs", "list", "--packs", str(pack))
    assert code == 2
    assert f"{pack}:14:9: rules[0].when[0].lexicon: unknown lexicon 'gift-offer' (did you mean 'gift-offers'?)" in err
    assert f"{pack}:15:9: rules[0].when[1].regex" in err
    assert err.rstrip().splitlines()[-1].startswith("redline: error: ")


def test_list_show_and_coverage(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "packs", "list")
    assert code == 0
    for pack in ("tianjin-2017", "zhejiang-2017", "liaoyang", "fengxin", "wuhan-groups", "work-group-conventions", "xianyang-2015"):
        assert pack in out
    code, out, _ = run_cli(capsys, "packs", "show", "liaoyang")
    assert code == 0
    assert "不准收受带有工作贿赂性质的微信红包、支付宝红包等各种电子红包,无论数额大小。" in out
    code, out, _ = run_cli(capsys, "packs", "coverage")
    assert code == 0
    assert "not covered: TJ-01: organisation-supplied term list 'org-political' is empty" in out
    assert "not covered: XY-05: no automatic check: the rule has no `when` entry (A standard of quality" in out


def test_coverage_follows_the_overrides(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    ov = tmp_path / "org.yaml"
    ov.write_text("lexicons:\n  org-political: {add: [术语甲]}\nrules:\n  ZJ-05: {enabled: false}\n", encoding="utf-8")
    code, out, _ = run_cli(capsys, "packs", "coverage", "--overrides", str(ov))
    assert code == 0
    assert "not covered: TJ-01" not in out
    assert "disabled: 1" in out
