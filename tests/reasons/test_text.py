from __future__ import annotations

from redline.reasons.text import render_text_reason, text_facts
from redline.rules.plan import RuleRef

REF = RuleRef("TJ-06", "tianjin-2017", "1.0.0", "gifts", "high", "收送红包礼券",
              "严禁利用微信接受或赠送可能影响公正执行公务的微信红包或电子礼券。", "gift_offer", "TJ-06#gift_offer")


def test_reason_is_rendered_from_facts_zh_first() -> None:
    facts = text_facts(REF, "红包…多关照", 0.8512, "context word 关照")
    assert facts["score"] == 0.8512
    assert facts["rule_text"] == REF.text
    zh, en = render_text_reason(facts)
    assert zh == (
        "消息中出现“红包…多关照”（送礼用语；context word 关照），疑似收送红包礼品问题，"
        "依据 TJ-06：严禁利用微信接受或赠送可能影响公正执行公务的微信红包或电子礼券。"
    )
    assert en == 'The message contains "红包…多关照" (detector gift_offer; context word 关照), a possible gifts lead under rule TJ-06.'


def test_long_evidence_is_shortened_in_the_sentence_only() -> None:
    evidence = "网传" + "很长的内容" * 20
    facts = text_facts(REF, evidence, 0.7)
    zh, _ = render_text_reason(facts)
    assert facts["evidence"] == evidence
    assert "…" in zh
    assert len(zh) < len(evidence) + 80
