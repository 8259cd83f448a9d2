from __future__ import annotations

import threading

from sqlalchemy import Engine, text

from redline.review import audit_log


def _fill(engine: Engine, n: int) -> None:
    for i in range(n):
        audit_log.record(engine, f"user{i % 3}", "analyst", "alert.view", f"alert:{i}", {"i": i, "名": "张"})


def test_chain_of_appended_entries_verifies(store: Engine) -> None:
    _fill(store, 12)
    result = audit_log.verify(store)
    assert (result.ok, result.checked, result.broken_seq) == (True, 12, None)


def test_editing_an_entry_breaks_the_chain_at_that_entry(store: Engine) -> None:
    _fill(store, 10)
    with store.begin() as conn:
        conn.execute(text("UPDATE audit_log SET actor = 'mallory' WHERE seq = 4"))
    result = audit_log.verify(store)
    assert (result.ok, result.broken_seq, result.checked) == (False, 4, 3)
    assert "hash mismatch" in result.problem


def test_editing_an_entry_and_its_hash_breaks_the_next_link(store: Engine) -> None:
    _fill(store, 6)
    forged = audit_log.entry_hash("x" * 64, 2, audit_log.datetime.now(audit_log.UTC), "m", "", "a", "", {})
    with store.begin() as conn:
        conn.execute(text("UPDATE audit_log SET hash = :h WHERE seq = 2"), {"h": forged})
    result = audit_log.verify(store)
    assert result.broken_seq == 2  # its own hash no longer matches its content


def test_deleting_an_entry_is_a_sequence_gap(store: Engine) -> None:
    _fill(store, 6)
    with store.begin() as conn:
        conn.execute(text("DELETE FROM audit_log WHERE seq = 3"))
    result = audit_log.verify(store)
    assert (result.ok, result.broken_seq) == (False, 4)
    assert "expected entry 3" in result.problem


def test_concurrent_appends_never_fork_the_chain(sqlite_store: Engine) -> None:
    threads = [threading.Thread(target=_fill, args=(sqlite_store, 15)) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    result = audit_log.verify(sqlite_store)
    assert (result.ok, result.checked) == (True, 90)
