"""`redline train conduct --evaluate`: per-category figures for the classifier and the full screen."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from redline.detectors.classifiers.versions import ModelVersions
from redline.errors import ConfigError
from redline.training.conduct_data import CATEGORIES, row_labels
from redline.training.conduct_eval import system_figures

LINES = [
    {"text": "这个红头文件还没正式印发，我先拍照发群里大家提前学习一下", "labels": ["secrets"]},
    {"text": "老王说这次支部选举只要投他，年底评优他保咱们一个名额", "labels": ["vote_buying"]},
    {"text": "下午三点在三楼会议室开会", "labels": []},
    {"text": "收到", "labels": []},
]


def test_evaluate_prints_both_systems(tmp_path: Path) -> None:
    path = tmp_path / "labelled.jsonl"
    path.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in LINES), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    done = subprocess.run([sys.executable, "-m", "redline", "train", "conduct", "--evaluate", str(path)],
                          capture_output=True, text=True, timeout=900, check=False, env=env)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout[done.stdout.index("{\n"):])
    assert report["messages"] == 4
    for key in ("classifier", "screen"):
        figs = report[key]
        assert set(figs["per_category"]) == {"secrets", "vote_buying"}
        assert figs["negatives"] == 2
        assert 0.0 <= figs["negatives_with_lead"] <= 1.0
    assert report["classifier"]["per_category"]["secrets"]["recall"] == 1.0


@pytest.mark.parametrize(("record", "labels"), [
    ({"text": "x", "labels": ["gifts", "secrets"]}, ["gifts", "secrets"]),
    ({"text": "x", "labels": []}, []),
    ({"text": "x", "label": "none"}, []),
    ({"text": "x", "label": "gambling"}, ["gambling"]),
])
def test_row_labels_reads_both_shapes(record: dict[str, object], labels: list[str]) -> None:
    assert row_labels(record) == labels


def test_system_figures_by_hand() -> None:
    gold = np.zeros((4, len(CATEGORIES)), dtype=bool)
    gold[0, 0] = gold[1, 0] = True  # two secrets
    predicted = np.zeros_like(gold)
    predicted[0, 0] = predicted[2, 0] = True  # one caught, one false lead on a negative
    figs = system_figures("t", gold, predicted, predicted.any(axis=1))
    assert figs.per_category == {"secrets": {"n": 2, "flagged": 2, "precision": 0.5, "recall": 0.5}}
    assert figs.negatives_with_lead == 0.5
    assert figs.macro_recall == 0.5


def test_primary_labels_count_only_the_first_label_as_a_miss() -> None:
    gifts, conduct = CATEGORIES.index("gifts"), CATEGORIES.index("conduct")
    gold = np.zeros((3, len(CATEGORIES)), dtype=bool)
    gold[0, [gifts, conduct]] = True  # written as gifts, conduct secondary
    gold[1, conduct] = True  # written as conduct
    primary = np.zeros_like(gold)
    primary[0, gifts] = primary[1, conduct] = True
    predicted = np.zeros_like(gold)
    predicted[0, gifts] = True  # the gift is found, its secondary conduct is not
    predicted[1, conduct] = True
    strict = system_figures("t", gold, predicted, predicted.any(axis=1))
    lenient = system_figures("t", gold, predicted, predicted.any(axis=1), primary)
    assert strict.per_category["conduct"]["recall"] == 0.5
    assert lenient.per_category["conduct"] == {"n": 1, "flagged": 1, "precision": 1.0, "recall": 1.0}
    # a lead on a secondary label stays a correct lead, not a false one
    predicted[0, conduct] = True
    assert system_figures("t", gold, predicted, predicted.any(axis=1), primary).per_category[
        "conduct"]["precision"] == 1.0


def test_evaluate_scores_primary_labels_only_when_a_line_has_several(tmp_path: Path) -> None:
    from redline.training.conduct_eval import evaluate_file

    path = tmp_path / "labelled.jsonl"
    lines = [*LINES, {"text": "刘科长乔迁之喜，科里统一随礼每人200，直接转我微信", "labels": ["gifts", "conduct"]}]
    path.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines), encoding="utf-8")
    report = evaluate_file(path)
    assert set(report["screen_primary"]["per_category"]) == {"secrets", "vote_buying", "gifts"}
    assert report["screen"]["per_category"]["conduct"]["n"] == 1
    single = tmp_path / "single.jsonl"
    single.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in LINES), encoding="utf-8")
    assert "screen_primary" not in evaluate_file(single)


def test_versions_next_use_and_refuse_unknown(tmp_path: Path) -> None:
    versions = ModelVersions.of("conduct", tmp_path)
    assert versions.next_version() == "1.0.0"
    with pytest.raises(ConfigError):
        versions.active()
    for version in ("1.0.0", "1.1.0"):
        folder = versions.folder(version)
        folder.mkdir(parents=True)
        (folder / "model.json").write_text(json.dumps({"version": version}), encoding="utf-8")
    assert versions.active() == "1.1.0"  # no pointer: the newest
    assert versions.next_version() == "1.2.0"
    versions.use("1.0.0")
    assert versions.active() == "1.0.0"
    with pytest.raises(ConfigError, match="available"):
        versions.use("9.9.9")
    with pytest.raises(ConfigError, match="MAJOR"):
        versions.folder("latest")
