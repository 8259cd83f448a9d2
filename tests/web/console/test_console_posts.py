"""Public posts in the console: the demo county's Weibo rumour repost is an alert that shows the
official's own comment as evidence, the quoted original as context and the post's reach; the
repost of the official rebuttal raises no alert."""

from __future__ import annotations

import json
import os
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
from redline.store.tables.org import Person
from redline.web.console.app import create_console_app

from fastapi.testclient import TestClient  # isort: skip

pytestmark = pytest.mark.slow


REPO = Path(__file__).resolve().parents[3]


def _redline(*args: str, env: dict[str, str] | None = None) -> None:
    done = subprocess.run([sys.executable, "-m", "redline", *args], capture_output=True, text=True, timeout=600,
                          check=False, env={**os.environ, **(env or {})})
    assert done.returncode == 0, done.stderr[-2000:]


def test_weibo_repost_alert_shows_reach_and_the_quoted_original(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    _redline("demo", "--db", url, "--out", str(tmp_path / "demo"), "--scale", "0.03")
    # as `make demo` does: the demo county supplies its own (placeholder) political term list
    _redline("scan", "--db", url, env={"REDLINE_OVERRIDES": str(REPO / "demo" / "overrides.yaml")})
    engine = make_engine(url)
    build_alerts(engine)
    planted = json.loads((tmp_path / "demo" / "bundle" / "planted.json").read_text(encoding="utf-8"))
    case = planted["cases"]["weibo_rumour"]
    moments = planted["cases"]["moments_article"]
    near = planted["near_misses"]["weibo_rebuttal"]["message_ids"]
    with Session(engine) as session:
        name = session.scalar(select(Person.name).where(Person.person_id == case["person_id"]))
    passwords = {role: password for _, role, password in ensure_demo_accounts(engine)}
    client = TestClient(create_console_app(Settings(db_url=url), engine))
    assert client.post("/api/login", json={"username": "analyst", "password": passwords["analyst"]}).status_code == 200
    listed = client.get("/api/alerts", params={"limit": 500, "status": "all"}).json()["alerts"]
    # message id → (category → alert id), from the alerts' own evidence lists
    alerts: dict[str, dict[str, int]] = {}
    for row in listed:
        detail = client.get(f"/api/alerts/{row['id']}").json()
        for mid in detail["message_ids"]:
            alerts.setdefault(mid, {})[detail["category"]] = row["id"]
    assert [m for m in near if m in alerts] == []
    [post_id] = case["message_ids"]
    assert post_id in alerts  # one alert for the post, listing every rule it breaks
    page = client.get(f"/alerts/{next(iter(alerts[post_id].values()))}")
    assert page.status_code == 200
    body = page.text
    assert "TJ-09" in body  # the rumour rule, whatever category heads the alert
    assert "转发自" in body
    assert "转发 2300" in body
    assert "网传清河县下月要调整一批局长" in body  # the quoted rumour, as context
    # evidence inside the official's own words
    assert re.search(r'<mark class="evidence">[^<]*内部消息[^<]*</mark>', body)
    assert name
    assert name not in body
    [moments_post] = moments["message_ids"]
    assert moments_post in alerts  # seed case 3 in the 朋友圈, once the organisation lists its term
    article = client.get(f"/alerts/{next(iter(alerts[moments_post].values()))}").text
    assert moments["article"]["title"] in article
    assert "转发自" in article
