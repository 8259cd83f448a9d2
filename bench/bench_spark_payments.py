"""Payment analytics, local engine vs Spark local[2], on the same Parquet tables (default about
1,000,000 payments). BENCH_SPARK_PAYMENTS sets the size.

The payments come from the scenario simulator (`redline.simulation.payments`): about 135
payments per official-year, so the organisation gets N / 135 officials over 12 months with
the planted cases scaled alike, and its tables are written as `<table>.parquet` (what
`redline export --parquet` writes). Both engines read that folder; the Spark findings are
compared with the local ones, whole alert lines.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import pyarrow.parquet as pq

PAYMENTS = int(os.environ.get("BENCH_SPARK_PAYMENTS", "1000000"))
PER_OFFICIAL_YEAR = 135  # measured: 200 officials, 12 months -> 27,108 payments


def _tables(folder: Path, payments: int) -> dict[str, int]:
    from redline.simulation.payments import Scenario, simulate

    officials = max(20, payments // PER_OFFICIAL_YEAR)
    sim = simulate(Scenario(officials=officials, months=12, cases_per_typology=max(3, officials * 15 // 200), seed=7))
    rows = {}
    for name in ("people", "relations", "groups", "memberships", "messages", "payments", "events"):
        table = getattr(sim.tables, name)
        pq.write_table(table, folder / f"{name}.parquet", compression="zstd")
        rows[name] = table.num_rows
    rows["officials"] = officials
    return rows


def run() -> dict[str, object]:
    import orjson

    from redline.cli.packs import load_built
    from redline.cli.payments import alert_record
    from redline.scan.records import run_record_analyzers
    from redline.scan.spark import local_session
    from redline.scan.spark_payments import analyze_spark, person_fan_out, read_tables

    load_before = os.getloadavg()
    folder = Path(tempfile.mkdtemp(prefix="bench-spark-payments-"))
    try:
        started = time.perf_counter()
        rows = _tables(folder, PAYMENTS)
        simulate_s = time.perf_counter() - started
        full = load_built("all", None).plan
        plan = replace(full, record_triggers={k: v for k, v in full.record_triggers.items()
                                              if k.startswith("payments.") and v})

        started, cpu = time.perf_counter(), time.process_time()
        found = run_record_analyzers(plan, read_tables(folder))
        local_s, local_cpu = time.perf_counter() - started, time.process_time() - cpu
        local = [f for fs in found.values() for f in fs]

        started = time.perf_counter()
        spark = local_session("local[2]", "bench-spark-payments")
        spark.sparkContext.setLogLevel("ERROR")
        startup_s = time.perf_counter() - started
        started = time.perf_counter()
        distributed = analyze_spark(spark, folder, plan, run=run_record_analyzers)
        spark_s = time.perf_counter() - started
        fan_out = {n: person_fan_out(spark, folder, n) for n in (2, 8)}
        spark.stop()

        def lines(findings: list) -> list[bytes]:  # type: ignore[type-arg]
            return sorted(orjson.dumps(alert_record(f), option=orjson.OPT_SORT_KEYS) for f in findings)

        same = lines(local) == lines(distributed)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    n = rows["payments"]
    return {
        "payments": n,
        "rows": rows,
        "made_by": "redline.simulation.payments (scenario simulator, seed 7, 12 months), written as Parquet",
        "simulate_seconds": round(simulate_s, 1),
        "local_seconds": round(local_s, 2),
        "local_cpu_seconds": round(local_cpu, 2),
        "local_payments_per_second": round(n / local_s),
        "spark_local2_startup_seconds": round(startup_s, 2),
        "spark_local2_seconds": round(spark_s, 2),
        "spark_local2_payments_per_second": round(n / spark_s),
        "person_pass_rows_per_bucket": {str(k): v for k, v in fan_out.items()},
        "person_pass_copy_factor": {str(k): round(sum(v) / n, 2) for k, v in fan_out.items()},
        "findings": len(local),
        "spark_findings": len(distributed),
        "identical_findings": same,
        "load_average_before_after": [round(load_before[0], 1), round(os.getloadavg()[0], 1)],
        "note": ("2 cores shared with other jobs (see the load average). The Spark time includes the "
                 "Parquet read, the neighbourhood joins and the Python workers' start; the local engine "
                 "is one DuckDB frame over all rows."),
    }
