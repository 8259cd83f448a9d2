"""Local engine vs Spark local[2] on the same Parquet messages (default 10,000,000), and the
overhead Spark adds per Arrow batch. BENCH_SPARK_ROWS sets the size."""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

ROWS = int(os.environ.get("BENCH_SPARK_ROWS", "10000000"))
BATCH = 4096


def _messages(folder: Path, rows: int) -> Path:
    from redline.bundle import read_bundle
    from redline.demo import build_demo

    base = read_bundle(build_demo(folder / "bundle", scale=0.25).bundle_path).tables.messages.select(["id", "text"])
    path = folder / f"messages-{rows}.parquet"
    with pq.ParquetWriter(path, pa.schema([("id", pa.string()), ("text", pa.string())]), compression="zstd") as out:
        made, copy = 0, 0
        while made < rows:
            part = base.slice(0, min(base.num_rows, rows - made))
            out.write_table(pa.table({"id": pc.binary_join_element_wise(part["id"], pa.scalar(f"#{copy}"), ""),
                                      "text": part["text"]}), row_group_size=200_000)
            made += part.num_rows
            copy += 1
    return path


def run() -> dict[str, object]:
    from redline.rules.build import build_plan
    from redline.scan.parquet import screen_parquet_file
    from redline.scan.spark import PlanSpec, local_session, screen_parquet

    folder = Path(tempfile.mkdtemp(prefix="redline-spark-bench-"))
    try:
        messages = _messages(folder, ROWS)
        tiny = _messages(folder, BATCH)
        plan = build_plan("all").plan
        started = time.perf_counter()
        n_local, f_local = screen_parquet_file(plan, messages, folder / "local.parquet")
        local_s = time.perf_counter() - started
        started = time.perf_counter()
        screen_parquet_file(plan, tiny, folder / "tiny-local.parquet")
        tiny_local_s = time.perf_counter() - started

        spark = local_session("local[2]", "redline-bench")
        spec = PlanSpec()
        screen_parquet(spark, str(tiny), str(folder / "warm"), spec)  # workers compile their plans once
        started = time.perf_counter()
        screen_parquet(spark, str(tiny), str(folder / "tiny-spark"), spec)
        tiny_spark_s = time.perf_counter() - started
        started = time.perf_counter()
        f_spark = screen_parquet(spark, str(messages), str(folder / "spark"), spec)
        spark_s = time.perf_counter() - started
        spark.stop()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    batches = -(-ROWS // BATCH)
    return {
        "messages": n_local,
        "findings_local": f_local,
        "findings_spark": f_spark,
        "local_one_core_msgs_per_s": round(n_local / local_s),
        "spark_local2_msgs_per_s": round(ROWS / spark_s),
        "local_seconds": round(local_s, 1),
        "spark_seconds": round(spark_s, 1),
        "spark_job_overhead_s": round(tiny_spark_s - tiny_local_s, 2),
        "spark_overhead_per_batch_ms": round(max(spark_s * 2 - local_s, 0) / batches * 1000, 2),
        "note": "local: one process, one core; spark: local[2] = 2 Python workers on this 2-core machine. "
                "Per-batch overhead = (2 x spark wall - local wall) / batches: the extra core-time "
                "Spark spends per 4,096-message Arrow batch (JVM↔Python transfer, Parquet, scheduling).",
    }
