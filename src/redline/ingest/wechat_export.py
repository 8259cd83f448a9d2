"""Personal WeChat chat exports as people have them: PyWxDump-style CSV and chatlog JSON/CSV."""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Final

from redline.errors import InputError, SourceLocation
from redline.ingest.appmsg import add_money, claims, money_payload, parse_xml
from redline.ingest.result import Row, SourceResult
from redline.ingest.values import CellError, clean, parse_fen, parse_local_time

PYWXDUMP_TYPES: Final = {
    "文本": "text", "引用回复": "text", "图片": "image", "动画表情": "image", "语音": "voice",
    "视频": "video", "文件": "file", "分享链接": "link", "卡片式链接": "link", "小程序": "link",
    "转账": "transfer", "红包": "red_packet", "系统通知": "system", "拍一拍": "system",
    "音视频通话": "system", "位置": "other", "名片": "other", "合并转发的聊天记录": "other",
}
# chatlog (sjzar/chatlog) message.type codes; 49 is an appmsg whose subType says more
CHATLOG_TYPES: Final = {1: "text", 3: "image", 34: "voice", 42: "other", 43: "video", 47: "image",
                        48: "other", 49: "link", 50: "system", 10000: "system", 10002: "revoke"}
CHATLOG_SUBTYPES: Final = {6: "file", 57: "text", 2000: "transfer", 2001: "red_packet", 19: "other"}
_CHATLOG_TRANSFER = re.compile(r"\[转账\|(?P<verb>[^\s\]]*)\s*[¥￥]?(?P<amount>[\d,]+(?:\.\d{1,2})?)\](?:\((?P<memo>[^)]*)\))?")
_REVOKE = re.compile(r"<revokemsg>(.*?)</revokemsg>", re.S)
_TRANSFER_VERBS: Final = {"发送": "paid", "接收": "received", "收款": "received", "退还": "returned", "退回": "returned"}


def conversation_of(owner: str, talker: str, is_room: bool) -> str:
    """A group id for chat rooms, dm:<a>|<b> for one-to-one chats."""
    if is_room:
        return talker
    a, b = sorted([owner, talker])
    return f"dm:{a}|{b}"


def read_pywxdump_csv(path: Path, text: str, result: SourceResult, owner: str) -> None:
    """id,MsgSvrID,type_name,is_sender,talker,room_name,msg,src,CreateTime."""
    reader = csv.DictReader(io.StringIO(text, newline=""))
    for record in records(reader, path):
        line = reader.line_num
        result.rows_read += 1
        if None in record or any(v is None for v in record.values()):
            result.reject(line, None, "wrong number of columns", list(record.values()))
            continue
        try:
            _pywxdump_row(record, line, result, owner)
        except CellError as exc:
            result.reject(line, "CreateTime" if "time" in str(exc) or "date" in str(exc) else None, str(exc),
                          list(record.values()))


def _pywxdump_row(record: dict[str, str], line: int, result: SourceResult, owner: str) -> None:
    msg_id = clean(record.get("MsgSvrID")) or clean(record.get("id"))
    if not msg_id:
        raise CellError("no MsgSvrID")
    room = clean(record.get("room_name"))
    talker = clean(record.get("talker"))
    is_room = room.endswith("@chatroom")
    sender = owner if clean(record.get("is_sender")) == "1" else (talker if is_room else room or talker)
    conversation = conversation_of(owner, room or talker, is_room)
    type_name = clean(record.get("type_name"))
    kind = PYWXDUMP_TYPES.get(type_name, "other")
    body = record.get("msg") or ""
    when = parse_local_time(record.get("CreateTime"))
    row: Row = {"id": msg_id, "time": when, "conversation": conversation, "sender": sender,
                "type": kind, "text": body, "attachment": None, "source_type": type_name}
    if kind == "other":
        row["raw"] = ",".join(record.values())
    if kind == "system" and (revoked := _REVOKE.search(body)):
        row["type"], row["text"] = "revoke", revoked.group(1)
    src = clean(record.get("src"))
    if src and kind in ("image", "voice", "video", "file"):
        row["attachment"] = {"name": src.replace("\\", "/").rsplit("/", 1)[-1], "size": None,
                             "sha256": None, "path": src}
    if kind in ("transfer", "red_packet") and body.lstrip().startswith("<"):
        money = money_payload(parse_xml(body))
        if money is not None:
            add_money(result, money, owner=owner, conversation=conversation, message_id=msg_id,
                      when=when, payee="" if is_room else (room if sender == owner else owner))
            row["text"] = money.memo
    elif kind == "system" and "领取了你的" in body:
        for index, (who, send_id) in enumerate(claims(body), start=1):
            result.add("payments", {
                "payment_id": f"wechat-packet:{send_id}:claim:{msg_id}:{index}", "time": when, "payer": owner,
                "payee": f"name:{who}", "amount_fen": None, "kind": "red_packet", "channel": "wechat",
                "conversation": conversation, "memo": "", "status": "received", "packet_id": send_id,
            })
    result.add("messages", row)


def read_chatlog_json(path: Path, data: Any, result: SourceResult, owner: str) -> None:
    """chatlog's webhook body {"messages": [...]} or the API's JSON array of messages."""
    messages = data.get("messages") if isinstance(data, dict) else data
    if not isinstance(messages, list):
        result.reject(None, "messages", "no list of messages", str(data)[:500])
        return
    for index, message in enumerate(messages):
        result.rows_read += 1
        if not isinstance(message, dict):
            result.reject(None, f"messages[{index}]", "not an object", message)
            continue
        try:
            _chatlog_message(message, result, owner)
        except CellError as exc:
            result.reject(None, f"messages[{index}]", str(exc), message)


def _chatlog_message(message: dict[str, Any], result: SourceResult, owner: str) -> None:
    talker = str(message.get("talker", ""))
    # the exporting account is `owner` whatever its wxid, so both sides of a chat meet in one dm
    sender = owner if message.get("isSelf") else (str(message.get("sender", "")) or talker)
    is_room = bool(message.get("isChatRoom")) or talker.endswith("@chatroom")
    conversation = conversation_of(owner, talker, is_room)
    kind = CHATLOG_TYPES.get(int(message.get("type") or 0), "other")
    if kind == "link":
        kind = CHATLOG_SUBTYPES.get(int(message.get("subType") or 0), "link")
    seq = message.get("seq")
    msg_id = f"chatlog:{talker}:{seq}" if seq is not None else _hash_id("chatlog", message)
    when = parse_local_time(message.get("time"))
    content = str(message.get("content", ""))
    result.add("messages", {"id": msg_id, "time": when, "conversation": conversation, "sender": sender,
                            "type": kind, "text": content, "attachment": None,
                            "source_type": f"{message.get('type')}:{message.get('subType', 0)}",
                            "sender_name": str(message.get("senderName", ""))})
    if kind == "transfer" and (match := _CHATLOG_TRANSFER.search(content)):
        payer, payee = (sender, owner if sender != owner else talker)
        result.add("payments", {
            "payment_id": f"chatlog-transfer:{msg_id}", "time": when, "payer": payer, "payee": payee,
            "amount_fen": parse_fen(match.group("amount"), allow_negative=False), "kind": "transfer",
            "channel": "wechat", "conversation": conversation, "memo": match.group("memo") or "",
            "status": _TRANSFER_VERBS.get(match.group("verb"), "paid"), "packet_id": "",
            "message_id": msg_id,
        })
    elif kind == "red_packet":
        result.add("payments", {
            "payment_id": f"chatlog-packet:{msg_id}", "time": when, "payer": sender,
            "payee": "" if is_room else (talker if sender != talker else owner), "amount_fen": None,
            "kind": "red_packet", "channel": "wechat", "conversation": conversation, "memo": "",
            "status": "paid", "packet_id": f"chatlog:{msg_id}", "message_id": msg_id,
        })
        result.note("chatlog shows red packets as [红包] without amount; join a WeChat Pay bill to get it")


def read_chatlog_csv(path: Path, text: str, result: SourceResult, owner: str) -> None:
    """chatlog ?format=csv: Time,SenderName,Sender,TalkerName,Talker,Content (local time)."""
    reader = csv.DictReader(io.StringIO(text, newline=""))
    for record in records(reader, path):
        result.rows_read += 1
        try:
            when = parse_local_time(record.get("Time"))
        except CellError as exc:
            result.reject(reader.line_num, "Time", str(exc), list(record.values()))
            continue
        talker = clean(record.get("Talker"))
        sender = clean(record.get("Sender"))
        is_room = talker.endswith("@chatroom")
        result.add("messages", {
            "id": _hash_id("chatlog-csv", record), "time": when,
            "conversation": conversation_of(owner, talker, is_room), "sender": sender, "type": "text",
            "text": record.get("Content") or "", "attachment": None, "source_type": "csv",
            "sender_name": clean(record.get("SenderName")),
        })


def records(reader: csv.DictReader[str], path: Path) -> Iterator[dict[str, str]]:
    """Rows of a CSV; a structurally broken CSV stops with the line where it broke."""
    try:
        yield from reader
    except csv.Error as exc:
        raise InputError(f"broken CSV: {exc}", SourceLocation(path, line=reader.line_num)) from exc


def _hash_id(prefix: str, record: Any) -> str:
    """A stable id for sources that give none, so a second import yields the same rows."""
    digest = hashlib.sha256(repr(sorted(record.items()) if isinstance(record, dict) else record).encode()).hexdigest()
    return f"{prefix}:{digest[:20]}"
