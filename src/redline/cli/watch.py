"""`redline watch --db URL --source SPEC… [--interval S]`: the live watcher as a service.

`--source DIR` is a spool folder (see `pipeline.spool`); `--source wecom:CONFIG.toml` pulls the
WeCom archive through the finance SDK (see `pipeline.wecom`). SIGTERM (systemd's stop) and
Ctrl-C finish the poll in hand and exit 0.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import threading
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer

from redline.bundle.schema import CHINA
from redline.cli.common import DEFAULT_DB, DbOption, settings_for
from redline.cli.packs import OverridesOption, PacksOption, load_built
from redline.errors import ConfigError
from redline.pipeline.source import Source

SourcesOption = Annotated[list[str], typer.Option(
    "--source", help="A spool folder, or wecom:CONFIG.toml (repeat for several sources)")]


def make_source(spec: str, owner: str) -> Source:
    """A source from its command-line spec."""
    if spec.startswith("wecom:"):
        from redline.pipeline.wecom import WecomSource

        return WecomSource.from_config(Path(spec.removeprefix("wecom:")))
    from redline.pipeline.spool import Spool

    return Spool(Path(spec), owner=owner)


def register(app: typer.Typer) -> None:
    """Add `redline watch` to the root app."""

    @app.command("watch")
    def watch(
        source: SourcesOption,
        db: DbOption = DEFAULT_DB,
        interval: Annotated[float, typer.Option(help="Seconds between polls when nothing is new")] = 1.0,
        packs: PacksOption = "all",
        overrides: OverridesOption = None,
        owner: Annotated[str, typer.Option(
            help="Person id of the account holder of bills and personal exports dropped in a spool")] = "self",
        name: Annotated[str | None, typer.Option(
            help="Name of this watcher in /api/health (default: host and sources)")] = None,
        metrics_port: Annotated[int | None, typer.Option(
            "--metrics-port", help="Serve Prometheus metrics on 127.0.0.1:PORT")] = None,
        global_every: Annotated[float, typer.Option(
            "--global-every", help="Seconds between runs of the whole-store analyses (circles, vote buying)")] = 600.0,
        notify: Annotated[Path | None, typer.Option(
            "--notify", help="Notifier configuration (TOML): e-mail or WeCom app messages for high alerts, and a daily "
                    "reminder of real-name reports whose statutory deadline is near or past")] = None,
        once: Annotated[bool, typer.Option("--once", help="One poll, then exit (cron, tests)")] = False,
        retention: Annotated[Path | None, typer.Option(
            "--retention", envvar="REDLINE_RETENTION",
            help="Retention policy (YAML) to apply on start and then daily; audited")] = None,
    ) -> None:
        """Import, screen and alert continuously: new lines in a spool folder reach the queue in seconds."""
        from redline.pipeline.metrics import Metrics
        from redline.pipeline.watcher import Watcher
        from redline.store import make_engine, migrate

        if not interval > 0:
            raise ConfigError(f"bad interval {interval}")
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
        sources = [make_source(spec, owner) for spec in source]
        built = load_built(packs, overrides)
        engine = migrate(make_engine(db))
        metrics = Metrics() if metrics_port else None
        if metrics is not None and metrics_port is not None:
            metrics.serve(metrics_port)
        hook = None
        daily: list[Callable[[], object]] = []
        if notify is not None:
            from redline.pipeline.notify import Notifier

            notifier = Notifier.from_config(notify)
            hook = notifier.on_alerts

            def reminders() -> object:  # the intake officers' statutory deadlines, once a day
                return notifier.on_day(engine, datetime.now(CHINA).date())
            daily.append(reminders)
        if retention is not None:
            from redline.cases.retention import RetentionPolicy, apply as apply_retention

            policy = RetentionPolicy.from_yaml(retention)  # a bad file fails here, before watching

            def retain() -> object:
                return apply_retention(engine, policy, data_dir=settings_for(db).data_dir, actor="watcher")
            daily.append(retain)
        watcher = Watcher(engine, built.plan, sources, name=name or f"{socket.gethostname()}:{','.join(source)}"[:200],
                          interval=interval, global_every=global_every, metrics=metrics, on_alerts=hook,
                          daily=daily)
        stop = threading.Event()
        if once:
            watcher.catch_up()
            watcher.poll()
            return
        for src in sources:
            media = getattr(src, "media", None)  # WeCom files: fetched apart, never ahead of the text
            if media is not None:
                threading.Thread(target=media.run, args=(engine, stop), daemon=True, name="media").start()
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: stop.set())
        logging.getLogger("redline.watch").info("watching %s (pid %d)", ", ".join(source), os.getpid())
        watcher.run(stop)
