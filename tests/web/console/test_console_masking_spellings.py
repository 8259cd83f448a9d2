"""Issue 15.1, through the real console: numbers and names written in any spelling are masked
everywhere evidence is shown (queue, alert page, its ±20 context, the JSON API, the case page
and its .docx/.xlsx exports), for the analyst and the investigator alike.

The attack: a message posting an ID, a card or a mobile in spaced, dashed, full-width,
汉字-digit or mixed spelling, or a roster name spaced, as given name + title or in pinyin,
flagged by a privacy finding whose evidence is that very spelling.
"""

from __future__ import annotations

import html
import io
import json
import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import docx
import openpyxl
import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from redline.contracts import Finding
from redline.review.alerts import build_alerts
from redline.review.sample import T0
from redline.store.findings import save_findings
from redline.store.tables.messages import Message
from redline.store.tables.org import Person
from redline.text.tables import NUMERALS

# (as written in the message, the digits an analyst must never see in full)
NUMBERS = [
    ("6222 0212 3456 7890 128", "6222021234567890128"),  # a card in groups of four
    ("110105-19800307-1230", "110105198003071230"),  # an ID with dashes (checksum-valid)
    ("330106 19850512 2340", "330106198505122340"),  # 西湖区: a district python-stdnum does not know
    ("１３８１２３４５６７８", "13812345678"),  # full-width
    ("一三九八七六五四三二一", "13987654321"),  # 汉字 digits
    ("1３7-一二三四-5678", "13712345678"),  # mixed
    ("420106 800307 123", "420106800307123"),  # an old 15-digit ID
    ("11010519491231002Ｘ", "11010519491231002X"),  # full-width X
    ("110105194912310029", "110105194912310029"),  # checksum fails: masked all the same
]
NAMES = [("李 四 华", "李四华"), ("四华主任", "四华"), ("Li Sihua", "Li Sihua"), ("LI SIHUA", "LI SIHUA"),
         ("lisihua", "lisihua"), ("孙主任", "孙主任"), ("杨县长", "杨县长")]
_GAP = r"[^0-9a-z\u4e00-\u9fff]{0,3}"
# the test reads digits on its own (not through the code under test): 汉字 and full width
_FOLD = str.maketrans({**NUMERALS, **{chr(0xFF10 + d): str(d) for d in range(10)}, "Ｘ": "X"})


def _plant(engine: Engine) -> None:
    """The attack rows: one message and one privacy finding per spelling, inside the context
    of the sample's g1-15 (its ±20 messages) and as alerts of their own."""
    near = T0 + timedelta(minutes=150, seconds=1)
    rows, findings = [], []
    for i, (written, _) in enumerate(NUMBERS + NAMES):
        text = f"转发一下：{written}，别外传"
        rows.append(Message(id=f"leak-{i:02d}", time=near + timedelta(seconds=i), conversation="g-finance",
                            sender="p-lina", type="text", text=text))
        findings.append(Finding("ZJ-09", "privacy", "pii", "message", f"leak-{i:02d}", "medium",
                                f"群内发送了个人信息 {written}", f"personal data posted: {written}",
                                person_id="p-lina", label="pii", start=5, end=5 + len(written), evidence=written,
                                pack="zhejiang-2017"))
    with Session(engine) as session, session.begin():
        session.add(Person(person_id="p-lisihua", name="李四华", unit="财政局", post="科员", is_official=True,
                           external=False, extra={}))
        session.add_all(rows)
    save_findings(engine, findings)
    build_alerts(engine)


def _leaks(body: str) -> list[str]:
    """Every secret still readable in a page or document, in any spelling."""
    text = html.unescape(body)
    folded = text.translate(_FOLD).lower()
    found = [written for written, _ in NUMBERS if written in text]
    for _, digits in NUMBERS:
        pattern = _GAP.join(re.escape(c) for c in digits.lower())
        if re.search(rf"(?<![0-9]){pattern}(?![0-9])", folded):
            found.append(digits)
    found += [hidden for _, hidden in NAMES if hidden.lower() in text.lower()]
    return found


def _json(reply: Any) -> str:
    assert reply.status_code == 200, reply.text
    return json.dumps(reply.json(), ensure_ascii=False)


def _docx_text(content: bytes) -> str:
    document = docx.Document(io.BytesIO(content))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def _xlsx_text(content: bytes) -> str:
    book = openpyxl.load_workbook(io.BytesIO(content))
    return "\n".join(str(v) for sheet in book for row in sheet.iter_rows(values_only=True) for v in row if v)


@pytest.fixture
def planted(console_db: tuple[str, Engine, dict[str, str]]) -> Engine:
    engine = console_db[1]
    _plant(engine)
    return engine


def _leak_evidence(client: Any) -> dict[int, set[str]]:
    """Alert id → the planted attack messages among its evidence (one incident may hold several)."""
    alerts = client.get("/api/alerts?status=all&limit=500").json()["alerts"]
    out = {}
    for a in alerts:
        leaks = {m for m in client.get(f"/api/alerts/{a['id']}").json()["message_ids"] if m.startswith("leak-")}
        if leaks or a["rule_id"] == "ZJ-09":
            out[a["id"]] = leaks
    return out


def _leak_alerts(client: Any) -> list[int]:
    return sorted(_leak_evidence(client))


@pytest.mark.parametrize("role", ["analyst", "investigator"])
def test_queue_alert_pages_context_and_api_mask_every_spelling(planted: Engine, login: Callable[..., Any],
                                                               role: str) -> None:
    client, _ = login(role)
    evidence = _leak_evidence(client)
    ids = sorted(evidence)
    # the attack rows did become alerts (incidents: several rows of one sender may share one)
    assert len(set().union(*evidence.values())) >= len(NUMBERS) + len(NAMES)
    bodies = {"/alerts": client.get("/alerts?status=all&limit=500").text,
              "/api/alerts": _json(client.get("/api/alerts?status=all&limit=500"))}
    for alert_id in ids:
        page = client.get(f"/alerts/{alert_id}")
        assert page.status_code == 200
        bodies[f"/alerts/{alert_id}"] = page.text
        bodies[f"/api/alerts/{alert_id}"] = _json(client.get(f"/api/alerts/{alert_id}"))
    assert {path: _leaks(body) for path, body in bodies.items() if _leaks(body)} == {}
    # the evidence is still highlighted, masked: the analyst sees where, not what
    detail = client.get(f"/api/alerts/{ids[0]}").json()
    assert any(p["hit"] for m in detail["context"]["messages"] for p in m["parts"])


def test_case_page_and_exports_mask_every_spelling(planted: Engine, login: Callable[..., Any]) -> None:
    client, token = login("investigator")
    headers = {"X-CSRF-Token": token}
    ids = _leak_alerts(client)
    case_id = client.post(f"/api/alerts/{ids[0]}/decision", json={"action": "escalate", "reason": "个人信息泄露"},
                          headers=headers).json()["case_id"]
    for alert_id in ids[1:]:
        reply = client.post(f"/api/alerts/{alert_id}/decision",
                            json={"action": "escalate", "case_id": case_id}, headers=headers)
        assert reply.status_code == 200, reply.text
    note = "谈话记录：" + "；".join(w for w, _ in NUMBERS + NAMES)
    assert client.post(f"/api/cases/{case_id}/notes", json={"text": note}, headers=headers).status_code == 200
    report, sheet = client.get(f"/cases/{case_id}/report.docx"), client.get(f"/cases/{case_id}/evidence.xlsx")
    assert report.status_code == sheet.status_code == 200
    bodies = {
        "case page": client.get(f"/cases/{case_id}").text,
        "case api": _json(client.get(f"/api/cases/{case_id}")),
        "report.docx": _docx_text(report.content),
        "evidence.xlsx": _xlsx_text(sheet.content),
    }
    assert "个人信息" in bodies["evidence.xlsx"]  # the findings are in the export, masked
    assert {name: _leaks(body) for name, body in bodies.items() if _leaks(body)} == {}
