"""`redline serve`: run the reviewer console (uvicorn) on a host and port."""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Annotated

import typer

from redline.cli.common import DEFAULT_DATA, DEFAULT_DB, DataOption, DbOption, settings_for
from redline.errors import ConfigError

REFRESH_SECONDS = 60.0  # how often new findings (from `redline scan`) become alerts


def _refresh_alerts(engine: object, stop: threading.Event) -> None:
    from redline.pipeline.alerting import refresh_alerts

    while not stop.wait(REFRESH_SECONDS):
        refresh_alerts(engine)  # type: ignore[arg-type]


def register(app: typer.Typer) -> None:
    """Add the command to the root app."""

    @app.command("serve")
    def serve(
        db: DbOption = DEFAULT_DB,
        host: Annotated[str, typer.Option(help="Address to listen on")] = "127.0.0.1",
        port: Annotated[int, typer.Option(help="Port to listen on")] = 8000,
        demo_accounts: Annotated[bool, typer.Option(
            "--demo-accounts", help="Create (or reset) one account per role and print the passwords")] = False,
        secure_cookies: Annotated[bool, typer.Option(
            "--secure-cookies", help="Mark cookies Secure (behind an HTTPS proxy)")] = False,
        workers: Annotated[int, typer.Option(
            help="Worker processes (login throttling then counts per worker)")] = 1,
        data: DataOption = DEFAULT_DATA,
        idle_minutes: Annotated[int, typer.Option(
            "--idle-minutes", envvar="REDLINE_SESSION_IDLE_MINUTES",
            help="A session unused this many minutes ends (1-1440); every session ends after 8 hours")] = 30,
        forwarded_allow_ips: Annotated[str, typer.Option(
            "--forwarded-allow-ips", envvar="REDLINE_FORWARDED_ALLOW_IPS",
            help="Comma-separated addresses of the reverse proxy whose X-Forwarded-For and X-Forwarded-Proto "
                 "are believed. Default: none, the peer address is the client (no proxy headers trusted)")] = "",
        audit_anchor: Annotated[Path | None, typer.Option(
            "--audit-anchor", envvar="REDLINE_AUDIT_ANCHOR",
            help="Append-only file outside the database that gets a checkpoint of every audit entry; "
                 "`redline audit verify --anchor` then notices deleted or recomputed entries")] = None,
    ) -> None:
        """Serve the reviewer console: migrate the schema, group new findings into alerts, listen."""
        import uvicorn

        from redline.pipeline.alerting import refresh_alerts
        from redline.review.accounts import ensure_demo_accounts, list_accounts
        from redline.store.db import migrate
        from redline.web.console.app import create_console_app

        if not 0 < port < 65536:
            raise ConfigError(f"bad port {port}")
        settings = settings_for(db, data_dir=data, cookie_secure=secure_cookies, session_idle_minutes=idle_minutes,
                                forwarded_allow_ips=forwarded_allow_ips.strip(), audit_anchor=audit_anchor)
        engine = migrate(settings.db_url)
        created = refresh_alerts(engine)
        print(f"redline: {created} new alerts from findings")
        if demo_accounts:
            print("demo accounts (username / role / password):")
            for username, role, password in ensure_demo_accounts(engine):
                print(f"  {username:<13} {role:<13} {password}")
        elif not list_accounts(engine):
            print("redline: no accounts yet; add one with `redline users add NAME --role admin --password-stdin`"
                  " (or start with --demo-accounts for one account per role)")
        if not 1 <= workers <= 64:
            raise ConfigError(f"bad number of workers {workers}")
        stop = threading.Event()
        threading.Thread(target=_refresh_alerts, args=(engine, stop), daemon=True).start()
        print(f"redline: console on http://{host}:{port}/ (intake files under {settings.data_dir})")
        # uvicorn believes X-Forwarded-For from 127.0.0.1 unless told otherwise: then anyone on the
        # machine could rotate the header past the per-address login limit and into the audit log
        proxy = {"proxy_headers": bool(settings.forwarded_allow_ips),
                 "forwarded_allow_ips": settings.forwarded_allow_ips or None}
        try:
            if workers == 1:
                uvicorn.run(create_console_app(settings, engine), host=host, port=port, log_level="warning",
                            access_log=False, **proxy)  # type: ignore[arg-type]
            else:
                # each worker builds its own app from the environment (uvicorn factory mode)
                os.environ.update(settings.to_env())
                uvicorn.run("redline.web.console.app:app_from_env", factory=True, host=host, port=port,
                            workers=workers, log_level="warning", access_log=False, **proxy)  # type: ignore[arg-type]
        finally:
            stop.set()
