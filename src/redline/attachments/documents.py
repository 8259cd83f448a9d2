"""Document-level reading of extracted text and layout: OCR confusions repaired where a
secrecy marking or a document number needs them, and the red header of 红头文件.

Repairs replace one character by one character, so offsets into the text stay valid for
evidence highlighting and OCR boxes.
"""

from __future__ import annotations

import re
from typing import Final

import numpy as np
from PIL import Image

# 密 read as 蜜 next to the marking's other half; ☆ * ＊ ⭐ read for the ★ of 密级★期限
_MARK_WORD = re.compile(r"(绝|机|秘)蜜|蜜(?=\s?[★☆*＊⭐])")
_STAR = re.compile(r"(?<=[密蜜])\s?[☆*＊⭐✩✰]")
# document numbers: 〔2026〕12号 read with 【】, [], （）, () or a mix of them
_DOC_NUMBER = re.compile(r"[【\[（(〔]\s?((?:19|20)\d{2})\s?[】\]）)〕](?=\s?第?\d{1,4}\s?号)")
RED_TOP_SHARE: Final = 0.3  # the header sits in the top third of the page
MIN_RED_SHARE: Final = 0.002  # red pixels among the top third's pixels


def repair(text: str) -> str:
    """Undo the OCR confusions that hide markings and document numbers (offsets unchanged)."""
    text = _MARK_WORD.sub(lambda m: (m.group(1) or "") + "密", text)
    text = _STAR.sub(lambda m: m.group(0)[:-1] + "★", text)
    return _DOC_NUMBER.sub(lambda m: _keep_width(m.group(0), m.group(1)), text)


def _keep_width(found: str, year: str) -> str:
    inner = found[1:-1]
    return "〔" + inner + "〕" if inner.strip() == year else found


def red_header(image: Image.Image) -> bool:
    """True when the top of the page carries a block of saturated red (the issuer's title)."""
    thumb = image.convert("RGB")
    thumb.thumbnail((400, 400))
    pixels = np.asarray(thumb, dtype=np.int16)
    top = pixels[: max(1, int(pixels.shape[0] * RED_TOP_SHARE))]
    red = (top[..., 0] > 140) & (top[..., 0] - top[..., 1] > 60) & (top[..., 0] - top[..., 2] > 60)
    return bool(red.mean() >= MIN_RED_SHARE)
