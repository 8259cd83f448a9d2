"""Done-when of issue 17: `redline serve` and `redline watch --source DIR` on loopback.

WeCom archive lines appended to a spool file reach `GET /api/alerts` within 60 s; a watcher
killed with SIGKILL mid-batch and restarted (twice over, two watchers on one database) loses
nothing and duplicates nothing; SIGTERM finishes the poll and exits 0.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from tests.pipeline.wecom_lines import ORDINARY, VIOLATING, line

from redline.review.accounts import ensure_demo_accounts
from redline.store import make_engine, migrate
from redline.store.tables.findings import FindingRow
from redline.store.tables.messages import Message
from redline.store.tables.review import Alert

pytestmark = pytest.mark.slow
REACH_S = 60.0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _until(what: str, check: Any, timeout: float, every: float = 0.3) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(every)
    pytest.fail(f"timed out waiting for {what}")


class Service:
    """The console and its watchers as real processes on one SQLite file."""

    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.url = f"sqlite:///{tmp / 'live.db'}"
        self.engine = migrate(make_engine(self.url))
        self.passwords = {role: pw for _, role, pw in ensure_demo_accounts(self.engine)}
        self.spool = tmp / "spool"
        self.spool.mkdir()
        self.archive = self.spool / "archive.jsonl"
        self.archive.touch()
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.processes: list[subprocess.Popen[bytes]] = []
        self.serve = self._start("serve", ["serve", "--db", self.url, "--host", "127.0.0.1", "--port", str(self.port)])
        _until("the console", self._up, 90)
        self.client = httpx.Client(base_url=self.base, timeout=10)
        reply = self.client.post("/api/login", json={"username": "analyst", "password": self.passwords["analyst"]})
        assert reply.status_code == 200, reply.text

    def _start(self, log: str, args: list[str]) -> subprocess.Popen[bytes]:
        out = (self.tmp / f"{log}.log").open("ab")
        process = subprocess.Popen([sys.executable, "-m", "redline", *args], stdout=out, stderr=subprocess.STDOUT,
                                   env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
        self.processes.append(process)
        return process

    def _up(self) -> bool:
        try:
            return httpx.get(f"{self.base}/login", timeout=2).status_code == 200
        except httpx.HTTPError:
            assert self.serve.poll() is None, (self.tmp / "serve.log").read_text()
            return False

    def watcher(self, name: str) -> subprocess.Popen[bytes]:
        process = self._start(name, ["watch", "--db", self.url, "--source", str(self.spool), "--interval", "0.3",
                                     "--name", name])
        # ready once it reported a pull after its catch-up
        _until(f"watcher {name}", lambda: self._pulled(name, process), 120)
        return process

    def _pulled(self, name: str, process: subprocess.Popen[bytes]) -> bool:
        assert process.poll() is None, (self.tmp / f"{name}.log").read_text()
        health = self.client.get("/api/health").json()
        return any(w["watcher"] == name and w["seconds_since_pull"] < 5 for w in health["watchers"])

    def append(self, text: str) -> None:
        with self.archive.open("a", encoding="utf-8") as handle:
            handle.write(text)

    def alerted(self) -> list[str]:
        page = self.client.get("/api/alerts", params={"limit": 500}).json()
        return [a["subject_id"] for a in page["alerts"]]

    def close(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.kill()
                process.wait(timeout=20)
        self.engine.dispose()


@pytest.fixture
def service(tmp_path: Path) -> Iterator[Service]:
    running = Service(tmp_path)
    yield running
    running.close()


def _count(service: Service, column: Any) -> int:
    with service.engine.connect() as conn:
        return int(conn.execute(select(func.count(func.distinct(column)))).scalar_one())


def _total(service: Service, table: Any) -> int:
    with service.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def test_an_appended_line_is_an_alert_within_a_minute_and_kill_9_loses_and_duplicates_nothing(service: Service) -> None:
    first = service.watcher("w1")
    service.append("".join(line(f"ok-{i}", ORDINARY[i % len(ORDINARY)], n=i) for i in range(20)))
    appended = time.monotonic()
    service.append(line("bad-0", VIOLATING, sender="wanglaoban0", to="lisi0", n=21))
    _until("the alert of bad-0", lambda: "bad-0" in service.alerted(), REACH_S, every=0.2)
    assert time.monotonic() - appended < REACH_S
    health = service.client.get("/api/health").json()
    assert health["status"] == "ok"
    assert health["watchers"][0]["imported"] >= 21

    # a batch in flight, then SIGKILL: whatever it committed stays, the rest is read after the restart
    batch = [line(f"ok-{i}", ORDINARY[i % len(ORDINARY)], n=i) for i in range(100, 2100)]
    batch[500] = line("bad-1", VIOLATING, sender="wanglaoban1", to="lisi1", n=600)
    batch[1500] = line("bad-2", VIOLATING, sender="wanglaoban2", to="lisi2", n=1600)
    service.append("".join(batch))
    time.sleep(0.5)
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=20)
    # lines seen before (the same msgid) come again, as a puller that restarted would send them
    service.append(line("bad-0", VIOLATING, sender="wanglaoban0", to="lisi0", n=21) + line("ok-5", ORDINARY[1], n=5))
    # two watchers on one database at once
    second, third = service.watcher("w1"), service.watcher("w2")
    service.append(line("bad-3", VIOLATING, sender="wanglaoban3", to="lisi3", n=3000))
    wanted = {"bad-0", "bad-1", "bad-2", "bad-3"}  # four senders: four incidents, four alerts
    _until("every alert", lambda: wanted <= set(service.alerted()), REACH_S * 2)
    _until("an empty backlog", lambda: service.client.get("/api/health").json()["backlog"] == 0, REACH_S)

    alerted = service.alerted()
    assert len(alerted) == len(set(alerted)) == len(wanted)
    assert set(alerted) == wanted
    assert _total(service, Message) == 20 + 2000 + 2  # ok-0..19, the batch, bad-0, bad-3
    assert _total(service, Alert) == _count(service, Alert.subject_id) == len(wanted)
    with service.engine.connect() as conn:
        per_message = conn.execute(select(FindingRow.subject_id, func.count()).where(FindingRow.subject == "message")
                                   .group_by(FindingRow.subject_id)).all()
    assert {m for m, _ in per_message} == wanted
    # every violating message has the same number of findings: none was screened twice into a duplicate
    assert len({n for _, n in per_message}) == 1

    # SIGTERM: the poll in hand is finished, the process exits cleanly
    for process in (second, third):
        process.send_signal(signal.SIGTERM)
    assert second.wait(timeout=60) == 0
    assert third.wait(timeout=60) == 0
