"""Planted attachment cases: classified documents that reach a work group as a phone photo and as
a scanned PDF (上网不涉密、涉密不上网), and near-misses (a public notice, a holiday photo).

The files are rendered here with the attachments engine's specimen renderer and a CJK font,
deterministically, and written beside the bundle's tables under `attachments/`; messages
point to them with `attachment.path` relative to the bundle folder, so
`redline scan --files <bundle>` reads them.
"""

from __future__ import annotations

import io
import time
from dataclasses import dataclass
from datetime import date
from typing import Final

from PIL import Image

from redline.attachments.specimens import FONT, holiday_photo, like_a_phone, render_document
from redline.demo.planter import Planter, when
from redline.demo.units import official_id
from redline.errors import ConfigError
from redline.vocab import Category, GroupType

FOLDER: Final = "attachments"
DPI: Final = 120  # render_document draws A4 at 150 dpi; 120 dpi keeps a photo near 100 kB and OCR still reads it
JPEG_QUALITY: Final = 80
PDF_DATE: Final = time.strptime("2024-01-09 08:30:00", "%Y-%m-%d %H:%M:%S")  # fixed: the same bytes every build
MARKING_RULES: Final = ["TJ-07", "ZJ-02", "WH-02", "XY-06"]  # 保密 rules of 天津, 浙江, 武汉, 咸阳


@dataclass(frozen=True, slots=True)
class Notice:
    """A red-header document (红头文件) as the specimen renderer draws it."""

    marking: str | None  # 密级★保密期限, or None for a public notice
    issuer: str
    number: str  # 文号
    title: str
    lines: tuple[str, ...]


PERSONNEL_PLAN: Final = Notice(
    "机密★1年", "中共清河县委组织部文件", "县委组〔2023〕27号", "关于科级领导干部调整初步方案的通知",
    ("各乡镇党委、县直各单位党组（党委）：", "经县委研究，现将科级领导干部调整初步方案", "印发给你们，请严格控制知悉范围。",
     "一、调整方案见附件，未经批准不得复制、转发。", "二、请于12月5日前将意见反馈县委组织部。"))
COMPENSATION: Final = Notice(
    "秘密★6个月", "清河县人民政府办公室文件", "县政办〔2024〕3号", "关于东区棚户区改造补偿标准的通知",
    ("各乡镇人民政府、街道办事处，县直各部门：", "东区棚户区改造补偿标准已经县政府研究确定，", "正式公布前请严格保密。",
     "一、补偿标准见附表，仅供相关单位内部掌握。", "二、各单位不得提前向住户透露具体标准。"))
PUBLIC_NOTICE: Final = Notice(
    None, "清河县卫生健康局文件", "县卫健发〔2023〕41号", "关于开展冬季爱国卫生运动的通知",
    ("各乡镇卫生院、县直各医疗卫生单位：", "为改善城乡环境卫生，预防冬春季传染病，", "决定在全县开展冬季爱国卫生运动。",
     "一、集中清理卫生死角，做好病媒生物防制。", "二、请于12月20日前报送工作总结。"))


def _page(notice: Notice) -> Image.Image:
    if not FONT.exists():
        raise ConfigError(f"the demo's attachments are rendered with the CJK font {FONT} "
                          "(Debian package fonts-wqy-microhei; `make test` installs it)")
    page = render_document(FONT, marking=notice.marking, issuer=notice.issuer, number=notice.number,
                           title=notice.title, lines=list(notice.lines))
    return page.resize((page.width * DPI // 150, page.height * DPI // 150), Image.Resampling.LANCZOS)


def _jpeg(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=JPEG_QUALITY)  # Pillow writes no EXIF unless asked
    return out.getvalue()


def _phone_photo(notice: Notice, angle: float) -> bytes:
    return _jpeg(like_a_phone(_page(notice), angle=angle))


def _scanned_pdf(notice: Notice) -> bytes:
    """A one-page PDF holding only a colour scan of the page: no text layer, so it must be OCRed."""
    out = io.BytesIO()
    _page(notice).save(out, "PDF", resolution=float(DPI), title=notice.title,
                                    creationDate=PDF_DATE, modDate=PDF_DATE)
    return out.getvalue()


def _holiday_photo() -> bytes:
    photo = holiday_photo(seed=20231003)
    photo.thumbnail((1024, 1024))  # a phone's shared-photo size; also keeps the noisy JPEG small
    return _jpeg(photo)


def _department_group(unit_code: int) -> str:
    return f"G{10 + unit_code:03d}"


def _record(notice: Notice, path: str, kind: str) -> dict[str, object]:
    return {"file": {"path": path, "kind": kind}, "marking": notice.marking, "doc_number": notice.number,
            "doc_title": notice.title}


def classified_photo(p: Planter) -> None:
    """A 干部科科长 photographs a 机密★1年 personnel plan on the desk and posts it to the unit's work group."""
    sender = official_id(4, "干部科科长")
    gid = _department_group(4)
    path = f"{FOLDER}/IMG_20231128_0915.jpg"
    photo = p.say("photo", when(date(2023, 11, 28), 9, 15), gid, sender, "", "image",
                  p.attach(path, _phone_photo(PERSONNEL_PLAN, angle=-2.5)))
    note = p.say("photo", when(date(2023, 11, 28), 9, 16), gid, sender, "方案大家先看一下，12月5日前反馈意见")
    p.cases["classified_photo"] = {
        "title": "机密级红头文件被拍照发到单位工作群", "person_id": sender, "group_id": gid,
        "message_ids": [photo], "context_message_ids": [note], **_record(PERSONNEL_PLAN, path, "image"),
        "expected": {"category": Category.SECRETS, "detectors": ["secret_marks", "doc_number"],
                     "rule_ids": MARKING_RULES, "evidence": PERSONNEL_PLAN.marking,
                     "note": "found only when `redline scan --files <bundle>` OCRs the photo"},
    }


def classified_scan(p: Planter) -> None:
    """A 综合科科长 shares the scan of a 秘密★6个月 notice as a PDF file in the unit's work group."""
    sender = official_id(2, "综合科科长")
    gid = _department_group(2)
    name = "东区棚户区改造补偿标准（扫描件）.pdf"
    path = f"{FOLDER}/{name}"
    # a file message's text is the file name, as in the exports; the name itself gives nothing away
    mid = p.say("scan", when(date(2024, 1, 9), 15, 40), gid, sender, name, "file",
                p.attach(path, _scanned_pdf(COMPENSATION)))
    p.cases["classified_scan"] = {
        "title": "秘密级文件扫描件以PDF发到单位工作群", "person_id": sender, "group_id": gid, "message_ids": [mid],
        **_record(COMPENSATION, path, "pdf"),
        "expected": {"category": Category.SECRETS, "detectors": ["secret_marks", "doc_number"],
                     "rule_ids": MARKING_RULES, "evidence": COMPENSATION.marking, "page": 1,
                     "note": "a scan without a text layer: found only when `redline scan --files <bundle>` OCRs it"},
    }


def attachment_near_misses(p: Planter) -> None:
    """Must NOT be flagged: a photo of a public red-header notice (文号, no 密级), a holiday photo."""
    sender = official_id(14, "办公室主任")
    gid = _department_group(14)
    path = f"{FOLDER}/IMG_20231205_1032.jpg"
    mid = p.say("nmfile", when(date(2023, 12, 5), 10, 32), gid, sender, "", "image",
                p.attach(path, _phone_photo(PUBLIC_NOTICE, angle=2.0)))
    p.near_misses["public_notice_photo"] = {
        "title": "公开发布的红头文件照片（有文号、无密级）", "person_id": sender, "group_id": gid, "message_ids": [mid],
        **_record(PUBLIC_NOTICE, path, "image"), "must_not_flag": True, "not_category": Category.SECRETS,
    }
    # a family group (相亲相爱一家人 and the like): its members are fixed at every scale
    poster = official_id(19, "镇长")
    family = next(g for _, g in sorted(p.groups.items()) if g.type == GroupType.SOCIAL and g.owner_id == poster)
    path = f"{FOLDER}/IMG_20231003_1648.jpg"
    mid = p.say("nmfile", when(date(2023, 10, 3), 16, 48), family.group_id, poster, "", "image",
                p.attach(path, _holiday_photo()))
    p.near_misses["holiday_photo"] = {
        "title": "国庆假期随手拍（照片上没有文字）", "person_id": poster, "group_id": family.group_id, "message_ids": [mid],
        "file": {"path": path, "kind": "image"}, "must_not_flag": True,
    }
