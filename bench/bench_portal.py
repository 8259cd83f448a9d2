"""Portal load test: reports per second accepted, each with a 1 MB photo, against the real
server (`redline portal`) on loopback; bounded in count and time, stops by itself.

Each of the 16 simulated reporters is a thread with one `httpx.Client` (built once: building
one loads the CA bundle, ~20 ms of CPU that would be charged to the shared cores) and a new
TCP connection per report, as separate people would make. Every answer other than 201, and
every transport error or timeout, counts as an error. `BENCH_PORTAL_WORKERS` sets the
server's `--workers` (default: the portal's own default, one per core).
"""

from __future__ import annotations

import io
import os
import random
import resource
import socket
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import numpy as np
from PIL import Image

REPORTS = int(os.environ.get("BENCH_PORTAL_REPORTS", "400"))
WORKERS = os.environ.get("BENCH_PORTAL_WORKERS", "")
CLIENTS = 16
TIME_LIMIT_S = 120


def _photo(seed: int) -> bytes:
    """About 1 MB of JPEG: a phone-sized picture with real texture, and EXIF with GPS."""
    rng = np.random.default_rng(seed)
    base = np.linspace(0, 255, 1600, dtype=np.float32)[None, :, None] * np.ones((1200, 1, 3), np.float32)
    noisy = np.clip(base + rng.normal(0, 34, (1200, 1600, 3)), 0, 255).astype(np.uint8)
    image = Image.fromarray(noisy)
    exif = image.getexif()
    exif[0x8825] = {1: "N", 2: (39.0, 54.0, 27.0), 3: "E", 4: (116.0, 23.0, 5.0)}
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85, exif=exif)
    return out.getvalue()


def _cpu_seconds(pid: int) -> float:
    """User + system CPU of a process and its direct children (uvicorn's workers), from /proc."""
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        total = 0
        for proc in [pid, *map(int, children)]:
            fields = Path(f"/proc/{proc}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        return total / os.sysconf("SC_CLK_TCK")
    except OSError:
        return float("nan")


def _own_cpu_seconds() -> float:
    """User + system CPU of this process (the 16 simulated reporters)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def run() -> dict[str, object]:
    folder = Path(tempfile.mkdtemp(prefix="redline-portal-bench-"))
    db_url = f"sqlite:///{folder / 'portal.db'}"
    from redline.intake.officers import add_officer
    from redline.store.db import migrate

    add_officer(migrate(db_url), "bench-officer", "bench passphrase 123")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    command = [sys.executable, "-m", "redline", "portal", "--db", db_url, "--data", str(folder / "data"), "--port",
               str(port), "--submit-limit", "100000/minute"]
    if WORKERS:
        command += ["--workers", WORKERS]
    log = folder / "server.log"
    with log.open("w") as out:
        server = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    local = threading.local()
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                httpx.get(url + "/", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.2)
        photos = [_photo(seed) for seed in range(4)]
        texts = ["某局科长收受管理服务对象微信红包多次", "工作群里有人发机密文件照片", "村干部换届前给村民发红包拉票"]

        def one(n: int) -> tuple[int, float]:
            if time.monotonic() > stop_at:
                return -1, 0.0
            if not hasattr(local, "client"):  # one client per reporter thread, no connection kept between reports
                local.client = httpx.Client(timeout=60, limits=httpx.Limits(max_keepalive_connections=0))
            started = time.perf_counter()
            try:
                answer = local.client.post(
                    url + "/api/reports", data={"text": random.choice(texts), "category": "gifts"},
                    files=[("files", (f"IMG_{n}.jpg", photos[n % 4], "image/jpeg"))])
            except httpx.HTTPError:
                return 0, time.perf_counter() - started  # refused, reset or timed out: an error
            return answer.status_code, time.perf_counter() - started

        stop_at = time.monotonic() + TIME_LIMIT_S
        one(0)  # warm up
        load_before = os.getloadavg()[0]  # other work on the machine skews every figure here
        cpu_before, client_before = _cpu_seconds(server.pid), _own_cpu_seconds()
        started = time.perf_counter()
        with ThreadPoolExecutor(CLIENTS) as pool:
            results = list(pool.map(one, range(1, REPORTS + 1)))
        elapsed = time.perf_counter() - started
        server_cpu = _cpu_seconds(server.pid) - cpu_before
        client_cpu = _own_cpu_seconds() - client_before
    finally:
        server.terminate()
        server.wait(timeout=30)
    done = [r for r in results if r[0] != -1]
    ok = [latency for status, latency in done if status == 201]
    workers = next((line.split("worker process(es)")[0].rsplit(" ", 2)[-2] for line in log.read_text().splitlines()
                    if "worker process(es)" in line), "1")
    return {
        "reports_sent": len(done),
        "accepted": len(ok),
        "errors": len(done) - len(ok),
        "error_rate": round((len(done) - len(ok)) / max(len(done), 1), 4),
        "reports_per_second": round(len(ok) / elapsed, 1),
        "photo_bytes": len(photos[0]),
        "concurrent_clients": CLIENTS,
        "latency_p50_ms": round(float(np.percentile(ok, 50)) * 1000, 1) if ok else None,
        "latency_p95_ms": round(float(np.percentile(ok, 95)) * 1000, 1) if ok else None,
        "server_cpu_ms_per_report": round(server_cpu * 1000 / max(len(ok), 1), 1),
        "client_cpu_ms_per_report": round(client_cpu * 1000 / max(len(done), 1), 1),
        "cores": os.cpu_count(),
        "load_average_1m_at_start": round(load_before, 2),
        "server": f"redline portal (uvicorn, {workers} worker process(es)), SQLite, loopback",
    }
