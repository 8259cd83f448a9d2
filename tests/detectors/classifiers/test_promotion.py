"""clf.promotion: the shipped model loads, matches its card, keeps its F1, generalises to work chat."""

from __future__ import annotations

import numpy as np
import pytest
import yaml
from tests.detectors.classifiers.conftest import assert_card_checksum

from redline.contracts import BuildContext, Trigger
from redline.detectors.classifiers.base import LinearTextModel, shipped_model
from redline.detectors.classifiers.promotion import PromotionClassifier, PromotionModel
from redline.rules.load import shipped_pack_paths
from redline.training import promotion as recipe
from redline.training.chat_probe import ADS, WORK
from redline.training.datasets import normalized
from redline.training.evaluation import figures


def _model() -> PromotionModel:
    """The detector as a screen builds it: n-gram model and selling cues."""
    return PromotionClassifier.build([Trigger("R", "promotion", PromotionClassifier.Config())], BuildContext())


def test_model_matches_its_card_checksum() -> None:
    assert_card_checksum("promotion")


def test_validation_f1_is_at_least_the_card_s(data_dir) -> None:  # type: ignore[no-untyped-def]
    card_f1 = assert_card_checksum("promotion")
    val = recipe.validation_set(data_dir)
    got = figures(val.labels, _model().scores(val.texts), shipped_model("promotion").threshold)
    assert got.positives > 30
    assert got.f1 >= card_f1 - 0.02


def test_the_card_figure_is_the_detector_s_not_the_n_grams_alone(data_dir) -> None:  # type: ignore[no-untyped-def]
    # the cues are part of the model: without them the validation F1 is not the card's
    val = recipe.validation_set(data_dir)
    threshold = shipped_model("promotion").threshold
    scores = _model().scores(val.texts)
    ngrams_only = LinearTextModel.from_files(shipped_model("promotion")).scores(val.texts)
    assert abs(figures(val.labels, scores, threshold).f1 - assert_card_checksum("promotion")) < 0.01
    # (1.4.0's two F1s on these 432 rows happen to be equal; the scores are not)
    assert np.abs(scores - ngrams_only).max() > 0.05


@pytest.mark.parametrize(
    "text",
    ["有事加我微信，私聊我也行", "材料私聊发你了", "请大家保持电话畅通，有情况联系我"],
    ids=["wechat-dm", "file-by-dm", "keep-phone-on"],
)
def test_asking_to_be_contacted_is_no_ad_at_the_pack_s_threshold(detect, text: str) -> None:  # type: ignore[no-untyped-def]
    # no ad names only a way to reach someone; 1.3.0's first fit scored 加我微信私聊 0.99. Such
    # phrases can still pass the card's threshold (the card says so); ZJ-05 reads a higher one.
    assert detect(PromotionClassifier, text, {"threshold": _zj05_threshold()}) == []


def _zj05_threshold() -> float:
    pack = next(p for p in shipped_pack_paths() if p.name.startswith("zhejiang"))
    rule = next(r for r in yaml.safe_load(pack.read_text(encoding="utf-8"))["rules"] if r["id"] == "ZJ-05")
    found = [float(w["clf.promotion"]["threshold"]) for w in rule["when"] if "clf.promotion" in w]
    assert len(found) == 1
    return found[0]


def test_work_chat_probe_is_never_flagged() -> None:
    # Across sources: ordinary work messages sharing words with ads (出差, 收到, 价格, 联系).
    scores = _model().scores(normalized(WORK))
    flagged = [t for t, s in zip(WORK, scores, strict=True) if s >= shipped_model("promotion").threshold]
    assert flagged == []


def test_work_chat_probe_ads_recall() -> None:
    # Hand-written 微商 ads in other trades than the training ads: at least half are caught.
    scores = _model().scores(normalized(ADS))
    assert float(np.mean(scores >= shipped_model("promotion").threshold)) >= 0.5


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("代购韩国化妆品，正品保证，有意者私聊", True),
        ("兼职刷单日结，加QQ 123456789", True),
        ("点击链接领取优惠券 https://s.click.taobao.com/abc 券后39.9元", True),
        ("出个vape100r", True),
        ("收到，明天上午九点开会", False),
        ("出差报销单已经交了", False),
        ("下午三点去市场监管局核实价格投诉", False),
    ],
    ids=["daigou", "side-job", "coupon-link", "qq-sell", "ack", "business-trip", "price-complaint"],
)
def test_examples_and_counter_examples(detect, text: str, flagged: bool) -> None:  # type: ignore[no-untyped-def]
    found = detect(PromotionClassifier, text)
    assert [evidence for evidence, _ in found] == ([text] if flagged else [])
    assert all(why.startswith(f"model clf.promotion v{shipped_model('promotion').version}") for _, why in found)
