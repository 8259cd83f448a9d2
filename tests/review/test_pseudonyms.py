from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from redline.review.pseudonyms import Masker, mask_addresses, mask_numbers, pseudonym_for

ID = "11010519491231002X"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"身份证{ID}请核对", "身份证110105********002X请核对"),
        # the weakest evidence masks: a failed checksum is still an ID's shape
        ("身份证110105194912310021请核对", "身份证110105********0021请核对"),
        ("电话13812345678", "电话138****5678"),
        ("电话 +86 138-1234-5678。", "电话 +86 138-****-5678。"),  # separators kept
        ("订单号 213812345678901", "订单号 213812******901"),  # 15 digits: an old ID's shape
        ("订单号 2138123456789", "订单号 21381****6789"),  # 13 digits with a mobile inside: masked as one
        ("订单号 2023122700019", "订单号 2023122700019"),  # 13 digits, no mobile inside: no ID, card or mobile
        ("卡号 6222020200112233446", "卡号 6222***********3446"),  # Luhn-valid card
        ("卡号 6222020200112233445", "卡号 6222***********3445"),  # fails Luhn, still a card's shape
        ("没有数字", "没有数字"),
    ],
    ids=["ric", "ric-bad-checksum", "mobile", "mobile-separated", "15-digits", "13-digits-mobile", "13-digits", "card",
         "card-bad-luhn", "no-digits"],
)
def test_mask_numbers(text: str, expected: str) -> None:
    assert mask_numbers(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("他家住幸福小区3栋2单元501", "他家住幸福小区*栋*单元***"),
        ("家住人民路12号，电话", "家住人民路**号，电话"),
        ("会议在5号楼302召开", "会议在5号楼302召开"),  # not a home address
    ],
    ids=["estate", "street", "office"],
)
def test_mask_addresses(text: str, expected: str) -> None:
    assert mask_addresses(text) == expected


def test_masker_masks_addresses_too() -> None:
    assert Masker.build(b"k", []).mask("张伟住在锦绣花园12幢1单元302室") == "张伟住在锦绣花园**幢*单元***室"


def test_pseudonyms_are_stable_keyed_and_shaped() -> None:
    a = pseudonym_for(b"k1", "p-zhangwei")
    assert a == pseudonym_for(b"k1", "p-zhangwei")
    assert a != pseudonym_for(b"k2", "p-zhangwei")
    assert a != pseudonym_for(b"k1", "p-lina")
    assert a.startswith("人员-")
    assert len(a) == len("人员-") + 8


def test_masker_replaces_longest_names_first() -> None:
    masker = Masker.build(b"k", [("p1", "张伟"), ("p2", "张伟华"), ("p1", "财政局-张伟"), ("p3", "王")])
    p1, p2 = pseudonym_for(b"k", "p1"), pseudonym_for(b"k", "p2")
    assert masker.mask("张伟华和张伟在财政局-张伟群里,王说") == f"{p2}和{p1}在{p1}群里,王说"
    assert masker.by_pseudonym[p1] == "p1"


def test_masker_replaces_person_ids_in_text() -> None:
    masker = Masker.build(b"k", [("zhangwei", "张伟"), ("P01008", "李娜")])
    zw, p8 = pseudonym_for(b"k", "zhangwei"), pseudonym_for(b"k", "P01008")
    assert masker.mask("李娜(P01008)转给 zhangwei") == f"{p8}转给 {zw}"  # name and id: one person, said once
    assert masker.mask("李娜（zhangwei）") == f"{p8}（{zw}）"  # two people stay two


_NOISE = st.text(alphabet=st.characters(blacklist_categories=("Nd", "Cs"), blacklist_characters="张伟"), max_size=30)


@settings(max_examples=80, deadline=None)
@given(_NOISE, _NOISE)
def test_no_name_or_number_survives_masking(before: str, after: str) -> None:
    masker = Masker.build(b"k", [("p1", "张伟")])
    out = masker.mask(f"{before}张伟 {ID} 13812345678{after}")
    assert "张伟" not in out
    assert ID not in out
    assert "13812345678" not in out
    assert pseudonym_for(b"k", "p1") in out


_ROSTER = [("p-lsh", "李四华"), ("p-oy", "欧阳娜娜"), ("p-zw", "张伟")]


@pytest.mark.parametrize(
    ("text", "hidden", "shown"),
    [
        ("李 四 华昨天来了", "李 四 华", "p-lsh"),
        ("李·四·华昨天来了", "李·四·华", "p-lsh"),
        ("李四華昨天来了", "李四華", "p-lsh"),  # traditional characters fold like the detectors'
        ("四华主任说今天开会", "四华", "p-lsh"),
        ("Li Sihua said so", "Li Sihua", "p-lsh"),
        ("LI Sihua said so", "LI Sihua", "p-lsh"),
        ("转给lisihua了", "lisihua", "p-lsh"),
        ("sihua li 收到", "sihua li", "p-lsh"),
        ("ouyang nana 来了", "ouyang nana", "p-oy"),
        ("孙主任说不行", "孙", None),
        ("找杨县长签字", "杨", None),
        ("老王和小李都去了", "王", None),
        ("欧阳书记到了", "欧阳", None),
    ],
)
def test_names_in_any_writing_are_masked(text: str, hidden: str, shown: str | None) -> None:
    out = Masker.build(b"k", _ROSTER).mask(text)
    assert hidden not in out
    assert (pseudonym_for(b"k", shown) if shown else "某") in out


@pytest.mark.parametrize("text", ["县委办主任说", "副县长来了", "施工队", "carolina", "小程序", "中华人民共和国"])
def test_words_that_merely_look_like_names_stay(text: str) -> None:
    assert Masker.build(b"k", _ROSTER).mask(text) == text


_SURNAME = st.sampled_from("王李张刘陈杨黄赵吴周孙马朱胡郭林何高罗郑")
_TITLE = st.sampled_from(["主任", "书记", "县长", "局长", "科长", "处长", "镇长"])


@settings(max_examples=60, deadline=None)
@given(_NOISE, _SURNAME, _TITLE, _NOISE)
def test_any_surname_with_a_title_is_masked(before: str, surname: str, title: str, after: str) -> None:
    out = Masker.build(b"k", []).mask(f"{before}，{surname}{title}，{after}")
    assert f"，{surname}{title}" not in out
    assert f"某{title}" in out
