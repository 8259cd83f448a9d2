"""normalize_batch: examples, and hypothesis properties (idempotence, offsets, spans, noise)."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from redline.text import normalize_batch, normalize_text

EXAMPLES = [
    ("绝 密文件", "绝密文件"),
    ("機.密", "机密"),
    ("红🧧包", "红包"),
    ("紅包", "红包"),
    ("ＡＢＣ１２３", "abc123"),
    ("机密★1年", "机密★1年"),
    ("保密 工作会议", "保密工作会议"),
    ("hong bao", "hong bao"),  # latin words keep their spaces
    ("机 mi 文件", "机mi文件"),  # … but not next to a 汉字 (pinyin typed into a word)
    ("请用 VPN-登录", "请用vpn登录"),
    ("电话 138", "电话 138"),  # digits keep theirs
    ("红  ..  包", "红  ..  包"),  # a run longer than MAX_GAP is a real break
    ("等等……", "等等.."),  # the ellipsis folds one-to-one (tables._ONE_TO_ONE)
    ("5㎡", "5m2"),
    ("a\u0301", "á"),
    ("\u200b红\u200d包", "红包"),
    ("", ""),
    ("\ud800x", "\ufffdx"),
    ("a\x00b\x07c", "a b c"),
    ("ＨｏｎｇＢａｏ", "hongbao"),
]


@pytest.mark.parametrize(("text", "expected"), EXAMPLES, ids=[repr(e[0]) for e in EXAMPLES])
def test_examples(text: str, expected: str) -> None:
    assert normalize_text(text) == expected


def test_batch_keeps_rows_apart_and_maps_spans() -> None:
    batch = normalize_batch(["你好", "绝 密 文件", "", "機．密"])
    assert [n.text for n in batch] == ["你好", "绝密文件", "", "机密"]
    assert batch.span(1, 0, 2) == (0, 3)  # "绝 密" in the original
    assert batch.span(3, 0, 2) == (0, 3)
    assert list(batch.texts) == ["你好", "绝密文件", "", "机密"]


def test_huge_and_control_messages_do_not_disturb_neighbours() -> None:
    huge = "红包" * 500_000
    batch = normalize_batch(["前", huge, "\x00\x01\x02", "后"])
    assert batch[0].text == "前"
    assert len(batch[1].text) == 1_000_000
    assert batch[2].text == "   "
    assert batch[3].text == "后"


texts = st.text(
    alphabet=st.characters(codec=None, exclude_categories=()), max_size=40
)
cjk_noise = st.text(alphabet="的一是了我不人在他有这个上们，。！？ 　.·★🧧", max_size=12)
inserted = st.lists(st.sampled_from([" ", ".", "·", "🧧", "\u200b", "*", "，", "_"]), max_size=2)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.lists(texts, min_size=1, max_size=4))
def test_idempotent_and_offsets_in_range(batch_texts: list[str]) -> None:
    batch = normalize_batch(batch_texts)
    assert len(batch) == len(batch_texts)
    again = normalize_batch([n.text for n in batch])
    assert [n.text for n in again] == [n.text for n in batch]
    for item, original in zip(batch, batch_texts, strict=True):
        positions = item.offsets.to_original(range(len(item.text) + 1))
        assert all(0 <= p <= len(original) for p in positions)
        assert positions == sorted(positions)
        assert positions[-1] == len(original)


@settings(max_examples=300, deadline=None)
@given(texts)
def test_every_normalised_character_maps_back_to_a_span_that_normalises_to_it(text: str) -> None:
    [item] = normalize_batch([text])
    for i, ch in enumerate(item.text):
        start, end = item.offsets.span(i, i + 1)
        assert 0 <= start < end <= len(text)
        source = normalize_text(text[start:end])
        # a source span normalises to the character, unless composition across it merged
        # several characters (then the span holds all of them)
        assert ch in source or unicodedata.normalize("NFKC", source) != source


@settings(max_examples=300, deadline=None)
@given(cjk_noise, st.sampled_from(["绝密", "红包", "购物卡", "不得外传"]), cjk_noise, st.data())
def test_term_with_inserted_symbols_is_found(left: str, term: str, right: str, data: st.DataObject) -> None:
    pieces = [term[0]]
    for ch in term[1:]:
        pieces.extend(data.draw(inserted))
        pieces.append(ch)
    evaded = "".join(pieces)
    [item] = normalize_batch([left + evaded + right])
    at = item.text.find(term)
    assert at >= 0
    start, end = item.offsets.span(at, at + len(term))
    # the span maps back to the evaded term in the original, not to the noise around it
    assert normalize_text(item.original[start:end]) == term
