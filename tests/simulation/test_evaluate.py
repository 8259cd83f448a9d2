"""The done-when targets, measured on the simulator (two seeds, two shapes of organisation)."""

from __future__ import annotations

import pytest

from redline.registry import RECORD_ANALYZERS
from redline.simulation.evaluate import evaluate, evaluate_both, evaluate_removed
from redline.simulation.payments import TYPOLOGIES, Scenario, drop_relations, simulate


@pytest.fixture(scope="module", params=[
    Scenario(officials=120, months=12, cases_per_typology=10, seed=11),
    Scenario(officials=80, months=18, cases_per_typology=8, seed=23),
], ids=["120x12-seed11", "80x18-seed23"])
def results(request: pytest.FixtureRequest) -> dict[str, object]:
    sim = simulate(request.param)
    return {"sim": sim, **evaluate_both(sim, RECORD_ANALYZERS)}


def test_complete_relations_recall_and_precision(results) -> None:  # type: ignore[no-untyped-def]
    full = results["complete"]
    assert set(full.recall) == set(TYPOLOGIES)
    assert {t: r for t, r in full.recall.items() if r < 0.95} == {}, full.missed
    assert full.precision >= 0.90
    assert full.false_per_100_officials_month <= 2.0


def test_half_the_managed_relations_removed(results) -> None:  # type: ignore[no-untyped-def]
    half = results["half_managed_removed"]
    assert {t: r for t, r in half.recall.items() if r < 0.70} == {}, half.missed
    assert half.top_precision >= 0.5
    assert half.false_per_100_officials_month <= 2.0


def test_evaluation_can_fail() -> None:
    """Guard: with no findings at all, recall is zero and the targets above would fail."""
    sim = simulate(Scenario(officials=40, months=6, cases_per_typology=2, seed=3))
    empty = evaluate(sim, [])
    assert set(empty.recall.values()) == {0.0}
    assert len(sim.cases) == 2 * len(TYPOLOGIES)


def test_dropping_relations_removes_about_half_the_managed_rows() -> None:
    sim = simulate(Scenario(officials=60, months=6, cases_per_typology=2, seed=5))
    before = sim.tables.relations.column("relation").to_pylist()
    after = drop_relations(sim).tables.relations.column("relation").to_pylist()
    assert after.count("family") == before.count("family")
    assert 0.35 < after.count("managed") / before.count("managed") < 0.65


def test_recall_is_reported_per_share_of_relations_removed() -> None:
    """0 %, 50 % and 80 % removed; single packets (the hard case) lose recall as relations go."""
    sim = simulate(Scenario(officials=80, months=6, cases_per_typology=6, seed=31, managed_single=True))
    got = evaluate_removed(sim, RECORD_ANALYZERS)
    assert list(got) == ["managed_removed_0%", "managed_removed_50%", "managed_removed_80%"]
    recall = [r.recall["managed_party_gifts"] for r in got.values()]
    assert recall[0] == 1.0
    assert recall[0] >= recall[1] >= recall[2]
    assert all(len(case.payment_ids) == 1 for case in sim.cases if case.typology == "managed_party_gifts")
