"""The case report as a Word document (python-docx): facts, evidence, timeline, notes."""

from __future__ import annotations

import io

from docx import Document
from docx.shared import Mm, Pt

from redline.reports.casefile import CaseFile

_STATUS_ZH = {"open": "待处理", "investigating": "核查中", "concluded": "已办结"}
_OUTCOME_ZH = {"violation": "存在违规", "no_violation": "未发现违规"}


def _table(document: object, header: list[str], rows: list[tuple[object, ...]]) -> None:
    table = document.add_table(rows=1, cols=len(header))  # type: ignore[attr-defined]
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = str(value)


def case_report(case: CaseFile) -> bytes:
    """The .docx bytes of the case report (Chinese headings, pseudonyms throughout)."""
    document = Document()
    style = document.styles["Normal"]
    style.font.size = Pt(10.5)
    style.font.name = "WenQuanYi Micro Hei"
    for section in document.sections:  # A4, as offices print (python-docx defaults to US Letter)
        section.page_width, section.page_height = Mm(210), Mm(297)
    document.add_heading(f"问题线索处置报告 / Case report #{case.case_id}", level=1)
    document.add_paragraph(f"标题 Title: {case.title}")
    document.add_paragraph(f"涉及人员 Person: {case.person or '—'}")
    document.add_paragraph(
        f"状态 Status: {_STATUS_ZH.get(case.status, case.status)} ({case.status})"
        + (f"; 结果 Outcome: {_OUTCOME_ZH.get(case.outcome, case.outcome)}" if case.outcome else "")
    )
    document.add_paragraph(
        f"处置方式 Disposition: {case.disposition or '未定'}"
        + (f" ({case.disposition_en})" if case.disposition_en else "")
    )
    document.add_paragraph(f"承办人 Owner: {case.owner}; 立项时间 Opened: {case.opened}")
    document.add_paragraph(
        "本报告所列为线索，不是结论；人员以化名显示，证件号和电话号码已遮盖。"
        " These are leads, not verdicts; people appear under pseudonyms, ID and phone numbers are masked."
    )
    document.add_heading("证据 Evidence", level=2)
    _table(document, ["告警 Alert", "时间 Time", "规则 Rule", "类别 Category", "严重度 Severity", "证据 Evidence", "说明 Reason"],
           [(r.alert_id, r.time, r.rule_id, r.category, r.severity, r.evidence, r.reason) for r in case.evidence])
    if case.messages:
        document.add_heading(f"涉及消息 Messages ({len(case.messages)})", level=2)
        _table(document, ["时间 Time", "会话 Conversation", "发送人 Sender", "内容 Text"], list(case.messages))
    if case.payments:
        document.add_heading(f"涉及支付 Payments ({len(case.payments)})", level=2)
        _table(document, ["时间 Time", "付款人 Payer", "收款人 Payee", "金额 Yuan", "类型 Kind", "备注 Memo", "状态 Status"],
               list(case.payments))
    if case.counterparties:
        document.add_heading("资金往来 Counterparties", level=2)
        _table(document, ["对方 Counterparty", "收入笔数 In", "收入金额 Yuan in", "支出笔数 Out", "支出金额 Yuan out"],
               [(p, ni, f"{fi / 100:,.2f}", no, f"{fo / 100:,.2f}") for p, ni, fi, no, fo in case.counterparties])
    if case.timeline:
        document.add_heading("时间线（最近 200 条） Timeline (latest 200)", level=2)
        _table(document, ["时间 Time", "类型 Kind", "对方/会话 Counterparty", "金额 Yuan", "内容 Text"],
               list(case.timeline[:200]))
    if case.notes:
        document.add_heading("备注 Notes", level=2)
        for when, author, text in case.notes:
            document.add_paragraph(f"{when} {author}: {text}")
    if case.decisions:
        document.add_heading("处理记录 Decisions", level=2)
        _table(document, ["时间 Time", "人员 Actor", "操作 Action", "内容 Value"], list(case.decisions))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
