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
from redline.detectors.names import RosterForms, split_name, title_mentions
from redline.detectors.numbers import mask_numbers
from redline.text.normalize import normalize_batch

PREFIX: Final = "人员"
NAMELESS: Final = "某"  # a name whose person is unknown (孙主任 → 某主任, 老王 → 老某)


def pseudonym_for(key: bytes, person_id: str) -> str:
    """The stable pseudonym of one person id under `key`."""
    digest = hmac.new(key, person_id.encode("utf-8"), hashlib.sha256).hexdigest()
    return f"{PREFIX}-{digest[:8].upper()}"


_ADDRESS_WORDS = re.compile("|".join(PREFILTER))
# an analyzer names a person "张三(p001)": masked, name and id are the same pseudonym, said once
_DOUBLED = re.compile(rf"({re.escape(PREFIX)}-[0-9A-F]{{8}})[(（]\1[)）]")
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

    Names are found in the text as the detectors read it (`normalize_batch`: 李 四 华 reads
    李四华, 趙 reads 赵, full width folded) and replaced in the original: roster names and
    display names whole, their given name with a title (四华主任) and their pinyin (Li Sihua)
    by the person's pseudonym, and any surname with a title or 老/小 (孙主任, 老王) by 某
    (`detectors.names`, the reading `pii.person_name` shares). Exact names are found by
    dictionary lookup of substrings, longest first: microseconds per text with thousands
    of names.
    """

    key: bytes
    names: Mapping[str, str] = field(default_factory=dict)  # normalised name -> pseudonym
    person_ids: Mapping[str, str] = field(default_factory=dict)  # person_id -> real name
    by_pseudonym: Mapping[str, str] = field(default_factory=dict)  # pseudonym -> person_id
    _lengths: tuple[int, ...] = ()
    _starts: re.Pattern[str] | None = None  # first characters of the names: where a name may begin
    _known: Mapping[str, str] = field(default_factory=dict)  # person_id -> pseudonym, computed once
    _forms: RosterForms | None = None

    @classmethod
    def build(cls, key: bytes, people: Iterable[tuple[str, str]]) -> Masker:
        """From (person_id, name) pairs; names shorter than two characters are not matched."""
        raw: dict[str, str] = {}
        ids: dict[str, str] = {}
        for person_id, name in people:
            ids[person_id] = name
            clean = (name or "").strip()
            if len(clean) >= 2:
                raw[clean] = pseudonym_for(key, person_id)
        for person_id in ids:
            # ids travel inside reasons ("张某(P01008)") and are often pinyin names (WeCom userids)
            if len(person_id) >= 3:
                raw.setdefault(person_id, pseudonym_for(key, person_id))
        # names are looked up in normalised text, so they are normalised the same way
        folded = list(normalize_batch(list(raw)).texts) if raw else []
        names: dict[str, str] = {}
        for original, norm in zip(raw, folded, strict=True):
            if len(norm) >= 2:
                names.setdefault(norm, raw[original])
        lengths = tuple(sorted({len(n) for n in names}, reverse=True))
        known = {pid: pseudonym_for(key, pid) for pid in ids}
        reverse = {p: pid for pid, p in known.items()}
        starts = re.compile("[" + "".join(sorted({re.escape(n[0]) for n in names})) + "]") if names else None
        forms = RosterForms(n for n in names if split_name(n) is not None)
        return cls(key, names, ids, reverse, lengths, starts, known, forms)

    def pseudonym(self, person_id: str | None) -> str:
        """The pseudonym of a person id ('' for none)."""
        if not person_id:
            return ""
        return self._known.get(person_id) or pseudonym_for(self.key, person_id)

    def _exact(self, text: str) -> list[tuple[int, int, str]]:
        out: list[tuple[int, int, str]] = []
        if self._starts is None:
            return out
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
                    out.append((i, i + length, names[candidate]))
                    pos = i + length
                    break
        return out

    def name_spans(self, norm: str) -> list[tuple[int, int, str]]:
        """(start, end, replacement) of every name in a normalised text, without overlaps:
        exact names first, then roster forms, then 称谓 of anyone."""
        found = self._exact(norm)
        ranked: list[tuple[int, int, str]] = []
        if self._forms is not None:
            for m in self._forms.find(norm):
                shown = self.names.get(m.person, NAMELESS) if m.person else NAMELESS
                ranked.append((m.name_start, m.name_end, shown))
        ranked += [(m.name_start, m.name_end, NAMELESS) for m in title_mentions(norm)]
        taken = [(s, e) for s, e, _ in found]
        for start, end, shown in ranked:
            if not any(s < end and start < e for s, e in taken):
                found.append((start, end, shown))
                taken.append((start, end))
        return sorted(found)

    def plan(self, text: str) -> tuple[str, list[tuple[int, int, str]]]:
        """What masking does to `text`: the text with numbers and home addresses masked (same
        length, so offsets into `text` still hold) and the name replacements in it, as
        (start, end, shown), sorted and disjoint."""
        masked = mask_addresses(mask_numbers(text))
        batch = normalize_batch([masked])
        offsets = batch.offsets(0)
        names: list[tuple[int, int, str]] = []
        pos = 0
        for start, end, shown in self.name_spans(batch.texts[0]):
            lo, hi = offsets.span(start, end)
            if lo < pos or hi <= lo:
                continue
            names.append((lo, hi, shown))
            pos = hi
        return masked, names

    def mask(self, text: str | None) -> str:
        """The text with every name replaced, ID/phone/card numbers and home addresses masked."""
        if not text:
            return ""
        masked, names = self.plan(text)
        return _DOUBLED.sub(r"\1", apply_names(masked, names, 0, len(masked)))


def apply_names(masked: str, names: list[tuple[int, int, str]], lo: int, hi: int) -> str:
    """masked[lo:hi] with the name replacements that lie inside it (callers widen [lo, hi) so
    that none straddles a boundary)."""
    out: list[str] = []
    pos = lo
    for start, end, shown in names:
        if start < lo or end > hi:
            continue
        out += [masked[pos:start], shown]
        pos = end
    out.append(masked[pos:hi])
    return "".join(out)
