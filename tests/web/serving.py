"""`redline serve` as a real process on a free loopback port, for the browser tests."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager

import pytest


def free_port(host: str = "127.0.0.1") -> int:
    """A port nothing listens on right now, on `host`."""
    with socket.socket() as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


def _wait_up(base: str, process: subprocess.Popen[bytes], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while process.poll() is None and time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{base}/login", timeout=2) as reply:
                if reply.status == 200:
                    return True
        except OSError:
            time.sleep(0.3)
    return False


@contextmanager
def serving(db_url: str, *extra: str, env: Mapping[str, str] | None = None, host: str = "127.0.0.1",
            timeout: float = 90) -> Iterator[str]:
    """The console of `db_url` (with `extra` arguments of `redline serve`) on `host`, up; yields its base URL."""
    port = free_port(host)
    base = f"http://{host}:{port}"
    # the log goes to a file, not a pipe: a chatty server never blocks on a full pipe
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "redline", "serve", "--db", db_url, *extra, "--host", host,
             "--port", str(port)], stdout=log, stderr=subprocess.STDOUT, env={**os.environ, **(env or {})})
        try:
            if not _wait_up(base, process, timeout):
                process.kill()
                process.wait(timeout=20)
                log.seek(0)
                pytest.fail(f"redline serve did not start: {log.read().decode(errors='replace')[-2000:]}")
            yield base
        finally:
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait(timeout=20)
