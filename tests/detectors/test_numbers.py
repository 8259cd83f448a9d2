"""One reading of personal numbers: IDs of every province lead, every spelling is masked.

IDs are built from the kind (any real district of any province, any birth date, any
sequence, the GB 11643 check digit computed), never copied from an example.
"""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given, settings, strategies as st
from stdnum import luhn
from stdnum.cn import ric

from detectors.conftest import build
from detectors.district_codes import DISTRICTS
from redline.detectors.numbers import find_numbers, fold_digits, mask_numbers
from redline.detectors.pii import PiiDetector
from redline.text.tables import NUMERALS

_DIGIT_NAMES = {v: k for k, v in NUMERALS.items() if k in "〇一二三四五六七八九"}
_FULL = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")
_HAN = str.maketrans({**_DIGIT_NAMES, "0": "〇"})


def _id(area: str, born: datetime.date, seq: int) -> str:
    body = f"{area}{born:%Y%m%d}{seq:03d}"
    return body + ric.calc_check_digit(body + "0")


_birth = st.dates(datetime.date(1930, 1, 1), datetime.date(2020, 12, 31))
_seq = st.integers(0, 999)


def _detected(text: str) -> list[tuple[str, str]]:
    detector = build(PiiDetector, [{"kinds": ["resident_id", "mobile", "bank_card"]}])
    from redline.scan.engine import scan_hits

    return [(text[h.start:h.end], h.why.split(":")[0]) for h in scan_hits([detector], [text])]


@pytest.mark.parametrize("province", sorted(DISTRICTS))
@settings(max_examples=15, deadline=None)
@given(data=st.data(), born=_birth, seq=_seq)
def test_ids_of_every_district_lead_and_are_masked(province: str, data: st.DataObject,
                                                   born: datetime.date, seq: int) -> None:
    area = data.draw(st.sampled_from(DISTRICTS[province]))
    number = _id(area, born, seq)
    text = f"他的身份证号是{number}，别外传"
    assert _detected(text) == [(number, "resident_id")]
    masked = mask_numbers(text)
    assert number not in masked
    assert masked.replace("*", "") == text.replace(number[6:14], "")


def test_a_place_stdnum_does_not_know_lowers_confidence_only() -> None:
    known, unknown = _id("110105", datetime.date(1980, 3, 7), 123), _id("330106", datetime.date(1980, 3, 7), 123)
    by_number = {s.digits: s for s in find_numbers(f"{known} {unknown}")}
    assert by_number[known].lead
    assert by_number[unknown].lead
    assert by_number[known].score > by_number[unknown].score
    assert "not in python-stdnum" in by_number[unknown].why


@settings(max_examples=60, deadline=None)
@given(area=st.sampled_from([c for codes in DISTRICTS.values() for c in codes]), born=_birth, seq=_seq,
       wrong=st.integers(1, 10))
def test_a_wrong_check_digit_is_masked_but_no_lead(area: str, born: datetime.date, seq: int, wrong: int) -> None:
    good = _id(area, born, seq)
    digits = "0123456789X"
    bad = good[:17] + digits[(digits.index(good[17]) + wrong) % 11]
    spans = find_numbers(f"号码{bad}")
    assert [s.lead for s in spans if s.kind == "resident_id"] in ([False], [])
    assert bad not in mask_numbers(f"号码{bad}")


@pytest.mark.parametrize(("born", "lead"), [
    (datetime.date(1965, 4, 30), True), (datetime.date(1999, 12, 31), True)])
def test_old_fifteen_digit_ids(born: datetime.date, lead: bool) -> None:
    number = f"420106{born:%y%m%d}357"
    assert [(s.kind, s.lead) for s in find_numbers(f"老身份证{number}")] == [("resident_id", lead)]
    assert mask_numbers(number) == number[:6] + "*" * 6 + number[-3:]
    assert find_numbers("420106991332357")[0].lead is False  # no 13th month


def test_a_birth_date_in_the_future_is_no_id() -> None:
    future = datetime.datetime.now(datetime.UTC).date() + datetime.timedelta(days=400)
    number = _id("330106", future, 1)
    assert not any(s.lead for s in find_numbers(number))


def _spell(number: str, style: str) -> str:
    if style == "groups":
        return " ".join(number[i:i + 4] for i in range(0, len(number), 4))
    if style == "id-dashes":
        return f"{number[:6]}-{number[6:14]}-{number[14:]}"
    if style == "dots":
        return ".".join(number)
    if style == "full-width":
        return number.translate(_FULL)
    if style == "han":
        return number.translate(_HAN)
    if style == "mixed":
        return "".join(c.translate(_FULL) if i % 3 == 0 else c.translate(_HAN) if i % 3 == 1 else c
                       for i, c in enumerate(number))
    return number


STYLES = ["plain", "groups", "id-dashes", "dots", "full-width", "han", "mixed"]


def _card(prefix: str, length: int, seed: int) -> str:
    body = (prefix + str(seed * 7919).rjust(length, "3"))[: length - 1]
    return body + luhn.calc_check_digit(body)


@pytest.mark.parametrize("style", STYLES)
@settings(max_examples=25, deadline=None)
@given(area=st.sampled_from([c for codes in DISTRICTS.values() for c in codes]), born=_birth, seq=_seq,
       mobile=st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True),
       card_len=st.integers(16, 19), card_seed=st.integers(1, 10**6))
def test_every_spelling_is_read_alike_by_detector_and_masker(
        style: str, area: str, born: datetime.date, seq: int, mobile: str, card_len: int, card_seed: int) -> None:
    person_id, card = _id(area, born, seq), _card("62", card_len, card_seed)
    for number, kind in ((person_id, "resident_id"), (mobile, "mobile"), (card, "bank_card")):
        written = _spell(number, style)
        text = f"转账卡号和身份证，{written}，收到回复"
        masked = mask_numbers(text)
        digits_left = [c for c in fold_digits(masked) if c.isdigit()]
        assert len(digits_left) <= 10, (text, masked)  # at most the kept head and tail
        spans = [s for s in find_numbers(fold_digits(text)) if s.digits == number.upper()]
        assert [s.kind for s in spans][:1] == [kind], (text, spans)
        assert spans[0].lead or kind == "mobile", (text, spans)  # mobiles outside the plan may be weak


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet="0123456789 -一二三四五六七八九零壹贰叁Xx号码，", max_size=60))
def test_masking_never_lengthens_text_and_keeps_non_digits(text: str) -> None:
    masked = mask_numbers(text)
    assert len(masked) == len(text)
    assert all(a == b or b == "*" for a, b in zip(text, masked, strict=True))


@settings(max_examples=60, deadline=None)
@given(before=st.text(alphabet="一二三四五六七八九0123456789", max_size=12), born=_birth)
def test_an_id_glued_to_more_digits_is_still_hidden(before: str, born: datetime.date) -> None:
    number = _id("330106", born, 17)
    masked = mask_numbers(before + number)
    assert number[6:14] not in masked


@pytest.mark.parametrize(("prefix", "planned"), [("138", True), ("199", True), ("149", False), ("174", False)])
def test_mobile_blocks_missing_from_the_plan_still_lead(prefix: str, planned: bool) -> None:
    [span] = find_numbers(f"他电话{prefix}12345678")
    assert span.kind == "mobile"
    assert span.lead
    assert (span.score == 0.85) is planned


_PIECES = st.sampled_from(["1", "3", "8", "5", "0", "9", "一", "三", "八", "五", "零", "九", "１", "３", "８",
                           " ", "-", ".", "·", "　", " - ", "，", "电话", "身份证", "卡号", "好的", "x"])


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, min_size=10, max_size=40).map("".join))
def test_whatever_the_detector_reads_the_masker_hides(text: str) -> None:
    detector = build(PiiDetector, [{"kinds": ["resident_id", "mobile", "bank_card"]}])
    from redline.scan.engine import scan_hits

    masked = mask_numbers(text)
    for hit in scan_hits([detector], [text]):
        shown = fold_digits(masked[hit.start:hit.end])
        assert sum(c.isdigit() for c in shown) <= 10, (text, masked, hit)


@pytest.mark.parametrize("text", [
    '"p1","13812345678","-3.00"',  # a CSV row: the id's digit is bridged to the mobile by ","
    "v2 13812345678",
    "第1期,13812345678",
])
def test_a_number_bridged_to_a_neighbours_digit_is_still_masked(text: str) -> None:
    assert "13812345678" not in mask_numbers(text)
    assert "138****5678" in mask_numbers(text)
