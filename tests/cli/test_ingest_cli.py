"""`redline ingest` end to end: summary, report file, and a clear error for a bad source."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

SAMPLES = Path(__file__).resolve().parents[2].parent / "shared" / "samples"
pytestmark = pytest.mark.skipif(not SAMPLES.is_dir(), reason="sample exports not found")


def _redline(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "redline", *args], capture_output=True, text=True, check=False)


def test_ingest_writes_bundle_and_report(tmp_path: Path) -> None:
    out = tmp_path / "bundle"
    run = _redline("ingest", str(SAMPLES / "bank-statement-csv"), str(SAMPLES / "alipay-bill"), "--out", str(out),
                   "--owner", "P001")
    assert run.returncode == 0, run.stderr
    assert "payments 106" in run.stdout
    report = json.loads((out / "import_report.json").read_text(encoding="utf-8"))
    assert report["written"] == {"payments": 106}
    assert report["quarantined"] == 0
    assert (out / "quarantine.jsonl").read_text() == ""


def test_ingest_names_the_unreadable_file_and_still_writes_the_rest(tmp_path: Path) -> None:
    run = _redline("ingest", str(SAMPLES / "wecom-msgaudit"), "--out", str(tmp_path / "b"))
    assert run.returncode == 2
    assert "getchatdata_response.reconstructed.json: an encrypted GetChatData envelope" in run.stderr
    assert "Traceback" not in run.stderr
    assert (tmp_path / "b" / "messages.jsonl").read_text(encoding="utf-8").count("\n") == 31


def test_ingest_of_a_missing_path_is_one_line(tmp_path: Path) -> None:
    run = _redline("ingest", str(tmp_path / "nope.csv"), "--out", str(tmp_path / "b"))
    assert run.returncode == 2
    assert run.stderr.strip().count("\n") == 0
    assert "no such file or folder" in run.stderr
