"""Role tests: analysts never see a real name or a full ID/phone number; auditors change nothing."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from redline.review.accounts import Actor, Role
from redline.review.decisions import decide
from redline.review.sample import REAL_SECRETS
from redline.store.tables.review import Alert

PAGES = ["/alerts", "/alerts?status=all", "/cases", "/dashboard", "/packs", "/api/alerts?limit=100",
         "/api/alerts?status=all", "/api/cases", "/api/me"]


def _crawl(client: Any, engine: Engine) -> dict[str, str]:
    with Session(engine) as session:
        alert_ids = list(session.scalars(select(Alert.id)))
        case_ids = sorted({a.case_id for a in session.scalars(select(Alert)) if a.case_id})
    paths = PAGES + [f"/alerts/{i}" for i in alert_ids] + [f"/api/alerts/{i}" for i in alert_ids]
    paths += [f"/cases/{i}" for i in case_ids] + [f"/api/cases/{i}" for i in case_ids]
    bodies = {}
    for path in paths:
        reply = client.get(path)
        assert reply.status_code == 200, (path, reply.status_code, reply.text[:300])
        bodies[path] = reply.text
    return bodies


def test_analyst_never_sees_a_real_name_or_full_number(login: Callable[..., Any], console_db: Any) -> None:
    _, engine, _ = console_db
    # a case exists too, so that case pages are crawled
    with Session(engine) as session:
        ids = list(session.scalars(select(Alert.id).where(Alert.subject_id.in_(("dm-03", "pay-03")))))
    decide(engine, Actor("investigator", Role.INVESTIGATOR), ids, "escalate", reason="王建国送红包给张伟")
    client, _ = login("analyst")
    bodies = _crawl(client, engine)
    assert len(bodies) >= len(PAGES) + 10
    leaks = [(path, secret) for path, body in bodies.items() for secret in REAL_SECRETS if secret in body]
    assert leaks == []
    # and the person ids, which are often pinyin names, never leave the server either
    assert [p for p, b in bodies.items() if re.search(r"p-zhangwei|b-wanglaoban", b)] == []
    # the evidence is there, pseudonymised
    assert "人员-" in bodies["/api/alerts?limit=100"]
    assert "110105********002X" in bodies["/api/alerts?limit=100"]


def test_investigator_reveal_is_the_only_way_to_a_name(login: Callable[..., Any]) -> None:
    client, token = login("investigator")
    alerts = client.get("/api/alerts").json()["alerts"]
    pseudonym = next(a["person"] for a in alerts if a["subject_id"] == "pay-03")
    refused = client.post("/api/reveal", json={"pseudonym": pseudonym, "reason": "   "}, headers={"X-CSRF-Token": token})
    assert refused.status_code == 422
    reply = client.post("/api/reveal", json={"pseudonym": pseudonym, "reason": "核实王建国红包线索"},
                        headers={"X-CSRF-Token": token})
    assert (reply.status_code, reply.json()["name"]) == (200, "张伟")
    analyst, atoken = login("analyst")
    denied = analyst.post("/api/reveal", json={"pseudonym": pseudonym, "reason": "好奇看看"}, headers={"X-CSRF-Token": atoken})
    assert denied.status_code == 403
    auditor, _ = login("auditor")
    audit = auditor.get("/audit").text
    assert "identity.reveal" in audit
    assert "核实王建国红包线索" not in audit  # the auditor sees the reason, pseudonymised
    assert "access.denied" in audit


MUTATIONS = [
    ("post", "/api/alerts/1/decision", {"json": {"action": "dismiss", "reason": "x"}}),
    ("post", "/alerts/1/decision", {"data": {"action": "dismiss", "reason": "x"}}),
    ("post", "/alerts/bulk", {"data": {"action": "dismiss", "reason": "x", "alert_ids": ["1", "2"]}}),
    ("post", "/api/reveal", {"json": {"pseudonym": "人员-00000000", "reason": "checking"}}),
    ("post", "/packs/overrides", {"data": {"text": "rules: {}\n"}}),
    ("post", "/accounts", {"data": {"username": "eve", "role": "admin", "password": "long enough"}}),
    ("post", "/import", {"files": {"bundle": ("b.zip", b"PK", "application/zip")}}),
    ("get", "/cases/1/report.docx", {}),
]


@pytest.mark.parametrize(("method", "path", "kwargs"), MUTATIONS, ids=[m[1] for m in MUTATIONS])
def test_auditor_cannot_change_anything(login: Callable[..., Any], console_db: Any, method: str, path: str,
                                        kwargs: dict[str, Any]) -> None:
    _, engine, _ = console_db
    client, token = login("auditor")
    if "data" in kwargs:
        kwargs = {**kwargs, "data": {**kwargs["data"], "csrf_token": token}}
    elif "files" in kwargs:
        kwargs = {**kwargs, "data": {"csrf_token": token}}
    else:
        kwargs = {**kwargs, "headers": {"X-CSRF-Token": token}}
    before = _state(engine)
    reply = getattr(client, method)(path, **kwargs)
    assert reply.status_code == 403, reply.text[:300]
    assert _state(engine) == before


def _state(engine: Engine) -> list[tuple[Any, ...]]:
    with Session(engine) as session:
        return [(a.id, a.status, a.case_id, tuple(a.tags)) for a in session.scalars(select(Alert).order_by(Alert.id))]


def test_state_changes_need_the_csrf_token(login: Callable[..., Any]) -> None:
    client, token = login("analyst")
    body = {"action": "tag", "value": "t"}
    assert client.post("/api/alerts/1/decision", json=body).status_code == 403
    assert client.post("/api/alerts/1/decision", json=body, headers={"X-CSRF-Token": "forged"}).status_code == 403
    assert client.post("/alerts/1/decision", data={**body, "csrf_token": "forged"}).status_code == 403
    assert client.post("/api/alerts/1/decision", json=body, headers={"X-CSRF-Token": token}).status_code == 200


def test_no_session_no_data(console_app: Any) -> None:
    from fastapi.testclient import TestClient

    client = TestClient(console_app)
    assert client.get("/api/alerts").status_code == 401
    page = client.get("/alerts", follow_redirects=False)
    assert (page.status_code, page.headers["location"]) == (303, "/login?next=/alerts")


def test_login_is_throttled(console_app: Any, console_db: Any) -> None:
    from fastapi.testclient import TestClient

    client = TestClient(console_app)
    codes = [client.post("/api/login", json={"username": "analyst", "password": "wrong-password"}).status_code
             for _ in range(7)]
    assert codes == [400] * 5 + [403] * 2
    # even the right password waits out the window
    right = client.post("/api/login", json={"username": "analyst", "password": console_db[2]["analyst"]})
    assert right.status_code == 403


def test_successful_logins_do_not_count_toward_the_throttle(console_app: Any, console_db: Any) -> None:
    from fastapi.testclient import TestClient

    client = TestClient(console_app)
    right = {"username": "analyst", "password": console_db[2]["analyst"]}
    # a reviewer who logs in again and again (new tab, expired session) is never locked out
    assert [client.post("/api/login", json=right).status_code for _ in range(8)] == [200] * 8
    wrong = [client.post("/api/login", json={"username": "analyst", "password": "nope"}).status_code
             for _ in range(6)]
    assert wrong == [400] * 5 + [403]
