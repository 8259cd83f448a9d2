"""WeChat Pay (微信支付账单明细) and Alipay (支付宝交易明细) bills → payments of the bill's owner.

A bill is one person's ledger: 收入 means the counterparty paid the owner, 支出 the reverse.
Neutral rows (提现, 理财, 中性交易) are kept with direction "neutral" so nothing is lost.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from pathlib import Path
from typing import Final

from redline.errors import InputError, SourceLocation
from redline.ingest.result import SourceResult
from redline.ingest.tabular import SheetRow, cell, column_index, csv_rows, find_header, xlsx_rows
from redline.ingest.values import CellError, is_empty, parse_fen, parse_local_time

WECHAT_HEADER: Final = ("交易时间", "交易类型", "交易对方", "收/支", "金额(元)", "当前状态", "交易单号")
ALIPAY_HEADER: Final = ("交易时间", "交易对方", "收/支", "金额", "交易状态", "交易订单号")


def _status(state: str, direction: str) -> str:
    if "退还" in state or "已退回" in state:
        return "returned"
    if "退款" in state:
        return "refunded"
    if "过期" in state or "关闭" in state:
        return "expired"
    return "received" if direction == "in" else "paid"


def _direction(flow: str) -> str:
    return {"收入": "in", "支出": "out"}.get(flow, "neutral")


def _kind(*labels: str) -> str:
    text = " ".join(labels)
    if "红包" in text and "转账红包" not in text:
        return "red_packet"
    if any(word in text for word in ("礼品卡", "购物卡", "礼券", "加油卡", "代金券")):
        return "gift_card"
    return "transfer"


def _ids(rows: list[SheetRow], columns: dict[str, int], id_column: str, prefix: str,
         result: SourceResult) -> dict[int, str]:
    """Stable payment ids: the order number plus a digest of the row.

    The digest keeps ids unique where an anonymised export repeats order numbers, and keeps
    them the same when an overlapping export of another period holds the same row.
    """
    counts = Counter(str(cell(r, columns, id_column)) for r in rows)
    seen: Counter[str] = Counter()
    ids: dict[int, str] = {}
    for row in rows:
        order = str(cell(row, columns, id_column))
        if counts[order] > 1 and order:
            result.note(f"order number {order!r} repeats in this bill (an anonymised export?)")
        digest = hashlib.sha256("\x1f".join(row.cells).encode()).hexdigest()[:12]
        seen[digest] += 1  # identical rows stay distinct, in file order
        digest += f"-{seen[digest]}" if seen[digest] > 1 else ""
        ids[row.line] = f"{prefix}:{order if order and not is_empty(order) else 'row'}:{digest}"
    return ids


def read_wechat_pay(path: Path, text: str | None, result: SourceResult, owner: str) -> None:
    """A WeChat Pay bill as CSV (¥/￥ amounts, preamble, TAB-suffixed ids) or .xlsx."""
    rows = xlsx_rows(path) if text is None else csv_rows(text)
    _read_bill(path, rows, result, owner, header=WECHAT_HEADER, amount="金额(元)", state="当前状态",
               order="交易单号", merchant_order="商户单号", category="交易类型", goods="商品",
               channel="wechat", prefix="wechatpay")


def read_alipay(path: Path, text: str, result: SourceResult, owner: str) -> None:
    """An Alipay bill (GBK; header on a late line with a trailing comma)."""
    _read_bill(path, csv_rows(text), result, owner, header=ALIPAY_HEADER, amount="金额", state="交易状态",
               order="交易订单号", merchant_order="商家订单号", category="交易分类", goods="商品说明",
               channel="alipay", prefix="alipay")


def _read_bill(path: Path, rows: list[SheetRow], result: SourceResult, owner: str, *,
               header: tuple[str, ...], amount: str, state: str, order: str, merchant_order: str,
               category: str, goods: str, channel: str, prefix: str) -> None:
    try:
        start = find_header(rows, header)
    except LookupError as exc:
        raise InputError(f"no header row with the columns {exc}", SourceLocation(path)) from exc
    columns = column_index(rows[start])
    data = [r for r in rows[start + 1:] if any(r.cells) and not r.cells[0].startswith("-")]
    ids = _ids(data, columns, order, prefix, result)
    for row in data:
        result.rows_read += 1
        try:
            when = parse_local_time(cell(row, columns, "交易时间", raw=True))
        except CellError as exc:
            result.reject(row.line, "交易时间", str(exc), row.raw)
            continue
        try:
            fen = parse_fen(cell(row, columns, amount, raw=True), allow_negative=False)
        except CellError as exc:
            result.reject(row.line, amount, str(exc), row.raw)
            continue
        direction = _direction(str(cell(row, columns, "收/支")))
        counterparty = str(cell(row, columns, "交易对方"))
        other = f"{channel}-name:{counterparty}" if not is_empty(counterparty) else f"unknown:{ids[row.line]}"
        payer, payee = (other, owner) if direction == "in" else (owner, other)
        label = str(cell(row, columns, category))
        result.add("payments", {
            "payment_id": ids[row.line], "time": when, "payer": payer, "payee": payee, "amount_fen": fen,
            "kind": _kind(label, str(cell(row, columns, goods))), "channel": channel, "conversation": "",
            "memo": " ".join(str(cell(row, columns, c)) for c in (goods, "备注") if not is_empty(cell(row, columns, c))),
            "status": _status(str(cell(row, columns, state)), direction), "packet_id": "",
            "direction": direction, "category": label,
            "merchant_order": "" if is_empty(cell(row, columns, merchant_order)) else str(cell(row, columns, merchant_order)),
            "counterparty_name": counterparty,
        })
