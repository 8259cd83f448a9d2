"""`redline portal` (serve the public reporting portal), `redline officers add|list`, and
`redline portal-purge` (retention)."""

from __future__ import annotations

import os
import sys
from dataclasses import replace
from datetime import date
from typing import Annotated

import typer

from redline.cli.common import (
    DEFAULT_DATA,
    DEFAULT_DB,
    DataOption,
    DbOption,
    audited_store,
    settings_for,
)
from redline.errors import ConfigError


def register(app: typer.Typer) -> None:
    """Add the commands to the root app."""

    @app.command("portal")
    def portal(
        db: DbOption = DEFAULT_DB,
        data: DataOption = DEFAULT_DATA,
        host: Annotated[str, typer.Option(help="Address to listen on (put a TLS proxy in front).")] = "127.0.0.1",
        port: Annotated[int, typer.Option(help="Port; must differ from the console's.")] = 8001,
        pow_bits: Annotated[int, typer.Option(help="Proof-of-work difficulty in bits (0: off).")] = 0,
        submit_limit: Annotated[str, typer.Option(help="Reports per client, e.g. 20/minute.")] = "20/minute",
        workers: Annotated[int, typer.Option(
            help="Worker processes (0: one per CPU core). Rate limits are shared out: each worker "
                 "enforces 1/N of every limit.")] = 0,
    ) -> None:
        """Serve the public reporting portal (随手拍). No access log: no IP address is written anywhere."""
        import secrets

        import uvicorn
        from limits import parse

        from redline.store.db import migrate
        from redline.web.portal.app import (
            PortalConfig,
            create_portal_app,
            portal_engine,
            portal_env,
        )
        from redline.web.portal.guard import Limits

        if not 0 < port < 65536:
            raise ConfigError(f"bad port {port}")
        if not 0 <= pow_bits <= 24:
            raise ConfigError("--pow-bits must be between 0 and 24")
        if not 0 <= workers <= 64:
            raise ConfigError(f"bad number of workers {workers}")
        try:
            parse(submit_limit)
        except ValueError as exc:
            raise ConfigError(f"bad --submit-limit {submit_limit!r} (e.g. 20/minute)") from exc
        workers = workers or len(os.sched_getaffinity(0))
        settings = settings_for(db)
        engine = migrate(portal_engine(settings.db_url))  # once, here, before any worker starts
        config = PortalConfig(data_dir=data, limits=Limits(submit_per_client=submit_limit), pow_bits=pow_bits)
        print(f"redline: reporting portal on http://{host}:{port}/ with {workers} worker process(es)"
              f" (uploads sealed under {data})", flush=True)
        # access_log off and no proxy headers: the server itself must not record who came
        quiet = {"access_log": False, "proxy_headers": False, "server_header": False, "date_header": False,
                 "log_level": "warning"}
        if workers == 1:
            uvicorn.run(create_portal_app(settings, config, engine), host=host, port=port, **quiet)  # type: ignore[arg-type]
            return
        engine.dispose()
        # each worker builds its own app (uvicorn factory mode); they share the proof-of-work key
        os.environ.update(portal_env(settings, replace(config, pow_key=secrets.token_bytes(32)), workers))
        uvicorn.run("redline.web.portal.app:app_from_env", factory=True, workers=workers, host=host, port=port,
                    **quiet)  # type: ignore[arg-type]

    officers = typer.Typer(help="Intake officers of the reporting portal: add and list.", no_args_is_help=True)
    app.add_typer(officers, name="officers")

    @officers.command("add")
    def add(
        name: Annotated[str, typer.Argument(help="Officer name (also their console login, role intake)")],
        password_stdin: Annotated[bool, typer.Option("--password-stdin", help="Read the passphrase from stdin")] = False,
        db: DbOption = DEFAULT_DB,
    ) -> None:
        """Create an intake officer with a key pair; the passphrase opens the private key and the console login."""
        from redline.intake.officers import add_officer
        from redline.review.accounts import add_account, list_accounts
        from redline.store.db import migrate

        if not password_stdin:
            raise ConfigError("give the passphrase on stdin with --password-stdin")
        passphrase = sys.stdin.readline().rstrip("\r\n")
        engine = migrate(settings_for(db).db_url)
        add_officer(engine, name, passphrase)
        if name not in {username for username, _, _ in list_accounts(engine)}:
            add_account(engine, name, "intake", passphrase)
        print(f"added intake officer {name} (reports filed from now on are sealed to their key)")

    @officers.command("list")
    def list_(db: DbOption = DEFAULT_DB) -> None:
        """List intake officers."""
        from sqlalchemy import select
        from sqlalchemy.orm import Session

        from redline.store.db import migrate
        from redline.store.tables.intake import IntakeOfficer

        with Session(migrate(settings_for(db).db_url)) as session:
            for officer in session.scalars(select(IntakeOfficer).order_by(IntakeOfficer.name)):
                print(f"{officer.name}\t{'active' if officer.active else 'disabled'}\t{officer.created_at:%Y-%m-%d}")

    @app.command("portal-purge")
    def purge(
        keep_days: Annotated[int, typer.Option(help="Keep closed reports this many days after closing.")] = 365,
        db: DbOption = DEFAULT_DB,
        data: DataOption = DEFAULT_DATA,
    ) -> None:
        """Delete reports closed longer ago than --keep-days, with their files (each deletion audited)."""
        from redline.intake.retention import purge as purge_reports

        if keep_days < 0:
            raise ConfigError("--keep-days cannot be negative")
        ids = purge_reports(audited_store(db), data, keep_days, date.today())  # noqa: DTZ011 - a calendar day
        print(f"deleted {len(ids)} closed report(s)")
