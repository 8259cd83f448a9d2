"""Recognising an export's format from its content (never from its file name).

`sniff(path)` reads the HEAD of a file (`HEAD_BYTES`), never the whole: the `filetype`
library names binary content (a workbook is a zip; a photo, a video or a PDF is no export),
and text is recognised by its first lines. Only a JSON document, whose kind is in its
top-level keys, is parsed whole, and only once its head looks like JSON.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import filetype
import orjson

from redline.ingest import moments, weibo
from redline.ingest.bank_csv import match_layout
from redline.ingest.bills import ALIPAY_HEADER, WECHAT_HEADER
from redline.ingest.memotrace import HEADER as MEMOTRACE_HEADER
from redline.ingest.roster import header_map
from redline.ingest.tabular import SheetRow, csv_rows, find_header
from redline.ingest.values import CellError, parse_date

FORMATS: Final[dict[str, str]] = {
    "wecom-archive": "WeCom 会话内容存档: decrypted messages, one JSON object a line",
    "wecom-api": "WeCom archive/contact API responses (group chats, external contacts) as JSON",
    "pywxdump-csv": "PyWxDump-style chat CSV (id,MsgSvrID,type_name,…)",
    "chatlog-json": "chatlog JSON (webhook body or API array of messages)",
    "chatlog-csv": "chatlog CSV (Time,SenderName,Sender,TalkerName,Talker,Content)",
    "memotrace-csv": "MemoTrace/WeChatMsg (留痕) CSV (localId,TalkerId,Type,SubType,IsSender,CreateTime,…)",
    "wechat-appmsg": "WeChat appmsg XML payloads (transfers, red packets) and claim notices",
    "wechat-pay": "WeChat Pay bill (微信支付账单明细), CSV or XLSX",
    "alipay": "Alipay bill (支付宝交易明细), GBK CSV",
    "bank-csv": "bank statement CSV (layouts in ingest/banks.yaml)",
    "roster": "HR roster CSV or XLSX (工号, 姓名, 单位, 职务, 任职/离任日期)",
    "weibo-csv": "Weibo posts as weibo-crawler writes them (<uid>.csv: id,bid,正文,…,点赞数,评论数,转发数)",
    "weibo-json": "Weibo posts as weibo-crawler writes them (<uid>.json: {\"user\", \"weibo\": [...]})",
    "moments-json": "WeChat Moments (朋友圈) exported by WeChatMomentStat (exported_sns.json)",
    "moments-sns": "WeChat Moments (朋友圈) from the PC client's decrypted Sns.db (FeedsV20, as PyWxDump reads it), "
                   "or that table saved as CSV",
}
MAX_SNIFF: Final = 256 * 1024  # characters of text looked at
HEAD_BYTES: Final = 4 * MAX_SNIFF  # bytes read to sniff: MAX_SNIFF characters even of 4-byte UTF-8
_WORKBOOK_KINDS: Final = frozenset({"zip", "xlsx"})
SQLITE_MAGIC: Final = b"SQLite format 3\x00"
SNIFF_LINES: Final = 20
_WECOM_OPENING: Final = re.compile(r'\{\s*"msgid"\s*:\s*"')
_WECOM_KEY: Final = re.compile(r'"(?:msgtype|action)"\s*:\s*"')


@dataclass(frozen=True, slots=True)
class Decoded:
    """A source's text (None for workbooks) and the encoding it was read with."""

    text: str | None
    encoding: str


def decode(path: Path) -> Decoded:
    """UTF-8 (with or without BOM) first, then GB18030 (a superset of GBK) for Chinese exports."""
    data = path.read_bytes()
    if data[:4] == b"PK\x03\x04" and zipfile.is_zipfile(path):
        return Decoded(None, "xlsx")
    if data[:16] == SQLITE_MAGIC:
        return Decoded(None, "sqlite")
    reading = _read(data)
    if reading is not None:
        return Decoded(*reading)
    return Decoded(data.decode("utf-8", errors="replace"), "utf-8 (with replacement characters)")


# Latin Extended … NKo and the C1 controls: what a short GB18030 run of Chinese reads as when it
# also happens to be valid UTF-8 (庄 is d7 af in GB18030, U+05EF in UTF-8)
_UNLIKELY_IN_UTF8: Final = re.compile("[\u0080-\u009f\u0100-\u07ff]")
# over this many bytes, valid UTF-8 is itself the evidence: a Russian or Uyghur export (2-byte
# UTF-8 throughout, which GB18030 also reads, as nonsense) stays UTF-8
_AMBIGUOUS_BYTES: Final = 64


def _read(data: bytes, cut_up_to: int = 0) -> tuple[str, str] | None:
    """(text, encoding): UTF-8 first, GB18030 when UTF-8 fails, or when a few bytes read as unlikely
    scripts in UTF-8 and as plain text in GB18030; `cut_up_to` bytes at the end may be dropped (a head cut inside a
    character). None when neither encoding reads the bytes."""
    def reading(encoding: str) -> str | None:
        for cut in range(cut_up_to + 1):
            try:
                return data[: len(data) - cut].decode(encoding)
            except UnicodeDecodeError:
                continue
        return None

    utf8 = reading("utf-8-sig")
    if utf8 is not None and (len(data) > _AMBIGUOUS_BYTES or not _UNLIKELY_IN_UTF8.search(utf8)):
        return utf8, "utf-8-sig"  # the common case decodes once
    gb = reading("gb18030")
    if gb is not None and (utf8 is None or not _UNLIKELY_IN_UTF8.search(gb)):
        return gb, "gb18030"
    return (utf8, "utf-8-sig") if utf8 is not None else None


def sniff(path: Path) -> str | None:
    """The format of one file from its head, or None when no importer recognises it."""
    with path.open("rb") as fh:
        head_bytes = fh.read(HEAD_BYTES)
    if head_bytes.startswith(SQLITE_MAGIC):  # a database: the PC client's decrypted Sns.db, or not ours
        return "moments-sns" if moments.is_sns_database(path) else None
    kind = filetype.guess(head_bytes)
    if kind is not None:
        return _detect_workbook(path) if kind.extension in _WORKBOOK_KINDS and zipfile.is_zipfile(path) else None
    text = _decode_head(head_bytes)
    head = text[:MAX_SNIFF].lstrip()
    if head.startswith(("{", "[")):
        return detect(path, decode(path))  # a JSON document is told by its top-level keys
    return _detect_text(head)


def _decode_head(data: bytes) -> str:
    """The head as text, as `decode` would read it; a character cut at the end is dropped."""
    reading = _read(data, cut_up_to=3)  # a multi-byte character may straddle the end of the head
    return reading[0] if reading is not None else data.decode("utf-8", errors="replace")


def detect(path: Path, decoded: Decoded) -> str | None:
    """The format of one decoded file, or None when no importer recognises it."""
    if decoded.encoding == "sqlite":
        return "moments-sns" if moments.is_sns_database(path) else None
    if decoded.text is None:
        return _detect_workbook(path)
    text = decoded.text
    head = text[:MAX_SNIFF].lstrip()
    if head.startswith(("{", "[")):
        return _detect_json(text, head)
    return _detect_text(head)


def _detect_text(head: str) -> str | None:
    if head.startswith(("<msg", "<sysmsg", "<?xml")) or "领取了你的<_wc_custom_link_" in head:
        return "wechat-appmsg"
    first = head.split("\n", 1)[0].strip()
    if first.startswith("id,MsgSvrID,type_name"):
        return "pywxdump-csv"
    if first.startswith("Time,SenderName,Sender,TalkerName,Talker,Content"):
        return "chatlog-csv"
    if first.startswith(moments.FEEDS_CSV_HEADER):
        return "moments-sns"
    if first.lstrip(",").startswith(MEMOTRACE_HEADER):  # pandas' to_csv adds an index column
        return "memotrace-csv"
    try:
        rows = csv_rows(head)
    except Exception:  # noqa: BLE001 - sniffing: a broken CSV is simply not recognised
        return None
    # bills are recognised by their header row, not by words that a note about them may hold
    if _has_header(rows, WECHAT_HEADER):
        return "wechat-pay"
    if _has_header(rows, ALIPAY_HEADER):
        return "alipay"
    if rows and weibo.is_weibo_header(rows[0].cells):
        return "weibo-csv"
    if match_layout(rows[:40]) is not None:
        return "bank-csv"
    if any(header_map(r.cells) for r in rows[:20]):
        return "roster"
    return None


def _has_header(rows: list[SheetRow], header: tuple[str, ...]) -> bool:
    """The header row is there and the next non-empty row starts with a date."""
    try:
        start = find_header(rows[:60], header)
    except LookupError:
        return False
    following = next((r for r in rows[start + 1:] if any(r.cells)), None)
    if following is None:
        return True
    try:
        parse_date(following.cells[0])
    except CellError:
        return False
    return True


def _is_wecom_record(value: Any) -> bool:
    return isinstance(value, dict) and "msgid" in value and ("msgtype" in value or "action" in value)


def _detect_json(text: str, head: str) -> str | None:
    # JSON Lines are sniffed on the complete lines of the head, not the first line only: a first
    # message with a huge text (a pasted document) must not hide the format of the rest
    lines = head.split("\n")
    complete = lines[:-1] if len(lines) > 1 else []
    for line in (x for x in complete[:SNIFF_LINES] if x.strip()):
        try:
            if _is_wecom_record(orjson.loads(line)):
                return "wecom-archive"
        except orjson.JSONDecodeError:
            continue
    # a first line longer than the head: its opening keys still say what it is
    if not complete and _WECOM_OPENING.match(head[:4096]) and _WECOM_KEY.search(head[:4096]):
        return "wecom-archive"
    try:
        whole: Any = orjson.loads(text)
    except orjson.JSONDecodeError:
        return None
    if weibo.is_weibo_json(whole):
        return "weibo-json"
    if moments.is_moments_json(whole):
        return "moments-json"
    if isinstance(whole, dict):
        if isinstance(whole.get("messages"), list):
            return "chatlog-json"
        if any(k in whole for k in ("chatdata", "group_chat", "external_contact", "msg_list", "members")):
            return "wecom-api"
    if isinstance(whole, list) and whole and isinstance(whole[0], dict) and "talker" in whole[0]:
        return "chatlog-json"
    return None


def _detect_workbook(path: Path) -> str | None:
    from redline.ingest.tabular import xlsx_rows

    try:
        rows = xlsx_rows(path)[:40]
    except Exception:  # noqa: BLE001 - sniffing: an unreadable workbook is not recognised
        return None
    joined = " ".join(" ".join(r.cells) for r in rows)
    if "微信支付账单明细" in joined or {"交易时间", "交易类型", "金额(元)"} <= {c for r in rows for c in r.cells}:
        return "wechat-pay"
    if any(header_map(r.cells) for r in rows):
        return "roster"
    return None
