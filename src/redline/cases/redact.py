"""Third parties' personal data out of an evidence package (`--redact-third-parties`).

The subject of a case is named in the evidence on purpose; the other people in it are not
the case's business. Redacting replaces every roster name but the subject's by its pseudonym
(and any 称谓 such as 孙主任 by 某主任), and masks every ID-, card- and mobile-shaped number
except the subject's own numbers as the roster records them (people.csv extra columns).
What it cannot do: know that a number typed in a chat is the subject's when the roster does
not list it (it is masked: over-redaction is the safe side), or find a name nobody rostered.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from redline.detectors.numbers import find_numbers, fold_digits, mask_span
from redline.review.pseudonyms import Masker, apply_names, mask_addresses
from redline.text.normalize import normalize_batch

_DIGITS = re.compile(r"\d{6,}[\dX]")


def subject_numbers(extra: Mapping[str, Any]) -> frozenset[str]:
    """Every run of 7+ digits in the subject's roster row (ID, mobile, card columns)."""
    found: set[str] = set()
    for value in extra.values():
        found.update(_DIGITS.findall(fold_digits(str(value)).upper().replace(" ", "").replace("-", "")))
    return frozenset(found)


@dataclass(frozen=True, slots=True)
class Redactor:
    """Redacts one case's third parties: `masker` knows everyone but the subject."""

    masker: Masker
    subject_id: str
    keep_numbers: frozenset[str] = frozenset()

    @classmethod
    def build(cls, key: bytes, people: Iterable[tuple[str, str]], subject_id: str,
              subject_extra: Mapping[str, Any]) -> Redactor:
        """From the (person_id, name) pairs of the masker, leaving out the subject's."""
        others = [(pid, name) for pid, name in people if pid != subject_id]
        return cls(Masker.build(key, others), subject_id, subject_numbers(subject_extra))

    def person(self, person_id: str | None) -> str:
        """A person id as it may appear: the subject's as is, anyone else's as a pseudonym."""
        if not person_id or person_id == self.subject_id:
            return person_id or ""
        return self.masker.pseudonym(person_id)

    def text(self, text: str | None) -> str:
        """`text` with third parties' names and numbers hidden, the subject's left alone."""
        if not text:
            return ""
        folded = fold_digits(text)
        for span in reversed(find_numbers(folded, loose=True)):
            if span.digits.upper() not in self.keep_numbers:
                text = text[:span.start] + mask_span(text, span) + text[span.end:]
        masked = mask_addresses(text)
        batch = normalize_batch([masked])
        offsets = batch.offsets(0)
        names: list[tuple[int, int, str]] = []
        pos = 0
        for start, end, shown in self.masker.name_spans(batch.texts[0]):
            lo, hi = offsets.span(start, end)
            if lo < pos or hi <= lo:
                continue
            names.append((lo, hi, shown))
            pos = hi
        return apply_names(masked, names, 0, len(masked))

    def conversation(self, conversation: str) -> str:
        """A direct chat's id names both people: the other one becomes a pseudonym."""
        if conversation.startswith("dm:"):
            return "dm:" + "|".join(self.person(p) for p in conversation[3:].split("|"))
        return conversation
