"""Reading a 文号 (document number) into its parts: 机关代字 (the issuer's code, 县委办发, 京政发,
国办发), year and serial, as in 县委办发〔2023〕12号, 京政发[2017]3号 or 政办发（2019）第8号.

The issuer is the run of 汉字 right before the bracket, but in a red-header document the
issuer's full name and the word 文件 stand on the line above (中共某某县委办公室文件 / 县委办〔2023〕
12号), and text screening sees the lines joined: "室文件县委办". A 机关代字 never holds 文件, a
verb like 印发 or 根据, or 的, so the run is cut after the last such word, and what is left is an
issuer only if it is short (代字 have two to six characters) and ends like one (发, 办, 字, 函 …).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Final

# between the parts evaders put spaces or symbols (〔·2·0·1·7·〕): a short gap of characters
# that are neither digits, letters, 汉字 nor brackets
GAP: Final = r"[^0-9０-９a-zA-Z\u4e00-\u9fff〔〕\[\]()【】（）［］﹝﹞]{0,2}"
_OPEN: Final = "〔[(【（［﹝"
_CLOSE: Final = "〕])】）］﹞"
_DIGIT: Final = "[0-9０-９]"
_YEAR: Final = rf"(?:[1１]{GAP}[9９]|[2２]{GAP}[0０]){GAP}{_DIGIT}{GAP}{_DIGIT}"
NUMBER: Final = re.compile(
    rf"[{re.escape(_OPEN)}]{GAP}(?P<year>{_YEAR}){GAP}[{re.escape(_CLOSE)}]{GAP}第?{GAP}"
    rf"(?P<serial>{_DIGIT}(?:{GAP}{_DIGIT}){{0,4}}){GAP}号"
)
_BEFORE: Final = re.compile(rf"(?P<run>[\u4e00-\u9fff]{{1,16}})(?P<gap>{GAP})$")
# words that end whatever stands before a 代字: the document word of the header line, verbs
# that cite or pass on a document (根据…文件精神, 印发, 转发, 附件请查收), connectives
_CUT: Final = re.compile(r".*(?:文件|通知|印发|转发|下发|签发|发来|根据|按照|依据|依照|参照|关于|贯彻|落实|执行|现将|附件|查收|"
                         r"收到|收悉|请|见|据|的|和|及|与|是)")
ISSUER_END: Final = frozenset("发字办政委函党府厅局部组纪综规通税电")
MIN_ISSUER, MAX_ISSUER = 2, 6


@dataclass(frozen=True, slots=True)
class DocNumber:
    """One 文号: `issuer` is "" when no 机关代字 stands before it; `start`/`end` span the whole."""

    issuer: str
    year: int
    serial: int
    start: int
    end: int


_DIGITS: Final = str.maketrans("０１２３４５６７８９", "0123456789")


def _digits(text: str) -> int:
    return int("".join(c for c in text.translate(_DIGITS) if "0" <= c <= "9"))


def issuer_before(text: str, bracket: int) -> tuple[str, int]:
    """The 机关代字 ending right before `bracket` (a gap allowed), and where it starts; ("", bracket)
    when there is none."""
    found = _BEFORE.search(text, max(0, bracket - 18), bracket)
    if found is None:
        return "", bracket
    run = found.group("run")
    cut = _CUT.match(run)
    code = run[cut.end():] if cut else run
    if not MIN_ISSUER <= len(code) <= MAX_ISSUER or code[-1] not in ISSUER_END:
        return "", bracket
    return code, found.start("run") + len(run) - len(code)


def find_all(text: str) -> Iterator[DocNumber]:
    """Every 文号 in `text`, left to right."""
    for m in NUMBER.finditer(text):
        issuer, start = issuer_before(text, m.start())
        yield DocNumber(issuer, _digits(m.group("year")), _digits(m.group("serial")), start, m.end())
