"""A group check's text probes are validated when the pack loads, with the loader's locations."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from redline.rules.compile import compile_plan
from redline.rules.load import Registry, load_packs

PACK = """\
pack: demo
title: 示例规定
issued_by: 示例单位
year: 2017
version: "1"
source: {{title: 报道, publisher: 日报, date: 2017-06-13}}
rules:
  - id: DM-01
    title: 闲聊
    text: 工作群不聊无关话题。
    category: off_topic
    severity: low
    when:
      - groups.off_topic: {{detectors: {detectors}}}
"""


@pytest.mark.parametrize(("detectors", "expected"), [
    ("{lexicon: {lexicon: [of-topic]}}", "unknown lexicon 'of-topic' (did you mean 'off-topic'?)"),
    ("{lexcon: {}}", "unknown text detector 'lexcon' (did you mean 'lexicon'?)"),
], ids=["unknown-lexicon", "unknown-detector"])
def test_bad_probe_is_a_located_pack_error(write_pack: Callable[..., Path], detectors: str, expected: str) -> None:
    path = write_pack(PACK.format(detectors=detectors))
    result = load_packs([path], registry=Registry.default())
    [error] = result.errors
    assert str(error).startswith(f"{path}:14:9: rules[0].when[0].groups.off_topic: ")
    assert expected in str(error)


def test_probes_are_built_into_the_plan_per_trigger(write_pack: Callable[..., Path]) -> None:
    path = write_pack(PACK.format(detectors="{lexicon: off-topic, secret_marks: {}}"))
    plan = compile_plan(load_packs([path], registry=Registry.default()).raise_on_error())
    [label] = [t.label for t in plan.record_triggers["groups.off_topic"]]
    assert plan.probes[label].keys == ("lexicon", "secret_marks")
    assert len(plan.probes[label].detectors) == 2
    assert plan.only([]).probes == plan.probes  # a narrowed plan keeps the built detectors
