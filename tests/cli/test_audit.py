"""`redline audit verify` on a real store: intact, then tampered with by hand in the database."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from sqlalchemy import text

from redline.review import audit_log
from redline.store.db import migrate


def _verify(url: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "redline", "audit", "verify", "--db", url],
                          capture_output=True, text=True, timeout=120, check=False)


def test_verify_names_the_first_tampered_entry(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'audit.db'}"
    engine = migrate(url)
    for i in range(8):
        audit_log.record(engine, "ana", "analyst", "alert.view", f"alert:{i}")
    ok = _verify(url)
    assert (ok.returncode, ok.stdout.strip()) == (0, "audit chain intact: 8 entries")
    with engine.begin() as conn:  # someone edits a row in the database
        conn.execute(text("UPDATE audit_log SET target = 'alert:99' WHERE seq = 5"))
    broken = _verify(url)
    assert broken.returncode == 2
    assert "audit chain broken at entry 5" in broken.stderr
    assert "hash mismatch" in broken.stderr
