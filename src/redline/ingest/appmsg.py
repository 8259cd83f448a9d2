"""Personal WeChat money payloads: appmsg XML (2000 transfers, 2001 red packets), claim and
revoke notices. Used by the chat importers for the XML inside messages, and on its own for
payload files.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Final
from urllib.parse import parse_qs, urlsplit
from xml.etree.ElementTree import Element, ParseError

from defusedxml import ElementTree as SafeET

from redline.bundle.schema import CHINA
from redline.ingest.result import SourceResult
from redline.ingest.values import CellError, from_epoch, parse_fen

# wcpayinfo.paysubtype of a transfer message → payment status
TRANSFER_STATUS: Final = {"1": "paid", "3": "received", "4": "returned", "5": "expired", "7": "paid", "8": "received"}
_BARE_AMP = re.compile(r"&(?!#?\w+;)")
_CLAIM = re.compile(r"(?P<who>[^>\s][^<]*?)领取了你的<_wc_custom_link_[^>]*sendid=(?P<sendid>\d+)")
_SENDID_DATE = re.compile(r"^\d{10}(20\d{6})")


@dataclass(frozen=True, slots=True)
class MoneyPayload:
    """What a money message says: kind, ids, parties, amount (fen, None when not recorded)."""

    kind: str  # "transfer" | "red_packet"
    payment_key: str  # transferid or sendid
    payer: str
    payee: str
    amount_fen: int | None
    status: str
    memo: str
    time: datetime | None
    packet_count: int | None = None


def parse_xml(text: str) -> Element:
    """Parse a payload safely; published payloads often hold a raw '&' in URLs."""
    cleaned = text.strip().lstrip("\ufeff")
    try:
        root: Element = SafeET.fromstring(cleaned)
    except ParseError:
        try:
            root = SafeET.fromstring(_BARE_AMP.sub("&amp;", cleaned))
        except ParseError as exc:
            raise CellError(f"not well-formed XML: {exc}") from exc
    return root


def _field(root: Element, path: str) -> str:
    node = root.find(path)
    value = (node.text or "").strip() if node is not None else ""
    return "" if value == "(null)" else value


def money_payload(root: Element) -> MoneyPayload | None:
    """The money facts of an appmsg, or None when it is not a transfer or red packet."""
    kind = _field(root, "appmsg/type")
    if kind == "2000":
        transfer_id = _field(root, "appmsg/wcpayinfo/transferid") or _field(root, "appmsg/wcpayinfo/transcationid")
        if not transfer_id:
            raise CellError("a transfer without transferid")
        sub = _field(root, "appmsg/wcpayinfo/paysubtype")
        begin = _field(root, "appmsg/wcpayinfo/begintransfertime")
        return MoneyPayload(
            kind="transfer", payment_key=transfer_id,
            payer=_field(root, "appmsg/wcpayinfo/payer_username") or _field(root, "fromusername"),
            payee=_field(root, "appmsg/wcpayinfo/receiver_username"),
            amount_fen=parse_fen(_field(root, "appmsg/wcpayinfo/feedesc"), allow_negative=False),
            status=TRANSFER_STATUS.get(sub, "paid"), memo=_field(root, "appmsg/wcpayinfo/pay_memo"),
            time=from_epoch(begin) if begin and begin != "0" else None,
        )
    if kind == "2001":
        native = _field(root, "appmsg/wcpayinfo/nativeurl") or _field(root, "appmsg/url")
        query = parse_qs(urlsplit(native).query)
        send_id = (query.get("sendid") or [_field(root, "appmsg/wcpayinfo/paymsgid")])[0]
        if not send_id:
            raise CellError("a red packet without sendid")
        invalid = _field(root, "appmsg/wcpayinfo/invalidtime")
        # a packet expires 24 hours after it is sent; older payloads record neither
        when = from_epoch(invalid) - timedelta(days=1) if invalid and invalid != "0" else sendid_time(send_id)
        count = (query.get("total_num") or [""])[0]
        return MoneyPayload(
            kind="red_packet", payment_key=send_id,
            payer=(query.get("sendusername") or [""])[0] or _field(root, "fromusername"), payee="",
            amount_fen=None, status="paid",
            memo=_field(root, "appmsg/wcpayinfo/receivertitle"), time=when,
            packet_count=int(count) if count.isdigit() else None,
        )
    return None


def sendid_time(send_id: str) -> datetime | None:
    """Red-packet send ids embed the date (10000394 01 20170720 …): midnight of that day."""
    match = _SENDID_DATE.match(send_id)
    if not match:
        return None
    try:
        day = datetime.strptime(match.group(1), "%Y%m%d")  # noqa: DTZ007 - tz set below
    except ValueError:
        return None
    return day.replace(tzinfo=CHINA)


def claims(text: str) -> list[tuple[str, str]]:
    """(claimer display name, sendid) for every 'X领取了你的红包' notice in a system message."""
    return [(m.group("who").strip(), m.group("sendid")) for m in _CLAIM.finditer(text)]


def read_payload_file(path: Path, text: str, result: SourceResult, owner: str) -> None:
    """A file holding one payload (XML) or claim notices (one a line)."""
    if "领取了你的" in text:
        found = claims(text)
        result.rows_read += len(found)
        for index, (who, send_id) in enumerate(found, start=1):
            when = sendid_time(send_id)
            if when is None:
                result.reject(index, "sendid", "a claim notice with no time and no dated sendid", who)
                continue
            result.note("claim notices carry no time: the packet's send date (from its sendid) is used")
            result.add("payments", {
                "payment_id": f"wechat-packet:{send_id}:claim:{index}", "time": when, "payer": owner,
                "payee": f"name:{who}", "amount_fen": None, "kind": "red_packet", "channel": "wechat",
                "conversation": "", "memo": "", "status": "received", "packet_id": send_id,
            })
        return
    result.rows_read += 1
    try:
        root = parse_xml(text)
    except CellError as exc:
        result.reject(1, None, str(exc), text[:500])
        return
    if root.tag == "sysmsg":
        result.reject(1, "time", "a revoke notice carries no time of its own: import it with the chat "
                      "export that contains it", text[:500])
        return
    try:
        money = money_payload(root)
    except CellError as exc:
        result.reject(1, "wcpayinfo", str(exc), text[:500])
        return
    if money is None:
        result.reject(1, "appmsg/type", f"not a money message (type {_field(root, 'appmsg/type')!r})", text[:500])
        return
    if money.time is None:
        result.reject(1, "time", "the payload records no time", text[:500])
        return
    if money.kind == "red_packet":
        result.note("red-packet payloads record no amount; join a WeChat Pay bill to get it")
    add_money(result, money, owner=owner, conversation="", message_id=None)


def add_money(result: SourceResult, money: MoneyPayload, *, owner: str, conversation: str,
              message_id: str | None, when: datetime | None = None, payee: str = "") -> None:
    """One payment row from a money payload (id stable across send and receive notices)."""
    prefix = "wechat-transfer" if money.kind == "transfer" else "wechat-packet"
    result.add("payments", {
        "payment_id": f"{prefix}:{money.payment_key}", "time": when or money.time,
        "payer": money.payer or owner, "payee": money.payee or payee,
        "amount_fen": money.amount_fen, "kind": money.kind, "channel": "wechat",
        "conversation": conversation, "memo": money.memo, "status": money.status,
        "packet_id": money.payment_key if money.kind == "red_packet" else "",
        "message_id": message_id or "",
    })
