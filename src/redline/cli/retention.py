"""`redline retention apply [--dry-run]` and `redline hold …`: retention by policy, and holds."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from redline.cli.common import DEFAULT_DB, DbOption, settings_for

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from redline.review.accounts import Actor


def register(app: typer.Typer) -> None:
    """Add the `retention` and `hold` groups to the root app."""
    retention = typer.Typer(help="Retention by policy (保存期限): delete what has been kept long enough.",
                            no_args_is_help=True)
    app.add_typer(retention, name="retention")
    holds = typer.Typer(help="Holds (保全) on a case, person or group: retention and re-imports leave them alone.",
                        no_args_is_help=True)
    app.add_typer(holds, name="hold")

    @retention.command("apply")
    def apply_policy(
        dry_run: Annotated[bool, typer.Option("--dry-run", help="Count what would be deleted; delete nothing")] = False,
        policy: Annotated[Path | None, typer.Option(
            "--policy", envvar="REDLINE_RETENTION", help="YAML file with the retention policy")] = None,
        keep_days: Annotated[int | None, typer.Option(
            "--keep-days", min=0, help="Days to keep closed portal reports (default: the policy's)")] = None,
        now: Annotated[datetime | None, typer.Option("--now", help="Apply as of this time (UTC; for replays)")] = None,
        db: DbOption = DEFAULT_DB,
    ) -> None:
        """Apply the retention policy; every deletion is counted in the audit log."""
        from dataclasses import replace

        from redline.cases.retention import RetentionPolicy, apply
        from redline.store.db import migrate

        settings = settings_for(db)
        chosen = RetentionPolicy.from_yaml(policy) if policy else RetentionPolicy()
        if keep_days is not None:
            chosen = replace(chosen, portal_reports_days=keep_days)
        engine = migrate(settings.db_url)
        at = None if now is None else (now.replace(tzinfo=UTC) if now.tzinfo is None else now)
        outcomes = apply(engine, chosen, now=at, dry_run=dry_run, data_dir=settings.data_dir, actor="cli")
        verb = "would delete" if dry_run else "deleted"
        for o in outcomes:
            print(f"{o.rule:<26} {o.kind:<14} {verb} {o.count:>8,}  kept under hold {o.held:>6,}  "
                  f"(older than {o.days} days)")

    @holds.command("place")
    def place_hold(
        scope: Annotated[str, typer.Argument(help="case | person | group")],
        target: Annotated[str, typer.Argument(help="Case number, person id or group id")],
        reason: Annotated[str, typer.Option("--reason", help="Why (required; audited)")],
        user: Annotated[str, typer.Option("--as", help="The investigator's account")],
        db: DbOption = DEFAULT_DB,
    ) -> None:
        """Put a case, person or group on hold."""
        from redline.cases.holds import place
        from redline.store.db import migrate

        engine = migrate(settings_for(db).db_url)
        hold_id = place(engine, _actor(engine, user), scope, target, reason)
        print(f"hold {hold_id} on {scope} {target}")

    @holds.command("lift")
    def lift_hold(
        hold_id: Annotated[int, typer.Argument(help="The hold's number")],
        reason: Annotated[str, typer.Option("--reason", help="Why (required; audited)")],
        user: Annotated[str, typer.Option("--as", help="The investigator's account")],
        db: DbOption = DEFAULT_DB,
    ) -> None:
        """Lift a hold (it stays on record)."""
        from redline.cases.holds import lift
        from redline.store.db import migrate

        engine = migrate(settings_for(db).db_url)
        lift(engine, _actor(engine, user), hold_id, reason)
        print(f"hold {hold_id} lifted")

    @holds.command("list")
    def list_holds(db: DbOption = DEFAULT_DB) -> None:
        """Holds in force."""
        from sqlalchemy.orm import Session

        from redline.cases.holds import active
        from redline.store.db import migrate

        engine = migrate(settings_for(db).db_url)
        with Session(engine) as session:
            for h in active(session):
                print(f"{h.id:>5}  {h.scope:<7} {h.target:<24} {h.placed_by:<12} {h.placed_at:%Y-%m-%d}  {h.reason}")


def _actor(engine: Engine, username: str) -> Actor:
    """The account acting from the command line (holds are an investigator's act)."""
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from redline.errors import NotFound
    from redline.review.accounts import Actor, Role
    from redline.store.tables.accounts import Account

    with Session(engine) as session:
        account = session.scalar(select(Account).where(Account.username == username, Account.active.is_(True)))
    if account is None:
        raise NotFound(f"no active account {username!r}")
    return Actor(account.username, Role(account.role))
