"""Attachments: document photos per second and text-free photos per second on one core, and
recall / precision of secrecy markings over a rendered set of phone-like photos."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from PIL import Image

MARKINGS = ["机密★1年", "秘密★6个月", "绝密★长期", "机密★5年", "秘密★3年", "机密★10年"]
NEUTRAL_TITLES = ["关于开展秋季爱国卫生运动的通知", "关于召开保密工作会议的通知", "关于做好防汛值班工作的通知",
                  "关于组织干部职工义务献血的通知", "关于举办职工运动会的通知", "关于调整食堂开放时间的通知"]


def run() -> dict[str, object]:
    from redline.attachments import ocr
    from redline.attachments.screen import screen_files
    from redline.attachments.specimens import FONT, holiday_photo, like_a_phone, render_document
    from redline.rules.build import build_plan

    ocr.use_threads(1)
    plan = build_plan("all").plan
    folder = Path(tempfile.mkdtemp(prefix="redline-att-bench-"))
    cases: list[tuple[Path, bool]] = []
    for i, marking in enumerate(MARKINGS):
        image = like_a_phone(render_document(FONT, marking=marking), angle=(-1) ** i * (1 + i % 4), blur=0.8 + 0.2 * (i % 3),
                             light=0.5 + 0.08 * i)
        path = folder / f"secret-{i}.jpg"
        image.save(path, quality=85)
        cases.append((path, True))
    for i, title in enumerate(NEUTRAL_TITLES):
        image = like_a_phone(render_document(FONT, marking=None, number=f"县委办〔2026〕{20 + i}号", title=title,
                                             lines=["各单位：", "请按通知要求认真抓好落实。"]), angle=(-1) ** i * 2)
        path = folder / f"neutral-{i}.jpg"
        image.save(path, quality=85)
        cases.append((path, False))
    photos = []
    for i in range(40):
        path = folder / f"holiday-{i}.jpg"
        holiday_photo(i).save(path, quality=85)
        photos.append(path)

    screen_files(plan, [cases[0][0]])  # load the OCR models once, outside the timing
    started = time.perf_counter()
    reports = screen_files(plan, [p for p, _ in cases])
    documents_s = time.perf_counter() - started
    started = time.perf_counter()
    quiet = screen_files(plan, photos)
    photos_s = time.perf_counter() - started

    flagged = {r.extracted.path: any(x["category"] == "secrets" for x in r.records) for r in reports}
    tp = sum(1 for p, m in cases if m and flagged[p])
    fp = sum(1 for p, m in cases if not m and flagged[p])
    positives = sum(1 for _, m in cases if m)
    size = Image.open(cases[0][0]).size
    return {
        "document_photos_per_s_one_core": round(len(cases) / documents_s, 2),
        "text_free_photos_per_s_one_core": round(len(photos) / photos_s, 1),
        "text_free_photos_skipped_by_probe": sum(1 for r in quiet if r.extracted.skipped),
        "recall": round(tp / positives, 3),
        "precision": round(tp / max(tp + fp, 1), 3),
        "documents": len(cases), "text_free_photos": len(photos), "photo_size": list(size),
        "note": "OCR with one onnxruntime thread; document photos are A4 at 150 dpi rotated, blurred and darkened",
    }
