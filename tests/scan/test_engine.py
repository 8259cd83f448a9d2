"""scan.engine: findings with original-text evidence, rule filtering, bad messages, streams."""

from __future__ import annotations

import pickle

import pytest

from redline.contracts import BuildContext, Trigger
from redline.detectors.gift_offer import GiftOfferDetector
from redline.detectors.lexicon import LexiconConfig, LexiconDetector
from redline.detectors.pii import PiiConfig, PiiDetector
from redline.rules.plan import MessageContext, RuleRef, ScanPlan, Scope
from redline.scan.engine import scan_batch, scan_stream

LEXICONS = {"secrets": ("不得外传", "内部资料"), "gifts": ("购物卡",)}


def _ref(rule_id: str, label: str, detector: str, **kw: object) -> RuleRef:
    return RuleRef(
        rule_id=rule_id, pack="test-pack", pack_version="1", category=str(kw.pop("category", "secrets")),
        severity="high", title=rule_id, text=f"{rule_id} 的条文。", detector=detector, label=label,
        **kw,  # type: ignore[arg-type]
    )


@pytest.fixture(scope="module")
def plan() -> ScanPlan:
    ctx = BuildContext(lexicons=LEXICONS)
    lexicon = LexiconDetector.build([
        Trigger("S-1", "S-1#0", LexiconConfig.model_validate({"lexicon": "secrets"})),
        Trigger("G-1", "G-1#0", LexiconConfig.model_validate({"lexicon": "gifts"})),
        Trigger("OFF", "OFF#0", LexiconConfig.model_validate({"lexicon": "gifts"})),  # not in rules
    ], ctx)
    pii = PiiDetector.build([Trigger("P-1", "P-1#0", PiiConfig())], ctx)
    gifts = GiftOfferDetector.build([Trigger("G-1", "G-1#1", GiftOfferDetector.Config())], ctx)
    rules = {
        "S-1#0": _ref("S-1", "S-1#0", "lexicon", scope=Scope(group_types=("department",))),
        "G-1#0": _ref("G-1", "G-1#0", "lexicon", category="gifts"),
        "G-1#1": _ref("G-1", "G-1#1", "gift_offer", category="gifts", min_score=0.9),
        "P-1#0": _ref("P-1", "P-1#0", "pii", category="privacy"),
    }
    return ScanPlan(detectors=(lexicon, pii, gifts), rules=rules, record_triggers={}, version="v1")


def _summary(findings: list) -> list[tuple[str, str, int | None, int | None, str]]:
    return [(f.subject_id, f.rule_id, f.start, f.end, f.evidence) for f in findings]


def test_evidence_is_quoted_from_the_original_text(plan: ScanPlan) -> None:
    texts = ["这份內部資料不 得 外 傳", "电话：１３８ １２３４ ５６７８", "没事"]
    found = scan_batch(plan, texts, ids=["m1", "m2", "m3"])
    assert _summary(found) == [
        ("m1", "S-1", 2, 6, "內部資料"),
        ("m1", "S-1", 6, 13, "不 得 外 傳"),
        ("m2", "P-1", 3, 16, "１３８ １２３４ ５６７８"),
    ]
    first = found[0]
    assert (first.detector, first.label, first.pack) == ("lexicon", "S-1#0", "test-pack")
    assert (first.category, first.severity, first.subject) == ("secrets", "high", "message")
    assert "“內部資料”" in first.reason
    assert "依据 S-1" in first.reason
    assert first.reason_en.startswith("The message contains")
    assert (first.facts["rule_id"], first.facts["why"]) == ("S-1", "term 内部资料")


def test_hits_below_min_score_or_without_a_rule_are_dropped(plan: ScanPlan) -> None:
    # gift_offer scores 0.75 (weak cue + context) < min_score 0.9; OFF#0 has no rule
    found = scan_batch(plan, ["这张购物卡您收下，招标的事费心"])
    assert _summary(found) == [("0", "G-1", 2, 5, "购物卡")]


def test_scope_narrows_by_context(plan: ScanPlan) -> None:
    texts = ["内部资料", "内部资料", "内部资料"]
    contexts = [MessageContext(group_type="department"), MessageContext(group_type="social"), None]
    found = scan_batch(plan, texts, contexts, ids=["a", "b", "c"])
    assert [f.subject_id for f in found] == ["a", "c"]


BAD = [
    "",
    "\ud800\udfff半个代理对",
    "\x00\x01\x02控制字符\x7f",
    "内部资料" + "啊" * 1_000_000,
    "🧧" * 1000,
    None,
]


def test_bad_messages_never_stop_a_batch(plan: ScanPlan) -> None:
    texts = ["不得外传", *BAD, "购物卡"]
    found = scan_batch(plan, texts)  # type: ignore[arg-type]
    assert _summary(found) == [
        ("0", "S-1", 0, 4, "不得外传"),
        ("4", "S-1", 0, 4, "内部资料"),
        ("7", "G-1", 0, 3, "购物卡"),
    ]


def test_stream_equals_one_batch_and_numbers_rows_across_batches(plan: ScanPlan) -> None:
    texts = [f"第{i}条：内部资料" if i % 7 == 0 else f"第{i}条消息" for i in range(100)]
    streamed = list(scan_stream(plan, texts, batch_size=16))
    assert _summary(streamed) == _summary(scan_batch(plan, texts))
    assert [f.subject_id for f in streamed] == [str(i) for i in range(0, 100, 7)]
    named = list(scan_stream(plan, iter(texts), ids=(f"id{i}" for i in range(100)), batch_size=9))
    assert [f.subject_id for f in named] == [f"id{i}" for i in range(0, 100, 7)]


def test_plan_pickles_and_scans_the_same(plan: ScanPlan) -> None:
    clone = pickle.loads(pickle.dumps(plan))
    texts = ["內部資料", "手机13812345678", "购物卡"]
    assert _summary(scan_batch(clone, texts)) == _summary(scan_batch(plan, texts))


def test_mismatched_contexts_are_rejected(plan: ScanPlan) -> None:
    with pytest.raises(ValueError, match="one entry per text"):
        scan_batch(plan, ["a", "b"], [None])
