"""The console's flows through the in-process client: queue, alert, escalate, case, exports, i18n, packs, import."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import docx
import openpyxl

from redline.bundle import write_bundle
from redline.review.sample import REAL_SECRETS


def _alert_id(client: Any, subject_id: str) -> int:
    alerts = client.get("/api/alerts?status=all&limit=500").json()["alerts"]
    return next(a["id"] for a in alerts if a["subject_id"] == subject_id)


def test_queue_page_filters_sorts_and_pages(login: Callable[..., Any]) -> None:
    client, _ = login("analyst")
    page = client.get("/alerts").text
    assert "告警队列" in page  # Chinese first
    assert len(re.findall(r'class="alert-link"', page)) == 4  # the gift offer and its packets are one alert
    gifts = client.get("/alerts?category=gifts&unit=&date_from=&date_to=&sort=newest").text
    assert len(re.findall(r'class="alert-link"', gifts)) == 1
    one = client.get("/alerts?limit=2").text
    assert len(re.findall(r'class="alert-link"', one)) == 2
    next_url = re.search(r'href="([^"]+)" id="next-page"', one)
    assert next_url is not None
    second = client.get(next_url.group(1).replace("&amp;", "&")).text
    assert set(re.findall(r'/alerts/(\d+)"', one)).isdisjoint(re.findall(r'/alerts/(\d+)"', second))
    assert client.get("/alerts?date_from=yesterday").status_code == 400
    auditor, _ = login("auditor")
    assert "alerts.list" in auditor.get("/audit?actor=analyst").text  # looking at the queue is audited


def test_alert_detail_highlights_evidence_in_its_conversation(login: Callable[..., Any]) -> None:
    client, _ = login("analyst")
    alert_id = _alert_id(client, "pay-03")  # the packets, and the offer dm-01 that came with them
    page = client.get(f"/alerts/{alert_id}").text
    assert '<mark class="evidence">红包</mark>' in page
    detail = client.get(f"/api/alerts/{alert_id}").json()
    assert (detail["message_ids"], detail["payment_ids"]) == (["dm-01"], [f"pay-{i:02d}" for i in range(1, 6)])
    assert [r["rule_id"] for r in detail["rules"]] == ["TJ-06"]  # one rule, listed once
    messages = detail["evidence"]["messages"]
    assert [m["id"] for m in messages] == ["dm-01"]
    assert [p["text"] for p in messages[0]["parts"] if p["hit"]] == ["红包"]
    group = client.get(f"/api/alerts/{_alert_id(client, 'g1-15')}").json()["context"]["messages"]
    assert len(group) == 30  # g1-15 in a group of 30: 15 before and 14 after (±20 stops at the ends)
    payment = client.get(f"/api/alerts/{_alert_id(client, 'pay-03')}").json()["context"]
    assert payment["payment"]["amount_yuan"] == "200.00"
    assert len(payment["related"]) == 4


def test_decision_api_and_escalation_into_a_case(login: Callable[..., Any]) -> None:
    client, token = login("investigator")
    headers = {"X-CSRF-Token": token}
    dm, pay = _alert_id(client, "g1-15"), _alert_id(client, "pay-03")
    reply = client.post(f"/api/alerts/{dm}/decision", json={"action": "escalate", "reason": "礼金线索"}, headers=headers)
    assert reply.status_code == 200
    case_id = reply.json()["case_id"]
    assert reply.json()["alert"]["status"] == "escalated"
    form = client.post(f"/alerts/{pay}/decision", data={"action": "escalate", "case_id": str(case_id), "csrf_token": token},
                       follow_redirects=False)
    assert (form.status_code, form.headers["location"]) == (303, f"/cases/{case_id}")
    case = client.get(f"/api/cases/{case_id}").json()
    assert sorted(a["id"] for a in case["alerts"]) == sorted([dm, pay])
    assert case["graph"]["edges"][0]["yuan_in"] == 1000.0
    for step in ({"status": "investigating"}, {"status": "concluded", "outcome": "violation"}):
        assert client.post(f"/api/cases/{case_id}/status", json=step, headers=headers).status_code == 200
    assert client.post(f"/api/cases/{case_id}/status", json={"status": "investigating"}, headers=headers).status_code == 400
    page = client.get(f"/cases/{case_id}").text
    assert 'data-chart="graph"' in page
    assert "已办结" in page


def test_exports_are_pseudonymised_and_audited(login: Callable[..., Any]) -> None:
    client, token = login("investigator")
    dm = _alert_id(client, "pay-03")
    case_id = client.post(f"/api/alerts/{dm}/decision", json={"action": "escalate"},
                          headers={"X-CSRF-Token": token}).json()["case_id"]
    client.post(f"/api/cases/{case_id}/notes", json={"text": "与张伟谈话,电话13812345678"}, headers={"X-CSRF-Token": token})
    report = client.get(f"/cases/{case_id}/report.docx")
    assert report.status_code == 200
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(report.content)).paragraphs)
    tables = docx.Document(io.BytesIO(report.content)).tables
    cells = " ".join(c.text for t in tables for row in t.rows for c in row.cells)
    assert "问题线索处置报告" in text
    assert "红包" in cells
    assert [s for s in REAL_SECRETS if s in text + cells] == []
    sheet = client.get(f"/cases/{case_id}/evidence.xlsx")
    book = openpyxl.load_workbook(io.BytesIO(sheet.content))
    rows = list(book["证据 Evidence"].iter_rows(values_only=True))
    assert len(rows) == 3  # header + the offer's finding and the packets'
    assert {r[3] for r in rows[1:]} == {"TJ-06"}
    # and every payment and message the alert cites, in both exports
    assert len(list(book["支付 Payments"].iter_rows(values_only=True))) == 1 + 5
    assert len(list(book["消息 Messages"].iter_rows(values_only=True))) == 1 + 1
    auditor, _ = login("auditor")
    audit = auditor.get("/audit").text
    assert "case.export.docx" in audit
    assert "case.export.xlsx" in audit
    assert analyst_cannot_export(login, case_id)


def analyst_cannot_export(login: Callable[..., Any], case_id: int) -> bool:
    analyst, _ = login("analyst")
    return analyst.get(f"/cases/{case_id}/report.docx").status_code == 403


def test_language_switch(login: Callable[..., Any]) -> None:
    client, _ = login("analyst")
    assert "告警队列" in client.get("/alerts").text
    client.get("/lang/en?next=/alerts")
    english = client.get("/alerts").text
    assert "Alert queue" in english
    assert "告警队列" not in english
    assert client.get("/lang/zh_CN?next=//evil.example", follow_redirects=False).headers["location"] == "/alerts"


def test_audit_page_verifies_the_chain(login: Callable[..., Any]) -> None:
    client, _ = login("auditor")
    page = client.get("/audit?verify=1").text
    assert re.search(r'id="verify-result">审计链完整: \d+ 条已校验', page)
    assert client.get("/api/audit/verify").json()["ok"] is True


def test_pack_overrides_are_validated_before_saving(login: Callable[..., Any], console_app: Any) -> None:
    client, token = login("admin")
    assert "天津" in client.get("/packs").text
    path: Path = console_app.state.console.settings.overrides_path
    bad = client.post("/packs/overrides", data={"text": "rules:\n  TJ-06: {severity: enormous}\n", "csrf_token": token})
    assert bad.status_code == 400
    assert "severity" in bad.text
    assert path.read_text(encoding="utf-8") == "rules: {}\n"
    good = client.post("/packs/overrides", data={"text": "rules:\n  TJ-06: {severity: critical}\n", "csrf_token": token})
    assert good.status_code == 200
    assert "TJ-06: {severity: critical}" in path.read_text(encoding="utf-8")


def test_import_page_loads_a_bundle_and_shows_quarantine(login: Callable[..., Any], tmp_path: Path) -> None:
    client, token = login("admin")
    bundle = write_bundle(tmp_path / "b.zip", {
        "people": [{"person_id": "p-new", "name": "新人", "unit": "审计局", "post": "", "is_official": True,
                    "external": False, "start_date": date(2020, 1, 1), "end_date": None}],
    })
    reply = client.post("/import", data={"csrf_token": token},
                        files={"bundle": ("b.zip", bundle.read_bytes(), "application/zip")})
    assert reply.status_code == 200, reply.text[:500]
    assert re.search(r'id="import-summary">1 行已载入', reply.text)
    auditor, _ = login("auditor")
    assert ">import<" in auditor.get("/audit").text


def test_the_queue_works_for_keyboards_screen_readers_and_no_javascript(login: Callable[..., Any]) -> None:
    client, _ = login("analyst")
    page = client.get("/alerts?category=&sort=newest").text
    assert 'class="skip" href="#main"' in page
    assert 'id="main"' in page
    boxes = re.findall(r'<input type="checkbox" name="alert_ids"[^>]*>', page)
    assert boxes
    assert all("aria-label=" in b for b in boxes)
    assert not any("checked" in b for b in boxes)
    checked = re.findall(r'<input type="checkbox" name="alert_ids"[^>]*>', client.get("/alerts?sort=newest&check=all").text)
    assert checked
    assert all("checked" in b for b in checked)  # select all, no JavaScript
    # the language switch comes back to the same filtered page
    assert "next=/alerts%3Fcategory%3D%26sort%3Dnewest" in page
    assert page.index('id="bulk"') < page.index('id="queue"')  # the bulk bar above the list
    assert re.search(r"符合筛选条件的告警：\s*<b>4</b>", page)


def test_the_queue_groups_a_page_by_person(login: Callable[..., Any]) -> None:
    client, _ = login("analyst")
    page = client.get("/alerts?group=person").text
    heads = re.findall(r'<tr class="group-head"><th[^>]*>([^<]*)</th>', page)
    assert len(heads) == len(set(heads))  # each person once, their alerts under them
    assert len(heads) >= 2
    assert len(re.findall(r'class="alert-link"', page)) == 4
