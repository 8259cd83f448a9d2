"""notices: a term quoted by a rule reminder or a topic name is no hit; a term used is."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from redline.detectors.canvassing import CanvassingDetector
from redline.detectors.gift_offer import GiftOfferDetector
from redline.detectors.lexicon import LexiconDetector
from redline.detectors.secret_marks import SecretMarksDetector

LEXICONS = {"secrets": ("机密文件", "涉密文件", "不得外传"), "gifts": ("红包", "购物卡")}

CASES = [
    ("这是县委的机密文件，大家看看", ["机密文件"]),
    ("严禁在微信群传送机密文件", []),  # a reminder
    ("关于加强涉密文件管理的通知", []),  # a topic (涉密文件管理)
    ("涉密文件的管理要加强", []),
    ("严禁收受红包", []),
    ("严禁转发!!!!这是机密文件", ["机密文件"]),  # the clause ended (a run of four stays in the text)
    # punctuation between two 汉字 is gone after normalisation (机。密 reads 机密), so there
    # only the distance counts; a marker such as 严禁外传 is a term of its own
    ("严禁外传。这是机密文件", []),
    ("不要告诉别人，这是机密文件", ["机密文件"]),  # everyday 不要 is not a notice
    ("别外传这份机密文件", ["机密文件"]),
    ("不得外传的机密文件发群里了", ["不得外传"]),  # the marker stays a hit of its own
    ("严禁在工作群里发与工作无关的内容，发个红包庆祝一下", ["红包"]),
    ("严禁" + "在" * 20 + "收购物卡", ["购物卡"]),  # too far from the prohibition
    # notices as a whole: rebuttals, case reports, warnings, correct handling, training
    ("网传县里发了机密文件要求封路，经核实系谣言", []),
    ("网传县里发了机密文件要求封路，纯属谣言", []),
    ("不是谣言，机密文件我看过了，先别外传", ["机密文件"]),  # "not a rumour" affirms: no rebuttal
    ("县纪委查处一起违规收受购物卡问题", []),
    ("警方提醒：谨防有人冒充领导发红包链接", []),
    ("如发现有人在群里发红包拉票，请举报", []),
    ("涉密文件已到，请到机要室签字领取", []),
    ("节日期间收到的购物卡一律上交", []),
    ("提醒一下，机密文件别发群里", ["机密文件"]),  # an everyday 提醒 is no notice
    # rebuttals, case reports, questions about the rule, handling and refusals by their verdict
    ("网传县里的机密文件要公开的消息不实", []),
    ("网传机密文件泄露的说法是谣言", []),
    ("某局干部收受购物卡，被给予党内警告处分", []),
    ("通报：某村干部发红包拉票，被取消候选人资格", []),
    ("同学聚会发红包算不算违规", []),
    ("涉密文件阅后交回，不得复印", []),
    ("有人给我塞红包，我直接拒绝了", []),
    ("坚决防止和克服收受红包", []),  # 坚决防止 is the voice of a notice
    ("防止被纪委查到，机密文件看完就删", ["机密文件"]),  # 防止 alone is everyday evasion
    ("无所谓，购物卡照收", ["购物卡"]),  # 所谓 is no prohibition: 无所谓 says yes
    ("彩票中心门口的红包中心", []),  # 中心 after the term names a place
    ("红包公司的员工", []),
    ("红包店今天关门", []),
    ("红包广场明天有演出", []),
    ("购物卡超市通用，收下吧", ["购物卡"]),  # 超市 after the card is where it is spent, no name
    ("派出所提醒：冒充客服送购物卡的短信是诈骗，请提高警惕", []),  # an office's warning
    ("涉密文件阅后请放回原处", []),
    ("说县里的机密文件要公开，是瞎传的，大家别当真", []),
    ("去年有人收购物卡被处理，今年大家注意", []),
    ("传出去要挨处分的，机密文件看完就删", ["机密文件"]),  # a sanction feared is no case report
    ("主任拒绝了红包，咱们换成购物卡再送", ["红包", "购物卡"]),  # someone else's refusal, then the gift
    ("官方说的别信，机密文件里写了要撤县", ["机密文件"]),  # 别信 the official word: a rumour's voice
    ("网上说县里要发购物卡，瞎编的，大家莫信", []),
    ("不予立案的报案材料是机密文件吗", ["机密文件"]),  # 立案 alone reports no case
    # the act behind a genre-like word stays a hit
    ("机要室那份机密文件我拍了一张", ["机密文件"]),  # 机要室 named, no handling instruction
    ("不会被查的，机密文件先发你", ["机密文件"]),  # 被查 is no case report
    ("购物卡我没退，给大家分了", ["购物卡"]),  # 没退，给 reads 没退给: 退给 is no genre word
    # in a long text only the passage around a genre word is a notice
    ("县纪委查处一起问题" + "。" * 3 + "x" * 70 + "这是机密文件", ["机密文件"]),
    # a term that names a place or a works
    ("红包厂的工人今天放假", []),
    ("红包群里发的", ["红包"]),  # 群 is no place suffix
    # known limit: punctuation between 汉字 is gone after normalisation, so 红包，厂里 reads 红包厂里
    ("红包，厂里发的", []),
    # issue 20: the same genres in other authors' words (written here, not taken from their files)
    ("镇派出所昨晚查获一处赌点，收缴红包流水两本", []),  # a case handled
    ("村里换届有人发红包买票，选举结果作废", []),
    ("提醒：学生花名册一律不得外传", []),  # a notice's 一律不得, the marker quoted
    ("县纪委通知：节前不得借机收受购物卡", []),  # the ground named (纪委通知)
    ("商户塞的购物卡已经交到镇纪委，收条在我抽屉", []),  # handed in
    ("购物卡交到你手上了，莫声张", ["购物卡"]),  # 交到 alone: the card handed over
    ("病人家属转的红包我原路退回了", []),
    ("老板要送购物卡，我说免了", []),  # a refusal told
    ("村民大会前给各户发红包，这样算拉票吗", []),  # a question about the rule
    ("这不算拉票，红包照发", ["红包"]),  # 算拉票 without 吗 is no question
    ("会议材料请在政务内网上传，涉密文件不走微信", []),  # the right channel
    ("福利统一采购，不发现金和购物卡", []),  # 不发: a welfare rule
    ("看完删了，小心被处分，机密文件别外传", ["机密文件"]),  # a sanction feared, not reported
    ("红包山隧道今天通车", []),  # 山 and 路 after a term: a place
    ("红包路小学下周开运动会", []),
    ("购物卡山一样堆在他办公室", []),  # known limit: 山 read as a place suffix
    ("发不发购物卡你说了算", ["购物卡"]),  # 不发 is no prohibition (补贴不发了 is a rumour)
    ("王书记过不去的事，机密文件先发你", ["机密文件"]),  # 记过 inside 书记过: no sanction
    ("今天我没去开会，机密文件你帮我拍一下", ["机密文件"]),  # 我没去 is no refusal
    # words a violation holds too are no genre words (the rejected ones in GENRES' comments)
    ("纪委通知还没下发，机密文件先给你看", ["机密文件"]),
    ("最近纪委盯着，红包私下给", ["红包"]),
    ("这份机密文件还不对外，先给你看", ["机密文件"]),
    ("购物卡原封未动放你抽屉了", ["购物卡"]),
    ("收的购物卡寄回老家给我妈用", ["购物卡"]),
    ("内网传的机密文件说局长要调走", ["机密文件"]),
    ("这次不请吃饭，直接发红包", ["红包"]),
    ("他没答应，那就红包多包点", ["红包"]),
    ("劝大家都投老王，红包我来发", ["红包"]),
    # a refusal told in reported speech (written by corpus authors w1–w14, reworded here)
    ("有人找我要机密文件，我说不行，这个是纪律", []),
    ("药企的人又要塞购物卡，我直接回绝了", []),
    ("老板想给村里发红包换票，俺没同意，已向纪委报告", []),
    ("说投他一票给个红包，票我想投谁投谁", []),
    # …and the violations that stay: the refusal words' near misses
    ("红包不能收，你们直接转我支付宝", ["红包"]),
    ("心意领了，购物卡我就先收下", ["购物卡"]),
    ("这个机密文件不能拍，我口头告诉你", ["机密文件"]),
    ("拟提拔人选名单及机密文件清退情况经党委研究后在一定范围内公示", []),  # a list published by the book
    ("下周要公示的机密文件名单我先发你看看", ["机密文件"]),  # 公示 alone: the list before it is public
    ("商户送的购物卡我已经退回去了", []),  # a gift sent back
    ("购物卡的申请表我退回去三次了，就是不想给他办", ["购物卡"]),  # a form sent back: 退回去 alone is no refusal
    # the genres in w1–w16's negatives (2026-12-08), reworded: a verdict, a training, a title, a refusal
    ("网传局里发机密文件的事，经公安已核查，没有这回事", []),
    ("“年底每人发购物卡”的说法无事实依据", []),
    ("周五下午廉政课，主题是收受购物卡的边界", []),
    ("购物卡问题整治方案下周印发", []),
    ("有人托我弄机密文件，我已报告纪检组", []),
    ("商户硬塞的购物卡我当场退了", []),
    # …and their near misses: 已报告 and 判了 alone say nothing of the act
    ("名单已报告上去了，机密文件先发你看", ["机密文件"]),
    # correct handling's channels and steps (choice authors' notices, eighth session), reworded
    ("涉密文件一律走机要通道，不复印不扫描", []),
    ("标着不得外传的简报只在OA中阅看，别往群里发", []),
    ("会上发的涉密文件阅后收回，纸质件编号管理", []),
    # …and their near misses: what OA holds, passed on; a leak's own instruction
    ("在OA上看到的机密文件，先发你看看", ["机密文件"]),
    ("这份涉密文件看完撤回，别截图", ["涉密文件"]),
    # a gift declined (choice authors' refusals), reworded; and a demand that looks like one
    ("家长们的购物卡一律不收，心意到了就行", []),
    ("王阿姨，红包真的不能收，孩子的事我会上心", []),
    ("份子钱一分也不能少，红包周五前交齐", ["红包"]),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0] for c in CASES])
def test_lexicon_hits_outside_notices(detect, text: str, expected: list[str]) -> None:
    found = detect(LexiconDetector, text, {"lexicon": ["secrets", "gifts"]}, LEXICONS)
    assert [ev for ev, _ in found] == expected


CUE_CASES = [
    (CanvassingDetector, "换届严禁拉票", False),  # the prohibition is judged on the cue, not on 换届…拉票
    (CanvassingDetector, "换届了，拉票的事找我", True),
    (CanvassingDetector, "换届选举学习严禁拉票贿选的规定", False),
    (GiftOfferDetector, "红包厂的环评手续已经齐全，下周可以投产", False),  # a works' name
    (GiftOfferDetector, "坚决整治收受“红包”、回扣等不正之风", False),
    (GiftOfferDetector, "给您备了回扣，验收费心", True),
]


@pytest.mark.parametrize(("factory", "text", "flagged"), CUE_CASES, ids=[c[1] for c in CUE_CASES])
def test_cue_hits_outside_notices(detect, factory: type, text: str, flagged: bool) -> None:
    assert bool(detect(factory, text)) is flagged


@pytest.mark.parametrize(
    ("text", "flagged"),
    [("机密★1年 会议纪要", True), ("严禁在微信群传送机密文件", False), ("秘密文件管理办法学习", False),
     ("秘密文件请各单位机要员到县委办签收", False),  # a level named in words, in a handling notice
     ("机密★1年 请到机要室签字领取", True),  # a level marked is the document's own
     ("这份秘密文件你先看看", True)],
)
def test_secret_marks_outside_notices(detect, text: str, flagged: bool) -> None:
    assert bool(detect(SecretMarksDetector, text)) is flagged


_PIECES = ["严禁", "禁止", "管理", "工作", "机密文件", "，", ".", "的", "这是", "a", " ", "在群里", "!!!!",
           "系谣言", "查处", "坡", "厂", "谣言", "x" * 30]


def _reference(text: str, start: int, end: int) -> bool:
    """The rule written plainly: a prohibition word ending 0..REACH before the term with no
    clause break between, or a topic word 0..TOPIC_GAP after it with no break between."""
    from redline.detectors.notices import (
        _CLAUSE_BREAKS,
        GENRE_REACH,
        GENRES,
        PLACE_SUFFIXES,
        PROHIBITIONS,
        REACH,
        TOPIC_GAP,
        TOPICS,
    )

    if text[end:end + 1] in set(PLACE_SUFFIXES):
        return True
    for word in GENRES:  # a genre word starting within GENRE_REACH of the hit, in the row
        at = text.find(word)
        while at >= 0:
            if start - GENRE_REACH <= at < end + GENRE_REACH:
                return True
            at = text.find(word, at + 1)
    for e in range(REACH + 1):
        at = start - e - 2
        if at >= 0 and text[at:at + 2] in PROHIBITIONS and not set(text[start - e:start]) & set(_CLAUSE_BREAKS):
            return True
    for g in range(TOPIC_GAP + 1):
        if text[end + g:end + g + 2] in TOPICS and not set(text[end:end + g]) & set(_CLAUSE_BREAKS):
            return True
    return False


@given(st.lists(st.lists(st.sampled_from(_PIECES), max_size=12), min_size=1, max_size=6))
@settings(max_examples=150, deadline=None)
def test_vectorised_check_equals_the_plain_rule(rows: list[list[str]]) -> None:
    from redline.contracts import HitColumns
    from redline.detectors.notices import drop_notice_hits
    from redline.text.joined import JoinedText

    texts = ["".join(pieces) for pieces in rows]
    hits = [(r, i, i + 4) for r, t in enumerate(texts) for i in range(len(t)) if t.startswith("机密文件", i)]
    arr = np.array(hits, dtype=np.int64).reshape(-1, 3)
    zeros = np.zeros(len(hits), dtype=np.int64)
    columns = HitColumns("t", ("L",), ("w",), arr[:, 0], arr[:, 1], arr[:, 2], zeros, zeros, zeros.astype(float))
    kept = drop_notice_hits(columns, JoinedText.from_texts(texts))
    expected = [h for h in hits if not _reference(texts[h[0]], h[1], h[2])]
    assert list(zip(kept.rows.tolist(), kept.starts.tolist(), kept.ends.tolist(), strict=True)) == expected
