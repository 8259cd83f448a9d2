"""Personal numbers in any spelling: the ONE reading of ID, mobile and bank-card numbers.

Both the `pii` detector (leads) and the console's masking (`review.pseudonyms`) read numbers
here, so a number the detector understands is always a number the masker hides:

- spelling: ASCII, full-width (１３８…), any Unicode decimal digit, 汉字 numerals (一三八…,
  壹贰叁, 幺/拐/勾 as said on the phone), folded one-to-one so offsets never move; up to two
  separators between digits (spaces, dashes, dots, emoji: 138 1234 5678, 6222 0212 …);
- shape: what a number looks like decides masking (the weakest evidence: an analyst never
  sees a full ID, card or mobile number, even one whose checksum fails);
- validity: what makes it a lead. A resident ID (居民身份证号码) is decided by the GB 11643
  check digit and a real birth date; a known 行政区划 place code only adds confidence, since
  python-stdnum's table lags behind real, current district codes (330106, 320102 …). The
  same goes for mobiles: the phonenumbers plan adds confidence, the 1[3-9] shape decides, as
  new blocks (148, 149, 174 …) reach people before they reach the metadata.
"""

from __future__ import annotations

import datetime
import functools
import re
import sys
import unicodedata
from dataclasses import dataclass
from typing import Final, Literal

import phonenumbers
from stdnum import luhn
from stdnum.cn import ric

from redline.text.tables import NUMERALS

NumberKind = Literal["resident_id", "mobile", "bank_card"]

# between two digits: characters that are neither digits, letters nor 汉字. Both
# letter cases are spelled out rather than matched with IGNORECASE, which makes every
# character comparison slower on the scan's hot path.
# Up to three, like the normaliser's MAX_GAP: it drops that many between 汉字 numerals
# (一 - 三 - 八 reads 一三八), so the masker, which reads the raw text, must bridge as many.
_GAP: Final = r"[^0-9a-zA-Z\u3400-\u4dbf\u4e00-\u9fff\n]{0,3}"
_BODY: Final = rf"(\+?86{_GAP})?(\d(?:{_GAP}\d){{9,18}}(?:{_GAP}[xX])?)"
_RUN: Final = re.compile(rf"(?<![0-9a-zA-Z+]){_BODY}(?![0-9a-zA-Z])", re.ASCII)
# masking also reads numbers glued to letters (wx13812345678, ID330106…): weakest evidence
_LOOSE_RUN: Final = re.compile(rf"(?<![0-9+]){_BODY}(?![0-9])", re.ASCII)
# …and runs too long for any one number: a number glued to other digits hides inside them
_LONG_RUN: Final = re.compile(rf"(?<![0-9])\d(?:{_GAP}\d){{19,}}(?:{_GAP}[xX])?", re.ASCII)
_TIGHT_RUN: Final = re.compile(r"(?<![0-9])\d{11,19}(?![0-9])", re.ASCII)
_NOT_DIGIT: Final = re.compile(r"[^0-9xX]")
_DIGIT_CHAR: Final = re.compile(r"[0-9xX]")
MIN_DIGITS: Final = 10  # no mobile, ID or card number has fewer
_ID_CONTEXT: Final = re.compile(r"身份证|证件号|身份号码")
_CARD_CONTEXT: Final = re.compile(r"卡号|银行卡|储蓄卡|信用卡|借记卡|账号|帐号|开户|银行|转账|汇款|打款")
# a number given to be called (联系人…电话, 报名请联系, 值班电话) is a notice, not a leak of
# someone's privacy; the reach is short so that 联系一下老王，他老婆电话… still counts
_CONTACT: Final = re.compile(r"联系|咨询|报名|热线|值班|办公电话|座机|接待|对接人")
CONTACT_REACH: Final = 10
CARD_LEAD: Final = 0.6  # a Luhn-valid number needs a UnionPay prefix or context to lead
EARLIEST_BIRTH: Final = 1900


def _digit_table() -> dict[int, str]:
    """Every Unicode decimal digit and every 汉字 numeral → its ASCII digit (one-to-one)."""
    table = {ord(k): v for k, v in NUMERALS.items()}
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        value = unicodedata.decimal(char, None) if code >= 128 else None
        if value is not None:
            table[code] = str(value)
    table[ord("Ｘ")] = "X"
    table[ord("ｘ")] = "x"
    return table


@functools.cache
def digit_table() -> dict[int, str]:
    """The folding table of `fold_digits` (built once per process)."""
    return _digit_table()


def fold_digits(text: str) -> str:
    """`text` with every digit spelling as ASCII (一三八 → 138, １３８ → 138); same length."""
    return text.translate(digit_table())


@dataclass(frozen=True, slots=True)
class NumberSpan:
    """A number-shaped run in one text: characters [start, end) of the text given.

    `lead` says whether the evidence is strong enough for a privacy lead (checksum, plan,
    context); every span, lead or not, is masked.
    """

    start: int
    end: int
    kind: NumberKind
    digits: str
    lead: bool
    score: float
    why: str


def _birth_ok(year: int, month: int, day: int) -> bool:
    try:
        born = datetime.date(year, month, day)
    except ValueError:
        return False
    # a birth date in the future is not a birth date (UTC: a day either way does not matter)
    return year >= EARLIEST_BIRTH and born <= datetime.datetime.now(datetime.UTC).date()


@functools.lru_cache(maxsize=8192)
def place_known(area: str, year: str) -> bool:
    """Whether python-stdnum's 行政区划 table knows `area` in `year` (confidence only)."""
    probe = area + year + "0101000"
    try:  # stdnum's table also has entries without counties: it raises KeyError on those
        return bool(ric.is_valid(probe + ric.calc_check_digit(probe + "0")))
    except (KeyError, ValueError):
        return False


def resident_id_evidence(number: str) -> tuple[bool, bool]:
    """(valid, place known) for an 18- or 15-character ID number (upper-case X).

    18: GB 11643 check digit and a real birth date decide validity. 15 (the first-generation
    card, until 2013): no check digit exists, so a real 19YYMMDD birth date decides.
    """
    if len(number) == 18:
        if not number[:17].isdigit() or ric.calc_check_digit(number) != number[17]:
            return False, False
        year = number[6:10]
        ok = _birth_ok(int(year), int(number[10:12]), int(number[12:14]))
    elif len(number) == 15 and number.isdigit():
        year = "19" + number[6:8]
        ok = _birth_ok(int(year), int(number[8:10]), int(number[10:12]))
    else:
        return False, False
    return ok, ok and place_known(number[:6], year)


# the mainland mobile number plan, from phonenumbers' own metadata, compiled once
_MOBILE_PLAN: Final = re.compile(
    str(phonenumbers.PhoneMetadata.metadata_for_region("CN").mobile.national_number_pattern)  # type: ignore[union-attr]
)
_MOBILE_SHAPE: Final = re.compile(r"1[3-9]\d{9}")


def mobile_evidence(number: str) -> tuple[bool, bool]:
    """(mobile shape, listed in phonenumbers' plan) for 11 digits."""
    shaped = _MOBILE_SHAPE.fullmatch(number) is not None
    return shaped, shaped and _MOBILE_PLAN.fullmatch(number) is not None


def _resident_id(text: str, start: int, end: int, number: str) -> NumberSpan:
    valid, known = resident_id_evidence(number)
    if not valid:
        return NumberSpan(start, end, "resident_id", number, False, 0.0, "resident_id shape")
    old = len(number) == 15
    score = 0.75 if old else 0.85
    why = "resident_id: " + ("15-digit first-generation number, birth date ok" if old
                             else "GB 11643 checksum and birth date ok")
    if known:
        score, why = score + 0.05, why + "; known place code"
    else:
        why += "; place code not in python-stdnum's table"
    context = _ID_CONTEXT.search(text) is not None
    if context:
        score, why = score + 0.05, why + "; ID context"
    # an old number has no check digit: only a known place or ID context makes it a lead
    lead = not old or known or context
    return NumberSpan(start, end, "resident_id", number, lead, round(min(score, 0.95), 2), why)


def _card(text: str, start: int, end: int, number: str) -> NumberSpan:
    if not number.isdigit() or not luhn.is_valid(number):
        return NumberSpan(start, end, "bank_card", number, False, 0.0, "bank_card shape")
    score, why = 0.5, "bank_card: Luhn ok"
    if number.startswith("62"):
        score, why = score + 0.15, why + "; UnionPay prefix"
    if _CARD_CONTEXT.search(text):
        score, why = score + 0.35, why + "; card context"
    return NumberSpan(start, end, "bank_card", number, score >= CARD_LEAD, round(min(score, 0.95), 2), why)


def _mobile(text: str, run_start: int, start: int, end: int, number: str) -> NumberSpan | None:
    shaped, planned = mobile_evidence(number)
    if number[0] != "1":
        return None
    if not shaped:
        return NumberSpan(start, end, "mobile", number, False, 0.0, "mobile shape")
    score, why = (0.85, "mobile: valid number plan") if planned else (
        0.7, "mobile: 1[3-9] number, block not yet in the phonenumbers plan")
    notice = _CONTACT.search(text, max(0, run_start - CONTACT_REACH), run_start) is not None
    return NumberSpan(start, end, "mobile", number, not notice, score, why)


def _shape(folded: str, run_start: int, start: int, body: str) -> NumberSpan | None:
    """The number a digit run `body` (at `start`) has the shape of, if any."""
    number = _NOT_DIGIT.sub("", body).upper()
    end = start + len(body)
    if "X" in number[:-1]:
        return None
    if number.endswith("X") and len(number) != 18:  # an x after a mobile or card is a letter
        number = number[:-1]
        end = start + max(i for i, c in enumerate(body) if c.isdigit()) + 1
    if len(number) == 18:
        span = _resident_id(folded, start, end, number)
        if not span.lead and number.isdigit():
            card = _card(folded, start, end, number)
            span = card if card.lead else span
        return span
    if len(number) == 15:
        return _resident_id(folded, start, end, number)
    if 16 <= len(number) <= 19:
        return _card(folded, start, end, number)
    if len(number) == 11:  # a mobile's span starts with its +86, where it has one
        return _mobile(folded, run_start, run_start, end, number)
    return None


_MOBILE_INSIDE: Final = re.compile(r"1[3-9]\d{9}")


def _glued_mobile(start: int, body: str) -> NumberSpan | None:
    """For masking: a 12–14 digit run with a mobile inside ("13812345678八": a mobile glued to
    another digit) is no number of its own, but it shows one."""
    number = _NOT_DIGIT.sub("", body).upper()
    if 12 <= len(number) <= 14 and _MOBILE_INSIDE.search(number):
        return NumberSpan(start, start + len(body), "mobile", number, False, 0.0, "a mobile glued to other digits")
    return None


def find_numbers(folded: str, *, loose: bool = False) -> list[NumberSpan]:
    """Every ID-, card- or mobile-shaped number in a digit-folded text (see `fold_digits`).

    Lengths decide the shape: 18 (or 15) an ID, 16–19 a card, 11 starting with 1 a mobile;
    an 18-digit run that is not a valid ID is read as a card when it passes Luhn. `loose`
    also reads numbers glued to letters (for masking).
    """
    found: list[NumberSpan] = []
    for m in (_LOOSE_RUN if loose else _RUN).finditer(folded):
        span = _shape(folded, m.start(), m.start(2), m.group(2))
        if span is None and loose:
            span = _glued_mobile(m.start(2), m.group(2))
        if span is not None:
            found.append(span)
    if loose:
        # a number whose run was bridged to a neighbour's digits across punctuation ("p1","138…")
        # has no shape as a whole: its own unbroken digits are read too (weakest evidence)
        taken = [(f.start, f.end) for f in found]
        for m in _TIGHT_RUN.finditer(folded):
            if not any(a < m.end() and m.start() < b for a, b in taken):
                span = _shape(folded, m.start(), m.start(), m.group()) or _glued_mobile(m.start(), m.group())
                if span is not None:
                    found.append(span)
        found += [NumberSpan(m.start(), m.end(), "bank_card", _NOT_DIGIT.sub("", m.group()).upper(), False, 0.0,
                             "digit run longer than any number") for m in _LONG_RUN.finditer(folded)]
        found.sort(key=lambda s: s.start)
    return found


# which digits stay visible: 前6后4 for IDs (place and last four, never the birth date),
# 前3后4 for mobiles, 前4后4 for cards
_KEEP: Final[dict[NumberKind, tuple[int, int]]] = {
    "resident_id": (6, 4), "mobile": (3, 4), "bank_card": (4, 4)}


def mask_span(text: str, span: NumberSpan, star: str = "*") -> str:
    """The characters of `span` in `text` with the hidden digits starred, separators kept."""
    head, tail = _KEEP[span.kind]
    if span.kind == "resident_id" and len(span.digits) == 15:
        tail = 3
    piece = text[span.start:span.end]
    positions = [m.start() for m in _DIGIT_CHAR.finditer(fold_digits(piece))]
    # a mobile span may start with +86: its hidden part is counted from the end
    first = len(positions) - 8 if span.kind == "mobile" else head
    hidden = set(positions[first:len(positions) - tail])
    return "".join(star if i in hidden else c for i, c in enumerate(piece))


def mask_numbers(text: str) -> str:
    """`text` with every ID-, card- and mobile-shaped number masked, valid or not."""
    folded = fold_digits(text)
    spans = find_numbers(folded, loose=True)
    for span in reversed(spans):
        text = text[:span.start] + mask_span(text, span) + text[span.end:]
    return text
