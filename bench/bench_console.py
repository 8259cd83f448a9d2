"""Console: p95 of the alert-queue page at 1,000,000 findings, SQLite and PostgreSQL.

For each store: fill it with N findings (bulk insert / COPY), group them into alerts with
`review.alerts.build_alerts`, start the real server (`redline serve`, uvicorn) on a free
loopback port, log in, then an asyncio httpx load generator requests queue pages with a mix
of filters, sorts and deep keyset cursors. Latency is measured client side, per request.
"""

from __future__ import annotations

import asyncio
import os
import random
import re
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

from redline.review.accounts import add_account
from redline.review.alerts import build_alerts
from redline.store.db import make_engine, migrate
from redline.store.pgserver import find_bin_dir, start_server

N_FINDINGS = int(os.environ.get("REDLINE_BENCH_FINDINGS", "1000000"))
N_PEOPLE = 5000
UNITS = [f"单位{u:02d}" for u in range(40)]
CATEGORIES = ["gifts", "privacy", "secrets", "gambling", "flattery", "governance", "conduct", "political"]
SEVERITIES = ["low", "medium", "high", "critical"]
RULES = [f"R-{r:02d}" for r in range(60)]
PACKS = ["tianjin-2017", "zhejiang-2017", "xianyang-2015", "wuhan-groups"]
CONCURRENCY = (1, 4)  # one reviewer alone, and four at once
REQUESTS = 400  # per concurrency level
WARMUP = 40
CHUNK = 50_000
T0 = datetime(2025, 1, 1, tzinfo=UTC)
NAMES = "张王李赵陈刘杨黄周吴"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂"


def _people() -> list[tuple[str, str, str]]:
    rng = random.Random(7)
    return [(f"p{i:05d}", rng.choice(NAMES) + rng.choice(GIVEN) + rng.choice(GIVEN), UNITS[i % len(UNITS)])
            for i in range(N_PEOPLE)]


def _finding_rows(start: int, stop: int, people: list[tuple[str, str, str]]) -> list[tuple[Any, ...]]:
    rng = random.Random(start)
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    rows = []
    for i in range(start, stop):
        pid, name, _unit = people[rng.randrange(N_PEOPLE)]
        rule = rng.randrange(len(RULES))
        when = (T0 + timedelta(seconds=rng.randrange(86400 * 600))).strftime("%Y-%m-%d %H:%M:%S.%f")
        # one finding in five shares its message with the previous one: alerts group findings
        subject_id = f"m{(i - 1 if i % 5 == 4 else i):08d}"
        rows.append((
            f"{i:064x}", RULES[rule], PACKS[rule % len(PACKS)], "", CATEGORIES[rule % len(CATEGORIES)], "lexicon",
            "gift-offers", "", "message", subject_id, pid, 0.9, SEVERITIES[rng.randrange(4)],
            f"{name}在工作群发送了涉嫌违规的内容,电话13812345678", "possible breach", "红包", 3, 5, "[]", "{}",
            when, now,
        ))
    return rows


COLUMNS = ("key, rule_id, pack, pack_version, category, detector, label, kind, subject, subject_id, person_id, "
           "score, severity, reason, reason_en, evidence, start, \"end\", related_ids, facts, time, created_at")


def _fill_sqlite(path: Path, people: list[tuple[str, str, str]]) -> None:
    with sqlite3.connect(path) as conn:
        conn.executemany("INSERT INTO people (person_id, name, unit, post, is_official, external, extra) "
                         "VALUES (?, ?, ?, '', 1, 0, '{}')", people)
        marks = ", ".join("?" * 22)
        for start in range(0, N_FINDINGS, CHUNK):
            conn.executemany(f"INSERT INTO findings ({COLUMNS}) VALUES ({marks})",
                             _finding_rows(start, min(N_FINDINGS, start + CHUNK), people))
            conn.commit()


def _fill_postgres(url: str, people: list[tuple[str, str, str]]) -> None:
    import psycopg

    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"), autocommit=False) as conn:
        with conn.cursor() as cur, cur.copy("COPY people (person_id, name, unit, post, is_official, external, extra) FROM STDIN") as copy:
            for pid, name, unit in people:
                copy.write_row((pid, name, unit, "", True, False, "{}"))
        for start in range(0, N_FINDINGS, CHUNK):
            with conn.cursor() as cur, cur.copy(f"COPY findings ({COLUMNS}) FROM STDIN") as copy:
                for row in _finding_rows(start, min(N_FINDINGS, start + CHUNK), people):
                    copy.write_row((*row[:-2], row[-2] + "+00", row[-1] + "+00"))
        conn.commit()
        conn.execute("ANALYZE")
        conn.commit()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _urls(client: httpx.Client) -> list[tuple[str, str]]:
    """The mix of queue pages: default, filters, sorts, and deep keyset pages."""
    cursor_url = "/alerts"
    for _ in range(30):  # walk 30 pages to get a deep cursor
        match = re.search(r'href="([^"]+)" id="next-page"', client.get(cursor_url).text)
        if not match:
            break
        cursor_url = match.group(1).replace("&amp;", "&")
    return [
        ("default", "/alerts"),
        ("category", "/alerts?category=gifts"),
        ("unit", f"/alerts?unit={UNITS[3]}"),
        ("severity", "/alerts?severity=critical&sort=newest"),
        ("rule+dates", "/alerts?rule_id=R-07&date_from=2025-03-01&date_to=2025-09-30"),
        ("newest", "/alerts?sort=newest"),
        ("deep page", cursor_url),
        ("api", "/api/alerts?limit=50"),
    ]


async def _load(base: str, cookies: dict[str, str], urls: list[tuple[str, str]], concurrency: int) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {name: [] for name, _ in urls}
    plan = [urls[i % len(urls)] for i in range(WARMUP + REQUESTS)]
    queue: asyncio.Queue[tuple[int, tuple[str, str]]] = asyncio.Queue()
    for item in enumerate(plan):
        queue.put_nowait(item)

    async def worker() -> None:
        async with httpx.AsyncClient(base_url=base, cookies=cookies, timeout=60) as client:
            while not queue.empty():
                index, (name, url) = queue.get_nowait()
                started = time.perf_counter()
                reply = await client.get(url)
                elapsed = time.perf_counter() - started
                if reply.status_code != 200:
                    raise RuntimeError(f"{url}: HTTP {reply.status_code}")
                if index >= WARMUP:
                    times[name].append(elapsed)

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return times


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return round(1000 * ordered[min(len(ordered) - 1, int(q * len(ordered)))], 1)


def _measure(url: str, workers: int = 1, levels: tuple[int, ...] = CONCURRENCY) -> dict[str, Any]:
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "redline", "serve", "--db", url, "--port", str(port),
                               "--workers", str(workers)],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 600
        while True:
            try:
                if httpx.get(f"{base}/login", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(server.stdout.read().decode() if server.stdout else "server died") from None
                time.sleep(0.5)
        with httpx.Client(base_url=base, timeout=60) as client:
            client.post("/api/login", json={"username": "bench", "password": "bench-password"}).raise_for_status()
            urls = _urls(client)
            cookies = dict(client.cookies)
        results = {}
        for concurrency in levels:
            cpu_before = _cpu_seconds(server.pid)
            load_before = os.getloadavg()[0]
            started = time.perf_counter()
            times = asyncio.run(_load(base, cookies, urls, concurrency))
            wall = time.perf_counter() - started
            cpu = _cpu_seconds(server.pid) - cpu_before
            every = [t for values in times.values() for t in values]
            results[f"concurrency_{concurrency}"] = {
                "requests": len(every), "requests_per_s": round(len(every) / wall, 1),
                "p50_ms": _pct(every, 0.50), "p95_ms": _pct(every, 0.95), "p99_ms": _pct(every, 0.99),
                "mean_ms": round(1000 * statistics.fmean(every), 1),
                # server CPU per request (user+system, warm-up included): what the page costs,
                # whatever else the machine is doing
                "server_cpu_ms_per_request": round(1000 * cpu / (len(every) + WARMUP), 1),
                "load_average_1min": round((load_before + os.getloadavg()[0]) / 2, 1),
                "p95_ms_by_page": {name: _pct(values, 0.95) for name, values in times.items()},
            }
    finally:
        server.terminate()
        server.wait(timeout=30)
    return results


def _cpu_seconds(pid: int) -> float:
    """CPU seconds (user + system) of the server process and its worker processes."""
    total = 0.0
    pids = [pid] + [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    for one in pids:
        try:
            fields = Path(f"/proc/{one}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def _prepare(url: str, fill: Any) -> dict[str, Any]:
    engine = migrate(url)
    people = _people()
    started = time.perf_counter()
    fill(people)
    filled = time.perf_counter() - started
    started = time.perf_counter()
    alerts = build_alerts(engine)
    grouped = time.perf_counter() - started
    add_account(engine, "bench", "analyst", "bench-password")
    engine.dispose()
    return {"findings": N_FINDINGS, "alerts": alerts, "fill_s": round(filled, 1), "build_alerts_s": round(grouped, 1)}


def run() -> dict[str, Any]:
    figures: dict[str, Any] = {"aim_p95_ms": 100, "page_size": 50, "cores": os.cpu_count(),
                               "note": "every queue view writes an audit entry (alerts.list); the load "
                                       "generator runs on the same machine as the server"}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.db"
        url = f"sqlite:///{path}"
        make_engine(url).dispose()
        prep = _prepare(url, lambda people: _fill_sqlite(path, people))
        figures["sqlite"] = {**prep, "workers_1": _measure(url), "workers_2": _measure(url, 2, (4,))}
        print("sqlite", figures["sqlite"], flush=True)
    if find_bin_dir() is None:
        figures["postgresql"] = "skipped: PostgreSQL binaries absent"
        return figures
    server = start_server(durable=True)
    try:
        url = server.create_database("console_bench")
        prep = _prepare(url, lambda people: _fill_postgres(make_engine(url).url.render_as_string(hide_password=False), people))
        figures["postgresql"] = {**prep, "workers_1": _measure(url), "workers_2": _measure(url, 2, (4,))}
    finally:
        server.stop()
    return figures


if __name__ == "__main__":
    print(run())
