"""THE one place plug-ins are registered: text detectors and record analyzers.

A rule's `when:` entry is `{<registry key>: <config>}`. Adding a detector touches its own
module, one line here, and its test module; the scanner is never edited.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from redline.contracts import RecordAnalyzer, TextDetectorFactory
from redline.detectors.lexicon import LexiconDetector

TEXT_DETECTORS: Final[Mapping[str, type[TextDetectorFactory]]] = MappingProxyType({
    "lexicon": LexiconDetector,
})

RECORD_ANALYZERS: Final[Mapping[str, type[RecordAnalyzer]]] = MappingProxyType({
})
