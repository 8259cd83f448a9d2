from __future__ import annotations

import pickle

import pytest

from redline.rules.plan import MessageContext, NotCovered, RuleRef, ScanPlan, Scope


def _ref(label: str, rule_id: str, scope: Scope | None = None, min_score: float = 0.0) -> RuleRef:
    return RuleRef(rule_id, "demo", "1", "gifts", "high", "送礼", "严禁。", label.split("#")[1], label, scope, min_score)


@pytest.mark.parametrize(
    ("scope", "ctx", "expected"),
    [
        (None, MessageContext(group_type="social"), True),
        (Scope(("department",)), None, True),
        (Scope(("department",)), MessageContext(), True),  # unknown context never excludes
        (Scope(("department",)), MessageContext(group_type="department"), True),
        (Scope(("department",)), MessageContext(group_type="social"), False),
        (Scope((), ("group",)), MessageContext(conversation="private"), False),
        (Scope(("task",), ("group",)), MessageContext(group_type="task", conversation="group"), True),
    ],
    ids=["no-scope", "no-context", "unknown-fields", "in-type", "other-type", "private", "both"],
)
def test_scope(scope: Scope | None, ctx: MessageContext | None, expected: bool) -> None:
    assert _ref("R-01#lexicon", "R-01", scope).accepts(0.9, ctx) is expected


def test_min_score() -> None:
    ref = _ref("R-01#lexicon", "R-01", min_score=0.5)
    assert [ref.accepts(s) for s in (0.49, 0.5, 0.9)] == [False, True, True]


def test_plan_views_and_pickling() -> None:
    plan = ScanPlan(
        detectors=(),
        rules={"A-01#lexicon": _ref("A-01#lexicon", "A-01"), "B-01#pii": _ref("B-01#pii", "B-01"),
               "A-01#gift_offer": _ref("A-01#gift_offer", "A-01")},
        record_triggers={},
        version="v1",
        not_covered=(NotCovered("C-01", "demo", "empty"),),
    )
    assert plan.rule_ids == ("A-01", "B-01")
    assert plan.labels_for("A-01") == ("A-01#gift_offer", "A-01#lexicon")
    assert list(plan.only(["B-01"]).rules) == ["B-01#pii"]
    assert plan.only(["B-01"]).not_covered == ()
    assert pickle.loads(pickle.dumps(plan)) == plan
    with pytest.raises(KeyError):
        plan.rule("Z-99#x")
