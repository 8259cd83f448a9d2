"""`redline train` end to end on a small subset of the shared data sets (written to tmp, never the repo)."""

from __future__ import annotations

import itertools
import json
import os
from pathlib import Path

import pytest

from redline.cli import main
from redline.detectors.classifiers.base import (
    LinearTextModel,
    load_model_files,
    model_dir,
    sha256_file,
)
from redline.detectors.classifiers.crf import CharCRF
from redline.training.datasets import DATASETS_ENV

DATA = Path(os.environ.get(DATASETS_ENV, "")).resolve()  # tests/conftest.py sets a default


def _subset(tmp: Path, name: str, keep: int, per_split: bool = False) -> None:
    src = DATA / name / "train.jsonl"
    (tmp / name).mkdir(parents=True, exist_ok=True)
    lines = src.read_text(encoding="utf-8").splitlines()
    if per_split:  # a few rows of each original split, so every recipe split is non-empty
        by_split: dict[str, list[str]] = {}
        for line in lines:
            by_split.setdefault(json.loads(line)["meta"]["orig_split"], []).append(line)
        lines = list(itertools.chain.from_iterable(rows[:keep] for rows in by_split.values()))
    else:
        lines = lines[:keep]
    (tmp / name / "train.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.fixture(scope="module")
def small_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not (DATA / "cold" / "train.jsonl").is_file():
        pytest.skip(f"shared datasets absent at {DATA}")
    tmp = tmp_path_factory.mktemp("datasets")
    _subset(tmp, "cold", 300, per_split=True)
    _subset(tmp, "weibo_ner", 80, per_split=True)
    _subset(tmp, "qq_group_ads", 2200)  # small already; the nonebot2 rows sit at the end
    _subset(tmp, "lexicon_konsheng", 530)
    _subset(tmp, "conduct_pilot", 2600)
    return tmp


@pytest.mark.parametrize("model", ["clf.offensive", "clf.promotion", "clf.offensive-written"],
                         ids=["offensive", "promotion", "offensive-written"])
def test_train_command_writes_a_loadable_model_and_card(small_data: Path, tmp_path: Path, model: str) -> None:
    main(["train", model, "--data-dir", str(small_data), "--out", str(tmp_path)])
    # clf.offensive-written writes offensive/v1_4_0/ (a version beside others), found through model_dir
    folder = model_dir(model.split(".")[1].removesuffix("-written"), tmp_path)
    files = load_model_files(folder)  # checks the sha256 recorded in model.json
    card = (folder / "MODEL.md").read_text(encoding="utf-8")
    assert f"- sha256: {sha256_file(folder / 'model.npz')}" in card
    assert (folder / "pr_curve.png").read_bytes()[:4] == b"\x89PNG"
    scores = LinearTextModel.from_files(files).scores(["明天开会", "代购化妆品私聊"])
    assert scores.shape == (2,)
    assert 0.0 <= files.threshold <= 1.0


def test_person_name_recipe_on_a_subset(small_data: Path, tmp_path: Path) -> None:
    from redline.training import person_name

    result = person_name.train(small_data, tmp_path)
    files = load_model_files(tmp_path / "person_name")
    assert result["sha256"] == files.meta["sha256"]
    crf = CharCRF.from_arrays(files.arrays)
    probs, _, _ = crf.marginals(["张三和李四"])
    assert probs.shape == (5, 3)
