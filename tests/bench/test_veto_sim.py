"""The offline veto simulation: which weak hits a veto drops, and what leads remain."""

from __future__ import annotations

import numpy as np
import pytest
from bench.veto_screen import RawHit, Screened
from bench.veto_sim import Flat, Veto, apply, example_passes, sources, vetoed

from redline.vocab import CONDUCT_CATEGORIES as CATEGORIES

K = len(CATEGORIES)
GIFTS, GAMBLING = CATEGORIES.index("gifts"), CATEGORIES.index("gambling")


def _scores(**by_category: float) -> np.ndarray:
    row = np.full(K, 0.001)
    for name, value in by_category.items():
        row[CATEGORIES.index(name)] = value
    return row


def _screened() -> Screened:
    """Row 0: a weak lexicon gifts hit, the model sure it is benign; row 1: the same hit, the
    model unsure; row 2: a strong frame gifts hit; row 3: a weak gambling hit and clf.conduct's
    own gambling lead; row 4: a weak clf.promotion hit; row 5: nothing."""
    hits = [
        (RawHit("TJ-06", "lexicon", "gifts", 0.6),),
        (RawHit("TJ-06", "lexicon", "gifts", 0.6),),
        (RawHit("FR-02", "frames", "gifts", 0.9),),
        (RawHit("TJ-10", "lexicon", "gambling", 0.6),),
        (RawHit("ZJ-05", "clf.promotion", "promotion", 0.6),),
        (),
    ]
    leads = [(), (), (), (("CM-07", "gambling"),), (), ()]
    scores = np.stack([_scores(gifts=0.005), _scores(gifts=0.3), _scores(gifts=0.005),
                       _scores(gambling=0.004, gifts=0.5), _scores(promotion=0.001), _scores()])
    return Screened(hits, leads, scores)


@pytest.mark.parametrize(("veto", "dropped"), [
    (Veto("gifts", 0.01, 0.75), [True, False, False, False, False]),  # row 2's hit is strong
    (Veto("gifts", 0.01, 1.0), [True, False, True, False, False]),  # every hit is weak under 1.0
    (Veto("gifts", 0.01, 0.75, rules=frozenset({"XX-01"})), [False] * 5),  # another rule's veto
    (Veto("gifts", 0.01, 0.75, detectors=frozenset({"frames"})), [False] * 5),
    (Veto("gambling", 0.01, 0.75), [False, False, False, True, False]),
    (Veto("gambling", 0.01, 0.75, over="max"), [False] * 5),  # row 3's gifts 0.5 is the max
    (Veto("promotion", 0.01, 0.75), [False, False, False, False, True]),
])
def test_a_veto_drops_only_weak_hits_the_model_is_sure_of(veto: Veto, dropped: list[bool]) -> None:
    assert vetoed(Flat.of(_screened()), [veto]).tolist() == dropped


def test_the_first_covering_veto_decides_as_the_engine() -> None:
    flat = Flat.of(_screened())
    narrow = Veto("gifts", 0.001, 0.75, rules=frozenset({"TJ-06"}))  # too strict to drop row 0
    assert not vetoed(flat, [narrow, Veto("gifts", 0.01, 0.75)])[0]
    assert vetoed(flat, [Veto("gifts", 0.01, 0.75), narrow])[0]


def test_vulgar_never_vetoes() -> None:
    with pytest.raises(ValueError, match="never vetoes"):
        Veto("vulgar", 0.01)


def test_the_models_own_lead_stands_where_the_vetoed_rule_was_its_category() -> None:
    flat = Flat.of(_screened())
    before, after = apply(flat, []), apply(flat, [Veto("gambling", 0.01), Veto("gifts", 0.01)])
    assert before.any_lead().tolist() == [True, True, True, True, True, False]
    # row 3 keeps a gambling lead (clf.conduct's own) though its rule hit is gone
    assert after.any_lead().tolist() == [False, True, True, True, True, False]
    assert after.led[3, GAMBLING]
    assert not after.caught[3, GAMBLING]
    assert example_passes(flat, after, 3, "CM-07")
    assert not example_passes(flat, before, 3, "CM-07")
    assert example_passes(flat, before, 3, "TJ-10")
    assert not example_passes(flat, after, 3, "TJ-10")
    assert not example_passes(flat, after, 0, "TJ-06")
    assert not after.led[0, GIFTS]


def test_sources_count_rows_by_what_raised_their_lead() -> None:
    flat = Flat.of(_screened())
    every = np.ones(len(flat), dtype=bool)
    assert sources(flat, apply(flat, []), every) == {"rules": 4, "clf.offensive": 0, "clf.promotion": 1,
                                                    "clf.conduct": 0}
    assert sources(flat, apply(flat, [Veto("gambling", 0.01)]), every)["clf.conduct"] == 1
