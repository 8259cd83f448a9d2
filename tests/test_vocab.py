"""Severity ranks: one order, in Python and in the SQL generated from it."""

from __future__ import annotations

import sqlite3

import pytest

from redline.vocab import Severity


@pytest.mark.parametrize("name", [*(s.value for s in Severity), "", "bogus"])
def test_generated_sql_ranks_as_python_does(name: str) -> None:
    sql = f"SELECT {Severity.rank_sql('?', unknown=0)}"
    with sqlite3.connect(":memory:") as conn:
        [(rank,)] = conn.execute(sql.replace("CASE ?", "CASE ?1"), (name,)).fetchall()
    assert rank == Severity.rank_of(name)


def test_ranks_order_low_to_critical() -> None:
    assert sorted(Severity, key=lambda s: s.rank) == [Severity.LOW, Severity.MEDIUM, Severity.HIGH, Severity.CRITICAL]
    assert Severity.rank_of("") == 0
