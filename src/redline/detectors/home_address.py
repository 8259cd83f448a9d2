"""Home addresses (住址) in a message: another person's private data under the privacy rules.

A residential address is recognised by its shape, not a gazetteer: a building number
(3栋, 5号楼, 12幢) followed by a unit (2单元) and/or a room (501, 302室), optionally after
an estate name (幸福小区, 锦绣花园). A street address (人民路12号), or a building and
room alone (5号楼302), is an office as often as a home, so it counts only after a residence
word (家住, 住在, 住址) or, for the latter, with an estate name. Texts are normalised and
digit-folded (三栋二单元五零一 reads 3栋2单元501, offsets unchanged).
"""

from __future__ import annotations

import re
from typing import Final

# the fixed parts a candidate row must contain (one literal pass over the batch)
PREFILTER: Final = ("栋", "幢", "号楼", "单元", "家住", "住在", "住址", "住处")

_ESTATE: Final = r"(?P<estate>[\u4e00-\u9fff]{0,4}(?:小区|花园|家园|新村|新城|公寓|大厦|社区|苑|府|庭|里|院))?"
_BUILDING: Final = r"\d{1,3}(?:号楼|栋|幢|座|号院)"
_UNIT: Final = r"(?P<unit>\d{1,2}单元)"
_ROOM: Final = r"(?:\d{1,2}(?:楼|层))?\d{3,4}(?:室|房|号)?"
_BUILDING_ADDRESS: Final = re.compile(
    rf"{_ESTATE}{_BUILDING}-?(?:{_UNIT}-?(?:{_ROOM})?|{_ROOM})(?![\d会教办])"
)
_RESIDENCE: Final = r"(?:家住|住在|家庭住址|住址|住处|家在)(?:是|为|:|：)?"
_STREET_ADDRESS: Final = re.compile(
    rf"{_RESIDENCE}[\u4e00-\u9fff]{{0,10}}?[\u4e00-\u9fff]{{1,8}}(?:路|街|大道|巷|弄|胡同)\d{{1,4}}号(?:院)?"
    rf"(?:{_BUILDING}(?:\d{{1,2}}单元)?(?:{_ROOM})?)?"
)
_CONTEXT: Final = re.compile(r"家住|住在|住址|住处|家在|他家|她家|的家|地址")
BASE: Final = 0.7
WITH_CONTEXT: Final = 0.85


def find_addresses(text: str) -> list[tuple[int, int, float, str]]:
    """Home addresses in one normalised, digit-folded text: (start, end, score, why)."""
    found: list[tuple[int, int, float, str]] = []
    for m in _BUILDING_ADDRESS.finditer(text):
        near = _CONTEXT.search(text, max(0, m.start() - 12), m.end() + 4) is not None
        if not (near or m.group("unit") or m.group("estate")):
            continue  # 5号楼302 alone is as likely an office as a flat
        why = "home_address: building, unit/room" + ("; residence word" if near else "")
        found.append((m.start(), m.end(), WITH_CONTEXT if near else BASE, why))
    for m in _STREET_ADDRESS.finditer(text):
        if not any(s < m.end() and m.start() < e for s, e, _, _ in found):
            found.append((m.start(), m.end(), WITH_CONTEXT, "home_address: street number after a residence word"))
    return sorted(found)
