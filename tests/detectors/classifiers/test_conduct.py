"""clf.conduct: the shipped model, its gate and evidence, and the detector in the real engine."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from redline.contracts import BuildContext, Trigger
from redline.detectors.classifiers import conduct_files
from redline.detectors.classifiers.conduct import ConductClassifier, ConductConfig
from redline.detectors.classifiers.versions import ModelVersions
from redline.registry import TEXT_DETECTORS
from redline.rules.compile import compile_plan
from redline.rules.load import load_packs
from redline.scan.engine import scan_batch
from redline.text.normalize import normalize_batch
from redline.training.linear import feature_matrix

# the misses quoted in issue 20 (no longer in any hidden test) and neutral work chat
VIOLATIONS = [
    ("这个红头文件还没正式印发，我先拍照发群里大家提前学习一下", "secrets"),
    ("在家长群吵架的那个家长，我把他电话和家庭住址都查出来了，发给你们", "privacy"),
    ("刘科长乔迁之喜，科里统一随礼每人200，直接转我微信", "gifts"),
    ("老王说这次支部选举只要投他，年底评优他保咱们一个名额", "vote_buying"),
    ("跑得快一把五十，差两个人，谁来", "gambling"),
]
BENIGN = ["下午三点在三楼会议室开会", "收到", "涉密文件请到机要室签字领取，不得拍照", "今晚开黑上分，有没有一起的"]


@pytest.fixture(scope="module")
def loaded() -> conduct_files.ConductModel:
    return conduct_files.active()


def test_shipped_active_version_is_small_and_checked(loaded: conduct_files.ConductModel) -> None:
    versions = ModelVersions.of("conduct")
    assert loaded.version == versions.active()
    assert (loaded.path / "model.npz").stat().st_size < 20 * 2**20
    assert (loaded.path / "MODEL.md").is_file()
    assert set(loaded.thresholds) == set(loaded.model.categories)
    assert TEXT_DETECTORS["clf.conduct"] is ConductClassifier


@pytest.mark.parametrize(("text", "category"), VIOLATIONS)
def test_issue_misses_get_a_lead_of_their_category(loaded: conduct_files.ConductModel, text: str, category: str) -> None:
    texts = normalize_batch([text]).texts
    k = loaded.model.categories.index(category)
    assert loaded.model.scores(texts)[0, k] >= loaded.thresholds[category]


@pytest.mark.parametrize("text", BENIGN)
def test_benign_work_chat_gets_no_lead(loaded: conduct_files.ConductModel, text: str) -> None:
    scores = loaded.model.scores(normalize_batch([text]).texts)[0]
    assert not any(scores[k] >= loaded.thresholds[c] for k, c in enumerate(loaded.model.categories))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(alphabet="红包转发文件机密领导选举一把五十 0123abc，。！", max_size=30), min_size=1, max_size=8))
def test_batch_scores_equal_the_training_features(texts: list[str]) -> None:
    """Inference (running sums over the joined batch) sees exactly what training fitted on."""
    model = conduct_files.active().model
    matrix = feature_matrix(model.hasher, texts)
    expected = 1 / (1 + np.exp(-(matrix @ model.weights.astype(np.float64) + model.bias)))
    np.testing.assert_allclose(model.full_scores(texts), expected, rtol=1e-6, atol=1e-9)
    gated = model.scores(texts)
    passing = model.passing(texts)
    np.testing.assert_allclose(gated[passing], expected[passing], rtol=1e-6, atol=1e-9)
    stopped = np.setdiff1d(np.arange(len(texts)), passing)
    assert not gated[stopped].any()


@pytest.mark.parametrize(("text", "category"), VIOLATIONS)
def test_evidence_spans_are_the_heaviest_ngrams_inside_the_text(
        loaded: conduct_files.ConductModel, text: str, category: str) -> None:
    norm = normalize_batch([text]).texts[0]
    k = loaded.model.categories.index(category)
    evidence = loaded.model.evidence(norm, k)
    start, end = evidence.main
    assert 0 <= start < end <= len(norm)
    weights = [w for _, _, w in evidence.spans]
    assert weights == sorted(weights, reverse=True)
    assert weights[0] > 0
    # the strongest n-gram really carries that weight: scoring the text without it lowers the score
    s, e, _ = evidence.spans[0]
    without = norm[:s] + "　" * (e - s) + norm[e:]
    before, after = loaded.model.full_scores([norm, without])[:, k]
    assert after < before


PACK = """
pack: test-conduct
title: t
issued_by: t
year: 2020
version: "1"
source: {title: t, publisher: t, date: 2020-01-01}
rules:
  - id: TG-01
    title: gambling words
    text: 不得赌博。
    category: gambling
    severity: medium
    when:
      - regex: {pattern: "上分|一把", score: 0.5}
      - clf.conduct: {category: gambling, leads: false, veto: {below: 0.05, hits_under: 0.9}}
  - id: TG-02
    title: gifts words
    text: 不得收送红包。
    category: gifts
    severity: medium
    when:
      - regex: {pattern: "随礼", score: 0.5}
  - id: TM-01
    title: model gifts
    text: 模型线索。
    category: gifts
    severity: low
    when:
      - clf.conduct: {category: gifts}
"""


@pytest.fixture(scope="module")
def plan(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    path: Path = tmp_path_factory.mktemp("packs") / "test-conduct.yaml"
    path.write_text(PACK, encoding="utf-8")
    loaded = load_packs([path])
    assert not loaded.errors, loaded.errors
    return compile_plan(loaded.packs)


def test_veto_drops_a_weak_rule_hit_the_model_finds_benign(plan) -> None:  # type: ignore[no-untyped-def]
    texts = ["今晚开黑上分，有没有一起的", "跑得快一把五十，差两个人，谁来"]
    by_row = {t: {f.rule_id for f in scan_batch(plan, [t])} for t in texts}
    assert "TG-01" not in by_row[texts[0]]  # game slang without a stake: vetoed
    assert "TG-01" in by_row[texts[1]]  # a stake: the model agrees, the rule hit stays


@pytest.mark.parametrize("over", ["category", "max"])
def test_a_veto_over_max_reads_the_highest_score_of_every_category(tmp_path: Path, over: str) -> None:
    """`over: max`: the model must find nothing at all in the message, not only nothing of the
    rule's category. The bound sits between the message's gambling score and its highest one."""
    text = "今晚开黑上分，有没有一起的"
    model = conduct_files.active().model
    scores = model.full_scores(list(normalize_batch([text]).texts))[0]
    gambling = float(scores[model.categories.index("gambling")])
    assert scores.max() > gambling  # else this message cannot tell the two apart
    below = (gambling + float(scores.max())) / 2
    pack = PACK.replace("veto: {below: 0.05, hits_under: 0.9}", f"veto: {{below: {below}, hits_under: 0.9, over: {over}}}")
    path = tmp_path / "test-conduct.yaml"
    path.write_text(pack, encoding="utf-8")
    loaded = load_packs([path])
    assert not loaded.errors, loaded.errors
    rules = {f.rule_id for f in scan_batch(compile_plan(loaded.packs), [text])}
    assert ("TG-01" in rules) == (over == "max")  # over max: off_topic's score is above the bound


def test_lead_only_where_no_rule_of_its_category_hit(plan) -> None:  # type: ignore[no-untyped-def]
    caught_by_rule = "刘科长乔迁之喜，科里统一随礼每人200，直接转我微信"
    missed_by_rule = "王老板说节前给每个科室送两张购物卡，大家别声张"
    findings = scan_batch(plan, [caught_by_rule, missed_by_rule])
    rows = {(f.subject_id, f.rule_id) for f in findings}
    assert ("0", "TG-02") in rows
    assert ("0", "TM-01") not in rows
    lead = next(f for f in findings if f.subject_id == "1" and f.rule_id == "TM-01")
    version = conduct_files.active().version
    assert lead.facts["model_version"] == version
    assert f"v{version}" in lead.reason_en
    assert "model's lead" in lead.reason_en
    assert "模型给出的线索" in lead.reason
    assert "评分" in lead.reason
    assert lead.evidence
    assert lead.evidence == missed_by_rule[lead.start:lead.end]


def test_config_is_schema_checked() -> None:
    with pytest.raises(ValueError, match="no category"):
        ConductConfig(category="political")
    with pytest.raises(ValueError):
        ConductConfig.model_validate({"category": "gifts", "veto": {"below": 2}})
    with pytest.raises(ValueError):
        ConductConfig.model_validate({"category": "gifts", "veto": {"below": 0.01, "over": "min"}})
    detector = ConductClassifier.build(
        [Trigger("R", "L", ConductConfig(category="gifts", threshold=0.0))], BuildContext())
    hits = detector.scan(normalize_batch(["", "🧧🧧🧧", "张三" * 400, "\u200b"]).texts)
    assert all(h.detector == "clf.conduct" and h.label == "L" for h in hits)
    assert {h.row for h in hits} <= {2}  # empty and very short messages never reach the model


def test_a_courtesy_only_message_gets_no_lead_though_the_model_scores_it(plan) -> None:  # type: ignore[no-untyped-def]
    thanks, favour = "谢谢老板", "谢谢老板关照，下周的验收费心了，给您备了两张购物卡"
    model = conduct_files.active()
    gifts = model.model.categories.index("gifts")
    assert model.model.full_scores([thanks])[0, gifts] >= model.thresholds["gifts"]  # the model alone would lead
    rows = {(f.subject_id, f.rule_id) for f in scan_batch(plan, [thanks, favour])}
    assert ("0", "TM-01") not in rows
    assert {("1", "TM-01"), ("1", "TG-02")} & rows  # the same words with an act are screened


@pytest.mark.parametrize(("text", "notice"), [
    # cases retold (已经立案, 开除了); a formal case report (通报：…被查处) and a report of correct
    # handling (红包我交给科主任了，主任已经退给家属了) no longer pass 1.6.0's first stage at all
    ("科主任收了病人家属的红包，已经立案调查", True),
    ("老李收了包工头的两条烟和购物卡，开除了", True),
    ("病人家属塞的那个红包我交给科主任了，主任收下了", False),
])
def test_a_lead_on_a_notice_is_dropped_unless_the_rule_keeps_it(text: str, notice: bool) -> None:
    # threshold 0: every message the first stage passes reaches a lead, so only the notice decides
    detector = ConductClassifier.build([
        Trigger("R", "default", ConductConfig(category="gifts", threshold=0.0)),
        Trigger("K", "kept", ConductConfig(category="gifts", threshold=0.0, notices=False)),
    ], BuildContext())
    texts = normalize_batch([text]).texts
    assert detector.loaded.model.passing(texts).tolist() == [0]  # else the gate, not the notice, decides
    labels = {h.label for h in detector.scan(texts)}
    assert labels == ({"kept"} if notice else {"default", "kept"})


def test_no_lead_on_official_prose_unless_the_rule_asks() -> None:
    prose = "倡导婚事新办、丧事简办，坚决遏制大操大办、铺张浪费。"
    detector = ConductClassifier.build([
        Trigger("R", "default", ConductConfig(category="superstition", threshold=0.0)),
        Trigger("K", "kept", ConductConfig(category="superstition", threshold=0.0, official_prose=True)),
    ], BuildContext())
    assert {h.label for h in detector.scan(normalize_batch([prose]).texts)} == {"kept"}


@pytest.mark.parametrize(("text", "led"), [
    ("周末斗地主三缺一，纯娱乐不来钱", False),
    ("今晚打麻将吗？不帶錢的那种", False),  # the phrase is matched after normalisation
    ("老地方三缺一，不带钱别来", True),  # 不带钱 alone asks for the stake
])
def test_unless_phrases_say_the_act_is_absent(text: str, led: bool) -> None:
    detector = ConductClassifier.build([Trigger("R", "L", ConductConfig(
        category="gambling", threshold=0.0, unless=("不来钱", "不带钱的")))], BuildContext())
    assert bool(detector.scan(normalize_batch([text]).texts)) is led
