"""The watcher's poll: health in the database, Prometheus metrics on a loopback port."""

from __future__ import annotations

import socket
from pathlib import Path

import httpx
from tests.pipeline.wecom_lines import ORDINARY, VIOLATING, line

from redline.pipeline.metrics import Metrics
from redline.pipeline.spool import Spool
from redline.pipeline.status import health
from redline.pipeline.watcher import Watcher
from redline.rules.plan import ScanPlan
from redline.store import make_engine, migrate


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_a_poll_reports_health_and_metrics(tmp_path: Path, plan: ScanPlan) -> None:
    engine = migrate(make_engine(f"sqlite:///{tmp_path / 'w.db'}"))
    assert health(engine)["status"] == "none"
    spool = tmp_path / "spool"
    spool.mkdir()
    (spool / "a.jsonl").write_text(line("m1", ORDINARY[0]) + line("m2", VIOLATING, n=1), encoding="utf-8")
    (spool / "broken.jsonl").write_text("this is not an archive line\n", encoding="utf-8")
    metrics = Metrics()
    port = _free_port()
    metrics.serve(port)
    watcher = Watcher(engine, plan, [Spool(spool)], name="w", metrics=metrics)
    report = watcher.poll()
    assert report.rows == 2
    assert report.new_alerts == 1
    assert len(report.errors) == 1  # the broken file, named; the good one still landed
    state = health(engine)
    assert state["status"] == "ok"
    assert state["backlog"] == 0
    [beat] = state["watchers"]
    assert beat["imported"] == 2
    assert beat["errors"] == 1
    assert "broken.jsonl" in beat["last_error"]
    scraped = httpx.get(f"http://127.0.0.1:{port}/metrics").text
    assert "redline_watch_imported_rows_total 2.0" in scraped
    assert "redline_watch_errors_total 1.0" in scraped
    assert "redline_watch_lag_seconds" in scraped
    assert "redline_watch_backlog_messages 0.0" in scraped
    engine.dispose()
