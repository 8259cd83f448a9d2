"""scan.findings: hits as columns give the same findings, fields and order as hits one by one."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import orjson
import pytest

from redline.cli.packs import load_text_plan
from redline.cli.screen import finding_record
from redline.contracts import BuildContext, Finding, Hit, Trigger
from redline.detectors.gift_offer import GiftOfferDetector
from redline.detectors.lexicon import LexiconConfig, LexiconDetector
from redline.detectors.pii import PiiConfig, PiiDetector
from redline.reasons.text import render_text_reason, text_facts
from redline.rules.plan import MessageContext, RuleRef, ScanPlan, Scope
from redline.scan.engine import _normalise, detect, detect_columns, reconcile
from redline.scan.findings import (
    _new_finding,
    findings_from_columns,
    findings_from_hits,
    hit_columns,
    screen_records,
)
from redline.text.normalize import normalize_batch
from redline.training.conduct_data import corpus_records

LEXICONS = {
    "secrets": ("不得外传", "内部资料", "内部"),
    "gifts": ("购物卡", "红包|pinyin|initials", "以后多关照"),
}
TEXTS = [
    "这份內部資料不 得 外 傳，内内部资料也是",
    "给你hongbao，以后多关照，购物卡一张",
    "电话：１３８ １２３４ ５６７８，hb 已发",
    "",
    "github 上的 hb2 不算",
    "红红包包收到，购物卡购物卡，不得得外外传",
]


def _ref(rule_id: str, label: str, detector: str, **kw: object) -> RuleRef:
    return RuleRef(
        rule_id=rule_id, pack="p", pack_version="1", category=str(kw.pop("category", "secrets")),
        severity="high", title=rule_id, text=f"{rule_id} 的条文。", detector=detector, label=label,
        **kw,  # type: ignore[arg-type]
    )


@pytest.fixture(scope="module")
def plan() -> ScanPlan:
    ctx = BuildContext(lexicons=LEXICONS)
    lexicon = LexiconDetector.build([
        Trigger("S-1", "S-1#0", LexiconConfig.model_validate({"lexicon": "secrets"})),
        Trigger("G-1", "G-1#0", LexiconConfig.model_validate({"lexicon": ["gifts", "secrets"], "score": 0.9})),
        Trigger("A-0", "A-0#0", LexiconConfig.model_validate({"lexicon": "gifts", "score": 0.3})),
        Trigger("OFF", "OFF#0", LexiconConfig.model_validate({"lexicon": "gifts"})),  # not in rules
    ], ctx)
    pii = PiiDetector.build([Trigger("P-1", "P-1#0", PiiConfig())], ctx)
    gifts = GiftOfferDetector.build([Trigger("G-1", "G-1#1", GiftOfferDetector.Config())], ctx)
    rules = {
        "S-1#0": _ref("S-1", "S-1#0", "lexicon", scope=Scope(group_types=("department",))),
        "G-1#0": _ref("G-1", "G-1#0", "lexicon", category="gifts"),
        "A-0#0": _ref("A-0", "A-0#0", "lexicon", category="gifts", min_score=0.5),  # all dropped
        "G-1#1": _ref("G-1", "G-1#1", "gift_offer", category="gifts"),
        "P-1#0": _ref("P-1", "P-1#0", "pii", category="privacy"),
    }
    return ScanPlan(detectors=(lexicon, pii, gifts), rules=rules, record_triggers={}, version="v1")


def _slow_findings(plan: ScanPlan, texts: list[str], contexts: list[MessageContext | None] | None) -> list[Finding]:
    """The reference: one Hit at a time, Finding(...), sorted by the contract's tuple."""
    batch = normalize_batch(texts)
    out = []
    seen = set()
    for hit in detect(plan.detectors, batch):
        ref = plan.rules.get(hit.label)
        ctx = contexts[hit.row] if contexts is not None else None
        if ref is None or hit.end <= hit.start or not ref.accepts(hit.score, ctx):
            continue
        start, end = batch.span(hit.row, hit.start, hit.end)
        if (hit.row, hit.label, start, end) in seen:
            continue
        seen.add((hit.row, hit.label, start, end))
        evidence = texts[hit.row][start:end]
        facts = text_facts(ref, evidence, hit.score, hit.why)
        zh, en = render_text_reason(facts)
        out.append((hit.row, start, ref.rule_id, hit.label, end, len(out), Finding(
            ref.rule_id, ref.category, hit.detector, "message", f"m{hit.row}", ref.severity, zh, en,
            ctx.sender_id if ctx is not None else None, hit.score, hit.label, start=start, end=end,
            evidence=evidence, facts=facts, pack=ref.pack,
        )))
    return [item[-1] for item in sorted(out)]


CONTEXTS = [
    None,
    [MessageContext("department", "group", "g1", "p1"), None, MessageContext("interest", "group", "g2", "p2"),
     None, MessageContext(None, "private", None, "p3"), MessageContext("interest", "group", "g2", None)],
]


@pytest.mark.parametrize("contexts", CONTEXTS, ids=["no-context", "contexts"])
def test_columns_match_the_one_by_one_reference(plan: ScanPlan, contexts: list | None) -> None:
    batch = normalize_batch(TEXTS)
    ids = [f"m{i}" for i in range(len(TEXTS))]
    found = findings_from_columns(plan, batch, detect_columns(plan.detectors, batch), ids, contexts)
    expected = _slow_findings(plan, TEXTS, contexts)
    assert found == expected
    assert [repr(f) for f in found] == [repr(f) for f in expected]
    assert {f.rule_id for f in found} >= ({"S-1", "G-1", "P-1"} if contexts is None else {"G-1", "P-1"})
    assert "A-0" not in {f.rule_id for f in found}  # below min_score
    assert "OFF" not in {f.rule_id for f in found}  # not in the plan's rules


def test_hits_and_columns_paths_agree(plan: ScanPlan) -> None:
    batch = normalize_batch(TEXTS)
    hits = detect(plan.detectors, batch)
    assert findings_from_hits(plan, batch, hits, first_row=7) == findings_from_columns(
        plan, batch, hit_columns(hits), first_row=7)
    assert [h for part in hit_columns(hits) for h in part.to_hits()] == hits


def test_lexicon_columns_are_its_hits(plan: ScanPlan) -> None:
    lexicon = plan.detectors[0]
    assert isinstance(lexicon, LexiconDetector)
    batch = normalize_batch(TEXTS)
    columns = lexicon.scan_columns(batch.texts)
    hits = columns.to_hits()
    assert hits == lexicon.scan(batch.texts)
    assert any(h.why.endswith("(repeated characters)") for h in hits)  # the stutter pass ran
    assert any("(pinyin)" in h.why for h in hits)
    assert not any(h.row == 4 for h in hits)  # hb inside github / hb2 is not a whole word


def test_fast_finding_equals_the_constructor() -> None:
    made = _new_finding("R", "gifts", "lexicon", "m1", "high", "理由", "reason", "p1", 0.7, "R#0",
                        1, 3, "红包", {"a": 1}, "pack")
    built = Finding("R", "gifts", "lexicon", "message", "m1", "high", "理由", "reason", "p1", 0.7, "R#0",
                    start=1, end=3, evidence="红包", facts={"a": 1}, pack="pack")
    assert made == built
    assert dataclasses.replace(made, score=0.5) == dataclasses.replace(built, score=0.5)
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.score = 1.0  # type: ignore[misc]


def test_empty_hits_give_no_findings(plan: ScanPlan) -> None:
    batch = normalize_batch(["", "没事"])
    assert findings_from_hits(plan, batch, []) == []
    assert findings_from_columns(plan, batch, detect_columns(plan.detectors, batch)) == []
    assert findings_from_hits(plan, batch, [Hit(0, "lexicon", "G-1#0", 0, 0, 1.0)]) == []  # empty span


def test_screen_records_are_the_findings_records() -> None:
    """`redline screen`'s records straight from the columns equal the findings' records, field
    for field and in order, over every shipped pack on written work chat."""
    plan = load_text_plan("all", None)
    dev = corpus_records(Path(__file__).resolve().parents[2] / "data" / "conduct", "dev")
    texts = [*TEXTS, *(r["text"] for _, r in zip(range(1500), dev, strict=False))]
    ids = [f"m{i}" for i in range(len(texts))]
    batch = _normalise(texts)
    parts = reconcile(plan, batch, detect_columns(plan.detectors, batch))
    expected = [finding_record(f) for f in findings_from_columns(plan, batch, parts, ids)]
    got = screen_records(plan, batch, parts, ids)
    assert len(expected) > 300  # the packs find plenty in work chat: the comparison means something
    assert [orjson.dumps(r) for r in got] == [orjson.dumps(r) for r in expected]
