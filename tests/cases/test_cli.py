"""`redline hold` and `redline retention apply` from the command line, on the sample store."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from redline.review.accounts import add_account
from redline.store.tables.holds import Hold


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "redline", *args], capture_output=True, text=True, timeout=180,
                          check=False, env={**os.environ, "PYTHONPATH": "src"})


def test_hold_then_retention_dry_run(case_store: tuple[Engine, int], tmp_path: Path) -> None:
    engine, _ = case_store
    add_account(engine, "inv1", "investigator", "a long enough password 1")
    add_account(engine, "ana1", "analyst", "a long enough password 2")
    url = str(engine.url)
    refused = _run("hold", "place", "group", "g-finance", "--reason", "群聊保全", "--as", "ana1", "--db", url)
    assert refused.returncode == 2
    placed = _run("hold", "place", "group", "g-finance", "--reason", "群聊保全", "--as", "inv1", "--db", url)
    assert placed.returncode == 0, placed.stderr
    listed = _run("hold", "list", "--db", url)
    assert "g-finance" in listed.stdout
    policy = tmp_path / "retention.yaml"
    policy.write_text("retention:\n  messages_without_finding_days: 0\n  payments_without_finding_days: null\n"
                      "  concluded_cases_days: null\n  dismissed_alerts_days: null\n", encoding="utf-8")
    dry = _run("retention", "apply", "--dry-run", "--policy", str(policy), "--db", url)
    assert dry.returncode == 0, dry.stderr
    # every message is older than 0 days: dm-02 would go, the 29 unnamed group messages are held
    assert dry.stdout.split() == ["messages_without_finding", "message", "would", "delete", "1", "kept", "under",
                                  "hold", "29", "(older", "than", "0", "days)"]
    bad = tmp_path / "bad.yaml"
    bad.write_text("retention:\n  messages_days: 3\n", encoding="utf-8")
    wrong = _run("retention", "apply", "--policy", str(bad), "--db", url)
    assert wrong.returncode == 2
    assert "unknown retention keys messages_days" in wrong.stderr
    with Session(engine) as session:
        hold_id = session.scalar(select(Hold.id))
    assert _run("hold", "lift", str(hold_id), "--reason", "x", "--as", "inv1", "--db", url).returncode == 2
    assert _run("hold", "lift", str(hold_id), "--reason", "保全结束", "--as", "inv1", "--db", url).returncode == 0
