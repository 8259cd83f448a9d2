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
    """The .xlsx bytes: sheet 证据 (findings), sheet 时间线 (messages and payments)."""
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
    times = book.create_sheet("时间线 Timeline")
    times.append(["时间 Time", "类型 Kind", "对方/会话 Counterparty", "金额 Yuan", "内容 Text"])
    for row in case.timeline:
        times.append([_cell(v) for v in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
