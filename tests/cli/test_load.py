from __future__ import annotations

from pathlib import Path

import pytest
from tests.cli.run import run_cli

from redline.store import make_engine, tables_from_store


def test_load_prints_a_summary_and_writes_the_quarantine(
    capsys: pytest.CaptureFixture[str], db_url: str, sample_bundle: Path,
) -> None:
    with (sample_bundle / "payments.csv").open("a", encoding="utf-8") as out:
        out.write('"bad","2016-03-01T10:00:00+08:00","m1","p1","1.005","red_packet",,,,,\n')
    code, out, _ = run_cli(capsys, "load", str(sample_bundle), "--db", db_url)
    assert code == 0
    assert "payments.csv" in out
    assert "1 row(s) quarantined" in out
    [line] = (sample_bundle / "quarantine.jsonl").read_text(encoding="utf-8").splitlines()
    assert '"line":6' in line
    assert '"field":"amount_yuan"' in line
    engine = make_engine(db_url)
    assert tables_from_store(engine).payments.num_rows == 4
    engine.dispose()


def test_load_counts_the_quarantine_kept_in_the_store(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                                     sample_bundle: Path) -> None:
    db = f"sqlite:///{tmp_path / 'r.db'}"
    payments = sample_bundle / "payments.csv"
    with payments.open("a", encoding="utf-8") as out:
        out.write('"bad","2016-03-01T10:00:00+08:00","m1","p1","1.005","red_packet",,,,,\n')
    for _ in range(2):  # a second load keeps the same row, fixes nothing
        code, out, _ = run_cli(capsys, "load", str(sample_bundle), "--db", db)
        assert code == 0
        assert "quarantined_rows: 1 kept in the store, 0 fixed and removed" in out
    payments.write_text(payments.read_text(encoding="utf-8").replace('"1.005"', '"1.05"'), encoding="utf-8")
    code, out, _ = run_cli(capsys, "load", str(sample_bundle), "--db", db)
    assert "quarantined_rows: 0 kept in the store, 1 fixed and removed" in out


def test_a_zip_gets_its_quarantine_beside_it(capsys: pytest.CaptureFixture[str], tmp_path: Path, sample_tables: dict) -> None:
    from redline.bundle import write_bundle

    archive = write_bundle(tmp_path / "export.zip", sample_tables)
    code, _, _ = run_cli(capsys, "load", str(archive), "--db", f"sqlite:///{tmp_path / 'r.db'}")
    assert code == 0
    assert (tmp_path / "export.quarantine.jsonl").read_text() == ""


@pytest.mark.parametrize(("args", "message"), [
    (["load", "/no/such/bundle", "--db", "sqlite:///{tmp}/r.db"], "no such bundle"),
    (["load", "{tmp}", "--db", "sqlite:///{tmp}/r.db"], "people.csv is missing"),
    (["load", "{tmp}", "--db", "mysql://u@h/db"], "unsupported database URL"),
], ids=["no-bundle", "not-a-bundle", "bad-url"])
def test_errors_are_one_line_and_exit_2(capsys: pytest.CaptureFixture[str], tmp_path: Path, args: list[str], message: str) -> None:
    code, _, err = run_cli(capsys, *[a.format(tmp=tmp_path) for a in args])
    assert code == 2
    assert err.count("\n") == 1
    assert err.startswith("redline: error: ")
    assert message in err
