"""OCR on the CPU with RapidOCR (PP-OCR models shipped inside its PyPI wheel; nothing is
downloaded), behind a cheap text probe so that photos without text cost almost nothing.

The probe runs only the text-detection model on a 320-pixel thumbnail (~50 ms); a holiday
photo with no text regions stops there. Documents get detection and recognition at up to
960 pixels on the long side (enough for A4 body text photographed by a phone); the
180° line classifier is skipped: a phone photo of a desk document is upright or near it.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import cache
from typing import Any, Final

import numpy as np
from PIL import Image, ImageOps

PROBE_SIDE: Final = 320
OCR_SIDE: Final = 960
MIN_PROBE_BOXES: Final = 2  # one stray "box" on foliage or a logo is not a document
_LOCK = threading.Lock()  # onnxruntime sessions are shared; one image at a time per process


@dataclass(frozen=True, slots=True)
class OcrLine:
    """One recognised line: its text, its box (four corner points in the image's own pixels)
    and the recogniser's confidence."""

    text: str
    box: tuple[tuple[float, float], ...]
    score: float


@cache
def _probe() -> Any:
    from rapidocr_onnxruntime import RapidOCR

    return RapidOCR(det_limit_side_len=PROBE_SIDE, det_limit_type="max", intra_op_num_threads=1)


_THREADS: dict[str, int] = {"n": -1}  # onnxruntime threads for recognition; -1: all cores


def use_threads(count: int) -> None:
    """Limit OCR to `count` threads (benchmarks per core; a worker process per core)."""
    _THREADS["n"] = count
    _reader.cache_clear()


@cache
def _reader() -> Any:
    from rapidocr_onnxruntime import RapidOCR

    return RapidOCR(det_limit_side_len=OCR_SIDE, det_limit_type="max", intra_op_num_threads=_THREADS["n"])


def prepare(image: Image.Image) -> Image.Image:
    """Upright RGB (phone photos carry their rotation in EXIF)."""
    return ImageOps.exif_transpose(image).convert("RGB")


def has_text(image: Image.Image) -> bool:
    """The cheap first pass: does the thumbnail show at least a couple of text regions?"""
    thumb = image.copy()
    thumb.thumbnail((PROBE_SIDE, PROBE_SIDE))
    with _LOCK:
        boxes, _ = _probe()(np.asarray(thumb), use_det=True, use_cls=False, use_rec=False)
    return boxes is not None and len(boxes) >= MIN_PROBE_BOXES


def read_lines(image: Image.Image) -> list[OcrLine]:
    """Text lines top to bottom, boxes scaled back to the image's own pixels."""
    work = image.copy()
    work.thumbnail((OCR_SIDE * 2, OCR_SIDE * 2))  # huge scans: the detector resizes anyway
    scale = image.width / work.width
    with _LOCK:
        result, _ = _reader()(np.asarray(work), use_cls=False)
    lines = []
    for box, text, score in result or []:
        corners = tuple((float(x) * scale, float(y) * scale) for x, y in box)
        lines.append(OcrLine(str(text), corners, float(score)))
    return sorted(lines, key=lambda line: (round(line.box[0][1] / 20), line.box[0][0]))
