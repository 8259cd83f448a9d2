"""names: 称谓 and roster forms, the one reading shared by masking and pii.person_name."""

from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from redline.detectors.names import RosterForms, pinyin_keys, split_name, title_mentions
from redline.text.pinyin import readings

_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭林何高罗"
_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚英华建国红"


@pytest.mark.parametrize(("text", "found"), [
    ("找孙主任签字", [("孙主任", "孙")]),
    ("杨县长和欧阳书记", [("杨县长", "杨"), ("欧阳书记", "欧阳")]),
    ("老王说小李也来", [("老王", "王"), ("小李", "李")]),
    ("张副县长到了", [("张副县长", "张")]),
    ("县委办主任、副县长、班主任", []),
    ("小程序和老师们", []),
    ("施工汇总", []),
])
def test_title_mentions(text: str, found: list[tuple[str, str]]) -> None:
    assert [(text[m.start:m.end], text[m.name_start:m.name_end]) for m in title_mentions(text)] == found


@pytest.mark.parametrize(("name", "parts"), [("李四华", ("李", "四华")), ("欧阳娜娜", ("欧阳", "娜娜")),
                                             ("王五", ("王", "五")), ("王", None), ("abc", None)])
def test_split_name(name: str, parts: tuple[str, str] | None) -> None:
    assert split_name(name) == parts


_name = st.tuples(st.sampled_from(_SURNAMES), st.text(alphabet=_GIVEN, min_size=2, max_size=2)).map("".join)


@settings(max_examples=60, deadline=None)
@given(name=_name, surname_first=st.booleans(), gap=st.sampled_from(["", " ", ".", "_", "  "]),
       split_given=st.booleans(), upper=st.booleans())
def test_pinyin_of_a_roster_name_in_any_spacing_and_order(name: str, surname_first: bool, gap: str,
                                                          split_given: bool, upper: bool) -> None:
    surname, given_name = split_name(name) or ("", "")
    sur, giv = "".join(readings(surname)[0]), readings(given_name)[0]
    giv_text = gap.join(giv) if split_given else "".join(giv)
    written = f"{sur}{gap or ' '}{giv_text}" if surname_first else f"{giv_text}{gap or ' '}{sur}"
    text = f"转给 {written.upper() if upper else written} 了".lower()  # normalised text is lower case
    found = RosterForms([name]).find(text)
    assert [(text[m.start:m.end], m.person) for m in found if m.kind == "pinyin"] == [(written.lower(), name)]
    assert pinyin_keys(name)


def test_pinyin_inside_an_english_word_is_no_name() -> None:
    text = "carolina and lina"
    assert [(text[m.start:m.end], m.person) for m in RosterForms(["李娜"]).find(text)] == [("lina", "李娜")]


def test_given_name_with_a_title() -> None:
    forms = RosterForms(["李四华", "王明"])
    text = "四华主任和明主任"
    assert [(text[m.start:m.end], m.person) for m in forms.find(text)] == [("四华主任", "李四华")]
