"""Text normalisation: the batch's normalised view and its offset map back to the original."""

from __future__ import annotations

from redline.text.joined import JoinedText, joined_view
from redline.text.normalize import (
    NormalizedBatch,
    NormalizedText,
    NormalizedTexts,
    normalize_batch,
    normalize_text,
)
from redline.text.offsets import OffsetMap

__all__ = [
    "JoinedText",
    "NormalizedBatch",
    "NormalizedText",
    "NormalizedTexts",
    "OffsetMap",
    "joined_view",
    "normalize_batch",
    "normalize_text",
]
