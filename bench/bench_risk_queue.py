"""The queue sorted by person risk at ~100,000 alerts (SQLite, and PostgreSQL when present).

Fills a store with findings as `bench_console` does (5,000 people, 40 units, 600 days), builds
the alerts (which scores every person once: the first build of the day), then times in
process: the full refresh of every person's risk key, a dismissal's refresh of one person,
and `list_alerts` pages under `sort=risk` against `sort=severity` (page 1, a page 200 deep by
cursor, a unit filter, a category filter). Medians and p95 of repeated calls, milliseconds.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bench import bench_console as fill
from redline.review import risk_order
from redline.review.alerts import QueueFilter, build_alerts, list_alerts
from redline.store.db import make_engine, migrate
from redline.store.pgserver import find_bin_dir, start_server
from redline.store.tables.review import Alert

N_FINDINGS = int(os.environ.get("REDLINE_BENCH_FINDINGS", "250000"))
REPEAT = 30


def _ms(call: Callable[[], object], repeat: int = REPEAT) -> dict[str, float]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return {"p50_ms": round(statistics.median(times), 2), "p95_ms": round(times[int(0.95 * (len(times) - 1))], 2)}


def _deep_cursor(session: Session, sort: str, pages: int) -> str | None:
    cursor = None
    for _ in range(pages):
        cursor = list_alerts(session, QueueFilter(), sort, cursor, 50).next_cursor
    return cursor


def _measure(url: str, filler: Callable[[list[tuple[str, str, str]]], None]) -> dict[str, Any]:
    engine = migrate(url)
    fill.N_FINDINGS = N_FINDINGS
    people = fill._people()
    started = time.perf_counter()
    filler(people)
    out: dict[str, Any] = {"fill_s": round(time.perf_counter() - started, 1)}
    started = time.perf_counter()
    build_alerts(engine)
    out["build_s_with_first_risk_refresh"] = round(time.perf_counter() - started, 1)
    with Session(engine) as session:
        out["findings"] = N_FINDINGS
        out["alerts"] = session.scalar(select(func.count()).select_from(Alert))
        out["new_alerts"] = session.scalar(select(func.count()).select_from(Alert).where(Alert.status == "new"))
    started = time.perf_counter()
    with engine.begin() as conn:
        risk_order.refresh(conn)
    out["full_refresh_s"] = round(time.perf_counter() - started, 2)

    def one_person() -> None:
        with engine.begin() as conn:
            risk_order.refresh(conn, ["p00042"])
    out["one_person_refresh"] = _ms(one_person, 10)
    with Session(engine) as session:
        for sort in ("severity", "risk"):
            deep = _deep_cursor(session, sort, 200)
            cases = {
                "page1": lambda s=sort: list_alerts(session, QueueFilter(), s, None, 50),
                "page201": lambda s=sort, c=deep: list_alerts(session, QueueFilter(), s, c, 50),
                "unit": lambda s=sort: list_alerts(session, QueueFilter(unit=fill.UNITS[3]), s, None, 50),
                "category": lambda s=sort: list_alerts(session, QueueFilter(category="gifts"), s, None, 50),
                "all_statuses": lambda s=sort: list_alerts(session, QueueFilter(status=None), s, None, 50),
            }
            out[sort] = {name: _ms(call) for name, call in cases.items()}
    engine.dispose()
    return out


def run() -> dict[str, Any]:
    figures: dict[str, Any] = {"page_size": 50, "repeat": REPEAT}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.db"
        url = f"sqlite:///{path}"
        make_engine(url).dispose()
        figures["sqlite"] = _measure(url, lambda people: fill._fill_sqlite(path, people))
        print("sqlite", figures["sqlite"], flush=True)
    if find_bin_dir() is None or os.environ.get("REDLINE_BENCH_SKIP_PG"):
        figures["postgresql"] = "skipped"
        return figures
    server = start_server(durable=True)
    try:
        url = server.create_database("risk_bench")
        raw = make_engine(url).url.render_as_string(hide_password=False)
        figures["postgresql"] = _measure(url, lambda people: fill._fill_postgres(raw, people))
    finally:
        server.stop()
    return figures


if __name__ == "__main__":
    print(run())
