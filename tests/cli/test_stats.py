from __future__ import annotations

from pathlib import Path

import pytest
from tests.cli.run import run_cli


def _cells(out: str) -> dict[str, str]:
    rows = [line.split("│") for line in out.splitlines() if line.startswith("│")]
    return {cells[1].strip(): cells[2].strip() for cells in rows}


def test_stats_counts_rows_per_table(capsys: pytest.CaptureFixture[str], db_url: str, sample_bundle: Path) -> None:
    assert run_cli(capsys, "load", str(sample_bundle), "--db", db_url)[0] == 0
    code, out, _ = run_cli(capsys, "stats", "--db", db_url)
    assert code == 0
    counts = _cells(out)
    assert {k: counts[k] for k in ("people", "payments", "messages", "findings")} == {
        "people": "2", "payments": "4", "messages": "2", "findings": "0"}


def test_stats_counts_the_quarantined_rows(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                          sample_bundle: Path) -> None:
    db = f"sqlite:///{tmp_path / 'r.db'}"
    with (sample_bundle / "people.csv").open("a", encoding="utf-8") as out:
        out.write("p9,某人,单位,,maybe,,,\n")
    assert run_cli(capsys, "load", str(sample_bundle), "--db", db)[0] == 0
    code, out, _ = run_cli(capsys, "stats", "--db", db)
    assert code == 0
    assert _cells(out)["quarantined_rows"] == "1"


def test_stats_on_a_database_without_redline_tables(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    import sqlite3

    sqlite3.connect(tmp_path / "empty.db").close()
    code, _, err = run_cli(capsys, "stats", "--db", f"sqlite:///{tmp_path / 'empty.db'}")
    assert code == 2
    assert "no Redline tables" in err
    code, _, err = run_cli(capsys, "stats", "--db", f"sqlite:///{tmp_path / 'absent.db'}")
    assert code == 2
    assert "no such database file" in err
    assert not (tmp_path / "absent.db").exists()
