"""The document-number detector: 文号 such as 某政〔2017〕12号 in context (红头文件).

A 文号 names an official document; pasted into a chat it suggests the document travels
with it. The bracketed year alone is weak (court cases, invoices use brackets too), so a hit
needs an issuer prefix (某政, 京办发) or a document word in the message. The parts of the
number (机关代字, year, serial) are read by `redline.text.doc_numbers`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import ClassVar, Final

from pydantic import BaseModel, ConfigDict

from redline.contracts import BuildContext, Hit, Trigger, config_as
from redline.detectors.matchers import PatternPrefilter
from redline.text import doc_numbers
from redline.text.joined import joined_view

_PREFILTER: Final = r"[〔\[(【][^0-9a-z〔〕\[\]()【】]{0,2}[12]"
_CONTEXT: Final = re.compile(r"文件|通知|印发|发文|文号|红头|函|纪要|决定|意见|办法|批复|请示|报告")
BASE, ISSUER_BOOST, CONTEXT_BOOST = 0.5, 0.25, 0.2
IN_CONTEXT: Final = 0.7  # BASE plus either boost


class DocNumberConfig(BaseModel):
    """`- doc_number: {}`; `{require_context: false}` also reports bare bracketed numbers."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    require_context: bool = True  # an issuer prefix or a document word in the message


class DocNumberDetector:
    """〔2017〕12号 / [2017] / (2017) with an issuer or document context."""

    name: ClassVar[str] = "doc_number"
    Config: ClassVar[type[BaseModel]] = DocNumberConfig

    def __init__(self, labels: list[tuple[str, float]]) -> None:
        self._labels = labels
        self._prefilter = PatternPrefilter([_PREFILTER], caseless=False)

    @classmethod
    def build(cls, triggers: Sequence[Trigger], ctx: BuildContext) -> DocNumberDetector:
        """One detector for every doc_number trigger."""
        return cls([
            (t.label, IN_CONTEXT if config_as(t, DocNumberConfig).require_context else 0.0) for t in triggers
        ])

    def scan(self, texts: Sequence[str]) -> list[Hit]:
        """Hits per trigger; offsets in the normalised texts."""
        hits: list[Hit] = []
        for _, row in self._prefilter.candidates(joined_view(texts)):
            text = texts[row]
            has_context = _CONTEXT.search(text) is not None
            for number in doc_numbers.find_all(text):
                score, why = BASE, "document number"
                if number.issuer:
                    score += ISSUER_BOOST
                    why += f"; issuer {number.issuer}"
                if has_context:
                    score += CONTEXT_BOOST
                    why += "; document word"
                hits.extend(
                    Hit(row, self.name, label, number.start, number.end, round(score, 2), why)
                    for label, min_score in self._labels
                    if score >= min_score
                )
        return hits
