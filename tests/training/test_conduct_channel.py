"""Channel-bound categories of clf.conduct: chat about dinner is off-topic (与工作无关) in a work
group and ordinary in a family group, so a row from outside a work channel, or real ordinary
text, carries no off_topic label — not a negative one.

Real fits (`conduct.fit`, liblinear) on small rows; the properties: such rows neither pull the
off_topic column down nor count as false leads when thresholds are chosen, and every other
category still learns from them as negatives.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from redline.training import conduct, conduct_authors
from redline.training.conduct_data import CATEGORIES, CHANNEL_BOUND, Rows, corpus, make_rows

OFF = CATEGORIES.index("off_topic")
GIFTS = CATEGORIES.index("gifts")
CHAT = [f"周末去钓鱼吗第{i}次约了老地方" for i in range(30)]


def _written() -> Rows:
    texts = [f"今晚钓鱼去不去老地方第{i}回" for i in range(30)]  # chat posted in a work group
    texts += [f"给科长随礼{i}百块大家凑一凑" for i in range(30)]
    texts += [f"明天上午{i}点开会请准时参加" for i in range(30)]
    labels = [["off_topic"]] * 30 + [["gifts"]] * 30 + [[]] * 30
    return make_rows(texts, labels, "corpus", ["a0"] * 90)


@pytest.mark.parametrize("work", [True, False])
def test_only_rows_outside_a_work_channel_have_unknown_channel_labels(work: bool) -> None:
    rows = make_rows(CHAT, [[] for _ in CHAT], "corpus", work=[work] * len(CHAT))
    for k, name in enumerate(CATEGORIES):
        assert bool(rows.unknown[:, k].all()) is (name in CHANNEL_BOUND and not work)
        assert not rows.unknown[:, k].any() or name in CHANNEL_BOUND


def test_real_ordinary_text_has_no_off_topic_label_and_rows_keep_the_mask() -> None:
    real = make_rows(CHAT, [[] for _ in CHAT], "real", work=[False] * len(CHAT))
    both = _written() + real
    assert both.unknown[:, OFF].sum() == len(CHAT)
    kept = both.where(both.source_is("real"))
    assert kept.unknown[:, OFF].all()
    assert not kept.unknown[:, GIFTS].any()


def test_hobby_chat_no_longer_teaches_that_chat_is_not_off_topic() -> None:
    work_chat = _written()
    hobby = make_rows(CHAT, [[] for _ in CHAT], "corpus", ["a0"] * len(CHAT), work=[False] * len(CHAT))
    masked = conduct.fit(work_chat + hobby, gate=False)
    as_negatives = conduct.fit(work_chat + make_rows(CHAT, [[] for _ in CHAT], "corpus", ["a0"] * len(CHAT)), gate=False)
    probe = ["周末钓鱼去吗", "今晚去钓鱼不"]
    assert masked.full_scores(probe)[:, OFF].mean() > as_negatives.full_scores(probe)[:, OFF].mean()
    # the other categories still learn from the hobby rows as negatives
    assert masked.full_scores(probe)[:, GIFTS].mean() < 0.5


def test_an_unknown_cell_is_never_a_false_lead_when_thresholds_are_chosen() -> None:
    written = _written() + make_rows(CHAT, [[] for _ in CHAT], "corpus", ["a0"] * len(CHAT), work=[False] * len(CHAT))
    scores = np.zeros((len(written), len(CATEGORIES)))
    scores[:, OFF] = 0.9  # every row scores high in off_topic
    known = written.known(scores)
    work = ~written.unknown[:, OFF]
    assert (known[~work, OFF] == 0).all()
    assert (known[work, OFF] == 0.9).all()
    no_real = written.where(np.zeros(len(written), dtype=bool))
    oof = conduct_authors.OutOfFold(written, scores, no_real, {"a0": np.zeros((0, len(CATEGORIES)))})
    figures = conduct_authors.author_figures(oof, conduct_authors.Budgets(0.5, 0.05, 0.05, 0.05))
    # the work-channel negatives do lead (0.9 ≥ any threshold); the hobby rows' leads are not counted
    work_negatives = int(written.where(work).negative.sum())
    assert figures["authors"]["a0"]["negatives"] == int(written.negative.sum())
    assert figures["authors"]["a0"]["written_negatives_with_lead"] == pytest.approx(
        work_negatives / int(written.negative.sum()), abs=1e-4)


def test_the_corpus_reader_takes_the_channel_from_each_line(tmp_path: Path) -> None:
    lines = [{"text": "今晚吃饺子", "labels": [], "channel": "family", "split": "train"},
             {"text": "今晚吃饺子啊", "labels": ["off_topic"], "channel": "work", "split": "train"},
             {"text": "下午开会", "labels": [], "split": "train"}]
    (tmp_path / "train.jsonl").write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines), encoding="utf-8")
    train, dev = corpus(tmp_path)
    assert len(dev) == 0
    assert train.unknown[:, OFF].tolist() == [True, False, False]
