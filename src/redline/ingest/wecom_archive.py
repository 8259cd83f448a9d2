"""WeCom 会话内容存档 (message archive) dumps and the group-chat API responses → bundle rows.

The archive itself is decrypted by the customer with the Finance SDK; Redline reads the
decrypted JSON Lines (one message object a line) and never decrypts anything.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Final

import orjson

from redline.errors import InputError, SourceLocation
from redline.ingest.result import Row, SourceResult
from redline.ingest.values import CellError, from_epoch

# archive msgtype → canonical message type; every one of the 31 documented types is kept
TYPE_MAP: Final[dict[str, str]] = {
    "text": "text", "markdown": "text", "mixed": "text",
    "image": "image", "emotion": "image",
    "voice": "voice", "meeting_voice_call": "voice",
    "video": "video",
    "file": "file", "voip_doc_share": "file", "qydiskfile": "file",
    "link": "link", "weapp": "link", "news": "link", "docmsg": "link", "sphfeed": "link",
    "redpacket": "red_packet", "external_redpacket": "red_packet",
    "revoke": "revoke",
    "agree": "system", "disagree": "system", "switch": "system", "voiptext": "system",
    "meeting": "system",
    "card": "other", "location": "other", "chatrecord": "other", "todo": "other",
    "vote": "other", "collect": "other", "calendar": "other",
}
# types whose body is not under the key named like the type
_BODY_KEYS: Final = {"docmsg": "doc", "external_redpacket": "redpacket"}
_ATTACHMENT_TYPES: Final = {"image", "emotion", "voice", "video", "file", "voip_doc_share",
                            "meeting_voice_call", "qydiskfile"}


def is_external(user_id: str) -> bool:
    """WeCom external contacts' ids start with wm/wo (WeChat users, other corps)."""
    return user_id.startswith(("wm", "wo"))


def read_archive(path: Path, result: SourceResult, encoding: str = "utf-8") -> None:
    """Decrypted archive messages, one JSON object a line, in `encoding` (what `detect.decode` found)."""
    seen_people: set[str] = set()
    # an archive saved on Chinese Windows is GBK (read as its superset GB18030); anything else as UTF-8
    codec = "gb18030" if encoding == "gb18030" else "utf-8"
    with path.open("rb") as handle:
        for line_no, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            result.rows_read += 1
            try:
                line = raw.decode(codec)
            except UnicodeDecodeError as exc:
                result.reject(line_no, None, f"not {codec.upper()} text (byte {exc.start + 1} of the line): the file's "
                              "encoding is wrong or mixed; re-export it as UTF-8 (or GBK/GB18030 throughout)",
                              raw.decode(codec, "replace"))
                continue
            try:
                record = orjson.loads(line)
            except orjson.JSONDecodeError as exc:
                result.reject(line_no, None, f"not JSON: {exc}", raw.decode("utf-8", "replace"))
                continue
            if not isinstance(record, dict):
                result.reject(line_no, None, "a line is not a JSON object", raw.decode("utf-8", "replace"))
                continue
            try:
                _message(record, result, seen_people)
            except CellError as exc:
                result.reject(line_no, "msgtime", str(exc), raw.decode("utf-8", "replace"))


def _message(record: dict[str, Any], result: SourceResult, seen: set[str]) -> None:
    msg_id = str(record.get("msgid") or "")
    if not msg_id:
        raise CellError("no msgid")
    if record.get("action") == "switch":
        # 切换企业日志: a user switched corporation; no msgtype, from, tolist or msgtime
        user = str(record.get("user", ""))
        result.add("messages", {
            "id": msg_id, "time": from_epoch(record.get("time"), millis=True),
            "conversation": f"switch:{user}", "sender": user, "type": "system",
            "text": "切换企业", "attachment": None, "source_type": "switch", "raw": _dump(record),
        })
        _person(user, result, seen)
        return
    source_type = str(record.get("msgtype") or "")
    body = record.get(_BODY_KEYS.get(source_type, source_type)) or record.get("info") or {}
    sender = str(record.get("from") or "")
    to_list = [str(t) for t in record.get("tolist") or []]
    room = str(record.get("roomid") or "")
    conversation = room or _dm(sender, to_list)
    when = from_epoch(record.get("msgtime"), millis=True)
    kind = TYPE_MAP.get(source_type, "other")
    if source_type not in TYPE_MAP:
        result.note(f"unknown message type {source_type!r} kept as 'other' with its raw JSON")
    row: Row = {
        "id": msg_id, "time": when, "conversation": conversation, "sender": sender,
        "type": kind, "text": _text(source_type, body), "attachment": _attachment(source_type, msg_id, body),
        "source_type": source_type, "raw": _dump(record) if kind == "other" else "",
    }
    if source_type == "revoke":
        row["revoked_id"] = str(body.get("pre_msgid", ""))
    result.add("messages", row)
    for person in [sender, *to_list]:
        _person(person, result, seen)
    if room:
        result.add("groups", {"group_id": room, "name": "", "type": "other", "owner_id": None,
                              "registered": None, "classification": "", "daily_report": None})
    if kind == "red_packet":
        _packet(record, body, sender, to_list, room, conversation, when, result)


def _packet(record: dict[str, Any], body: dict[str, Any], sender: str, to_list: list[str],
            room: str, conversation: str, when: Any, result: SourceResult) -> None:
    """The archive holds the packet sent (totalamount in fen), never who claimed it."""
    amount = body.get("totalamount")
    result.add("payments", {
        "payment_id": f"wecom:{record['msgid']}", "time": when, "payer": sender,
        "payee": "" if room else (to_list[0] if to_list else ""),
        "amount_fen": int(amount) if isinstance(amount, int) else None,
        "kind": "red_packet", "channel": "wecom", "conversation": conversation,
        "memo": str(body.get("wish", "")), "status": "paid", "packet_id": str(record["msgid"]),
        "packet_count": str(body.get("totalcnt", "")),
    })
    result.note("WeCom archive red packets carry the total sent; claims are not in the archive")


def _dm(sender: str, to_list: list[str]) -> str:
    other = to_list[0] if to_list else ""
    a, b = sorted([sender, other])
    return f"dm:{a}|{b}"


def _person(person_id: str, result: SourceResult, seen: set[str]) -> None:
    if not person_id or person_id in seen:
        return
    seen.add(person_id)
    result.add("people", {"person_id": person_id, "name": "", "unit": "", "post": "",
                          "is_official": None, "external": is_external(person_id),
                          "start_date": None, "end_date": None})


def _text(source_type: str, body: Any) -> str:
    """The readable words of a message, whatever its type, for screening."""
    if not isinstance(body, dict):
        return ""
    pick = {
        "text": ("content",), "markdown": ("content",), "link": ("title", "description", "link_url"),
        "weapp": ("title", "description", "displayname"), "file": ("filename",),
        "voip_doc_share": ("filename",), "qydiskfile": ("filename",), "docmsg": ("title", "link_url"),
        "todo": ("title", "content"), "vote": ("votetitle",), "collect": ("title",),
        "calendar": ("title", "place", "remarks"), "meeting": ("topic",),
        "location": ("title", "address"), "card": ("corpname",), "sphfeed": ("sph_name", "feed_desc"),
        "redpacket": ("wish",), "external_redpacket": ("wish",),
    }.get(source_type, ())
    parts = [str(body[k]) for k in pick if body.get(k)]
    if source_type == "vote":
        parts += [str(i) for i in body.get("voteitem") or []]
    if source_type == "collect":
        parts += [str(d.get("ques", "")) for d in body.get("details") or [] if isinstance(d, dict)]
    if source_type == "news":
        for item in body.get("item") or []:
            if isinstance(item, dict):
                parts += [str(item.get(k, "")) for k in ("title", "description") if item.get(k)]
    if source_type in ("chatrecord", "mixed"):
        parts += list(_inner_texts(body.get("item") or []))
    return "\n".join(p for p in parts if p)


def _inner_texts(items: Iterable[Any]) -> Iterable[str]:
    """Nested items of chat records and mixed messages hold JSON strings of their own."""
    for item in items:
        if not isinstance(item, dict) or "text" not in str(item.get("type", "")).lower():
            continue
        content = item.get("content", "")
        try:
            inner = json.loads(content) if isinstance(content, str) else content
        except json.JSONDecodeError:
            inner = {"content": content}
        if isinstance(inner, dict) and inner.get("content"):
            yield str(inner["content"]).strip()


def _attachment(source_type: str, msg_id: str, body: Any) -> dict[str, Any] | None:
    if source_type not in _ATTACHMENT_TYPES or not isinstance(body, dict):
        return None
    ext = body.get("fileext") or {"image": "jpg", "voice": "amr", "video": "mp4", "emotion": "gif"}.get(source_type, "bin")
    size = body.get("filesize", body.get("voice_size", body.get("imagesize")))
    return {"name": body.get("filename") or f"{msg_id}.{ext}", "size": size if isinstance(size, int) else None,
            "sha256": None, "path": None, "md5": body.get("md5sum"), "sdkfileid": body.get("sdkfileid")}


def _dump(record: Any) -> str:
    return orjson.dumps(record).decode()


def read_api_response(path: Path, data: dict[str, Any], result: SourceResult) -> None:
    """Group-chat and contact API responses saved as JSON files."""
    result.rows_read += 1
    if data.get("errcode", 0) not in (0, None):
        raise InputError(f"the API answered errcode {data.get('errcode')}: {data.get('errmsg')}",
                         SourceLocation(path, field="errcode"))
    if "chatdata" in data:
        raise InputError("an encrypted GetChatData envelope: decrypt it with the WeCom Finance SDK and "
                         "your private key first (Redline never decrypts archives)", SourceLocation(path))
    if "group_chat" in data:
        _customer_group(data["group_chat"], result)
    elif "external_contact" in data:
        _external_contact(data["external_contact"], result)
    elif "msg_list" in data:
        _datazone_messages(data["msg_list"], result)
    elif "members" in data:
        _room(path, data, result)
    else:
        raise InputError("not a WeCom archive API response this importer knows", SourceLocation(path))


def _room(path: Path, data: dict[str, Any], result: SourceResult) -> None:
    """msgaudit/groupchat/get (internal groups) or the newer 数据与智能专区 group chat."""
    room = str(data.get("roomid") or (path.stem if path.stem.startswith("wr") else ""))
    name = str(data.get("roomname", ""))
    if not room:
        room = f"wecom-room:{name or data.get('creator', '')}:{data.get('room_create_time', '')}"
        result.note(f"the response names no roomid; saved as group {room!r}. Save responses as "
                    "<roomid>.json to link a group to its messages")
    creator = str(data.get("creator", ""))
    result.add("groups", {"group_id": room, "name": name, "type": "other", "owner_id": creator or None,
                          "registered": None, "classification": "", "daily_report": None})
    seen: set[str] = set()
    for member in data.get("members") or []:
        member_id = str(member.get("memberid", ""))
        if not member_id:
            result.reject(None, "members[].memberid", "a member without an id", member)
            continue
        joined = from_epoch(member["jointime"]).date() if member.get("jointime") else None
        result.add("memberships", {"group_id": room, "person_id": member_id, "display_name": "",
                                   "joined": joined, "left": None})
        external = member.get("type") == 2 or is_external(member_id)
        if member_id not in seen:
            seen.add(member_id)
            result.add("people", {"person_id": member_id, "name": "", "unit": "", "post": "",
                                  "is_official": None, "external": external,
                                  "start_date": None, "end_date": None})


def _customer_group(chat: dict[str, Any], result: SourceResult) -> None:
    """externalcontact/groupchat/get: a customer group with internal (1) and external (2) members."""
    room = str(chat.get("chat_id", ""))
    if not room:
        raise CellError("group_chat has no chat_id")
    result.add("groups", {"group_id": room, "name": str(chat.get("name", "")), "type": "liaison",
                          "owner_id": chat.get("owner") or None, "registered": None,
                          "classification": "", "daily_report": None})
    for member in chat.get("member_list") or []:
        member_id = str(member.get("userid", ""))
        if not member_id:
            result.reject(None, "member_list[].userid", "a member without an id", member)
            continue
        joined = from_epoch(member["join_time"]).date() if member.get("join_time") else None
        result.add("memberships", {"group_id": room, "person_id": member_id,
                                   "display_name": str(member.get("group_nickname", "")),
                                   "joined": joined, "left": None})
        result.add("people", {"person_id": member_id, "name": str(member.get("name", "")), "unit": "",
                              "post": "", "is_official": None,
                              "external": member.get("type") == 2 or is_external(member_id),
                              "start_date": None, "end_date": None})


def _external_contact(contact: dict[str, Any], result: SourceResult) -> None:
    person = str(contact.get("external_userid", ""))
    if not person:
        raise CellError("external_contact has no external_userid")
    result.add("people", {"person_id": person, "name": str(contact.get("name", "")),
                          "unit": str(contact.get("corp_full_name") or contact.get("corp_name") or ""),
                          "post": str(contact.get("position", "")), "is_official": False,
                          "external": True, "start_date": None, "end_date": None})


def _datazone_messages(messages: list[Any], result: SourceResult) -> None:
    """数据与智能专区 sync_msg: contents stay encrypted in the zone; metadata only."""
    result.note("数据与智能专区 sync_msg: message contents are encrypted inside the zone; "
                "only sender, receivers and time were imported (type 'other')")
    for item in messages:
        if not isinstance(item, dict) or not item.get("msgid"):
            result.reject(None, "msg_list[]", "a message without msgid", item)
            continue
        sender = str((item.get("sender") or {}).get("id", ""))
        receivers = [str(r.get("id", "")) for r in item.get("receiver_list") or [] if isinstance(r, dict)]
        try:
            when = from_epoch(item.get("send_time"))
        except CellError as exc:
            result.reject(None, "send_time", str(exc), item)
            continue
        result.add("messages", {
            "id": str(item["msgid"]), "time": when,
            "conversation": str(item.get("chatid") or _dm(sender, receivers)), "sender": sender,
            "type": "other", "text": "", "attachment": None,
            "source_type": f"datazone:{item.get('msgtype')}", "raw": _dump(item),
        })
