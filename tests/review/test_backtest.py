"""Backtests (试运行) on the demo county with decisions recorded through the console API.

Expected figures are worked out here from the findings and alerts tables, independently of
`review.backtest`: which subjects a rule raised, which alerts reviewers escalated or dismissed.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import warnings
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from redline.cli import main
from redline.review.accounts import ensure_demo_accounts
from redline.review.alerts import build_alerts
from redline.settings import Settings
from redline.store.db import make_engine
from redline.store.tables.findings import FindingRow
from redline.store.tables.messages import Message
from redline.store.tables.review import Alert, AlertFinding
from redline.web.console.app import create_console_app

with warnings.catch_warnings():
    # starlette's TestClient warns that it wants httpx2; the httpx we have works
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

pytestmark = pytest.mark.slow

OFF_RULE = "TJ-06"  # gifts: raised on messages and payments in the demo county
NEW_TERM = "食堂"  # canteen: a neutral word of the demo's small talk that no rule raises
TERM_LIST = "gambling"


def _redline(*args: str) -> None:
    done = subprocess.run([sys.executable, "-m", "redline", *args], capture_output=True, text=True, timeout=900,
                          check=False)
    assert done.returncode == 0, done.stderr[-2000:]


@pytest.fixture(scope="module")
def county(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Engine, dict[str, str]]]:
    """The demo county scanned, alerts built, and decisions on OFF_RULE's alerts via the API:
    every third one escalated, every other one dismissed; returns (url, engine, alert id → action)."""
    tmp = tmp_path_factory.mktemp("backtest")
    url = f"sqlite:///{tmp / 'demo.db'}"
    _redline("demo", "--db", url, "--out", str(tmp / "demo"), "--scale", "0.05")
    _redline("scan", "--db", url)
    engine = make_engine(url)
    assert build_alerts(engine) > 20
    passwords = {role: password for _, role, password in ensure_demo_accounts(engine)}
    client = TestClient(create_console_app(Settings(db_url=url), engine))
    reply = client.post("/api/login", json={"username": "investigator", "password": passwords["investigator"]})
    token = reply.json()["csrf_token"]
    with Session(engine) as session:
        ids = sorted(set(session.scalars(select(AlertFinding.alert_id).join(
            FindingRow, FindingRow.id == AlertFinding.finding_id).where(FindingRow.rule_id == OFF_RULE))))
    decided: dict[int, str] = {}
    for n, alert_id in enumerate(ids):
        if n % 3 == 2:
            continue  # left open
        body: dict[str, Any] = ({"action": "escalate", "reason": "核实 confirmed"} if n % 3 == 0
                                else {"action": "dismiss", "reason": "正常往来 ordinary exchange"})
        reply = client.post(f"/api/alerts/{alert_id}/decision", json=body, headers={"X-CSRF-Token": token})
        assert reply.status_code == 200, reply.text
        decided[alert_id] = body["action"]
    assert "escalate" in decided.values()
    assert "dismiss" in decided.values()
    yield url, engine, decided
    engine.dispose()


def _backtest(capsys: pytest.CaptureFixture[str], url: str, *extra: str) -> dict[str, Any]:
    capsys.readouterr()
    code = 0
    try:
        main(["packs", "backtest", "--db", url, "--json", *extra])
    except SystemExit as exc:
        code = int(exc.code or 0)
    assert code == 0
    return dict(json.loads(capsys.readouterr().out))


def _leads(engine: Engine) -> dict[tuple[str, str], set[str]]:
    """subject → the rules of its findings, straight from the table (no attachments in the demo)."""
    out: dict[tuple[str, str], set[str]] = defaultdict(set)
    with Session(engine) as session:
        for rid, kind, sid in session.execute(select(FindingRow.rule_id, FindingRow.subject, FindingRow.subject_id)):
            out[(kind, sid)].add(rid)
    return out


def _alerts(engine: Engine) -> dict[int, set[tuple[str, str, str]]]:
    """alert id → its leads (rule, subject kind, subject id)."""
    out: dict[int, set[tuple[str, str, str]]] = defaultdict(set)
    with Session(engine) as session:
        for aid, rid, kind, sid in session.execute(
                select(AlertFinding.alert_id, FindingRow.rule_id, FindingRow.subject, FindingRow.subject_id)
                .join(FindingRow, FindingRow.id == AlertFinding.finding_id)):
            out[aid].add((rid, kind, sid))
    return out


def _all_leads(engine: Engine) -> set[tuple[str, str, str]]:
    with Session(engine) as session:
        return set(session.execute(select(FindingRow.rule_id, FindingRow.subject, FindingRow.subject_id)).tuples())


def _fingerprint(engine: Engine) -> tuple[int, int, int]:
    with Session(engine) as session:
        return (len(list(session.scalars(select(FindingRow.id)))), len(list(session.scalars(select(Alert.id)))),
                len(list(session.scalars(select(Message.id)))))


def test_a_rule_switched_off(county: tuple[str, Engine, dict[int, str]], tmp_path: Path,
                             capsys: pytest.CaptureFixture[str]) -> None:
    url, engine, decided = county
    before = _fingerprint(engine)
    overrides = tmp_path / "off.yaml"
    overrides.write_text(f"rules:\n  {OFF_RULE}: {{enabled: false}}\n", encoding="utf-8")
    report = _backtest(capsys, url, "--overrides", str(overrides))
    alerts = _alerts(engine)
    # each lead of the rule with the decision on its alert (None: open, or in no alert)
    lead_alert = {lead: aid for aid, leads in alerts.items() for lead in leads}
    of_rule = [lead for lead in _all_leads(engine) if lead[0] == OFF_RULE]
    actions = [decided.get(lead_alert[lead]) if lead in lead_alert else None for lead in of_rule]
    only_rule = [aid for aid, leads in alerts.items() if {r for r, _, _ in leads} == {OFF_RULE}]
    row = report["by_rule"][OFF_RULE]
    assert row["removed"] == len(of_rule) > 0
    assert row["added"] == 0
    assert row["confirmed_lost"] == actions.count("escalate") > 0
    assert row["dismissed_saved"] == actions.count("dismiss") > 0
    escalated, dismissed = actions.count("escalate"), actions.count("dismiss")
    assert row["precision_before"] == pytest.approx(escalated / (escalated + dismissed), abs=1e-4)
    assert row["precision_after"] is None  # no leads left, so no evidence
    assert report["removed"] == len(only_rule)
    assert report["added"] == 0
    only_actions = [decided.get(aid) for aid in only_rule]
    assert report["confirmed_lost"] == only_actions.count("escalate")
    assert report["dismissed_saved"] == only_actions.count("dismiss")
    # every other rule keeps all its leads
    assert {rid for rid, r in report["by_rule"].items() if r["added"] or r["removed"]} == {OFF_RULE}
    assert _fingerprint(engine) == before  # nothing written


def test_a_no_op_change(county: tuple[str, Engine, dict[int, str]], tmp_path: Path,
                        capsys: pytest.CaptureFixture[str]) -> None:
    url, engine, _ = county
    overrides = tmp_path / "same.yaml"
    # the shipped severity, restated: a new file, the same plan
    overrides.write_text("rules: {}\n", encoding="utf-8")
    report = _backtest(capsys, url, "--overrides", str(overrides))
    assert (report["added"], report["removed"]) == (0, 0)
    assert report["unchanged"] == len(_alerts(engine)) > 0
    assert all(r["added"] == r["removed"] == 0 for r in report["by_rule"].values())
    assert report["reviewer_hours"] == 0


@pytest.mark.spark
@pytest.mark.skipif(shutil.which("java") is None, reason="no Java runtime for Spark")
def test_a_no_op_change_on_spark_matches_the_local_run(county: tuple[str, Engine, dict[int, str]], tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    """Spark's workers get each message's context: group-scoped rules raise what they raise locally."""
    url = county[0]
    overrides = tmp_path / "same.yaml"
    overrides.write_text("rules: {}\n", encoding="utf-8")
    report = _backtest(capsys, url, "--overrides", str(overrides), "--spark", "local[2]")
    assert (report["added"], report["removed"]) == (0, 0)
    assert {rule: (r["added"], r["removed"]) for rule, r in report["by_rule"].items() if r["added"] or r["removed"]} == {}


def test_a_new_term(county: tuple[str, Engine, dict[int, str]], tmp_path: Path,
                    capsys: pytest.CaptureFixture[str]) -> None:
    url, engine, _ = county
    with Session(engine) as session:
        holding = {mid for mid, text in session.execute(select(Message.id, Message.text)) if NEW_TERM in (text or "")}
    leads = _leads(engine)
    assert holding
    assert not any(("message", m) in leads for m in holding)
    overrides = tmp_path / "term.yaml"
    overrides.write_text(f"lexicons:\n  {TERM_LIST}: {{add: [{NEW_TERM}]}}\n", encoding="utf-8")
    report = _backtest(capsys, url, "--overrides", str(overrides))
    assert report["added"] == len(holding)
    assert set(report["added_alerts"]) == {f"message:{m}" for m in holding}
    assert report["removed"] == 0
    grown = {rid: r["added"] for rid, r in report["by_rule"].items() if r["added"]}
    assert grown
    assert all(n <= len(holding) for n in grown.values())
    assert max(grown.values()) == len(holding)
