"""The evidence table of a case as an Excel workbook (openpyxl): one row per finding."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Font

from redline.reports.casefile import CaseFile

HEADER = ["告警 Alert", "发现 Finding", "时间 Time", "规则 Rule", "规则包 Pack", "类别 Category",
          "严重度 Severity", "对象 Subject", "对象编号 Subject id", "证据 Evidence", "说明 Reason", "状态 Status"]


def _cell(value: object) -> object:
    # text such as "=HYPERLINK(...)" from a chat must stay text, never become a formula
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def evidence_table(case: CaseFile) -> bytes:
    """The .xlsx bytes: sheets 证据 (findings), 消息 and 支付 (every message and payment the
    alerts cite), 时间线 (the person's messages and payments around them)."""
    book = Workbook()
    sheet = book.active
    sheet.title = "证据 Evidence"
    sheet.append(HEADER)
    for r in case.evidence:
        sheet.append([_cell(v) for v in (r.alert_id, r.finding_id, r.time, r.rule_id, r.pack, r.category,
                                         r.severity, r.subject, r.subject_id, r.evidence, r.reason, r.status)])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    said = book.create_sheet("消息 Messages")
    said.append(["时间 Time", "会话 Conversation", "发送人 Sender", "内容 Text"])
    for row in case.messages:
        said.append([_cell(v) for v in row])
    paid = book.create_sheet("支付 Payments")
    paid.append(["时间 Time", "付款人 Payer", "收款人 Payee", "金额 Yuan", "类型 Kind", "备注 Memo", "状态 Status"])
    for row in case.payments:
        paid.append([_cell(v) for v in row])
    times = book.create_sheet("时间线 Timeline")
    times.append(["时间 Time", "类型 Kind", "对方/会话 Counterparty", "金额 Yuan", "内容 Text"])
    for row in case.timeline:
        times.append([_cell(v) for v in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
