"""Seconds to backtest one rule change (a rule switched off) over a store of 1,000,000 messages
and 100,000 payments, locally and on Spark local[2].

The store is the demo county (SQLite), its messages and payments copied with suffixed ids up
to the sizes asked for, screened once (today's findings) and grouped into alerts.
BENCH_BACKTEST_MESSAGES and BENCH_BACKTEST_PAYMENTS set the sizes (the demo county at scale
0.25 already holds about 50,000 messages: a smaller size keeps those). Spark's figures differ
from the local ones where a rule is scoped to group types: its workers see text only.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, func, inspect, select, text

MESSAGES = int(os.environ.get("BENCH_BACKTEST_MESSAGES", "1000000"))
PAYMENTS = int(os.environ.get("BENCH_BACKTEST_PAYMENTS", "100000"))
OFF = "rules:\n  TJ-06: {enabled: false}\n"


def _grow(engine: Engine, table: str, key: str, target: int) -> int:
    """Copy the table's original rows with ids suffixed `#k` until it holds `target` rows."""
    columns = [c["name"] for c in inspect(engine).get_columns(table)]
    picked = ", ".join(f"{key} || '#' || :k" if c == key else c for c in columns)
    with engine.begin() as conn:
        base = int(conn.execute(text(f"SELECT COUNT(*) FROM {table}")).scalar_one())
        have, k = base, 1
        while have < target and base:
            n = min(base, target - have)
            conn.execute(text(f"INSERT INTO {table} ({', '.join(columns)}) SELECT {picked} FROM {table} "
                              f"WHERE {key} NOT LIKE '%#%' ORDER BY {key} LIMIT :n"), {"k": str(k), "n": n})
            have, k = have + n, k + 1
    return have


def run() -> dict[str, Any]:
    from redline.review.alerts import build_alerts
    from redline.review.backtest import backtest
    from redline.review.backtest_spark import backtest_spark
    from redline.rules.build import build_plan
    from redline.scan.spark import PlanSpec, local_session
    from redline.store.db import make_engine
    from redline.store.tables.findings import FindingRow

    folder = Path(tempfile.mkdtemp(prefix="redline-backtest-bench-"))
    try:
        url = f"sqlite:///{folder / 'store.db'}"
        subprocess.run([sys.executable, "-m", "redline", "demo", "--db", url, "--out", str(folder / "demo"),
                        "--scale", "0.25"], check=True, capture_output=True)
        engine = make_engine(url)
        n_messages = _grow(engine, "messages", "id", MESSAGES)
        n_payments = _grow(engine, "payments", "payment_id", PAYMENTS)
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "redline", "scan", "--db", url], check=True, capture_output=True)
        scan_s = time.perf_counter() - started
        build_alerts(engine)
        with engine.connect() as conn:
            n_findings = int(conn.execute(select(func.count()).select_from(FindingRow)).scalar_one())
        overrides = folder / "off.yaml"
        overrides.write_text(OFF, encoding="utf-8")
        plan = build_plan("all", overrides).plan
        started = time.perf_counter()
        local = backtest(engine, plan)
        local_s = time.perf_counter() - started
        spark = local_session("local[2]", "redline-bench-backtest")
        try:
            started = time.perf_counter()
            remote = backtest_spark(engine, spark, PlanSpec("all", OFF))
            spark_s = time.perf_counter() - started
        finally:
            spark.stop()
        return {
            "messages": n_messages, "payments": n_payments, "findings": n_findings,
            "change": "TJ-06 switched off", "scan_seconds": round(scan_s, 1),
            "local_seconds": round(local_s, 1), "spark_local2_seconds": round(spark_s, 1),
            "local_removed": local.removed, "local_added": local.added,
            "spark_removed": remote.removed, "spark_added": remote.added,
            # leads of the rule switched off; the alerts above vanish only where no other rule holds them
            "local_rule_leads_removed": local.by_rule["TJ-06"].removed if "TJ-06" in local.by_rule else 0,
            "spark_rule_leads_removed": remote.by_rule["TJ-06"].removed if "TJ-06" in remote.by_rule else 0,
        }
    finally:
        shutil.rmtree(folder, ignore_errors=True)
