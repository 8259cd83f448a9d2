"""Parquet as a first-class input and output of the local engine (same columns as JSON Lines)."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq

from redline.contracts import SCAN_BATCH as BATCH
from redline.errors import InputError, SourceLocation
from redline.rules.plan import ScanPlan
from redline.scan.arrow import FINDINGS_SCHEMA, screen_record_batch


def screen_parquet_file(plan: ScanPlan, input_path: Path, output_path: Path) -> tuple[int, int]:
    """Screen messages.parquet (`id`, `text`) into findings.parquet; returns (messages, findings)."""
    try:
        source = pq.ParquetFile(input_path)
    except (OSError, ValueError) as exc:
        raise InputError(f"not a readable Parquet file: {exc}", SourceLocation(input_path)) from exc
    missing = {"id", "text"} - set(source.schema_arrow.names)
    if missing:
        raise InputError(f"Parquet input lacks column(s) {', '.join(sorted(missing))}", SourceLocation(input_path))
    messages = findings = 0
    with pq.ParquetWriter(output_path, FINDINGS_SCHEMA) as writer:
        for batch in source.iter_batches(batch_size=BATCH, columns=["id", "text"]):
            out = screen_record_batch(plan, batch)
            writer.write_batch(out)
            messages += batch.num_rows
            findings += out.num_rows
    return messages, findings


def screen_command(*, engine: str, master: str, input_path: Path, output: str, packs: str,
                   overrides: Path | None) -> str:
    """`redline screen` with Parquet or Spark: returns the summary line to print."""
    import time

    from redline.errors import ConfigError

    if output in ("", "-"):
        raise ConfigError("Parquet and Spark output needs a path: --output findings.parquet")
    started = time.perf_counter()
    if engine == "spark":
        from redline.scan.spark import PlanSpec, local_session, screen_parquet

        if not input_path.exists():
            raise InputError("no such input", SourceLocation(input_path))
        spark = local_session(master)
        count = screen_parquet(spark, str(input_path), output, PlanSpec.from_files(packs, overrides))
        return f"spark ({master}): {count} findings in {time.perf_counter() - started:.1f} s → {output}"
    if engine != "local":
        raise ConfigError(f"unknown engine {engine!r} (local or spark)")
    from redline.rules.build import build_plan

    plan = build_plan(packs, overrides).plan
    messages, findings = screen_parquet_file(plan, input_path, Path(output))
    return f"screened {messages} messages in {time.perf_counter() - started:.1f} s: {findings} findings → {output}"
