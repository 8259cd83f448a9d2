"""The first stage of clf.offensive and clf.promotion: what it lets through is scored exactly as
the full model scores it, it never adds a lead, it belongs to one model file, and the costs
measured for the shipped models stay under the issue's 1 %."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, strategies as st

from redline.contracts import BuildContext, Trigger
from redline.detectors.classifiers.base import (
    ClassifierConfig,
    LinearTextModel,
    load_model_files,
    model_dir,
    shipped_model,
)
from redline.detectors.classifiers.grams import sigmoid
from redline.detectors.classifiers.ngram_gate import (
    GATE_FILE,
    GateCurve,
    gated_logits,
    load_gate,
    logit,
    partial_logits,
)
from redline.detectors.classifiers.offensive import OffensiveClassifier
from redline.detectors.classifiers.promotion import PromotionClassifier
from redline.text.normalize import normalize_batch
from redline.training.conduct_data import corpus_records

CORPUS = Path(__file__).resolve().parents[3] / "data" / "conduct"
WRITTEN = [
    "脐橙十斤装68元包邮，有意者加vx详聊", "你是脑瘫吗", "你大爷的，滚", "收到，明天上午九点开会",
    "本店新到一批茶叶，欢迎选购，价格优惠", "群里谁要代购的私聊我", "今天的会议纪要请大家查收", "",
    "好", "我叫你来你不来是不是怕了",
]


def _dev() -> list[dict[str, object]]:
    """Our corpus's dev split: written work chat no model was fitted on, with its labels."""
    return list(corpus_records(CORPUS, "dev"))


@pytest.fixture(scope="module")
def rows() -> list[dict[str, object]]:
    return [{"text": t, "labels": []} for t in WRITTEN] + _dev()


@pytest.fixture(scope="module")
def batch(rows: list[dict[str, object]]) -> object:
    return normalize_batch([str(r["text"]) for r in rows]).texts


@pytest.mark.parametrize("name", ["offensive", "promotion"])
def test_rows_let_through_score_as_the_full_model(name: str, batch: object) -> None:
    model = LinearTextModel.from_files(shipped_model(name))
    first = partial_logits(model, batch)  # type: ignore[arg-type]
    passes = np.zeros(len(first.logits), dtype=bool)
    passes[::3] = True  # any subset: the full logit of a row does not depend on which others pass
    got = gated_logits(model, batch, passes, first)  # type: ignore[arg-type]
    full = model.logits(batch)  # type: ignore[arg-type]
    assert np.array_equal(got[passes], full[passes])  # bit for bit
    assert np.isneginf(got[~passes]).all()
    every = gated_logits(model, batch, None, first)  # type: ignore[arg-type]
    assert np.array_equal(every, full)


@pytest.mark.parametrize(("factory", "threshold"), [(OffensiveClassifier, 0.6), (OffensiveClassifier, 0.3),
                                                    (PromotionClassifier, 0.7), (PromotionClassifier, 0.27)])
def test_the_gate_never_adds_a_lead_and_keeps_scores(factory: type, threshold: float, batch: object,
                                                     rows: list[dict[str, object]]) -> None:
    built = factory.build([Trigger("R-1", "R-1#x", ClassifierConfig(threshold=threshold))], BuildContext())
    assert built.gate is not None, "the shipped model has a measured gate"
    gated = built.lead_scores(batch)
    full = built.scores(batch)
    lead = gated >= threshold
    assert not (lead & (full < threshold)).any()
    assert np.array_equal(gated[gated > 0], full[gated > 0])
    stopped = gated == 0
    assert stopped.mean() > 0.3, "the gate stops most work chat at a pack threshold"
    if factory is PromotionClassifier:
        # no selling the full model finds in the dev split is stopped (what the gate stops,
        # e.g. 你是脑瘫吗 at 0.74, is the model's mistake, not an ad)
        selling = np.array(["promotion" in r["labels"] for r in rows])  # type: ignore[operator]
        assert (selling & (full >= threshold)).sum() > 50
        assert not (selling & stopped & (full >= threshold)).any()


def test_a_gate_applies_to_its_model_file_only(tmp_path: Path) -> None:
    folder = tmp_path / "offensive"
    shutil.copytree(model_dir("offensive"), folder)
    assert load_gate(load_model_files(folder)) is not None
    spec = json.loads((folder / GATE_FILE).read_text(encoding="utf-8"))
    spec["model_sha256"] = "0" * 64  # measured on another version of the model
    (folder / GATE_FILE).write_text(json.dumps(spec), encoding="utf-8")
    assert load_gate(load_model_files(folder)) is None
    (folder / GATE_FILE).unlink()
    assert load_gate(load_model_files(folder)) is None


@given(st.floats(min_value=0.01, max_value=0.99))
def test_gap_at_takes_the_wider_neighbour(threshold: float) -> None:
    curve = GateCurve((0.1, 0.5, 0.9), (0.5, 1.0, 2.0), "")
    gap = curve.gap_at(threshold)
    assert gap in (0.5, 1.0, 2.0)
    if threshold > 0.5:
        assert gap == 2.0
    elif 0.1 < threshold < 0.5:
        assert gap == 1.0


@pytest.mark.parametrize("name", ["offensive", "promotion"])
def test_measured_cost_on_held_out_rows_is_under_one_percent(name: str) -> None:
    spec = json.loads((shipped_model(name).path / GATE_FILE).read_text(encoding="utf-8"))
    assert spec["model_sha256"] == shipped_model(name).meta["sha256"]
    for split, rows in spec["held_out_cost"].items():
        for row in rows:
            assert row["recall_cost"] < 0.01, (split, row)


def test_logit_is_the_inverse_of_sigmoid() -> None:
    for p in (0.05, 0.27, 0.5, 0.6, 0.95):
        assert float(sigmoid(np.array([logit(p)]))[0]) == pytest.approx(p)
