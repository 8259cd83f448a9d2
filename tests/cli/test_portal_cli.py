"""`redline officers add` creates the officer's key pair and their intake console account."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from redline.intake.officers import read_report
from redline.intake.reports import NewReport, follow_up, submit
from redline.review.accounts import authenticate
from redline.store.db import migrate


def test_officers_add_then_reports_are_sealed_to_them(tmp_path: Path) -> None:
    db_url = f"sqlite:///{tmp_path / 'p.db'}"
    run = subprocess.run([sys.executable, "-m", "redline", "officers", "add", "zhang", "--password-stdin", "--db", db_url],
                         input="a long passphrase 1\n", text=True, capture_output=True, check=False)
    assert run.returncode == 0, run.stderr
    engine = migrate(db_url)
    actor = authenticate(engine, "zhang", "a long passphrase 1")
    assert actor is not None
    assert actor.role == "intake"
    from datetime import date
    code = submit(engine, tmp_path, NewReport(text="某站长多次收受管理服务对象红包，数额较大", category="gifts"), date(2026, 11, 25))
    report_id = follow_up(engine, code).report_id
    assert read_report(engine, "zhang", "a long passphrase 1", report_id)[1][0].body["category"] == "gifts"
    again = subprocess.run([sys.executable, "-m", "redline", "officers", "add", "zhang", "--password-stdin", "--db", db_url],
                           input="a long passphrase 1\n", text=True, capture_output=True, check=False)
    assert again.returncode == 2
    assert "exists already" in again.stderr


@pytest.mark.parametrize(("option", "message"), [
    (["--workers", "65"], "bad number of workers"),
    (["--submit-limit", "lots"], "bad --submit-limit"),
    (["--pow-bits", "30"], "--pow-bits"),
], ids=["workers", "submit-limit", "pow-bits"])
def test_portal_refuses_bad_options_in_one_line(tmp_path: Path, option: list[str], message: str) -> None:
    run = subprocess.run([sys.executable, "-m", "redline", "portal", "--db", f"sqlite:///{tmp_path / 'p.db'}",
                          "--data", str(tmp_path / "data"), *option], capture_output=True, text=True, timeout=60,
                         check=False)
    assert run.returncode == 2
    assert message in run.stderr
    assert len(run.stderr.strip().splitlines()) == 1
