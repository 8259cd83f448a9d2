"""`redline serve`: run the reviewer console (uvicorn) on a host and port."""

from __future__ import annotations

import os
import threading
from typing import Annotated

import typer

from redline.cli.common import DEFAULT_DB, DbOption, settings_for
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
    ) -> None:
        """Serve the reviewer console: migrate the schema, group new findings into alerts, listen."""
        import uvicorn

        from redline.pipeline.alerting import refresh_alerts
        from redline.review.accounts import ensure_demo_accounts, list_accounts
        from redline.store.db import migrate
        from redline.web.console.app import create_console_app

        if not 0 < port < 65536:
            raise ConfigError(f"bad port {port}")
        settings = settings_for(db)
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
        print(f"redline: console on http://{host}:{port}/")
        try:
            if workers == 1:
                app_ = create_console_app(settings, engine)
                app_.state.console.cookie_secure = secure_cookies
                uvicorn.run(app_, host=host, port=port, log_level="warning", access_log=False)
            else:
                # each worker builds its own app from the environment (uvicorn factory mode)
                os.environ["REDLINE_DB"] = settings.db_url
                os.environ["REDLINE_SECURE_COOKIES"] = "1" if secure_cookies else ""
                uvicorn.run("redline.web.console.app:app_from_env", factory=True, host=host, port=port,
                            workers=workers, log_level="warning", access_log=False)
        finally:
            stop.set()
