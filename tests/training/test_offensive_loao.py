"""The leave-one-author-out choice of the third clf.offensive attempt, on a small made-up set."""

from __future__ import annotations

import numpy as np
import pytest

from redline.training import offensive_loao
from redline.training.offensive import Split
from redline.training.offensive_authors import WrittenRow

SAFE = ["今天天气不错", "这家面馆好吃", "周末去爬山", "明天记得带伞", "地铁又晚点了", "我喜欢看书"]
RUDE = ["你这个蠢货", "滚远点废物", "脑子进水了吧蠢货", "废物一个", "蠢到家了", "真是个废物"]


def _split(texts: list[str], labels: list[bool]) -> Split:
    return Split(texts, np.array(labels, dtype=bool))


@pytest.fixture
def small(monkeypatch: pytest.MonkeyPatch) -> tuple[dict[str, Split], Split, list[WrittenRow]]:
    monkeypatch.setattr(offensive_loao, "C_GRID", (1.0,))
    monkeypatch.setattr(offensive_loao, "WEIGHTS", (0.0, 3.0))
    splits = {"train": _split(SAFE[:4] + RUDE[:4], [False] * 4 + [True] * 4),
              "dev": _split(SAFE[4:] + RUDE[4:], [False] * 2 + [True] * 2)}
    domain = _split(["请大家按时提交材料"], [False])
    written = [WrittenRow(a, "k", "region", f"{a}说{t}", rude)
               for a in ("a1", "a2") for t, rude in [("某地人真是废物", True), ("别地域黑，某地人很好", False),
                                                     ("某地人都是蠢货", True), ("我身边某地朋友很热心", False)]]
    return splits, domain, written


def test_every_candidate_is_judged_on_dev_and_on_each_author_left_out(small) -> None:  # type: ignore[no-untyped-def]
    splits, domain, written = small
    found = offensive_loao.candidates(splits, domain, written)
    assert [(k.c, k.weight) for k in found] == [(1.0, 0.0), (1.0, 3.0)]
    for k in found:
        assert set(k.per_author) == {"a1", "a2"}
        assert 0.0 <= k.judged.dev <= 1.0
        assert 0.0 <= k.judged.written <= 1.0


def test_a_left_out_author_is_scored_by_a_model_that_never_read_it(small) -> None:  # type: ignore[no-untyped-def]
    splits, domain, written = small
    base = offensive_loao._joined(splits["train"], domain)
    mine = [r.text for r in written if r.author == "a1"]
    others = [r for r in written if r.author != "a1"]
    left_out = offensive_loao._fit_scores(base, others, 1.0, 3.0, mine)
    with_it = offensive_loao._fit_scores(base, written, 1.0, 3.0, mine)
    # a model fitted on a1's own comments reads them with more confidence: the two differ
    assert not np.allclose(left_out, with_it)
