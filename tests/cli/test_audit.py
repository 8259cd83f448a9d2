"""`redline audit verify` on a real store: intact, then tampered with by hand in the database."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session

from redline.review import audit_log
from redline.store.db import migrate
from redline.store.tables.audit import AuditEntry


def _verify(url: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "redline", "audit", "verify", "--db", url],
                          capture_output=True, text=True, timeout=120, check=False)


def test_verify_names_the_first_tampered_entry(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'audit.db'}"
    engine = migrate(url)
    for i in range(8):
        audit_log.record(engine, "ana", "analyst", "alert.view", f"alert:{i}")
    ok = _verify(url)
    assert ok.returncode == 0
    assert ok.stdout.startswith("audit chain intact: 8 entries (no --anchor")
    with engine.begin() as conn:  # someone edits a row in the database
        conn.execute(text("UPDATE audit_log SET target = 'alert:99' WHERE seq = 5"))
    broken = _verify(url)
    assert broken.returncode == 2
    assert "audit chain broken at entry 5" in broken.stderr
    assert "hash mismatch" in broken.stderr


# --- issue 15 item 5: an anchor outside the database notices truncation and a rebuilt chain ---

def _anchored(tmp_path: Path, n: int = 10) -> tuple[str, Path, Engine]:
    url = f"sqlite:///{tmp_path / 'audit.db'}"
    anchor = tmp_path / "anchor" / "audit.anchor"
    engine = migrate(url)
    audit_log.anchor_to(engine, anchor)
    for i in range(n):
        audit_log.record(engine, "ana", "analyst", "alert.view", f"alert:{i}")
    audit_log.anchor_to(engine, None)  # the attacker's session below writes no checkpoints
    return url, anchor, engine


def _verify_anchored(url: str, anchor: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "redline", "audit", "verify", "--db", url, "--anchor", str(anchor)],
                          capture_output=True, text=True, timeout=120, check=False)


@pytest.mark.parametrize(("where", "first"), [("seq = 10", 10), ("seq > 5", 6), ("1 = 1", 1)])
def test_truncation_is_reported_with_the_first_missing_entry(tmp_path: Path, where: str, first: int) -> None:
    url, anchor, engine = _anchored(tmp_path)
    ok = _verify_anchored(url, anchor)
    assert (ok.returncode, ok.stdout.strip()) == (0, "audit chain intact: 10 entries, all 10 anchored")
    with engine.begin() as conn:
        conn.execute(text(f"DELETE FROM audit_log WHERE {where}"))
    plain = _verify(url)
    assert plain.returncode == 0  # the chain alone cannot tell: what is left is consistent
    truncated = _verify_anchored(url, anchor)
    assert truncated.returncode == 2
    assert f"truncated: entry {first} " in truncated.stderr


def _rebuild_from(engine: Engine, seq: int) -> None:
    """What someone with write access can do: change an entry, then recompute every later link."""
    with Session(engine) as session, session.begin():
        entries = session.scalars(select(AuditEntry).order_by(AuditEntry.seq)).all()
        prev = audit_log.GENESIS
        for entry in entries:
            if entry.seq == seq:
                entry.target = "alert:rewritten"
            if entry.seq >= seq:
                entry.prev_hash = prev
                entry.hash = audit_log.entry_hash(prev, entry.seq, entry.at, entry.actor, entry.role, entry.action,
                                                  entry.target, entry.detail)
            prev = entry.hash


@pytest.mark.parametrize("seq", [1, 4, 10])
def test_a_rebuilt_chain_is_reported_at_the_rewritten_entry(tmp_path: Path, seq: int) -> None:
    url, anchor, engine = _anchored(tmp_path)
    _rebuild_from(engine, seq)
    assert _verify(url).returncode == 0  # a recomputed chain is consistent in itself
    rewritten = _verify_anchored(url, anchor)
    assert rewritten.returncode == 2
    assert f"rewritten: entry {seq} " in rewritten.stderr


def test_entries_written_without_the_anchor_are_counted_not_hidden(tmp_path: Path) -> None:
    url, anchor, engine = _anchored(tmp_path, 4)
    audit_log.record(engine, "cli", "admin", "account.add")  # a writer that was not given the anchor
    ok = _verify_anchored(url, anchor)
    assert ok.returncode == 0
    assert ok.stdout.strip() == "audit chain intact: 5 entries, 4 anchored (1 written by a process without the anchor)"


def test_a_missing_anchor_file_is_an_error(tmp_path: Path) -> None:
    url, anchor, _ = _anchored(tmp_path, 3)
    anchor.unlink()
    gone = _verify_anchored(url, anchor)
    assert gone.returncode == 2
    assert "anchor" in gone.stderr
