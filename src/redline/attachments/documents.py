"""Document-level reading of extracted text and layout: OCR confusions repaired where a
secrecy marking or a document number needs them, and the red header of 红头文件.

Repairs replace one character by one character, so offsets into the text stay valid for
evidence highlighting and OCR boxes.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final

import numpy as np
from PIL import Image

from redline.attachments.ocr import OcrLine

# 密 read as 蜜 next to the marking's other half; ☆ * ＊ ⭐ read for the ★ of 密级★期限
_MARK_WORD = re.compile(r"(绝|机|秘)蜜|蜜(?=\s?[★☆*＊⭐])")
_STAR = re.compile(r"(?<=[密蜜])\s?[☆*＊⭐✩✰]")
# document numbers: 〔2026〕12号 read with 【】, [], （）, () or a mix of them
_DOC_NUMBER = re.compile(r"[【\[（(〔]\s?((?:19|20)\d{2})\s?[】\]）)〕](?=\s?第?\d{1,4}\s?号)")
# A box that holds only a 密级 level (★, period and separators may be lost or in another box)
_BARE_LEVEL = re.compile(r"^[\s★☆*＊⭐·.:：]*(绝密|机密|秘密)[\s★☆*＊⭐·.:：]*"
                         r"(?:[0-9一二三四五六七八九十]{1,2}\s?(?:年|个月)|长期)?[\s★☆*＊⭐·.]*$")
_DOC_NUMBER_LINE = re.compile(r"〔\s?(?:19|20)\d{2}\s?〕\s?第?\d{1,4}\s?号")
MARK_TOP_SHARE: Final = 0.3  # the marking sits in the top 30% of the text block's height
# and in a corner, not centred like the issuer or title (GB/T 9704 puts 密级 top left;
# older and local templates top right)
MARK_CORNER_SHARE: Final = 0.4
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


def marking_first(lines: Sequence[OcrLine], red: bool) -> list[OcrLine]:
    """Lines in reading order with a bare 密级 box in the marking position moved first.

    Phone photos lose the ★ and the period, or OCR puts 机密 in a box of its own beside the
    份号 or below the red header; sorted by position it is then not at the head of the page
    text, and a bare 机密 anywhere else is an ordinary word. Layout decides: a box that holds
    only a level, in a top corner of the text block (top left by GB/T 9704), on a page with a red header or a 文号
    (or above at least four other lines: a title and body below it), is the marking, and
    reading it first lets the `secret_marks` heading pattern see it. The same word inside a
    sentence never matches the bare-box test.
    """
    if len(lines) < 2:
        return list(lines)
    tops = [min(y for _, y in line.box) for line in lines]
    lefts = [min(x for x, _ in line.box) for line in lines]
    rights = [max(x for x, _ in line.box) for line in lines]
    y0, y1 = min(tops), max(tops)
    x0, x1 = min(lefts), max(rights)
    numbered = any(_DOC_NUMBER_LINE.search(repair(line.text)) for line in lines)
    for i, line in enumerate(lines):
        if not _BARE_LEVEL.match(repair(line.text)):
            continue
        top = (tops[i] - y0) <= MARK_TOP_SHARE * max(y1 - y0, 1.0)
        centre = ((lefts[i] + rights[i]) / 2 - x0) / max(x1 - x0, 1.0)
        corner = centre <= MARK_CORNER_SHARE or centre >= 1 - MARK_CORNER_SHARE
        below = sum(1 for t in tops if t > tops[i])
        if top and corner and (red or numbered or below >= 4):
            return [line, *lines[:i], *lines[i + 1:]]
    return list(lines)
