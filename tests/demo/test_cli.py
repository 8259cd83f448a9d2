"""`redline demo`: builds, loads into SQLite, prints the summary; bad input is one line and exit 2."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from redline.cli import main
from redline.store.db import make_engine


def test_demo_command_builds_and_loads(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    main(["demo", "--db", url, "--out", str(tmp_path / "out"), "--scale", "0.02"])
    out = capsys.readouterr().out
    assert "grain_trader_packets" in out
    assert "must not be flagged" in out
    assert str(tmp_path / "out" / "bundle") in out
    assert f"--files {tmp_path / 'out' / 'bundle'}" in out  # the next step also screens the attachments
    engine = make_engine(url)
    with engine.connect() as c:
        messages = c.execute(text("select count(*) from messages")).scalar_one()
        grain = c.execute(text("select count(*) from payments where payment_id like 'pp-grain-%'")).scalar_one()
    engine.dispose()
    assert messages == pytest.approx(4_000, rel=0.05)  # scale 0.02 of 200,000, give or take an episode
    assert grain == 21


def test_demo_command_rejects_a_bad_scale(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["demo", "--db", f"sqlite:///{tmp_path / 'x.db'}", "--out", str(tmp_path), "--scale", "-1"])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "scale" in err
