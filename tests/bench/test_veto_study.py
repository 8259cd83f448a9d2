"""The greedy choice of vetoes: cut negatives' leads within the recall budget, never an example."""

from __future__ import annotations

import numpy as np
import pytest
from bench.veto_oof import Written
from bench.veto_screen import RawHit, Screened
from bench.veto_sim import Flat, Veto
from bench.veto_study import Study, figures, search, silenced

from redline.vocab import CONDUCT_CATEGORIES as CATEGORIES

K = len(CATEGORIES)


def _row(**scores: float) -> np.ndarray:
    out = np.full(K, 0.001)
    for name, value in scores.items():
        out[CATEGORIES.index(name)] = value
    return out


def _study(example_score: float, hard_negative: bool = False) -> Study:
    """Author w1: two gifts negatives with weak lexicon hits the model is sure of, a gifts
    violation caught only by a weak hit the model also scores low (a veto would lose it), and
    a rumour negative with a weak hit the model scores low; the rumour rule's pack example
    scores `example_score`. `hard_negative`: one more gifts negative scored like the violation."""
    rows = [Written("工会慰问购物卡已发放", (), "w1", "notice", True),
            Written("购物卡已上交纪委", (), "w1", "case", True),
            Written("老板塞了张卡", ("gifts",), "w1", "violation", True),
            Written("网传消息不实", (), "w1", "rebuttal", True),
            Written("听说局长被带走了", ("rumour",), "w1", "violation", True)]
    hits = [(RawHit("TJ-06", "lexicon", "gifts", 0.6),), (RawHit("TJ-06", "lexicon", "gifts", 0.6),),
            (RawHit("TJ-06", "lexicon", "gifts", 0.6),), (RawHit("ZJ-03", "lexicon", "rumour", 0.6),),
            (RawHit("ZJ-03", "lexicon", "rumour", 0.6),)]
    scores = np.stack([_row(gifts=0.004), _row(gifts=0.004), _row(gifts=0.03), _row(rumour=0.004),
                       _row(rumour=0.5)])
    if hard_negative:
        rows.append(Written("慰问金发放名单已公示", (), "w1", "notice", True))
        hits.append((RawHit("TJ-06", "lexicon", "gifts", 0.6),))
        scores = np.vstack([scores, _row(gifts=0.03)])
    flat = Flat.of(Screened(hits, [()] * len(rows), scores))
    example = Flat.of(Screened([(RawHit("ZJ-03", "lexicon", "rumour", 0.6),)], [()],
                               np.stack([_row(rumour=example_score)])))
    return Study(rows, flat, [("ZJ-03", "听说…")], example, ())


def test_the_search_takes_the_vetoes_that_cost_no_recall() -> None:
    study = _study(example_score=0.9)
    chosen, steps = search(study, ["w1"], budget=0.005)
    assert {v.category for v in chosen} == {"gifts", "rumour"}
    gifts = next(v for v in chosen if v.category == "gifts")
    assert gifts.below <= 0.03  # 0.05 would drop the violation's hit
    after = figures(study, chosen, ["w1"])
    assert (after["with_lead"], after["macro_recall"]) == (0, 1.0)
    assert sum(s["negatives_cut"] for s in steps) == 3


def test_a_veto_that_silences_a_pack_example_is_never_chosen() -> None:
    study = _study(example_score=0.001)
    assert silenced(study, [Veto("rumour", 0.01)]) == ["ZJ-03: 听说…"]
    chosen, _ = search(study, ["w1"], budget=0.005)
    assert all(v.category != "rumour" for v in chosen)
    assert figures(study, chosen, ["w1"])["with_lead"] == 1  # the rumour negative keeps its lead


@pytest.mark.parametrize(("upgrade", "budget", "left"), [(False, 1.0, 1), (True, 0.005, 1), (True, 1.0, 0)])
def test_upgrade_replaces_a_cheap_veto_by_a_stronger_one_within_the_budget(upgrade: bool, budget: float,
                                                                           left: int) -> None:
    study = _study(example_score=0.9, hard_negative=True)
    chosen, _ = search(study, ["w1"], budget=budget, upgrade=upgrade)
    assert figures(study, chosen, ["w1"])["with_lead"] == left
    assert sum(v.category == "gifts" for v in chosen) == 1
