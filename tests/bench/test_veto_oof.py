"""Out-of-fold scores: no row is scored by a model that saw its author; the cache keys on the rows."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import pytest
from bench.veto_oof import PILOT, out_of_fold_scores, written_rows

from redline.training import conduct
from redline.training.conduct_authors import cached_out_of_fold
from redline.training.conduct_data import CATEGORIES, Rows, written_and_real

AUTHORS = ("a0", "w1", "w2")


def _write(path: Path, rows: list[dict[str, object]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")


@pytest.fixture
def dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    monkeypatch.setenv("REDLINE_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("REDLINE_TRAIN_JOBS", "1")  # the memoriser counts its fits in this process
    corpus, data = tmp_path / "corpus", tmp_path / "data"
    lines = [{"text": f"{a}写的第{i}句：{'送购物卡' if i % 2 else '开会通知'}", "author": a,
              "labels": ["gifts"] if i % 2 else [], "kind": "work", "origin": "hand" if i < 3 else "variant",
              "split": "dev" if i == 4 else "train",
              # a line from a family group: its off_topic label is unknown (CHANNEL_BOUND), in
              # training's rows and the study's alike
              "channel": "family" if i == 2 else "work"} for a in AUTHORS for i in range(5)]
    _write(corpus / "train.jsonl", [r for r in lines if r["split"] == "train"])
    _write(corpus / "dev.jsonl", [r for r in lines if r["split"] == "dev"])
    _write(data / "conduct_pilot" / "train.jsonl", [{"text": "试点作者：红包接龙每人五十", "label": "gambling"},
                                                    {"text": "试点作者：明天交材料", "label": "none"}])
    _write(data / "cold" / "train.jsonl", [{"text": f"闲聊{i}", "label": 0, "meta": {"orig_split": "train"}}
                                           for i in range(40)])
    _write(data / "qq_group_ads" / "train.jsonl", [{"text": f"群聊{i}", "label": 0} for i in range(40)])
    _write(data / "weibo_ner" / "train.jsonl", [{"text": f"微博{i}"} for i in range(40)])
    return data, corpus


def _memoriser(calls: list[set[str]]) -> Callable[[Rows], Callable[[Sequence[str]], np.ndarray]]:
    """A fitter that scores 1 exactly the texts it was fitted on: any leak of an author into
    its own fold shows as a 1."""
    def fit(rows: Rows) -> Callable[[Sequence[str]], np.ndarray]:
        seen = set(rows.texts)
        calls.append(set(rows.authors))
        return lambda texts: np.array([[float(t in seen)] * len(CATEGORIES) for t in texts])
    return fit


def test_every_row_is_scored_by_a_model_without_its_author(dirs: tuple[Path, Path]) -> None:
    data, corpus = dirs
    written = written_rows(data, corpus)
    assert sorted({w.author for w in written}) == sorted([*AUTHORS, PILOT])
    assert sum(w.hand for w in written) == 3 * len(AUTHORS) + 2
    calls: list[set[str]] = []
    oof = out_of_fold_scores(written, data, fit=_memoriser(calls))
    assert oof.scores.shape == (len(written), len(CATEGORIES))
    assert not oof.scores.any()  # a leak would score its own author's lines 1
    assert len(calls) == len(AUTHORS) + 1
    for authors in calls:  # each fit saw every author but one, and the real text
        assert len(authors & {*AUTHORS, PILOT}) == len(AUTHORS)
        assert "real" in authors
    assert set(oof.real_scores) == {*AUTHORS, PILOT}


def test_the_cache_serves_the_same_rows_and_not_changed_ones(dirs: tuple[Path, Path]) -> None:
    data, corpus = dirs
    written = written_rows(data, corpus)
    calls: list[set[str]] = []
    first = out_of_fold_scores(written, data, fit=_memoriser(calls))
    again = out_of_fold_scores(written, data, fit=_memoriser(calls))
    assert len(calls) == len(AUTHORS) + 1  # the second call read the cache
    assert np.array_equal(first.scores, again.scores)
    out_of_fold_scores(written[1:], data, fit=_memoriser(calls))
    assert len(calls) == 2 * (len(AUTHORS) + 1)


def test_training_and_the_veto_study_share_one_cache_entry(dirs: tuple[Path, Path], tmp_path: Path) -> None:
    """`redline train conduct` fits the folds once; the veto study then reads them (minutes saved)."""
    data, corpus = dirs
    written, real_train, real_held = written_and_real(data, corpus)
    trained = cached_out_of_fold(written, real_train, real_held, conduct.oof_fit, conduct.recipe_key())
    studied = out_of_fold_scores(written_rows(data, corpus), data)
    assert len(list((tmp_path / "cache").glob("conduct-oof-*.npz"))) == 1
    np.testing.assert_array_equal(trained.scores, studied.scores)
