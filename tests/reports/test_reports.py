"""Case reports: the .docx and the .xlsx hold the case's evidence, pseudonymised, formulas defused."""

from __future__ import annotations

import io
from pathlib import Path

import docx
import openpyxl
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from redline.reports.casefile import gather
from redline.reports.docx import case_report
from redline.reports.xlsx import evidence_table
from redline.review.accounts import Actor, Role
from redline.review.cases import add_note, set_disposition
from redline.review.decisions import decide
from redline.review.identity import load_masker
from redline.review.sample import REAL_SECRETS, load_sample
from redline.store.db import migrate
from redline.store.tables.review import Alert

INV = Actor("inv", Role.INVESTIGATOR)


def _case(tmp_path: Path) -> tuple[Engine, int]:
    engine = migrate(f"sqlite:///{tmp_path / 'r.db'}")
    load_sample(engine)
    with Session(engine) as session:
        ids = list(session.scalars(select(Alert.id).where(Alert.subject_id.in_(("pay-03", "g1-15")))))
    case_id = decide(engine, INV, ids, "escalate", reason="张伟收受红包")
    assert case_id is not None
    set_disposition(engine, INV, case_id, "谈话函询")
    add_note(engine, INV, case_id, "=HYPERLINK(\"http://x\") 与张伟谈话")
    return engine, case_id


def test_docx_report_has_the_case_and_no_real_identity(tmp_path: Path) -> None:
    engine, case_id = _case(tmp_path)
    casefile = gather(engine, case_id, load_masker(engine, b"k"))
    document = docx.Document(io.BytesIO(case_report(casefile)))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    assert f"Case report #{case_id}" in text
    assert "谈话函询 (talk or written inquiry)" in text
    assert casefile.person in text
    assert "1,000.00" in cells  # the counterparty table: 5 packets of 200 yuan
    assert "110105********002X" in cells
    assert [s for s in REAL_SECRETS if s in text + cells] == []


def test_xlsx_evidence_table_one_row_per_finding(tmp_path: Path) -> None:
    engine, case_id = _case(tmp_path)
    casefile = gather(engine, case_id, load_masker(engine, b"k"))
    book = openpyxl.load_workbook(io.BytesIO(evidence_table(casefile)))
    rows = list(book["证据 Evidence"].iter_rows(values_only=True))
    assert len(rows) == 1 + 3
    assert sorted(r[3] for r in rows[1:]) == ["TJ-06", "TJ-06", "ZJ-09"]
    timeline = list(book["时间线 Timeline"].iter_rows(values_only=True))
    assert len(timeline) == 1 + len(casefile.timeline)
    values = [str(v) for row in book["证据 Evidence"].iter_rows(values_only=True) for v in row if v is not None]
    assert [s for s in REAL_SECRETS if any(s in v for v in values)] == []


def test_text_that_looks_like_a_formula_stays_text(tmp_path: Path) -> None:
    engine, case_id = _case(tmp_path)
    casefile = gather(engine, case_id, load_masker(engine, b"k"))
    # put formula-like evidence into the table and make sure no cell becomes a formula
    from dataclasses import replace

    poisoned = replace(casefile, evidence=[replace(casefile.evidence[0], evidence="=1+1", reason="@SUM(A1)")])
    book = openpyxl.load_workbook(io.BytesIO(evidence_table(poisoned)))
    row = next(book["证据 Evidence"].iter_rows(min_row=2, max_row=2))
    assert [c.data_type for c in row if c.value is not None and str(c.value).lstrip("'")[:1] in "=@"] == ["s", "s"]


def test_both_exports_hold_every_message_and_payment_the_alerts_cite(tmp_path: Path) -> None:
    engine, case_id = _case(tmp_path)
    casefile = gather(engine, case_id, load_masker(engine, b"k"))
    book = openpyxl.load_workbook(io.BytesIO(evidence_table(casefile)))
    paid = list(book["支付 Payments"].iter_rows(values_only=True))[1:]
    said = list(book["消息 Messages"].iter_rows(values_only=True))[1:]
    assert [r[3] for r in paid] == ["200.00"] * 5  # the five packets, oldest first
    assert [r[0] for r in paid] == sorted(r[0] for r in paid)
    assert len(said) == 2
    assert any("红包" in r[3] for r in said)
    document = docx.Document(io.BytesIO(case_report(casefile)))
    headings = [p.text for p in document.paragraphs]
    assert "涉及支付 Payments (5)" in headings
    assert "涉及消息 Messages (2)" in headings
    assert round(document.sections[0].page_width.mm) == 210  # A4
