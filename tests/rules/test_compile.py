from __future__ import annotations

import pickle
from collections.abc import Callable
from pathlib import Path

from redline.rules.compile import compile_plan
from redline.rules.coverage import coverage, summary
from redline.rules.load import Registry, load_packs, shipped_pack_paths
from redline.rules.plan import MessageContext

PACK = """\
pack: demo
title: 示例规定
issued_by: 示例单位
year: 2017
version: "3"
source: {title: 报道, publisher: 日报, date: 2017-06-13}
rules:
  - id: DM-01
    title: 政治
    text: 示例。
    category: political
    severity: critical
    when:
      - lexicon: org-political
  - id: DM-02
    title: 送礼
    text: 示例。
    category: gifts
    severity: high
    scope: {group_types: [department], conversations: [group]}
    min_score: 0.4
    when:
      - lexicon: gift-offers
      - gift_offer: {}
      - payments.large_sums: {min_yuan: 1000}
  - id: DM-03
    title: 迷信
    text: 示例。
    category: political
    severity: medium
    when:
      - lexicon: org-ethnic-extremism
      - lexicon: superstition
        category: superstition
  - id: DM-04
    title: 群主
    text: 示例。
    category: governance
    severity: low
  - id: DM-05
    title: 推销
    text: 示例。
    category: promotion
    severity: low
    when:
      - lexicon: promotion
"""


def _plan(write_pack: Callable[..., Path], registry: Registry, overrides: Path | None = None):  # type: ignore[no-untyped-def]
    result = load_packs([write_pack(PACK)], overrides, registry=registry)
    assert result.errors == []
    return result.packs, compile_plan(result.packs, registry=registry)


def test_each_factory_is_built_once_with_all_its_triggers(write_pack: Callable[..., Path], registry: Registry) -> None:
    _, plan = _plan(write_pack, registry)
    assert sorted(type(d).__name__ for d in plan.detectors) == ["TermScanner", "TermScanner"]
    assert registry.text["gift_offer"].BUILDS == [1]  # type: ignore[attr-defined]
    assert sorted(plan.rules) == [
        "DM-02#gift_offer", "DM-02#lexicon:gift-offers", "DM-02#payments.large_sums",
        "DM-03#lexicon:superstition", "DM-05#lexicon:promotion",
    ]
    assert [t.label for t in plan.record_triggers["payments.large_sums"]] == ["DM-02#payments.large_sums"]
    assert plan.record_triggers["payments.large_sums"][0].config.model_dump() == {"min_yuan": 1000, "grace_days": 0}
    assert plan.pack_versions == {"demo": "3"}


def test_rule_refs_carry_category_scope_and_min_score(write_pack: Callable[..., Path], registry: Registry) -> None:
    _, plan = _plan(write_pack, registry)
    ref = plan.rule("DM-02#lexicon:gift-offers")
    assert (ref.rule_id, ref.pack, ref.category, ref.severity, ref.detector) == ("DM-02", "demo", "gifts", "high", "lexicon")
    assert plan.rule("DM-03#lexicon:superstition").category == "superstition"
    assert not ref.accepts(0.3)
    assert ref.accepts(0.5)
    assert ref.accepts(0.5, MessageContext(group_type="department", conversation="group"))
    assert not ref.accepts(0.5, MessageContext(group_type="social", conversation="group"))
    assert not ref.accepts(0.5, MessageContext(conversation="private"))


def test_empty_org_lists_make_rules_not_covered_plainly(write_pack: Callable[..., Path], registry: Registry) -> None:
    packset, plan = _plan(write_pack, registry)
    rows = {r.rule_id: r for r in coverage(packset, plan)}
    assert rows["DM-01"].line == "DM-01 not covered [-]: organisation-supplied term list 'org-political' is empty"
    assert rows["DM-02"].status == "covered"
    assert rows["DM-02"].detectors == ("lexicon", "gift_offer", "payments.large_sums")
    assert rows["DM-03"].status == "partial"
    assert rows["DM-03"].dead == ("organisation-supplied term list 'org-ethnic-extremism' is empty",)
    assert rows["DM-04"].line == "DM-04 not covered [-]: no automatic check: the rule has no `when` entry"
    assert summary(list(rows.values())) == {"covered": 2, "partial": 1, "not covered": 2, "disabled": 0}


def test_overrides_fill_org_lists_and_switch_rules_off(write_pack: Callable[..., Path], registry: Registry, tmp_path: Path) -> None:
    ov = tmp_path / "org.yaml"
    ov.write_text("lexicons:\n  org-political: {add: [术语甲]}\nrules:\n  DM-05: {enabled: false}\n", encoding="utf-8")
    packset, plan = _plan(write_pack, registry, ov)
    assert "DM-01#lexicon:org-political" in plan.rules
    assert "DM-05#lexicon:promotion" not in plan.rules
    assert plan.disabled == ("DM-05",)
    rows = {r.rule_id: r.status for r in coverage(packset, plan)}
    assert (rows["DM-01"], rows["DM-05"]) == ("covered", "disabled")
    texts = ["内容包含术语甲", "代购"]
    hits = [h for d in plan.detectors for h in d.scan(texts)]
    assert [(h.row, h.label) for h in hits if h.label in plan.rules] == [(0, "DM-01#lexicon:org-political")]


def test_plan_pickles_and_narrows(write_pack: Callable[..., Path], registry: Registry) -> None:
    _, plan = _plan(write_pack, registry)
    again = pickle.loads(pickle.dumps(plan))
    assert again.rules == plan.rules
    assert again.version == plan.version
    narrow = plan.only(["DM-03"])
    assert list(narrow.rules) == ["DM-03#lexicon:superstition"]
    assert narrow.record_triggers == {"payments.large_sums": ()}
    assert narrow.detectors is plan.detectors


def test_shipped_packs_coverage_without_org_lists(registry: Registry) -> None:
    result = load_packs(shipped_pack_paths(), registry=registry)
    plan = compile_plan(result.packs, registry=registry)
    rows = {r.rule_id: r for r in coverage(result.packs, plan)}
    not_covered = {rid for rid, r in rows.items() if r.status == "not covered"}
    # political rules wait for the organisation's lists; XY-05 (posting quality) has no detector
    assert {"TJ-01", "TJ-02", "TJ-03", "WG-01", "WH-01", "ZJ-01", "ZJ-10", "XY-05"} <= not_covered
    assert {rid for rid, r in rows.items() if r.status == "covered"} >= {"TJ-06", "ZJ-06", "LY-01", "FX-01", "FX-02"}
    assert "organisation-supplied term list 'org-political' is empty" in rows["TJ-01"].line
    assert rows["TJ-04"].status == "partial"
