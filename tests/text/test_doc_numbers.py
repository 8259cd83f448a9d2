"""文号 parsing: the 机关代字, year and serial of the shapes found in real documents, never the
header line above (室文件县委办), never a verb (印发) taken for an issuer."""

from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from redline.text.doc_numbers import ISSUER_END, DocNumber, find_all

CASES = [
    ("县委办〔2023〕12号", ("县委办", 2023, 12)),
    ("县委办发〔2023〕5号", ("县委办发", 2023, 5)),
    ("京政发[2017]3号", ("京政发", 2017, 3)),
    ("国办发(2019)8号", ("国办发", 2019, 8)),
    ("政办发（2019）第8号", ("政办发", 2019, 8)),
    ("浙政办发【2016】120号", ("浙政办发", 2016, 120)),
    ("财税〔2019〕13号", ("财税", 2019, 13)),
    ("市政办发 〔 2017 〕 12 号", ("市政办发", 2017, 12)),
    ("市政办发［２０１７］１２号", ("市政办发", 2017, 12)),
    ("中共某某县委办公室文件\n县委办〔2023〕12号", ("县委办", 2023, 12)),
    ("中共某某县委办公室文件县委办〔2023〕12号", ("县委办", 2023, 12)),  # lines joined by screening
    ("中共清河县委组织部文件 县委组〔2023〕27号", ("县委组", 2023, 27)),
    ("根据京政发〔2017〕3号文件精神", ("京政发", 2017, 3)),
    ("附件请查收\n清政〔2026〕12号.pdf", ("清政", 2026, 12)),  # a file's name after the message text
    ("关于印发〔2020〕8号的通知", ("", 2020, 8)),
    ("见（2023）5号", ("", 2023, 5)),
    ("〔2021〕7号", ("", 2021, 7)),
    ("清河县人民政府办公室关于做好换届工作的通知〔2023〕1号", ("", 2023, 1)),  # a title is no 代字
]


@pytest.mark.parametrize(("text", "parts"), CASES, ids=[c[0] for c in CASES])
def test_parts(text: str, parts: tuple[str, int, int]) -> None:
    (number,) = find_all(text)
    assert (number.issuer, number.year, number.serial) == parts
    assert text[number.start:number.end].startswith(parts[0] or text[number.start])
    assert text[number.end - 1] == "号"


@pytest.mark.parametrize("text", ["会议室在3号楼", "（2023）京0105民初12号", "2023年12号", "〔1899〕3号"])
def test_not_document_numbers(text: str) -> None:
    assert list(find_all(text)) == []


PLACES = ["", "京", "沪", "浙", "粤", "湘", "国", "中", "县", "市", "省"]
ORGANS = ["委", "政", "府", "委办", "政办", "办", "委组", "纪", "人社部", "财", "教"]
SUFFIXES = ["", "发", "字", "函", "办发", "电"]
HEADERS = ["", "中共某某县委办公室文件", "某某县人民政府文件", "根据", "按照", "关于转发", "现将", "印发", "附件请查收"]
SEPARATORS = ["", "\n", " ", "：", "，"]
BRACKETS = [("〔", "〕"), ("[", "]"), ("(", ")"), ("（", "）"), ("【", "】"), ("［", "］")]


@st.composite
def documents(draw: st.DrawFn) -> tuple[str, str, int, int]:
    issuer = draw(st.sampled_from(PLACES)) + draw(st.sampled_from(ORGANS)) + draw(st.sampled_from(SUFFIXES))
    if not 2 <= len(issuer) <= 6 or issuer[-1] not in ISSUER_END:
        issuer = ""
    header = draw(st.sampled_from(HEADERS))
    separator = draw(st.sampled_from(SEPARATORS)) if header else ""
    opening, closing = draw(st.sampled_from(BRACKETS))
    year, serial = draw(st.integers(1950, 2099)), draw(st.integers(1, 9999))
    ordinal = draw(st.sampled_from(["", "第"]))
    tail = draw(st.sampled_from(["", "文件", "的通知", "，请遵照执行。"]))
    text = f"{header}{separator}{issuer}{opening}{year}{closing}{ordinal}{serial}号{tail}"
    return text, issuer, year, serial


@given(documents())
def test_generated_document_numbers(case: tuple[str, str, int, int]) -> None:
    text, issuer, year, serial = case
    found = list(find_all(text))
    assert len(found) == 1
    number: DocNumber = found[0]
    assert number.issuer == issuer
    assert (number.year, number.serial) == (year, serial)
    assert "文件" not in number.issuer
    assert "\n" not in text[number.start:number.end]
    assert text[number.start:number.end].endswith("号")


@given(st.text(max_size=40))
def test_never_raises_and_spans_hold(text: str) -> None:
    for number in find_all(text):
        assert 0 <= number.start < number.end <= len(text)
        assert text[number.start:number.end].endswith("号")
        assert number.issuer == "" or text[number.start:].startswith(number.issuer)
