"""Payment analytics on Apache Spark: the local analyzers, run on neighbourhoods of the data.

No typology is implemented twice: Spark only decides which payment rows each group needs,
and every group runs the plan's analyzers (`frame.py` and the typology modules, DuckDB
inside) on its Arrow tables, as `redline payments analyze` does. A lead of the gift
typologies or of vote-buying is about one screened person P (official or election
candidate) and depends only on rows paid to or by P or P's family (亲属), every claim of
their packets, every copy of their payment ids, and the small tables (broadcast whole).
Persons are hashed into buckets; a bucket gets the union of its persons' neighbourhoods
and keeps only its own persons' leads. Red-packet gambling (红包接龙) runs on buckets of
conversations with their packets and messages. docs/scale.md says why this is exact; the
one known limit, `holiday_gifts` windows over `MAX_HOLIDAY_WINDOW_DAYS`, is refused here.
"""
from __future__ import annotations

import pickle
import tempfile
import zlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import reduce
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, Protocol

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from redline.bundle.conform import conform
from redline.bundle.schema import BY_TABLE
from redline.contracts import BundleTables, Finding, Trigger
from redline.errors import ConfigError, InputError, SourceLocation

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

CONVERSATION_TYPOLOGIES: Final = frozenset({"payments.packet_gambling"})
PERSON_TYPOLOGIES: Final = frozenset({
    "payments.managed_party_gifts", "payments.repeated_gifts", "payments.holiday_gifts",
    "payments.event_gifts", "payments.large_sums", "payments.family_proxy", "payments.vote_buying",
})
MAX_HOLIDAY_WINDOW_DAYS: Final = 300  # beyond this a window may reach festivals two years away
SMALL_TABLES: Final = ("people", "relations", "groups", "memberships", "events")
PAY_COLUMNS: Final = ("payment_id", "payer", "payee", "amount_fen", "kind", "channel", "conversation",
                      "memo", "status", "packet_id")
MSG_COLUMNS: Final = ("id", "t_us", "conversation", "sender", "text")
RESULT_DDL: Final = "person_id string, group_id string, finding binary"
ROWS_PER_BUCKET: Final = 250_000  # one DuckDB frame per bucket: big enough to amortise its set-up

RunAnalyzers = Callable[[Any, BundleTables], Mapping[str, Sequence[Finding]]]


class RecordPlan(Protocol):
    """What this module needs of a ScanPlan: the record analyzers' triggers."""

    @property
    def record_triggers(self) -> Mapping[str, tuple[Trigger, ...]]: ...


@dataclass(frozen=True, slots=True)
class _Job:
    """What every Python worker needs (pickled once per task; the tables travel as a broadcast)."""

    plan: Any  # a ScanPlan narrowed to one pass's triggers, without text detectors
    run: RunAnalyzers  # redline.scan.records.run_record_analyzers, passed in (layering)
    small: Any  # Broadcast of the small tables
    owners: Mapping[int, frozenset[str]]  # person pass: bucket -> its screened persons


def analyze_spark(
    spark: SparkSession,
    source: BundleTables | Path | str,
    plan: RecordPlan,
    *,
    run: RunAnalyzers,
    buckets: int | None = None,
) -> list[Finding]:
    """Findings of the plan's `payments.*` triggers over `source`, computed on Spark.

    `source` is a bundle folder or .zip, a folder of `<table>.parquet` files (`redline export
    --parquet`), or tables already in memory. `run(plan, tables)` is the local engine's
    `run_record_analyzers`, applied to each group. Output order is the local command's:
    highest score first, then rule id and subject.
    """
    triggers, local_only = split_triggers(plan.record_triggers)
    if local_only:
        raise ConfigError("not exact on Spark, run these on the local engine: "
                          + "; ".join(f"{t.label} ({why})" for t, why in local_only))
    with tempfile.TemporaryDirectory(prefix="redline-spark-") as scratch:
        small, pay, msgs = _load(spark, source, Path(scratch))
        n = buckets or max(spark.sparkContext.defaultParallelism, -(-int(pay.count()) // ROWS_PER_BUCKET))
        shared = spark.sparkContext.broadcast(dict(small))  # Arrow tables pickle as IPC
        results = []
        person = {k: v for k, v in triggers.items() if k in PERSON_TYPOLOGIES}
        if person:
            results.append(_person_pass(spark, pay, small, _narrow(plan, person), run, shared, n))
        conv = {k: v for k, v in triggers.items() if k in CONVERSATION_TYPOLOGIES}
        if conv:
            results.append(_conversation_pass(pay, msgs, _narrow(plan, conv), run, shared, n))
        parts = [r for r in results if r is not None]
        # one Spark job for both passes
        out = _collect(reduce(lambda a, b: a.unionByName(b), parts)) if parts else []
        shared.unpersist()
    # the local command's order; its ties fall in plan order of triggers, then person
    order = {t.label: i for i, t in enumerate(t for ts in triggers.values() for t in ts)}
    return sorted(out, key=lambda f: (-f.score, f.rule_id, f.subject_id, order.get(f.label, -1), f.person_id or ""))


def split_triggers(
    record_triggers: Mapping[str, Sequence[Trigger]],
) -> tuple[dict[str, tuple[Trigger, ...]], list[tuple[Trigger, str]]]:
    """The payments triggers Spark runs exactly, and the others with the reason (local engine)."""
    exact: dict[str, list[Trigger]] = {}
    local: list[tuple[Trigger, str]] = []
    for key, triggers in record_triggers.items():
        for trigger in triggers if key.startswith("payments.") else ():
            if key not in PERSON_TYPOLOGIES | CONVERSATION_TYPOLOGIES:
                local.append((trigger, f"no Spark partitioning is defined for {key}"))
                continue
            cfg = trigger.config.model_dump()
            if key == "payments.holiday_gifts" and max(cfg["days_before"], cfg["days_after"]) > MAX_HOLIDAY_WINDOW_DAYS:
                local.append((trigger, f"a festival window over {MAX_HOLIDAY_WINDOW_DAYS} days: its calendar "
                                       "follows the span of gift days in the frame"))
                continue
            if key == "payments.managed_party_gifts" and cfg.get("infer_min_officials", 0) > 0:
                local.append((trigger, "inferring managed parties from payments to colleagues needs the "
                                       "whole unit's rows"))
                continue
            exact.setdefault(key, []).append(trigger)
    return {k: tuple(v) for k, v in exact.items()}, local


def read_tables(source: Path | str) -> BundleTables:
    """A bundle folder or .zip, or a folder of `<table>.parquet` files, as tables in memory."""
    path = Path(source)
    if (path / "payments.parquet").exists():
        names = (*SMALL_TABLES, "payments", "messages")
        return BundleTables(**{name: _read_small(path, name) for name in names})
    if not path.exists():
        raise InputError("no such bundle or Parquet folder", SourceLocation(path))
    from redline.bundle import read_bundle

    return read_bundle(path).tables


# -- input ---------------------------------------------------------------------------------
def _load(spark: SparkSession, source: BundleTables | Path | str,
          scratch: Path) -> tuple[dict[str, pa.Table], DataFrame, DataFrame]:
    """Small tables on the driver; payments and messages as DataFrames with `t_us` and `row_no`.

    In-memory tables and bundles are written to Parquet under `scratch` first: Spark reads
    files far faster than rows embedded in the plan (and on a cluster `scratch` must be shared).
    """
    from pyspark.sql import functions as F  # noqa: N812 - the PySpark convention

    if isinstance(source, BundleTables):
        tables = source
    else:
        path = Path(source)
        if (path / "payments.parquet").exists():
            small = {name: _read_small(path, name) for name in SMALL_TABLES}
            # row_no: file order, as the local read (the frame keeps the first of exact duplicates)
            pay = (spark.read.parquet(str(path / "payments.parquet")).withColumn("t_us", F.unix_micros("time"))
                   .withColumn("row_no", F.monotonically_increasing_id()))
            msgs = (spark.read.parquet(str(path / "messages.parquet")).withColumn("t_us", F.unix_micros("time"))
                    if (path / "messages.parquet").exists()
                    else _frame(spark, _messages(BY_TABLE["messages"].schema.empty_table()), scratch / "m.parquet"))
            return small, pay.select("row_no", "t_us", *PAY_COLUMNS), msgs.select(*MSG_COLUMNS)
        tables = read_tables(path)
    small = {name: getattr(tables, name) for name in SMALL_TABLES}
    return (small, _frame(spark, _payments(tables.payments), scratch / "payments.parquet"),
            _frame(spark, _messages(tables.messages), scratch / "messages.parquet"))


def _read_small(folder: Path, name: str) -> pa.Table:
    path = folder / f"{name}.parquet"
    return pq.read_table(path) if path.exists() else BY_TABLE[name].schema.empty_table()


def _payments(table: pa.Table) -> pa.Table:
    """Payments with row order, times as epoch microseconds (Spark converts no time zone)."""
    return _messages(table, "payments", PAY_COLUMNS).append_column(
        "row_no", pa.array(range(table.num_rows), pa.int64()))


def _messages(table: pa.Table, name: str = "messages", columns: Sequence[str] = MSG_COLUMNS) -> pa.Table:
    table = conform(table, name)
    return pa.table({"t_us": pc.cast(table.column("time"), pa.int64()),
                     **{c: table.column(c) for c in columns if c != "t_us"}})


def _frame(spark: SparkSession, table: pa.Table, path: Path) -> DataFrame:
    pq.write_table(table, path, row_group_size=128 * 1024)
    return spark.read.parquet(str(path))


def _narrow(plan: RecordPlan, triggers: Mapping[str, tuple[Trigger, ...]]) -> Any:
    """The plan with only these record triggers and no text detectors (small to pickle)."""
    return replace(plan, record_triggers=dict(triggers), detectors=())  # type: ignore[type-var]


# -- neighbourhoods ------------------------------------------------------------------------
def bucket_of(key: str, buckets: int) -> int:
    """The bucket of a person (stable across processes, unlike `hash`)."""
    return zlib.crc32(key.encode("utf-8")) % buckets


def _screened(small: Mapping[str, pa.Table]) -> list[str]:
    """Officials and election candidates: every person a person-typology lead can be about."""
    people = small["people"]
    officials = people.filter(pc.fill_null(people.column("is_official"), False)).column("person_id")
    events = small["events"]
    candidates = events.filter(pc.equal(events.column("kind"), "election")).column("person_id")
    return sorted({p for p in [*officials.to_pylist(), *candidates.to_pylist()] if p})


def _owners_table(small: Mapping[str, pa.Table], buckets: int) -> tuple[pa.Table, dict[int, frozenset[str]]]:
    """(person, bucket) for every screened person and for each of their relatives."""
    screened = _screened(small)
    home = {p: bucket_of(p, buckets) for p in screened}
    rel = small["relations"]
    rows = list(home.items())
    for a, b, kind in zip(*(rel.column(c).to_pylist() for c in ("person_id", "other_id", "relation")),
                          strict=True):
        # family is symmetric in the frame (inverse rows), so either side may be the official;
        # listing a relative too many only costs time, never changes a result
        if kind == "family" and a and b:
            rows += [(b, home[a])] if a in home else []
            rows += [(a, home[b])] if b in home else []
    owners: dict[int, set[str]] = {}
    for p, b in home.items():
        owners.setdefault(b, set()).add(p)
    table = pa.table({"person": [r[0] for r in rows], "bucket": pa.array([r[1] for r in rows], pa.int32())})
    return table, {b: frozenset(ps) for b, ps in owners.items()}


def _closed(owned: DataFrame) -> DataFrame:
    """Payment rows of each bucket (pay columns + bucket + home). `owned` is pay with `own`, the
    buckets a row belongs to itself; each bucket also gets every claim of its rows' packets and
    then every copy of their payment ids (the frame's duplicate check must see all of them).
    `home` marks a row in one of its own buckets; the rare row reached twice, the worker drops."""
    from pyspark.sql import functions as F  # noqa: N812

    cols = [c for c in owned.columns if c != "own"]
    seeds = owned.select(*cols, F.explode("own").alias("bucket"), F.lit(True).alias("home"))

    def keys(rows: DataFrame, col: str) -> DataFrame:
        return rows.where(F.col(col).isNotNull() & (F.col(col) != "")).select(col, "bucket").distinct()

    def added(rows: DataFrame) -> DataFrame:  # rows a bucket does not hold already as seeds
        return rows.where(~F.array_contains("own", F.col("bucket"))).select(*cols, "bucket", F.lit(False).alias("home"))

    both = seeds.unionByName(added(owned.join(keys(seeds, "packet_id"), "packet_id")))
    # ids used more than once are rare: only their rows take part in the last join
    twice = owned.where(F.col("payment_id").isNotNull() & (F.col("payment_id") != "")).groupBy("payment_id").count()
    twins = owned.join(twice.where(F.col("count") > 1).select("payment_id"), "payment_id", "left_semi")
    by_id = twins.join(keys(both.join(twins.select("payment_id"), "payment_id", "left_semi"), "payment_id"),
                       "payment_id")
    return both.unionByName(added(by_id))


def person_fan_out(spark: SparkSession, source: BundleTables | Path | str, buckets: int) -> list[int]:
    """Distinct payment rows each bucket of the person pass receives (sum / payments: the copy factor)."""
    with tempfile.TemporaryDirectory(prefix="redline-spark-") as scratch:
        small, pay, _ = _load(spark, source, Path(scratch))
        rows, _owners = _person_rows(spark, pay, small, buckets)
        counts = rows.select("row_no", "bucket").distinct().groupBy("bucket").count().orderBy("bucket").collect()
    return [int(r["count"]) for r in counts]


def _person_rows(spark: SparkSession, pay: DataFrame, small: Mapping[str, pa.Table],
                 buckets: int) -> tuple[DataFrame, dict[int, frozenset[str]]]:
    from pyspark.sql import functions as F  # noqa: N812

    owners_table, owners = _owners_table(small, buckets)
    per_person = spark.createDataFrame(owners_table).groupBy("person").agg(F.collect_set("bucket").alias("b"))
    none = F.array().cast("array<int>")
    owned = (pay.join(F.broadcast(per_person.withColumnRenamed("person", "payer")), "payer", "left")
             .withColumnRenamed("b", "b_payer")
             .join(F.broadcast(per_person.withColumnRenamed("person", "payee")), "payee", "left")
             .withColumn("own", F.array_distinct(F.concat(F.coalesce("b_payer", none), F.coalesce("b", none))))
             .drop("b_payer", "b"))
    return _closed(owned), owners


def _person_pass(spark: SparkSession, pay: DataFrame, small: Mapping[str, pa.Table], plan: Any,
                 run: RunAnalyzers, shared: Any, buckets: int) -> DataFrame | None:
    rows, owners = _person_rows(spark, pay, small, buckets)
    if not owners:
        return None
    job = _Job(plan, run, shared, owners)
    return rows.groupBy("bucket").applyInArrow(_person_group(job), RESULT_DDL)


def _conversation_pass(pay: DataFrame, msgs: DataFrame, plan: Any, run: RunAnalyzers, shared: Any,
                       buckets: int) -> DataFrame:
    from pyspark.sql import functions as F  # noqa: N812

    def bucket(col: str) -> Any:
        return F.pmod(F.xxhash64(col), F.lit(buckets)).cast("int")

    # group packets' claims, the rows packet_gambling reads first (`pk` in its query), belong
    # to the bucket of their conversation
    packet = ((F.col("kind") == "red_packet") & F.col("packet_id").isNotNull() & (F.col("packet_id") != "")
              & F.col("conversation").isNotNull() & (F.col("conversation") != "")
              & ~F.col("conversation").startswith("dm:"))
    owned = pay.withColumn("own", F.when(packet, F.array(bucket("conversation"))).otherwise(
        F.array().cast("array<int>")))
    talk = (msgs.join(pay.where(packet).select("conversation").distinct(), "conversation", "left_semi")
            .withColumn("bucket", bucket("conversation")))
    job = _Job(plan, run, shared, {})
    return (_closed(owned).groupBy("bucket").cogroup(talk.groupBy("bucket"))
            .applyInArrow(_conversation_group(job), RESULT_DDL))


def _collect(result: DataFrame) -> list[Finding]:
    # the findings were pickled by our own workers from our own dataclass, in this same job
    return [pickle.loads(row["finding"]) for row in result.collect()]  # noqa: S301


# -- what runs on the workers --------------------------------------------------------------
def _bundle(job: _Job, payments: pa.Table, messages: pa.Table | None) -> BundleTables:
    """The group's rows as a bundle: payments in their original order, times back as timestamps."""
    small = job.small.value  # loaded once per Python worker, then cached by PySpark
    tz = BY_TABLE["payments"].schema.field("time").type
    payments = _distinct_rows(payments)
    pay = pa.table({"time": pc.cast(payments.column("t_us"), tz),
                    **{c: payments.column(c) for c in PAY_COLUMNS}})
    msg = BY_TABLE["messages"].schema.empty_table() if messages is None or messages.num_rows == 0 else pa.table(
        {"time": pc.cast(messages.column("t_us"), tz), **{c: messages.column(c) for c in MSG_COLUMNS if c != "t_us"}})
    return BundleTables(people=small["people"], relations=small["relations"], groups=small["groups"],
                        memberships=small["memberships"], messages=msg, payments=pay, events=small["events"])


def _distinct_rows(payments: pa.Table) -> pa.Table:
    """One copy of each row, in the bundle's order (rows reach a bucket by several paths)."""
    payments = payments.sort_by("row_no")
    row_no = payments.column("row_no").to_numpy()
    first = np.ones(len(row_no), dtype=bool)
    first[1:] = row_no[1:] != row_no[:-1]
    return payments.filter(pa.array(first))


def _result(findings: Iterator[Finding]) -> pa.Table:
    kept = list(findings)
    return pa.table({
        "person_id": pa.array([f.person_id for f in kept], pa.string()),
        "group_id": pa.array([str(f.facts.get("group_id") or "") for f in kept], pa.string()),
        "finding": pa.array([pickle.dumps(f) for f in kept], pa.binary()),
    })


def _person_group(job: _Job) -> Callable[[Any, pa.Table], pa.Table]:
    def run_bucket(key: Any, payments: pa.Table) -> pa.Table:
        mine = job.owners.get(int(key[0].as_py()), frozenset())
        found = job.run(job.plan, _bundle(job, payments, None))
        return _result(f for fs in found.values() for f in fs if f.person_id in mine)

    return run_bucket


def _conversation_group(job: _Job) -> Callable[[Any, pa.Table, pa.Table], pa.Table]:
    def run_bucket(key: Any, payments: pa.Table, messages: pa.Table) -> pa.Table:
        if payments.num_rows == 0:
            return _result(iter(()))
        mine = set(pc.unique(payments.filter(payments.column("home")).column("conversation")).to_pylist())
        found = job.run(job.plan, _bundle(job, payments, messages))
        return _result(f for fs in found.values() for f in fs if f.facts.get("group_id") in mine)

    return run_bucket
