"""An Arrow batch that carries the messages' context screens scoped rules as `redline scan` does."""

from __future__ import annotations

import pyarrow as pa
import pytest

from redline.rules.build import build_plan
from redline.scan.arrow import screen_record_batch

TEXT = "天天加班，这破单位没奔头"  # WG-02 (work groups of leadership, department, task only)


@pytest.mark.parametrize(("context", "raised"), [
    ({}, True),  # no context: a text screen raises every rule
    ({"conversation": ["group"], "group_type": ["department"]}, True),
    ({"conversation": ["group"], "group_type": ["social"]}, False),
    ({"conversation": ["private"], "group_type": [None]}, False),
    ({"conversation": [None], "group_type": [None]}, True),  # unknown context never excludes a rule
])
def test_scoped_rules_follow_the_context_columns(context: dict[str, list[str | None]], raised: bool) -> None:
    plan = build_plan("work-group-conventions").plan
    batch = pa.RecordBatch.from_pydict({"id": ["m1"], "text": [TEXT], **context})
    rules = set(screen_record_batch(plan, batch).column("rule_id").to_pylist())
    assert ("WG-02" in rules) is raised
