"""Loading speed: 1,000,000 messages and 1,000,000 payments, bundle → SQLite and → PostgreSQL.

Stages are timed apart: writing the bundle, reading it (parse + validate), and upserting
into each back-end (SQLite executemany in one transaction; PostgreSQL COPY + INSERT … ON
CONFLICT, on a throw-away server with fsync on). A second load of the same rows measures
the idempotent update path.
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

from redline.bundle import BundleRead, read_bundle, write_bundle
from redline.bundle.schema import TIMESTAMP
from redline.contracts import BundleTables
from redline.store import load_bundle, make_engine, migrate
from redline.store.pgserver import PgServer, find_bin_dir, start_server

N = 1_000_000
SENTENCES = [
    "各位同事,明天上午九点在三楼会议室召开安全生产例会,请准时参加。",
    "收到,马上落实。", "今天的进展汇报:夏粮收购完成百分之六十二,仓容还剩四千吨。",
    "请各站点下班前把日报发到群里。", "好的,谢谢领导关心。", "[图片]",
    "通知:本周五下午开展消防演练,请各科室做好准备。", "已转发给村里的网格员。",
    "关于春季防汛工作的补充通知,请大家认真学习。", "周末值班表已更新,请查收。",
]


def _tables(n: int, seed: int = 7) -> dict[str, pa.Table]:
    rng = np.random.default_rng(seed)
    start = 1_451_577_600_000_000  # 2016-01-01 00:00 +08:00 in microseconds since the epoch (UTC)
    times = pa.array(start + np.sort(rng.integers(0, 365 * 86_400, n)) * 1_000_000, pa.int64()).cast(
        pa.timestamp("us", tz="UTC")).cast(TIMESTAMP)
    people = [f"p{i:04d}" for i in range(500)]
    senders = pa.array(people).take(pa.array(rng.integers(0, 500, n)))
    messages = pa.table({
        "id": pa.array([f"m{i:07d}" for i in range(n)]), "time": times,
        "conversation": pa.array([f"g{i:02d}" for i in range(60)]).take(pa.array(rng.integers(0, 60, n))),
        "sender": senders, "type": pa.array(["text"] * n),
        "text": pa.array(SENTENCES).take(pa.array(rng.integers(0, len(SENTENCES), n))),
        "attachment": pa.nulls(n, pa.string()),
    })
    payments = pa.table({
        "payment_id": pa.array([f"wx{i:08d}" for i in range(n)]), "time": times,
        "payer": senders, "payee": pa.array(people).take(pa.array(rng.integers(0, 500, n))),
        "amount_fen": pa.array(rng.integers(1, 20_000, n)),
        "kind": pa.array(["red_packet", "transfer"]).take(pa.array(rng.integers(0, 2, n))),
        "channel": pa.array(["wechat"] * n), "conversation": pa.nulls(n, pa.string()),
        "memo": pa.array(["恭喜发财,大吉大利", "AA 聚餐", ""]).take(pa.array(rng.integers(0, 3, n))),
        "status": pa.array(["received"] * n), "packet_id": pa.nulls(n, pa.string()),
    })
    people_table = pa.table({"person_id": people, "name": [f"干部{i}" for i in range(500)]})
    return {"people": people_table, "messages": messages, "payments": payments}


def _only(read: BundleRead, table: str) -> BundleRead:
    """The bundle with every table but `table` emptied (to time one table's load)."""
    tables = {name: (getattr(read.tables, name) if name == table else getattr(read.tables, name).slice(0, 0))
              for name in BundleTables.__dataclass_fields__}
    return BundleRead(BundleTables(**tables))


def _load_rates(url: str, read: BundleRead, server: PgServer | None = None) -> dict[str, Any]:
    engine = migrate(make_engine(url))
    figures: dict[str, Any] = {}
    try:
        for table in ("messages", "payments"):
            part = _only(read, table)
            server_cpu = server.cpu_seconds() if server else 0.0
            started, cpu = time.perf_counter(), time.process_time()
            load_bundle(engine, part)
            first, first_cpu = time.perf_counter() - started, time.process_time() - cpu
            server_cpu = (server.cpu_seconds() - server_cpu) if server else 0.0
            started = time.perf_counter()
            load_bundle(engine, part)  # the same rows again: every row is looked up, none rewritten
            again = time.perf_counter() - started
            figures[table] = {
                "rows": N, "seconds": round(first, 2), "rows_per_s": round(N / first),
                "client_cpu_seconds": round(first_cpu, 2),
                **({"server_cpu_seconds": round(server_cpu, 2)} if server else {}),
                # Rows per CPU-second (client + server): the rate with the cores to ourselves.
                "rows_per_cpu_s": round(N / (first_cpu + server_cpu)),
                "reload_seconds": round(again, 2), "reload_rows_per_s": round(N / again),
            }
    finally:
        engine.dispose()
    return figures


def run() -> dict[str, Any]:
    # The machine is shared: the load average says how much of its 2 cores we really had.
    figures: dict[str, Any] = {"rows_per_table": N, "load_average_at_start": round(os.getloadavg()[0], 1)}
    with tempfile.TemporaryDirectory(prefix="redline-bench-") as tmp:
        root = Path(tmp)
        tables = _tables(N)
        started = time.perf_counter()
        write_bundle(root / "bundle", tables)
        figures["write_bundle_seconds"] = round(time.perf_counter() - started, 2)
        started = time.perf_counter()
        read = read_bundle(root / "bundle")
        seconds = time.perf_counter() - started
        figures["read_bundle"] = {"seconds": round(seconds, 2), "rows_per_s": round(2 * N / seconds),
                                  "quarantined": len(read.quarantined)}
        figures["sqlite"] = _load_rates(f"sqlite:///{root / 'bench.db'}", read)
        if find_bin_dir() is None:
            figures["postgresql"] = "skipped: PostgreSQL binaries absent"
        else:
            server = start_server(durable=True)
            try:
                figures["postgresql"] = _load_rates(server.create_database("bench"), read, server)
            finally:
                server.stop()
    figures["load_average_at_end"] = round(os.getloadavg()[0], 1)
    return figures
