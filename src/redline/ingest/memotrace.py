"""MemoTrace / WeChatMsg (留痕) chat CSV: one file per conversation, PC WeChat's MSG columns.

Header: localId,TalkerId,Type,SubType,IsSender,CreateTime,Status,StrContent,StrTime
[,Remark,NickName,Sender]. `CreateTime` is unix seconds; `Sender` is the speaker's wxid
(the exporting account's own on IsSender=1 rows). The file holds no chat-room id: a file
with several other speakers is a group keyed by its TalkerId, one with a single other
speaker a one-to-one chat.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from pathlib import Path
from typing import Final

from redline.bundle.schema import CHINA
from redline.ingest.appmsg import add_money, money_payload, parse_xml
from redline.ingest.result import Row, SourceResult
from redline.ingest.values import CellError, clean, parse_local_time
from redline.ingest.wechat_export import conversation_of, records

HEADER: Final = "localId,TalkerId,Type,SubType,IsSender,CreateTime"
# PC WeChat's MSG.Type; 49 is an appmsg whose SubType says more. The large codes are the
# mobile database's packed types that some exports keep (red envelope, transfer, quote).
TYPES: Final = {1: "text", 3: "image", 34: "voice", 42: "other", 43: "video", 47: "image", 48: "other",
                49: "link", 50: "system", 10000: "system", 10002: "revoke",
                436207665: "red_packet", 419430449: "transfer", 822083633: "text"}
SUBTYPES: Final = {5: "link", 6: "file", 19: "other", 33: "link", 36: "link", 57: "text",
                   2000: "transfer", 2001: "red_packet"}


def read_memotrace_csv(path: Path, text: str, result: SourceResult, owner: str) -> None:
    """Messages of one MemoTrace conversation file; money appmsgs with XML become payments."""
    reader = csv.DictReader(io.StringIO(text, newline=""))
    parsed: list[tuple[int, dict[str, str], datetime]] = []
    for record in records(reader, path):
        result.rows_read += 1
        line = reader.line_num
        if None in record or any(v is None for v in record.values()):
            result.reject(line, None, "wrong number of columns", list(record.values()))
            continue
        try:
            parsed.append((line, record, _time(record)))
        except CellError as exc:
            result.reject(line, "CreateTime", str(exc), list(record.values()))
    others = {clean(r.get("Sender")) for _, r, _ in parsed if clean(r.get("IsSender")) != "1"} - {""}
    talker_ids = {clean(r.get("TalkerId")) for _, r, _ in parsed}
    is_room = len(others) > 1
    if is_room:
        conversation = f"wechat-room:talker-{min(talker_ids)}"
        result.note("the export holds no chat-room id: the group is keyed by its TalkerId "
                    f"({conversation}); the file name is its remark")
    else:
        conversation = conversation_of(owner, next(iter(others), f"talker-{min(talker_ids, default='')}"), False)
    for line, record, when in parsed:
        try:
            _row(record, when, conversation, is_room, result, owner)
        except CellError as exc:
            result.reject(line, "StrContent", str(exc), list(record.values()))


def _time(record: dict[str, str]) -> datetime:
    raw = clean(record.get("CreateTime"))
    if raw.isdigit() and int(raw) > 0:
        return datetime.fromtimestamp(int(raw), tz=UTC).astimezone(CHINA)
    return parse_local_time(record.get("StrTime") or raw)


def _row(record: dict[str, str], when: datetime, conversation: str, is_room: bool,
         result: SourceResult, owner: str) -> None:
    local_id = clean(record.get("localId"))
    if not local_id:
        raise CellError("no localId")
    msg_id = f"memotrace:{clean(record.get('TalkerId'))}:{local_id}"
    own = clean(record.get("IsSender")) == "1"
    sender = owner if own else (clean(record.get("Sender")) or conversation)
    code = int(clean(record.get("Type")) or 0)
    kind = TYPES.get(code, "other")
    if kind == "link":
        kind = SUBTYPES.get(int(clean(record.get("SubType")) or 0), "link")
    body = record.get("StrContent") or ""
    row: Row = {"id": msg_id, "time": when, "conversation": conversation, "sender": sender, "type": kind,
                "text": body, "attachment": None, "source_type": f"{code}:{clean(record.get('SubType'))}",
                "sender_name": clean(record.get("Remark")) or clean(record.get("NickName"))}
    if kind in ("transfer", "red_packet"):
        money = money_payload(parse_xml(body)) if body.lstrip().startswith("<") else None
        if money is not None:
            other = conversation.removeprefix("dm:").replace(owner, "").strip("|")
            add_money(result, money, owner=owner, conversation=conversation, message_id=msg_id, when=when,
                      payee="" if is_room else (other if own else owner))
            row["text"] = money.memo
        else:
            result.note("money messages without their XML carry no amount; join a WeChat Pay bill to get it")
    result.add("messages", row)
