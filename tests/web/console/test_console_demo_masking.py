"""The analyst's view of the demo county: after `redline demo` and `redline scan`, no page or
API response of the console holds a real name or a person id (units are shown by design)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from redline.review.accounts import ensure_demo_accounts
from redline.review.alerts import build_alerts
from redline.settings import Settings
from redline.store.db import make_engine
from redline.store.tables.org import Membership, Person
from redline.web.console.app import create_console_app

from fastapi.testclient import TestClient  # isort: skip

pytestmark = pytest.mark.slow


def _redline(*args: str) -> None:
    done = subprocess.run([sys.executable, "-m", "redline", *args], capture_output=True, text=True, timeout=600,
                          check=False)
    assert done.returncode == 0, done.stderr[-2000:]


def test_analyst_sees_no_name_of_the_demo_county(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    _redline("demo", "--db", url, "--out", str(tmp_path / "demo"), "--scale", "0.05")
    _redline("scan", "--db", url)
    engine = make_engine(url)
    assert build_alerts(engine) > 20
    passwords = {role: password for _, role, password in ensure_demo_accounts(engine)}
    with Session(engine) as session:
        people = session.execute(select(Person.person_id, Person.name, Person.unit)).all()
        display = set(session.scalars(select(Membership.display_name)))
    names = {n for _, n, _ in people if n and len(n) >= 2} | {d for d in display if d and len(d) >= 2}
    units = sorted({u for _, _, u in people if u}, key=len, reverse=True)
    client = TestClient(create_console_app(Settings(db_url=url), engine))
    assert client.post("/api/login", json={"username": "analyst", "password": passwords["analyst"]}).status_code == 200
    alerts, cursor = [], None
    while True:
        page = client.get("/api/alerts", params={"limit": 500, "status": "all", **({"cursor": cursor} if cursor else {})}).json()
        alerts += page["alerts"]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    paths = ["/alerts", "/alerts?status=all&limit=500", "/dashboard", "/cases"]
    paths += [f"/alerts/{a['id']}" for a in alerts] + [f"/api/alerts/{a['id']}" for a in alerts]
    bodies = {}
    for path in paths:
        reply = client.get(path)
        assert reply.status_code == 200, path
        body = reply.text
        for unit in units:  # unit names such as 城关街道王家村 may contain a 2-character name
            body = body.replace(unit, "")
        bodies[path] = body
    assert [(p, n) for p, b in bodies.items() for n in names if n in b] == []
    id_pattern = re.compile("|".join(rf"(?<![\w-]){re.escape(pid)}(?![\w-])" for pid, _, _ in people))
    assert [(p, m.group(0)) for p, b in bodies.items() for m in [id_pattern.search(b)] if m] == []
