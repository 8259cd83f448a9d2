"""Live monitoring: alert latency of `redline watch` on a spool fed at a steady rate.

For SQLite and PostgreSQL: start the real watcher (`redline watch --source DIR`, a separate
process), append WeCom archive lines to a file in the spool at a steady rate (ordinary
messages with violating ones spread among them), and time each violating line from its
append to its alert in the `alerts` table (what `GET /api/alerts` reads; polled every
`POLL` seconds, so latencies are rounded up by at most that). Then a burst of ordinary lines
at once gives the sustained import+screen rate (lines / seconds until the spool is read and
the backlog is empty).

Sizes come from the environment, so CI never runs the full size (this runs in `make bench`):
REDLINE_BENCH_LIVE_MESSAGES (ordinary, default 100,000), REDLINE_BENCH_LIVE_VIOLATING (1,000),
REDLINE_BENCH_LIVE_RATE (messages/s, 200), REDLINE_BENCH_LIVE_BURST (20,000),
REDLINE_BENCH_LIVE_BACKENDS (sqlite,postgresql).
"""

from __future__ import annotations

import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Final

from sqlalchemy import Engine, select

from redline.store.db import make_engine, migrate
from redline.store.pgserver import find_bin_dir, start_server
from redline.store.tables.live import WatcherBeat
from redline.store.tables.review import Alert

N_ORDINARY: Final = int(os.environ.get("REDLINE_BENCH_LIVE_MESSAGES", "100000"))
N_VIOLATING: Final = int(os.environ.get("REDLINE_BENCH_LIVE_VIOLATING", "1000"))
RATE: Final = float(os.environ.get("REDLINE_BENCH_LIVE_RATE", "200"))
BURST: Final = int(os.environ.get("REDLINE_BENCH_LIVE_BURST", "20000"))
BACKENDS: Final = os.environ.get("REDLINE_BENCH_LIVE_BACKENDS", "sqlite,postgresql").split(",")
TICK: Final = 0.1  # seconds between appends: RATE * TICK lines each
POLL: Final = 0.25
VIOLATING: Final = "王老板发来一个红包：以后多关照"
ORDINARY: Final = ("明天上午九点开会", "材料已经发到邮箱", "收到，谢谢", "下午三点到会议室", "请各单位按时报送周报",
                   "今天的会议纪要已上传", "好的，马上处理", "下周一前提交")
PEOPLE: Final = [f"u{i:03d}" for i in range(300)]
ROOMS: Final = [f"wr{i:02d}" for i in range(20)]


def _line(msgid: str, text: str, rng: random.Random, n: int) -> str:
    sender = rng.choice(PEOPLE)
    room = rng.choice(ROOMS) if rng.random() < 0.3 else ""  # most talk is one to one
    record = {"msgid": msgid, "action": "send", "from": sender, "tolist": [rng.choice(PEOPLE)], "roomid": room,
              "msgtime": 1_764_000_000_000 + n * 5, "msgtype": "text", "text": {"content": text}}
    return json.dumps(record, ensure_ascii=False) + "\n"


def _stream() -> list[tuple[str, str]]:
    """(msgid, line) in append order; violating lines evenly among the ordinary ones."""
    rng = random.Random(17)
    total = N_ORDINARY + N_VIOLATING
    every = max(total // max(N_VIOLATING, 1), 1)
    out: list[tuple[str, str]] = []
    bad = 0
    for n in range(total):
        if bad < N_VIOLATING and n % every == every // 2:
            msgid = f"bad-{bad:05d}"
            bad += 1
            out.append((msgid, _line(msgid, VIOLATING, rng, n)))
        else:
            out.append((f"ok-{n:07d}", _line(f"ok-{n:07d}", rng.choice(ORDINARY), rng, n)))
    return out


def _watcher(url: str, spool: Path, log: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "redline", "watch", "--db", url, "--source", str(spool),
                             "--interval", "0.25", "--name", "bench"], stdout=log.open("ab"), stderr=subprocess.STDOUT)


def _ready(engine: Engine, process: subprocess.Popen[bytes], timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("the watcher exited")
        with engine.connect() as conn:
            if conn.execute(select(WatcherBeat.watcher)).first():
                return
        time.sleep(0.5)
    raise RuntimeError("the watcher did not start")


def _alerted(engine: Engine, waiting: set[str]) -> set[str]:
    with engine.connect() as conn:
        return set(conn.execute(select(Alert.subject_id).where(Alert.subject_id.in_(sorted(waiting)))).scalars())


def _steady(engine: Engine, archive: Path) -> dict[str, Any]:
    stream = _stream()
    appended: dict[str, float] = {}
    latency: dict[str, float] = {}
    per_tick = max(int(RATE * TICK), 1)
    started = time.monotonic()
    next_poll = started
    with archive.open("a", encoding="utf-8") as handle:
        for i in range(0, len(stream), per_tick):
            due = started + (i / per_tick) * TICK
            time.sleep(max(due - time.monotonic(), 0))
            chunk = stream[i:i + per_tick]
            handle.write("".join(line for _, line in chunk))
            handle.flush()
            now = time.monotonic()
            appended.update((m, now) for m, _ in chunk if m.startswith("bad-"))
            if now >= next_poll:
                waiting = set(appended) - set(latency)
                if waiting:
                    seen = time.monotonic()
                    latency.update((m, seen - appended[m]) for m in _alerted(engine, waiting))
                next_poll = now + POLL
    feed_seconds = time.monotonic() - started
    deadline = time.monotonic() + 600
    while set(appended) - set(latency) and time.monotonic() < deadline:
        waiting = set(appended) - set(latency)
        seen = time.monotonic()
        latency.update((m, seen - appended[m]) for m in _alerted(engine, waiting))
        time.sleep(POLL)
    values = sorted(latency.values())
    return {
        "messages": len(stream), "violating": N_VIOLATING, "rate_msgs_s": RATE,
        "achieved_feed_rate_msgs_s": round(len(stream) / feed_seconds, 1),
        "alerts_seen": len(values), "missed": N_VIOLATING - len(values),
        "latency_s": {"p50": round(statistics.median(values), 2),
                      "p95": round(values[min(int(len(values) * 0.95), len(values) - 1)], 2),
                      "max": round(values[-1], 2)} if values else None,
    }


def _imported(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(WatcherBeat.imported)).scalar() or 0)


def _burst(engine: Engine, spool: Path) -> dict[str, Any]:
    """Seconds from writing BURST lines at once until the watcher reports them imported,
    screened and alerted (its heartbeat is written after a poll's alerts are built)."""
    rng = random.Random(23)
    data = "".join(_line(f"burst-{n:07d}", rng.choice(ORDINARY), rng, n) for n in range(BURST)).encode()
    before = _imported(engine)
    started = time.monotonic()
    (spool / "burst.jsonl").write_bytes(data)
    while time.monotonic() - started < 1800 and _imported(engine) < before + BURST:
        time.sleep(0.1)
    seconds = time.monotonic() - started
    return {"burst_lines": BURST, "burst_seconds": round(seconds, 1), "sustained_msgs_s": round(BURST / seconds, 1)}


def _backend(name: str, url: str, tmp: Path) -> dict[str, Any]:
    engine = migrate(make_engine(url))
    spool = tmp / f"spool-{name}"
    spool.mkdir()
    archive = spool / "archive.jsonl"
    archive.touch()
    process = _watcher(url, spool, tmp / f"watch-{name}.log")
    try:
        _ready(engine, process)
        figures = _steady(engine, archive)
        figures.update(_burst(engine, spool))
    finally:
        process.terminate()
        process.wait(timeout=120)
        engine.dispose()
    return figures


def run() -> dict[str, Any]:
    results: dict[str, Any] = {"sizes": {"ordinary": N_ORDINARY, "violating": N_VIOLATING, "rate": RATE,
                                         "burst": BURST}}
    with tempfile.TemporaryDirectory(prefix="redline-bench-live-") as tmp:
        if "sqlite" in BACKENDS:
            results["sqlite"] = _backend("sqlite", f"sqlite:///{Path(tmp) / 'live.db'}", Path(tmp))
        if "postgresql" in BACKENDS:
            if find_bin_dir() is None:
                results["postgresql"] = "skipped: PostgreSQL binaries absent"
            else:
                server = start_server(durable=True)
                try:
                    results["postgresql"] = _backend("postgresql", server.create_database("live"), Path(tmp))
                finally:
                    server.stop()
    return results
