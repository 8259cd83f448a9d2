"""lexicon: one automaton for every trigger's terms; evasions; opt-in pinyin and initials."""

from __future__ import annotations

import pickle

import pytest

from redline.contracts import BuildContext, Trigger
from redline.detectors.lexicon import LexiconConfig, LexiconDetector, parse_term
from redline.errors import PackError
from redline.scan.engine import scan_hits

LEXICONS = {
    "gifts": ("红包|pinyin|initials", "购物卡", "以后多关照", "牛牛"),
    "secrets": ("不得外传", "内部资料", "机密文件"),
    "stakes": ("赌资|exact",),
    "latin": ("VPN",),
}

CASES = [
    ("发个红包", ["红包"]),
    ("发个紅包", ["紅包"]),  # traditional
    ("发个红 包", ["红 包"]),  # spaced
    ("发个红🧧包", ["红🧧包"]),  # symbol-split
    ("发个红\u200b包", ["红\u200b包"]),  # zero-width
    ("给你hongbao", ["hongbao"]),  # pinyin (opted in)
    ("给你 hong bao 了", ["hong bao"]),
    ("给你ＨＯＮＧＢＡＯ", ["ＨＯＮＧＢＡＯ"]),  # full-width pinyin
    ("发个hb吧", ["hb"]),  # initials (opted in), whole word
    ("github上看", []),  # initials inside a word do not count
    ("shanghongbaoxian", []),  # pinyin inside a longer word does not count
    ("这是jimi wenjian", ["jimi wenjian"]),  # pinyin split into words
    ("机mi文件别乱发", ["机mi文件"]),  # mixed 汉字 and pinyin
    ("ji密文件", ["ji密文件"]),
    ("机 mi 文件别乱发", ["机 mi 文件"]),  # spaces next to 汉字 are dropped by normalisation
    ("这份bu de wai chuan", ["bu de wai chuan"]),
    ("我duzi疼", []),  # |exact: 赌资 has no romanised spellings (duzi is also 肚子)
    ("赌资已到", ["赌资"]),
    ("购物卡和红包", ["购物卡", "红包"]),
    ("不得得外外传", ["不得得外外传"]),  # stuttered characters
    ("红红包包", ["红包"]),  # a stutter around a plain match adds nothing
    ("内内内部资料", ["内部资料"]),
    ("这份內部資料不得外傳", ["內部資料", "不得外傳"]),
    ("连上vpn再说", ["vpn"]),  # case folded
    ("一切正常", []),
    ("牛肉面", []),  # 牛牛 repeats a character itself: it is never collapsed to 牛
    ("牛牛抢庄", ["牛牛"]),
    ("@牛牛牛牛姐", ["牛牛"]),  # a term overlapping itself is one hit
    ("红包红包", ["红包", "红包"]),  # side by side: two
    ("", []),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0] or "empty" for c in CASES])
def test_terms(detect, text: str, expected: list[str]) -> None:
    found = detect(LexiconDetector, text, {"lexicon": ["gifts", "secrets", "latin", "stakes"]}, LEXICONS)
    assert [ev for ev, _ in found] == expected


def _detector() -> LexiconDetector:
    triggers = [
        Trigger("R1", "R1#0", LexiconConfig.model_validate({"lexicon": "gifts"})),
        Trigger("R2", "R2#0", LexiconConfig.model_validate({"lexicon": ["gifts", "secrets"], "score": 0.9})),
    ]
    return LexiconDetector.build(triggers, BuildContext(lexicons=LEXICONS))


def test_one_detector_serves_every_trigger() -> None:
    hits = scan_hits([_detector()], ["红包", "不得外传", "无关"])
    assert [(h.row, h.label, h.start, h.end, h.score) for h in hits] == [
        (0, "R1#0", 0, 2, 0.7),
        (0, "R2#0", 0, 2, 0.9),
        (1, "R2#0", 0, 4, 0.9),
    ]


def test_detector_pickles_and_scans_the_same() -> None:
    detector = _detector()
    clone = pickle.loads(pickle.dumps(detector))
    texts = ["红 包", "內部資料", "hongbao"]
    assert scan_hits([clone], texts) == scan_hits([detector], texts)


def test_compiled_database_is_cached_on_disk(tmp_path) -> None:
    trigger = Trigger("R1", "R1#0", LexiconConfig.model_validate({"lexicon": "gifts"}))
    first = LexiconDetector.build([trigger], BuildContext(lexicons=LEXICONS, cache_dir=tmp_path))
    assert len(list(tmp_path.glob("hs-*.db"))) == 1
    second = LexiconDetector.build([trigger], BuildContext(lexicons=LEXICONS, cache_dir=tmp_path))
    assert scan_hits([second], ["红包"]) == scan_hits([first], ["红包"])


def test_unknown_flag_and_unknown_lexicon_are_pack_errors() -> None:
    with pytest.raises(PackError, match="unknown flag"):
        parse_term("红包|pinyn")
    trigger = Trigger("R1", "R1#0", LexiconConfig.model_validate({"lexicon": "nope"}))
    with pytest.raises(PackError, match="unknown lexicon 'nope'"):
        LexiconDetector.build([trigger], BuildContext(lexicons=LEXICONS))


def test_long_lists_get_whole_pinyin_only(detect) -> None:
    from redline.detectors.lexicon import FULL_SPELLINGS_MAX

    big = {"big": ("机密文件", *(f"项目{i:04d}" for i in range(FULL_SPELLINGS_MAX)))}
    found = detect(LexiconDetector, "jimiwenjian 机mi文件", {"lexicon": "big"}, big)
    assert [ev for ev, _ in found] == ["jimiwenjian"]


# A two-character term that a segmenter splits across two words is no hit (快转 in 加快转变),
# unless the lexicon flags it `|inword`; a term inside one longer word still is (抢红包).
SPLIT_CASES = [
    ("快转", "要加快转变经济发展方式", []),
    ("快转", "要加快转型升级", []),
    ("快转", "网传明天停水，快转", ["快转"]),
    ("快转|inword", "要加快转变经济发展方式", ["快转"]),
    ("红包", "大家抢红包了", ["红包"]),
    ("股票", "我的股票全绿了", ["股票"]),
    ("网传", "上网传播正能量", []),
]


@pytest.mark.parametrize(("term", "text", "expected"), SPLIT_CASES, ids=[f"{c[0]}:{c[1]}" for c in SPLIT_CASES])
def test_terms_split_by_a_segmenter(detect, term: str, text: str, expected: list[str]) -> None:
    found = detect(LexiconDetector, text, {"lexicon": "t"}, {"t": (term,)})
    assert [ev for ev, _ in found] == expected


PROSE_CASES = [
    # official prose (two policy verbs, no person talking) vs chat on the same topic
    ("规范国有企业股票投资行为，防范化解重大金融风险", True, []),
    ("规范国有企业股票投资行为，防范化解重大金融风险", False, ["股票"]),  # the default reads prose too
    ("我的股票又跌了，加强一下心理建设，推进止损吧", True, ["股票"]),  # a person talking
    ("今天股票全绿", True, ["股票"]),
    ("股票", True, ["股票"]),
]


@pytest.mark.parametrize(("text", "chat_only", "expected"), PROSE_CASES,
                         ids=[f"{c[0]}:{'chat' if c[1] else 'all'}" for c in PROSE_CASES])
def test_official_prose_false_drops_hits_in_official_prose(detect, text: str, chat_only: bool,
                                                          expected: list[str]) -> None:
    config = {"lexicon": ["topics"], **({"official_prose": False} if chat_only else {})}
    found = detect(LexiconDetector, text, config, {"topics": ("股票",)})
    assert [ev for ev, _ in found] == expected


def test_official_prose_is_judged_per_trigger() -> None:
    """One trigger asks for chat only, another reads everything: only the first loses the
    hit in official prose, and neither loses the hit in chat."""
    from tests.detectors.conftest import build

    detector = build(LexiconDetector, [{"lexicon": ["topics"], "official_prose": False}, {"lexicon": ["other"]}],
                     {"topics": ("股票",), "other": ("股票",)})
    hits = scan_hits([detector], ["规范国有企业股票投资行为，防范化解重大金融风险", "今天股票全绿"])
    labels = {h.label for h in hits}
    assert len(labels) == 2
    reads_all = next(h.label for h in hits if h.row == 0)  # only the other trigger keeps prose
    assert sorted((h.row, h.label == reads_all) for h in hits) == [(0, True), (1, False), (1, True)]
