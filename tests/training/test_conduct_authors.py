"""Leave-one-author-out for clf.conduct: no row is scored or thresholded by what saw its author.

Real fits (`conduct.fit`, liblinear) on small written rows; the property under test is that an
author's own lines never reach the model that scores them nor the thresholds they are measured
at, and that per-author weighting gives every author the same say.
"""

from __future__ import annotations

import os
from collections import Counter

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from redline.training import conduct, conduct_authors
from redline.training.conduct_data import CATEGORIES, Rows, make_rows

GIFTS = CATEGORIES.index("gifts")
BUDGETS = conduct_authors.Budgets(lead=0.1, strict_real=0.05, loose_real=0.05, floor=0.05)


def _author(name: str, marker: str, n: int = 24) -> Rows:
    """An author whose gift lines all share a habit (`marker`), and whose negatives do not."""
    texts = [f"{marker}给科长随礼{i}百块" for i in range(n)]
    texts += [f"明天上午{i}点开会请准时参加" + name for i in range(n)]
    labels = [["gifts"]] * n + [[]] * n
    return make_rows(texts, labels, "corpus", [name] * (2 * n))


def _real(n: int = 60) -> Rows:
    texts = [f"今天天气不错我们去钓鱼{i}" for i in range(n)] + [f"这局游戏打得好第{i}把" for i in range(n)]
    return make_rows(texts, [[] for _ in texts], "real")


def _fit(rows: Rows) -> conduct_authors.Scorer:
    return conduct.fit(rows, gate=False).full_scores


@pytest.fixture(scope="module")
def oof() -> conduct_authors.OutOfFold:
    written = _author("a0", "甲乙丙") + _author("w1", "丁戊己") + _author("w2", "庚辛壬")
    real = _real()
    held = real.where(np.arange(len(real)) % 4 == 0)
    return conduct_authors.out_of_fold(written, real.where(np.arange(len(real)) % 4 != 0), held, _fit)


def test_an_author_is_scored_by_a_model_that_never_saw_it(oof: conduct_authors.OutOfFold) -> None:
    everyone = conduct.fit(oof.written + _real(), gate=False)
    for author in oof.authors:
        mine = oof.written.author_is(author) & oof.written.labels[:, GIFTS]
        # an author's own habit only helps a model that saw the author
        assert oof.scores[mine, GIFTS].mean() < everyone.full_scores(oof.written.where(mine).texts)[:, GIFTS].mean()
    assert set(oof.real_scores) == {"a0", "w1", "w2"}


def test_folds_fitted_side_by_side_score_as_one_process_does(oof: conduct_authors.OutOfFold) -> None:
    real = _real()
    held = real.where(np.arange(len(real)) % 4 == 0)
    one = conduct_authors.out_of_fold(oof.written, real.where(np.arange(len(real)) % 4 != 0), held, _fit, jobs=1)
    two = conduct_authors.out_of_fold(oof.written, real.where(np.arange(len(real)) % 4 != 0), held, _fit, jobs=2)
    np.testing.assert_array_equal(one.scores, two.scores)
    assert one.real_scores.keys() == two.real_scores.keys()
    for author in one.real_scores:
        np.testing.assert_array_equal(one.real_scores[author], two.real_scores[author])


@pytest.mark.parametrize(("given", "env", "expected"), [(3, "", 3), (None, "5", 5), (0, "", 1), (None, "x", None)])
def test_fold_jobs(given: int | None, env: str, expected: int | None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REDLINE_TRAIN_JOBS", env)
    assert conduct_authors.fold_jobs(given) == (expected if expected is not None else len(os.sched_getaffinity(0)))


def test_an_author_s_thresholds_ignore_its_own_rows(oof: conduct_authors.OutOfFold) -> None:
    before = conduct_authors.fold_thresholds(oof, "w1", BUDGETS)
    mine = oof.written.author_is("w1")
    moved = conduct_authors.OutOfFold(oof.written, oof.scores.copy(), oof.real, dict(oof.real_scores))
    moved.scores[mine] = np.random.default_rng(0).random((int(mine.sum()), len(CATEGORIES)))
    np.testing.assert_array_equal(conduct_authors.fold_thresholds(moved, "w1", BUDGETS), before)


def test_figures_count_every_author_once(oof: conduct_authors.OutOfFold) -> None:
    figures = conduct_authors.author_figures(oof, BUDGETS)
    assert set(figures["authors"]) == {"a0", "w1", "w2"}
    recalls = [f["macro_recall"] for f in figures["authors"].values()]
    assert figures["mean"]["macro_recall"] == pytest.approx(np.mean(recalls), abs=1e-4)
    assert set(figures["per_category_recall"]) == {"gifts"}
    for f in figures["authors"].values():
        assert 0.0 <= f["written_negatives_with_lead"] <= 1.0
        assert f["per_category"]["gifts"]["n"] == 24


@settings(max_examples=40, deadline=None)
@given(sizes=st.lists(st.integers(1, 60), min_size=1, max_size=5), real=st.integers(0, 30),
       power=st.sampled_from([0.0, 0.5, 1.0]))
def test_author_balance_shares_the_written_weight(sizes: list[int], real: int, power: float) -> None:
    authors = [f"w{i}" for i, n in enumerate(sizes) for _ in range(n)]
    rows = Rows([str(i) for i in range(len(authors) + real)], np.zeros((len(authors) + real, len(CATEGORIES)), dtype=bool),
                ["corpus"] * len(authors) + ["real"] * real, authors + ["real"] * real)
    weights = conduct_authors.author_balance(rows, 4.0, power)
    written = np.arange(len(weights)) < len(authors)
    assert weights[~written] == pytest.approx(np.ones(real))
    assert weights[written].mean() == pytest.approx(4.0)  # the written rows' say stays as it was
    totals = Counter[str]()
    for author, w in zip(authors, weights[written], strict=True):
        totals[author] += float(w)
    if power == 1.0:
        assert max(totals.values()) == pytest.approx(min(totals.values()))
    if power == 0.0:
        assert weights[written] == pytest.approx(np.full(len(authors), 4.0))
