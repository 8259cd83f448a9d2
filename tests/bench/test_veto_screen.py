"""The study's offline simulation against the real engine: the same findings, veto or not."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from bench.veto_screen import collect, conduct_of, shipped_scores
from bench.veto_sim import NEVER, Flat, Veto, apply

from redline.cli.packs import load_built
from redline.detectors.classifiers.conduct import ConductDetector, _Veto
from redline.rules.examples import example_cases
from redline.rules.plan import ScanPlan
from redline.scan.engine import scan_batch
from redline.vocab import CONDUCT_CATEGORIES as CATEGORIES

# neutral work-chat lines beside the packs' own examples (no political terms: STYLE §10)
EXTRA = ["中秋节工会发购物卡，每人一张，到办公室领", "收到，谢谢陈队长", "周末斗地主三缺一，纯娱乐不来钱",
         "风水坡滑坡隐患点今天巡查完毕", "这个红头文件还没正式印发，我先拍照发群里大家提前学习一下",
         "跑得快一把五十，差两个人，谁来", "刘科长乔迁之喜，科里统一随礼每人200，直接转我微信"]


@pytest.fixture(scope="module")
def built() -> tuple[ScanPlan, list[str]]:
    """The shipped plan without its alongside leads (second categories beside a lead): the veto
    study simulates vetoes and leads, and an alongside lead never gives a message a lead."""
    b = load_built("all", None, with_example_terms=True)
    plan = replace(b.plan, detectors=tuple(replace(d, seconds=()) if isinstance(d, ConductDetector) else d
                                           for d in b.plan.detectors))
    return plan, [t for _, _, t, _ in example_cases(b.packset)] + EXTRA


def _engine_rules(plan: ScanPlan, texts: list[str]) -> list[set[str]]:
    out: list[set[str]] = [set() for _ in texts]
    for f in scan_batch(plan, texts):
        out[int(f.subject_id)].add(f.rule_id)
    return out


def _simulated_rules(flat: Flat, vetoes: list[Veto]) -> list[set[str]]:
    result = apply(flat, vetoes)
    out: list[set[str]] = [set() for _ in range(len(flat))]
    for j in np.flatnonzero(result.kept).tolist():
        out[int(flat.row[j])].add(str(flat.rule[j]))
    for i, leads in enumerate(flat.lead_rules):
        out[i].update(r for r, k in leads.items() if not result.caught[i, k])
    return out


@pytest.mark.parametrize(("below", "hits_under", "over"), [
    (None, None, "category"), (0.02, 0.75, "category"), (0.3, 1.0, "category"), (0.9, 0.8, "category"),
    (0.3, 1.0, "max"), (0.02, 0.75, "max")])
def test_the_simulation_gives_the_engines_findings(built: tuple[ScanPlan, list[str]], below: float | None,
                                                   hits_under: float | None, over: str) -> None:
    """None: the packs' own vetoes; else every category but vulgar vetoes at (below, hits_under)."""
    plan, texts = built
    conduct = conduct_of(plan)
    if below is None or hits_under is None:
        vetoes = [Veto(v.category, v.below, v.hits_under, v.over,
                       rules=None if "*" in v.rule_ids else frozenset(v.rule_ids)) for v in conduct.vetoes]
    else:
        vetoes = [Veto(c, below, hits_under, over) for c in CATEGORIES if c not in NEVER]
        engine_vetoes = tuple(_Veto(frozenset({"*"}), c, CATEGORIES.index(c), below, hits_under, over)
                              for c in CATEGORIES if c not in NEVER)
        plan = replace(plan, detectors=tuple(replace(d, vetoes=engine_vetoes) if d is conduct else d
                                             for d in plan.detectors))
    scores, thresholds = shipped_scores(plan, texts)
    flat = Flat.of(collect(plan, texts, scores, thresholds))
    expected = _engine_rules(plan, texts)
    assert _simulated_rules(flat, vetoes) == expected
    if below is not None and below >= 0.3:  # the strong settings must drop something, or this tests nothing
        assert sum(map(len, expected)) < sum(map(len, _simulated_rules(flat, [])))
