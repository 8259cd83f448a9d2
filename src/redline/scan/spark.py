"""Screening on Apache Spark: the same batch function as the local engine, via mapInArrow.

The driver ships a small `PlanSpec` (pack selection and overrides text); each Python worker
compiles the plan once and caches it, then applies `screen_record_batch` to the Arrow record
batches Spark hands it. Findings come back with the columns of `redline screen`.
"""

from __future__ import annotations

import hashlib
import os
import sys
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from redline.rules.plan import ScanPlan
from redline.scan.arrow import CONTEXT_COLUMNS, FINDINGS_DDL, screen_record_batches

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession


@dataclass(frozen=True, slots=True)
class PlanSpec:
    """What a worker needs to compile the plan itself: packs, and the overrides file's text."""

    packs: str = "all"
    overrides_yaml: str | None = None
    with_example_terms: bool = False

    @property
    def key(self) -> str:
        """Identity of the plan this spec compiles to (the per-worker cache key)."""
        text = f"{self.packs}\0{self.overrides_yaml or ''}\0{self.with_example_terms}"
        return hashlib.sha256(text.encode()).hexdigest()

    @classmethod
    def from_files(cls, packs: str = "all", overrides: Path | None = None, *, with_example_terms: bool = False) -> PlanSpec:
        """A spec from the command line's --packs and --overrides."""
        text = overrides.read_text(encoding="utf-8") if overrides else None
        return cls(packs, text, with_example_terms)


_PLANS: dict[str, ScanPlan] = {}  # per Python worker: a plan is compiled once, then reused


def plan_for(spec: PlanSpec) -> ScanPlan:
    """The compiled plan of `spec`, built at most once in this process."""
    plan = _PLANS.get(spec.key)
    if plan is None:
        from redline.rules.build import build_plan

        if spec.overrides_yaml is None:
            plan = build_plan(spec.packs, None, with_example_terms=spec.with_example_terms).plan
        else:
            with tempfile.TemporaryDirectory() as folder:
                path = Path(folder) / "overrides.yaml"
                path.write_text(spec.overrides_yaml, encoding="utf-8")
                plan = build_plan(spec.packs, path, with_example_terms=spec.with_example_terms).plan
        _PLANS[spec.key] = plan
    return plan


def partition_function(spec: PlanSpec) -> Any:
    """The function mapInArrow runs on every partition (pickled small: it carries only the spec)."""

    def screen_partition(batches: Iterable[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        yield from screen_record_batches(plan_for(spec), batches)

    return screen_partition


def local_session(master: str = "local[2]", app_name: str = "redline-screen") -> SparkSession:
    """A Spark session for local mode and tests: workers run this very Python (with Redline)."""
    from pyspark.sql import SparkSession

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    return (SparkSession.builder.master(master).appName(app_name)
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", "4")
            .config("spark.sql.execution.arrow.maxRecordsPerBatch", "4096")
            .config("spark.driver.memory", "2g")
            .getOrCreate())


def screen_dataframe(messages: DataFrame, spec: PlanSpec) -> DataFrame:
    """Findings of a DataFrame with `id` and `text` columns (and any of CONTEXT_COLUMNS, which
    scoped rules then respect)."""
    columns = ["id", "text", *(c for c in CONTEXT_COLUMNS if c in messages.columns)]
    return messages.select(*(messages[c].cast("string") for c in columns)).mapInArrow(
        partition_function(spec), FINDINGS_DDL)


def screen_parquet(spark: SparkSession, input_path: str, output_path: str, spec: PlanSpec) -> int:
    """Screen a Parquet file or folder of messages; write findings as Parquet; return their count."""
    findings = screen_dataframe(spark.read.parquet(input_path), spec)
    findings.write.mode("overwrite").parquet(output_path)
    return int(spark.read.parquet(output_path).count())
