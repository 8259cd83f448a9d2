"""An alert on a photographed classified document shows where the evidence is: the picture with
the OCR box outlined for investigators (audited), only the box on a blank page for analysts."""

from __future__ import annotations

import warnings
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from redline.attachments.specimens import FONT, like_a_phone, render_document
from redline.bundle import write_bundle
from redline.pipeline.screen import scan_store
from redline.review.accounts import ensure_demo_accounts
from redline.review.alerts import build_alerts
from redline.rules.build import build_plan
from redline.settings import Settings
from redline.store import load_bundle, migrate
from redline.store.tables.audit import AuditEntry
from redline.web.console.app import create_console_app

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

pytestmark = pytest.mark.skipif(not FONT.exists(), reason="fonts-wqy-microhei is not installed")


def test_photo_evidence_outlined(tmp_path: Path) -> None:
    files = tmp_path / "files"
    files.mkdir()
    like_a_phone(render_document(FONT, marking="机密★1年")).save(files / "notice.jpg", quality=85)
    when = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
    write_bundle(tmp_path / "bundle", {
        "people": [{"person_id": "p1", "name": "张三", "unit": "县委办", "post": "科员", "is_official": True}],
        "messages": [{"id": "m1", "time": when, "conversation": "g1", "sender": "p1", "type": "image", "text": "",
                      "attachment": {"name": "notice.jpg", "size": 1, "sha256": None, "path": "notice.jpg"}}],
    })
    url = f"sqlite:///{tmp_path / 'c.db'}"
    engine = migrate(url)
    load_bundle(engine, tmp_path / "bundle")
    scan_store(engine, build_plan("all").plan, files_root=files)
    build_alerts(engine)
    passwords = {role: pw for _, role, pw in ensure_demo_accounts(engine)}
    app = create_console_app(Settings(db_url=url), engine)

    def login(role: str) -> TestClient:
        client = TestClient(app)
        assert client.post("/api/login", json={"username": role, "password": passwords[role]}).status_code == 200
        return client

    investigator = login("investigator")
    page = investigator.get("/alerts/1")
    assert page.status_code == 200
    # eight findings (four packs × marking and 文号) on one photo: one picture, two boxes
    assert page.text.count('<figure class="attachment"') == 1
    assert page.text.count("<polygon") == 2
    assert '<dd class="sender">人员-' in page.text
    assert '<dd class="unit">县委办</dd>' in page.text
    assert "天津市委组织部" in page.text  # TJ-07's pack is named, not blank
    assert "县委办〔2026〕12号" in page.text
    assert "文件县委办" not in page.text
    href = page.text.split('<image href="', 1)[1].split('"', 1)[0]
    picture = investigator.get(href)
    assert picture.status_code == 200
    assert picture.headers["content-type"] == "image/jpeg"
    with Session(engine) as session:
        assert "evidence.file.view" in set(session.scalars(select(AuditEntry.action)))

    analyst = login("analyst")
    masked = analyst.get("/alerts/1")
    assert "<polygon" in masked.text
    assert "<image href" not in masked.text
    assert analyst.get(href).status_code == 403
