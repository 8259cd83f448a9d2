"""The live watcher: pull the sources, screen what arrived, re-analyse what it concerns, alert.

One poll: every source loads its new data (each chunk committed with its position), then one
`process.after_load` screens the pending messages and reruns the local record analyses for the
people and groups the new rows concern (a group that only got messages at most every
`talk_every` seconds: its statistics move slowly), and alerts are built. The analyses that need the whole
store (`concerns.GLOBAL_ANALYZERS`) run every `global_every` seconds when anything arrived.
At start the watcher catches up once over the whole store: rows a killed watcher loaded but
did not get to analyse are analysed then. A stop request (SIGTERM) is honoured between polls,
so the batch in hand is finished and committed.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Engine

from redline.errors import RedlineError
from redline.pipeline.alerting import refresh_alerts
from redline.pipeline.concerns import Concerns, global_plan
from redline.pipeline.metrics import Metrics
from redline.pipeline.process import AlertHook, after_load
from redline.pipeline.screen import count_pending, scan_store
from redline.pipeline.source import Source
from redline.pipeline.status import Beat, save_beat
from redline.rules.plan import ScanPlan

log = logging.getLogger("redline.watch")
TALK_EVERY = 30.0  # seconds: groups that only got messages are re-analysed at most this often


@dataclass(frozen=True, slots=True)
class PollReport:
    """What one poll did."""

    rows: int
    errors: list[str]
    new_alerts: int
    backlog: int
    lag: float | None  # seconds from the newest chunk's arrival to its alerts; None when nothing came
    seconds: float
    more: bool


class Watcher:
    """Polls `sources` into `engine` with `plan`; see module doc."""

    def __init__(self, engine: Engine, plan: ScanPlan, sources: list[Source], *, name: str,
                 interval: float = 1.0, global_every: float = 600.0, talk_every: float = TALK_EVERY,
                 metrics: Metrics | None = None, on_alerts: AlertHook | None = None,
                 daily: Sequence[Callable[[], object]] = (), daily_every: float = 86_400.0) -> None:
        self.engine, self.plan, self.sources = engine, plan, sources
        self.interval, self.global_every, self.talk_every = interval, global_every, talk_every
        self._talk: set[str] = set()
        self._talk_due = 0.0
        self.metrics, self.on_alerts = metrics, on_alerts
        now = datetime.now(UTC)
        self.beat = Beat(watcher=name, plan_version=plan.version, started_at=now, last_pull=now)
        self._global_due = time.monotonic() + global_every
        self._arrived_since_global = False
        # daily tasks (the retention policy, deadline reminders), run on the first poll and then
        # every `daily_every` seconds; each one audits what it does itself
        self.daily, self.daily_every = tuple(daily), daily_every
        self._daily_due = time.monotonic()

    def catch_up(self) -> None:
        """Screen and analyse the whole store once (what a killed watcher left half done)."""
        summary = scan_store(self.engine, self.plan)
        created = refresh_alerts(self.engine)
        if created and self.on_alerts is not None:
            self.on_alerts(self.engine, created)
        log.info("caught up: %d messages screened, %d new findings, %d new alerts",
                 summary.messages, summary.new_findings, created)

    def poll(self) -> PollReport:
        """One round over the sources; see module doc."""
        started = time.perf_counter()
        rows, errors, more, concerns, newest = 0, [], False, Concerns(), None
        for source in self.sources:
            try:
                pulled = source.pull(self.engine)
            except (RedlineError, OSError) as exc:
                errors.append(f"{source.name}: {exc}")
                continue
            errors += pulled.errors
            for warning in pulled.warnings:
                log.warning("%s: %s", source.name, warning)
            more = more or pulled.more
            for loaded in pulled.loaded:
                rows += loaded.rows
                concerns = concerns | Concerns.of_tables(loaded.bundle.tables)
                newest = loaded.arrived if newest is None else max(newest, loaded.arrived)
        # always: messages loaded by others (`redline load`) are screened here too
        created = after_load(self.engine, self.plan, self._due(concerns), on_alerts=self.on_alerts).new_alerts
        self._arrived_since_global = self._arrived_since_global or bool(concerns)
        created += self._global_if_due()
        self._daily_if_due()
        _, backlog = count_pending(self.engine, self.plan.version)
        lag = time.time() - newest if newest is not None else None
        report = PollReport(rows, errors, created, backlog, lag, time.perf_counter() - started, more)
        self._report(report)
        return report

    def _due(self, concerns: Concerns) -> Concerns:
        """What to re-analyse now: the urgent concerns, and the talk gathered since the last
        time once `talk_every` has passed."""
        self._talk |= concerns.talk
        now = time.monotonic()
        if not self._talk or now < self._talk_due:
            return concerns.urgent()
        self._talk_due = now + self.talk_every
        talk, self._talk = self._talk, set()
        return concerns.urgent() | Concerns(conversations=frozenset(talk))

    def _global_if_due(self) -> int:
        if not self._arrived_since_global or time.monotonic() < self._global_due:
            return 0
        self._global_due = time.monotonic() + self.global_every
        self._arrived_since_global = False
        scan_store(self.engine, global_plan(self.plan))
        created = refresh_alerts(self.engine)
        if created and self.on_alerts is not None:
            self.on_alerts(self.engine, created)
        return created

    def _daily_if_due(self) -> None:
        if not self.daily or time.monotonic() < self._daily_due:
            return
        self._daily_due = time.monotonic() + self.daily_every
        for task in self.daily:
            try:
                task()
            except RedlineError as exc:  # a bad policy or the database away: say so, keep watching
                log.error("daily task %s failed: %s", getattr(task, "__name__", task), exc)
                self.beat.errors += 1

    def _report(self, report: PollReport) -> None:
        now = datetime.now(UTC)
        beat = self.beat
        beat.last_pull = now
        beat.backlog = report.backlog
        beat.errors += len(report.errors)
        if report.rows:
            beat.imported += report.rows
            beat.last_import = now
        if report.lag is not None:
            beat.lag_seconds = report.lag
        if report.errors:
            beat.last_error = report.errors[-1]
            for error in report.errors:
                log.error("%s", error)
        save_beat(self.engine, beat)
        if report.rows or report.new_alerts:
            log.info("imported %d rows, %d new alerts, backlog %d, lag %.1f s, poll %.2f s", report.rows,
                     report.new_alerts, report.backlog, report.lag or 0.0, report.seconds)
        if self.metrics is not None:
            self.metrics.record(imported=report.rows, errors=len(report.errors), backlog=report.backlog,
                                lag=report.lag, seconds=report.seconds)

    def run(self, stop: threading.Event) -> None:
        """Poll until `stop` is set; a poll in progress always finishes first."""
        self.catch_up()
        while not stop.is_set():
            try:
                report = self.poll()
            except RedlineError as exc:  # the database away for a moment: report, wait, retry
                log.error("poll failed: %s", exc)
                self.beat.errors += 1
                stop.wait(self.interval)
                continue
            if not report.more:
                stop.wait(self.interval)
        log.info("stopped: %d rows imported since start", self.beat.imported)
