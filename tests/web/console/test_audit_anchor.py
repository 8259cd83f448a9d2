"""The console anchors its audit entries when started with an anchor file (issue 15 item 5):
deleting the newest entries it wrote shows in `audit verify` and in /api/audit/verify."""

from __future__ import annotations

import warnings
from pathlib import Path

from sqlalchemy import Engine, text

from redline.review import audit_log
from redline.settings import Settings
from redline.web.console.app import create_console_app

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient


def test_console_checkpoints_every_entry(console_db: tuple[str, Engine, dict[str, str]], tmp_path: Path) -> None:
    url, engine, passwords = console_db
    anchor = tmp_path / "anchor" / "audit.anchor"
    app = create_console_app(Settings(db_url=url, audit_anchor=anchor), engine)
    auditor = TestClient(app)
    assert auditor.post("/api/login", json={"username": "auditor", "password": passwords["auditor"]}).status_code == 200
    analyst = TestClient(app)
    assert analyst.post("/api/login", json={"username": "analyst", "password": passwords["analyst"]}).status_code == 200
    assert analyst.get("/alerts/1").status_code == 200  # a view: audited
    assert auditor.get("/api/audit/verify").json()["ok"] is True
    assert audit_log.verify(engine, anchor).ok
    with engine.begin() as conn:  # someone hides the analyst's view
        conn.execute(text("DELETE FROM audit_log WHERE seq = (SELECT max(seq) FROM audit_log)"))
    hidden = auditor.get("/api/audit/verify").json()
    assert hidden["ok"] is False
    assert hidden["problem"].startswith("truncated")
