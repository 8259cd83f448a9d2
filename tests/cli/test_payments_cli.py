"""`redline payments simulate | analyze | evaluate | graph` end to end, through the real CLI."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from redline.cli import main

ALERT_KEYS = {"rule_id", "typology", "person_id", "counterparty_ids", "payment_ids", "total_yuan", "score",
              "severity", "reason"}


def _inproc(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """The real CLI root (`redline.cli.main`) in this process: exit code, stdout, stderr."""
    code = 0
    try:
        main(list(args))
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("pay") / "bundle"
    main(["payments", "simulate", "--out", str(out), "--officials", "40", "--months", "6", "--cases", "2"])
    return out


def test_analyze_writes_alerts_in_the_design_format(bundle: Path, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "alerts.jsonl"
    code, _, err = _inproc(capsys, "payments", "analyze", str(bundle), "--output", str(out))
    assert code == 0, err
    alerts = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    truth = json.loads((bundle / "truth.json").read_text(encoding="utf-8"))
    assert alerts
    assert all(set(a) >= ALERT_KEYS for a in alerts)
    assert {a["rule_id"] for a in alerts} >= {"LY-01", "TJ-06", "ZJ-06", "FX-01"}
    planted = {p for case in truth for p in case["payment_ids"]}
    found = {case["typology"] for case in truth for a in alerts
             if a["person_id"] == case["person_id"] and set(case["payment_ids"]) & set(a["payment_ids"])}
    assert found == {case["typology"] for case in truth}
    assert sum(bool(planted & set(a["payment_ids"])) for a in alerts) / len(alerts) >= 0.8
    assert (tmp_path / "alerts.rejected.jsonl").read_text() == ""


def test_bad_rows_are_reported_and_strict_fails(bundle: Path, tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad"
    bad.mkdir()
    for f in bundle.iterdir():
        (bad / f.name).write_bytes(f.read_bytes())
    with (bad / "payments.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    first = rows[1]
    first[2] = "ghost"  # payer not in people.csv
    with (bad / "payments.csv").open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    out = tmp_path / "a.jsonl"
    code, _, err = _inproc(capsys, "payments", "analyze", str(bad), "--output", str(out))
    assert code == 0, err
    assert "1 rows rejected" in err
    assert "unknown person ghost" in err
    [rejected] = [json.loads(x) for x in (tmp_path / "a.rejected.jsonl").read_text().splitlines()]
    assert (rejected["field"], rejected["row"], rejected["payment_id"]) == ("payer", 1, first[0])
    code, _, err = _inproc(capsys, "payments", "analyze", str(bad), "--output", str(out), "--strict")
    assert code == 2
    assert err.splitlines()[-1].startswith("redline: error: 1 rows rejected")


def test_missing_bundle_is_one_line_and_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _inproc(capsys, "payments", "analyze", str(tmp_path / "nope"), "--output", str(tmp_path / "a.jsonl"))
    assert (code, err.strip().count("\n")) == (2, 0)
    assert "no such bundle" in err


def test_graph_prints_communities_and_draws(bundle: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    truth = json.loads((bundle / "truth.json").read_text(encoding="utf-8"))
    person = truth[0]["person_id"]
    code, out, err = _inproc(capsys, "payments", "graph", person, "--bundle", str(bundle),
                             "--chart", str(tmp_path / "g.png"), "--json")
    assert code == 0, err
    graph = json.loads(out)
    assert graph["person_id"] == person
    assert graph["communities"]
    assert (tmp_path / "g.png").read_bytes().startswith(b"\x89PNG")


def test_evaluate_prints_figures(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _inproc(capsys, "payments", "evaluate", "--officials", "60", "--months", "6", "--cases", "3",
                             "--json")
    assert code == 0, err
    figures = json.loads(out)
    assert set(figures) == {"managed_removed_0%", "managed_removed_50%", "managed_removed_80%"}
    assert figures["managed_removed_0%"]["recall"]["managed_party_gifts"] == 1.0
