"""The alert page shows a model's lead with the version that raised it and its evidence n-grams."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from redline.review.alerts import build_alerts
from redline.rules.compile import compile_plan
from redline.rules.load import load_packs, shipped_pack_paths
from redline.scan.engine import scan_batch
from redline.store.findings import save_findings
from redline.store.tables.messages import Message

TEXT = "老王说这次支部选举只要投他，年底评优他保咱们一个名额"


def test_model_lead_shows_version_and_evidence_ngrams(
        login: Callable[..., Any], console_db: tuple[str, Engine, dict[str, str]]) -> None:
    _, engine, _ = console_db
    with Session(engine) as session, session.begin():
        session.add(Message(id="cm-1", time=datetime(2026, 3, 5, 1, tzinfo=UTC), conversation="g-finance",
                            sender="p-lina", type="text", text=TEXT, extra={}))
    packs = load_packs([p for p in shipped_pack_paths() if p.stem == "conduct-model"]).packs
    findings = scan_batch(compile_plan(packs), [TEXT], ids=["cm-1"])
    lead = next(f for f in findings if f.detector == "clf.conduct")
    save_findings(engine, findings)
    build_alerts(engine)
    client, _ = login("analyst")
    alerts = client.get("/api/alerts?status=all&limit=500").json()["alerts"]
    alert_id = next(a["id"] for a in alerts if a["subject_id"] == "cm-1")
    page = client.get(f"/alerts/{alert_id}").text
    version = lead.facts["model_version"]
    assert f'<span class="tag model-version">v{version}</span>' in page
    grams = re.findall(r"“([^”]+)”", lead.facts["why"].split("evidence n-grams ")[1])
    assert grams
    block = re.search(r'<span class="model-evidence">(.*?)</span></td>', page, re.S)
    assert block is not None
    for gram in grams:
        assert f'<mark class="evidence">{gram}</mark>' in block.group(1)
    assert "模型给出的线索" in page  # the reason says it is a model's lead
