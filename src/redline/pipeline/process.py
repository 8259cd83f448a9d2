"""After rows are loaded: screen them, re-analyse what they concern, raise alerts.

The console's bundle import and the live watcher call `after_load`; `redline scan` runs the
same loop over everything (`screen.scan_store` without concerns).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine

from redline.pipeline.alerting import refresh_alerts
from redline.pipeline.concerns import Concerns
from redline.pipeline.screen import ScanSummary, run_records, scan_store
from redline.rules.plan import ScanPlan

AlertHook = Callable[[Engine, int], object]  # (engine, alerts created): the notifier listens here


@dataclass(frozen=True, slots=True)
class Processed:
    """What screening a load did: the scan's summary and the alerts it created."""

    scan: ScanSummary
    new_alerts: int


def after_load(engine: Engine, plan: ScanPlan, concerns: Concerns, *, files_root: Path | None = None,
               on_alerts: AlertHook | None = None) -> Processed:
    """Screen the pending messages and build their alerts; then rerun the local record
    analyses for `concerns` and build theirs (the text's alerts do not wait for them)."""
    summary = scan_store(engine, plan, files_root=files_root, concerns=Concerns())
    created = _alerts(engine, on_alerts)
    if concerns:
        run_records(engine, plan, summary, concerns)
        created += _alerts(engine, on_alerts)
    return Processed(summary, created)


def _alerts(engine: Engine, on_alerts: AlertHook | None) -> int:
    created = refresh_alerts(engine)
    if created and on_alerts is not None:
        on_alerts(engine, created)
    return created
