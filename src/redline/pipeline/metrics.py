"""Prometheus metrics of a watcher (`redline watch --metrics-port`): lag, rate, errors, backlog."""

from __future__ import annotations

import time
from collections import deque
from typing import Final

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, start_http_server

RATE_WINDOW: Final = 60.0  # seconds over which messages/s is averaged


class Metrics:
    """The watcher's metrics in a registry of their own (two watchers in one test process)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.lag = Gauge("redline_watch_lag_seconds",
                         "Seconds from a chunk reaching the source to its alerts being built", registry=self.registry)
        self.imported = Counter("redline_watch_imported_rows",
                                "Messages and payments imported", registry=self.registry)
        self.rate = Gauge("redline_watch_messages_per_second",
                          f"Messages and payments imported per second over the last {RATE_WINDOW:.0f} s",
                          registry=self.registry)
        self.errors = Counter("redline_watch_errors", "Chunks or polls that failed", registry=self.registry)
        self.backlog = Gauge("redline_watch_backlog_messages", "Messages not yet screened", registry=self.registry)
        self.last_pull = Gauge("redline_watch_last_pull_timestamp_seconds", "Unix time of the last pull",
                               registry=self.registry)
        self.poll_seconds = Histogram("redline_watch_poll_seconds", "Seconds one poll took (import, screen, alerts)",
                                      registry=self.registry)
        self._window: deque[tuple[float, int]] = deque()

    def serve(self, port: int, host: str = "127.0.0.1") -> None:
        """Expose /metrics on `host:port` (loopback by default: metrics name no person, but
        a scrape endpoint belongs behind the same network rules as the console)."""
        start_http_server(port, addr=host, registry=self.registry)

    def record(self, *, imported: int, errors: int, backlog: int, lag: float | None, seconds: float) -> None:
        now = time.time()
        self.imported.inc(imported)
        if errors:
            self.errors.inc(errors)
        self.backlog.set(backlog)
        if lag is not None:
            self.lag.set(lag)
        self.last_pull.set(now)
        self.poll_seconds.observe(seconds)
        self._window.append((now, imported))
        while self._window and now - self._window[0][0] > RATE_WINDOW:
            self._window.popleft()
        span = max(now - self._window[0][0], 1.0) if self._window else RATE_WINDOW
        self.rate.set(sum(n for _, n in self._window) / span)
