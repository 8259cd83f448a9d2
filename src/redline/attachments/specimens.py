"""Specimen documents and photos rendered with Pillow and a CJK font: red-header notices with
or without secrecy markings, phone-photo distortions, text-free photos. Used by the tests,
the benchmarks and the demo; nothing here is real."""

from __future__ import annotations

from pathlib import Path
from typing import Final

import numpy as np
from PIL import Image, ImageDraw, ImageEnhance, ImageFilter, ImageFont

FONT: Final = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")  # Debian fonts-wqy-microhei
BODY: Final = ["各乡镇党委、县直各单位：", "为进一步做好换届选举期间的干部管理工作，", "现将有关事项通知如下：",
               "一、严格执行换届纪律，严禁拉票贿选。", "二、拟任人选名单尚未公开，注意保密。"]


def render_document(font: Path, *, marking: str | None, issuer: str = "中共某某县委办公室文件",
                    number: str | None = "县委办〔2026〕12号", title: str = "关于做好换届选举期间有关工作的通知",
                    lines: list[str] | None = None, red: bool = True,
                    marking_at: tuple[int, int] = (880, 90)) -> Image.Image:
    """An A4 page at 150 dpi: marking top right (or `marking_at`), red issuer line, document number, body."""
    image = Image.new("RGB", (1240, 1754), "white")
    draw = ImageDraw.Draw(image)

    def f(size: int) -> ImageFont.FreeTypeFont:
        return ImageFont.truetype(str(font), size)

    if marking:
        draw.text(marking_at, marking, fill="black", font=f(36))
    draw.text((150, 220), issuer, fill=(200, 20, 20) if red else "black", font=f(72))
    draw.line((120, 420, 1120, 420), fill=(200, 20, 20) if red else "black", width=5)
    if number:
        draw.text((470, 350), number, fill="black", font=f(34))
    draw.text((200, 480), title, fill="black", font=f(44))
    for i, line in enumerate(lines or BODY):
        draw.text((150, 600 + i * 70), line, fill="black", font=f(36))
    return image


def like_a_phone(image: Image.Image, angle: float = 3.0, blur: float = 1.2, light: float = 0.7) -> Image.Image:
    """Rotated, blurred and darkened, as a phone photo of a desk document."""
    turned = image.rotate(angle, expand=True, fillcolor=(90, 90, 90), resample=Image.Resampling.BICUBIC)
    return ImageEnhance.Brightness(turned.filter(ImageFilter.GaussianBlur(blur))).enhance(light)


def holiday_photo(seed: int = 0) -> Image.Image:
    """Sky-like gradients and noise: no text at all."""
    rng = np.random.default_rng(seed)
    sky = np.linspace(0, 255, 1600)[None, :, None] * np.ones((1200, 1, 3)) * np.array([0.4, 0.7, 1.0])
    return Image.fromarray(np.clip(sky + rng.normal(0, 25, (1200, 1600, 3)), 0, 255).astype(np.uint8))
