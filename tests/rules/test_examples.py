"""The examples runner itself: it must report a failing example, not only passing ones."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from redline.rules.build import build_plan
from redline.rules.examples import run_examples
from redline.scan.engine import scan_batch

PACK = """\
pack: demo
title: 示例规定
issued_by: 示例单位
year: 2017
version: "1"
source: {{title: 报道, publisher: 日报, date: 2017-06-13}}
rules:
  - id: DM-01
    title: 送礼
    text: 示例。
    category: gifts
    severity: high
    when:
      - lexicon: gift-offers
    examples:
      match: ["这是一点心意", "給您一點心意"]
      no_match: [{no_match}]
  - id: DM-02
    title: 推销
    text: 示例。
    category: promotion
    severity: low
    when:
      - lexicon: promotion
"""


def _scan(plan, texts):  # type: ignore[no-untyped-def]
    return scan_batch(plan, texts, ids=[str(i) for i in range(len(texts))])


def test_passing_and_failing_examples_are_told_apart(write_pack: Callable[..., Path]) -> None:
    path = write_pack(PACK.format(no_match='"明天开会", "请笑纳"'))
    built = build_plan([path])
    report = run_examples(built.packset, built.plan, _scan)
    got = [(r.rule_id, r.text, r.expect_match, r.matched, r.ok) for r in report.results]
    assert got == [
        ("DM-01", "这是一点心意", True, True, True),
        ("DM-01", "給您一點心意", True, True, True),
        ("DM-01", "明天开会", False, False, True),
        ("DM-01", "请笑纳", False, True, False),  # gift-offers holds 请笑纳: a wrong no_match
        ("DM-02", "", True, False, False),  # live text rule without examples
    ]
    assert report.failures[1].problem == "has text triggers but no `match` examples"
    assert not report.ok
