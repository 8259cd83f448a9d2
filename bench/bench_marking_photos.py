"""Photographed documents whose marking is a bare 密级 (issue 21 item 3), by degradation.

Renders red-header pages (PIL, fonts-wqy-microhei) with a bare level word in the marking
position (positives) or the same word inside a body sentence, or no marking (negatives),
degrades them (perspective, blur, low light, JPEG artefacts, partial crop), OCRs each once
and scores the page text with the `secret_marks` detector in two reading orders: positions
only (before) and with `documents.marking_first` (after). Seeds below HELD_OUT_SEED were
used while writing the rule; the report uses only seeds from HELD_OUT_SEED on.

    PYTHONPATH=src python -m bench.bench_marking_photos [--per-cell 4]
"""

from __future__ import annotations

import argparse
import io
import json
import random
from collections.abc import Callable
from pathlib import Path
from typing import Final

from PIL import Image, ImageDraw, ImageEnhance, ImageFilter, ImageFont

from redline.attachments import documents, ocr
from redline.attachments.specimens import FONT, render_document
from redline.contracts import BuildContext, Trigger
from redline.detectors.secret_marks import SecretMarksConfig, SecretMarksDetector
from redline.text.normalize import normalize_batch

HELD_OUT_SEED: Final = 1000
LEVELS: Final = ("机密", "绝密", "秘密")
NUMBERS: Final = ("〔2026〕7号", "〔2025〕31号", "〔2026〕102号")


def _perspective(image: Image.Image, rng: random.Random) -> Image.Image:
    w, h = image.size
    d = [rng.uniform(0, 0.06) * s for s in (w, h, w, h, w, h, w, h)]
    quad = (d[0], d[1], d[2], h - d[3], w - d[4], h - d[5], w - d[6], d[7])
    return image.transform((w, h), Image.Transform.QUAD, quad, Image.Resampling.BICUBIC, fillcolor=(90, 90, 90))


def _jpeg(image: Image.Image, rng: random.Random) -> Image.Image:
    buf = io.BytesIO()
    image.save(buf, "JPEG", quality=rng.randint(12, 30))
    return Image.open(io.BytesIO(buf.getvalue())).convert("RGB")


def _crop(image: Image.Image, rng: random.Random) -> Image.Image:
    w, h = image.size  # a phone framing the top of the page: sides and bottom cut off
    return image.crop((int(w * rng.uniform(0, 0.08)), 0, int(w * rng.uniform(0.85, 1.0)), int(h * rng.uniform(0.4, 0.7))))


DEGRADATIONS: Final[dict[str, Callable[[Image.Image, random.Random], Image.Image]]] = {
    "clean": lambda im, rng: im,
    "perspective": _perspective,
    "blur": lambda im, rng: im.filter(ImageFilter.GaussianBlur(rng.uniform(1.0, 2.0))),
    "low_light": lambda im, rng: ImageEnhance.Brightness(im).enhance(rng.uniform(0.35, 0.55)),
    "jpeg": _jpeg,
    "crop": _crop,
}


def page(rng: random.Random, positive: bool) -> Image.Image:
    """A red-header page: the bare level top left (positive) or inside the body (negative)."""
    level = rng.choice(LEVELS)
    number = f"某某办{rng.choice(NUMBERS)}"
    if positive:  # GB/T 9704: 份号 first, 密级 below it, both top left
        x, y = rng.randint(130, 220), rng.randint(110, 150)
        image = render_document(FONT, marking=level, number=number, marking_at=(x, y))
        ImageDraw.Draw(image).text((x, y - 60), f"{rng.randint(1, 999):06d}", fill="black",
                                   font=ImageFont.truetype(str(FONT), 34))
        return image
    body = ["各乡镇党委、县直各单位：", f"本通知不涉及{level}事项，可在公开栏张贴。", "现将有关事项通知如下："]
    return render_document(FONT, marking=None, number=number, lines=body)


def run(per_cell: int, seed0: int) -> dict[str, dict[str, float]]:
    detector = SecretMarksDetector.build([Trigger("B", "b", SecretMarksConfig(weak=False))], BuildContext())
    out: dict[str, dict[str, float]] = {}
    for k, (name, degrade) in enumerate(DEGRADATIONS.items()):
        counts = dict.fromkeys(("tp_before", "fp_before", "tp_after", "fp_after", "pos", "neg"), 0)
        for i in range(2 * per_cell):
            rng = random.Random(seed0 + 7919 * i + 101 * k)
            positive = i % 2 == 0
            image = degrade(page(rng, positive), rng)
            lines = ocr.read_lines(image)
            red = documents.red_header(image)
            for when, ordered in (("before", lines), ("after", documents.marking_first(lines, red))):
                text = documents.repair("\n".join(line.text for line in ordered))
                hit = bool(detector.scan(list(normalize_batch([text]).texts)))
                counts[f"{'tp' if positive else 'fp'}_{when}"] += hit
            counts["pos" if positive else "neg"] += 1
        out[name] = {
            "positives": counts["pos"], "negatives": counts["neg"],
            **{f"recall_{w}": round(counts[f"tp_{w}"] / counts["pos"], 3) for w in ("before", "after")},
            **{f"false_positive_rate_{w}": round(counts[f"fp_{w}"] / counts["neg"], 3) for w in ("before", "after")},
        }
        print(name, out[name], flush=True)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--per-cell", type=int, default=4, help="positive and negative pages per degradation")
    parser.add_argument("--out", type=Path, default=Path("bench/results/marking_photos.json"))
    args = parser.parse_args()
    ocr.use_threads(1)
    result = run(args.per_cell, HELD_OUT_SEED)
    args.out.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
