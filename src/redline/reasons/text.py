"""Reasons of text findings: a finding's `reason` (zh) and `reason_en`, rendered from structured facts.

A reason is never hand-assembled by a detector: the scan engine collects facts (rule, evidence,
score, the detector's `why`) and this module renders them, Chinese first, English second.
(Payment and group findings render through `reasons.render` from a reason key.)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from redline.reasons.why_zh import why_zh
from redline.reasons.words import CATEGORY_ZH

if TYPE_CHECKING:  # the facts read a rule reference; the rules layer sits above this one
    from redline.rules.plan import RuleRef

# Detector registry keys as a reviewer would understand them.
DETECTOR_ZH: Final[Mapping[str, str]] = {
    "lexicon": "词表",
    "regex": "规则表达式",
    "pii": "个人信息识别",
    "secret_marks": "密级标志",
    "doc_number": "文号",
    "gambling": "赌博用语",
    "canvassing": "拉票用语",
    "gift_offer": "送礼用语",
    "flattery": "吹捧用语",
    "near": "上下文组合",
    "frames": "行为框架",
    "clf.offensive": "低俗分类器",
    "clf.promotion": "推广分类器",
    "clf.conduct": "行为分类模型",
    "pii.person_name": "人名识别",
}

# detectors whose findings are a model's lead with no rule term behind them
MODEL_LEAD_DETECTORS: Final = frozenset({"clf.conduct"})

_MAX_EVIDENCE: Final = 40  # characters quoted in a sentence; the span itself is kept whole


def _quote(evidence: str) -> str:
    # no space and nothing unprintable (every other whitespace is unprintable): nothing to join
    text = evidence if " " not in evidence and evidence.isprintable() else " ".join(evidence.split())
    return text if len(text) <= _MAX_EVIDENCE else text[: _MAX_EVIDENCE - 1] + "…"


def text_facts(ref: RuleRef, evidence: str, score: float, why: str = "") -> dict[str, Any]:
    """The structured facts of a text finding (stored in `Finding.facts`)."""
    return {
        "rule_id": ref.rule_id,
        "pack": ref.pack,
        "rule_text": ref.text,
        "category": ref.category,
        "detector": ref.detector,
        "label": ref.label,
        "evidence": evidence,
        "score": round(float(score), 4),
        "why": why,
    }


def render_text_reason(facts: Mapping[str, Any]) -> tuple[str, str]:
    """(zh, en) sentences for a text finding, from `text_facts(...)`.

    Example: 消息中出现“多关照”（送礼用语，依据 TJ-06：严禁利用微信接受或赠送…），疑似收送红包礼品。
    """
    frame = text_reason_frame(
        str(facts.get("rule_id", "")), str(facts.get("rule_text", "")), str(facts.get("category", "")),
        str(facts.get("detector", "")),
    )
    return frame.render(str(facts.get("evidence", "")), str(facts.get("why", "")))


@dataclass(frozen=True, slots=True)
class ReasonFrame:
    """The sentences of one rule and detector around the quoted evidence and the `why`: built
    once per trigger, then each finding costs a few concatenations (`render`)."""

    zh_mid: str
    zh_end: str
    en_mid: str
    en_end: str

    def render(self, evidence: str, why: str) -> tuple[str, str]:
        """(zh, en) with `evidence` quoted and the detector's `why`."""
        ev = _quote(evidence)
        if why:
            return (f"消息中出现“{ev}{self.zh_mid}；{why_zh(why)}{self.zh_end}",
                    f'The message contains "{ev}{self.en_mid}; {why}{self.en_end}')
        return f"消息中出现“{ev}{self.zh_mid}{self.zh_end}", f'The message contains "{ev}{self.en_mid}{self.en_end}'

    def render_zh(self, evidence: str, why: str) -> str:
        """`render`'s Chinese sentence alone (what `redline screen` writes)."""
        ev = _quote(evidence)
        if why:
            return f"消息中出现“{ev}{self.zh_mid}；{why_zh(why)}{self.zh_end}"
        return f"消息中出现“{ev}{self.zh_mid}{self.zh_end}"


def text_reason_frame(rule_id: str, rule_text: str, category: str, detector: str) -> ReasonFrame:
    """The frame `render_text_reason` fills with the evidence and the `why`."""
    cat_zh = CATEGORY_ZH.get(category, category)
    det_zh = DETECTOR_ZH.get(detector, detector)
    basis_zh = f"依据 {rule_id}：{rule_text}" if rule_text else f"依据 {rule_id}"
    if detector in MODEL_LEAD_DETECTORS:
        # no term list matched: the reviewer must know this is a model's guess, to be checked
        return ReasonFrame(
            f"”（{det_zh}", f"），这是模型给出的线索而非词表命中，疑似{cat_zh}问题，请人工核实；{basis_zh.rstrip('。')}。",
            f'" (detector {detector}',
            f'), a model\'s lead, not a term-list hit: a possible {category.replace("_", " ")} '
            f"matter under rule {rule_id}, for a reviewer to check.",
        )
    return ReasonFrame(
        f"”（{det_zh}", f"），疑似{cat_zh}问题，{basis_zh.rstrip('。')}。",
        f'" (detector {detector}',
        f'), a possible {category.replace("_", " ")} lead under rule {rule_id}.',
    )
