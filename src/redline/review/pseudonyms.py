"""Pseudonyms and masking: what an analyst sees instead of names, ID and phone numbers.

A person's pseudonym is a keyed HMAC of the person id (人员-7F3A9C1B): stable across pages,
restarts and exports as long as the key is kept, and useless to guess without the key.
Eight hex digits rather than four, because with four two people in an organisation of a few
hundred would already share a pseudonym and a reviewer would merge them in their head.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Final

from redline.detectors.home_address import PREFILTER, find_addresses
from redline.detectors.numbers import mask_numbers

PREFIX: Final = "人员"


def pseudonym_for(key: bytes, person_id: str) -> str:
    """The stable pseudonym of one person id under `key`."""
    digest = hmac.new(key, person_id.encode("utf-8"), hashlib.sha256).hexdigest()
    return f"{PREFIX}-{digest[:8].upper()}"


_ADDRESS_WORDS = re.compile("|".join(PREFILTER))
_DIGIT = re.compile(r"\d")


def mask_addresses(text: str) -> str:
    """Mask the numbers of home addresses (幸福小区3栋2单元501 → 幸福小区*栋*单元***)."""
    if _ADDRESS_WORDS.search(text) is None:
        return text
    for start, end, _, _ in reversed(find_addresses(text)):
        text = text[:start] + _DIGIT.sub("*", text[start:end]) + text[end:]
    return text


# Bundle files whose rows name people: a rejected row's person was never loaded, so the
# masker does not know the name; every run of 汉字 in such a row is hidden (line and field
# say which row to fix in the file itself).
NAME_FILES: Final = frozenset({"people.csv"})
_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]{2,}")


def mask_rejected(mask: Callable[[str | None], str], file: str, text: str | None) -> str:
    """A rejected bundle row (or its reason) as shown in the console: `mask`ed, and for files
    of people every 汉字 run hidden, since the masker cannot know names it never loaded."""
    shown = mask(text)
    if file.rsplit("/", 1)[-1] in NAME_FILES:
        shown = _HAN_RUN.sub(lambda m: "＊" * len(m.group()), shown)
    return shown


@dataclass(frozen=True, slots=True)
class Masker:
    """Replaces known names with pseudonyms and masks numbers, for one organisation.

    `names` maps a real name (or display name) to the pseudonym shown instead. Matching is
    longest-first over the name lengths present, by dictionary lookup of substrings: a page
    renders a few dozen texts, and this costs microseconds per text with thousands of names.
    """

    key: bytes
    names: Mapping[str, str] = field(default_factory=dict)
    person_ids: Mapping[str, str] = field(default_factory=dict)  # person_id -> real name
    by_pseudonym: Mapping[str, str] = field(default_factory=dict)  # pseudonym -> person_id
    _lengths: tuple[int, ...] = ()
    _starts: re.Pattern[str] | None = None  # first characters of the names: where a name may begin
    _known: Mapping[str, str] = field(default_factory=dict)  # person_id -> pseudonym, computed once

    @classmethod
    def build(cls, key: bytes, people: Iterable[tuple[str, str]]) -> Masker:
        """From (person_id, name) pairs; names shorter than two characters are not matched."""
        names: dict[str, str] = {}
        ids: dict[str, str] = {}
        for person_id, name in people:
            ids[person_id] = name
            clean = (name or "").strip()
            if len(clean) >= 2:
                names[clean] = pseudonym_for(key, person_id)
        for person_id in ids:
            # ids travel inside reasons ("张某(P01008)") and are often pinyin names (WeCom userids)
            if len(person_id) >= 3:
                names.setdefault(person_id, pseudonym_for(key, person_id))
        lengths = tuple(sorted({len(n) for n in names}, reverse=True))
        known = {pid: pseudonym_for(key, pid) for pid in ids}
        reverse = {p: pid for pid, p in known.items()}
        starts = re.compile("[" + "".join(sorted({re.escape(n[0]) for n in names})) + "]") if names else None
        return cls(key, names, ids, reverse, lengths, starts, known)

    def pseudonym(self, person_id: str | None) -> str:
        """The pseudonym of a person id ('' for none)."""
        if not person_id:
            return ""
        return self._known.get(person_id) or pseudonym_for(self.key, person_id)

    def mask(self, text: str | None) -> str:
        """The text with every known name replaced, ID/phone/card numbers and home addresses masked."""
        if not text:
            return ""
        text = mask_addresses(mask_numbers(text))
        if self._starts is None:
            return text
        out: list[str] = []
        pos = 0
        names, lengths = self.names, self._lengths
        # jump (in C) from one possible first character of a name to the next, then try the
        # name lengths longest first with dictionary lookups
        for match in self._starts.finditer(text):
            i = match.start()
            if i < pos:
                continue
            for length in lengths:
                candidate = text[i : i + length]
                if len(candidate) == length and candidate in names:
                    out.append(text[pos:i])
                    out.append(names[candidate])
                    pos = i + length
                    break
        if not out:
            return text
        out.append(text[pos:])
        return "".join(out)
