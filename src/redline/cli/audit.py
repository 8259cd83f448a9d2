"""`redline audit verify`: check the audit log's hash chain and name the first broken entry."""

from __future__ import annotations

import typer

from redline.cli.common import DEFAULT_DB, DbOption, settings_for
from redline.errors import RedlineError


def register(app: typer.Typer) -> None:
    """Add the command group to the root app."""
    audit = typer.Typer(help="The audit log.", no_args_is_help=True)
    app.add_typer(audit, name="audit")

    @audit.command("verify")
    def verify(db: DbOption = DEFAULT_DB) -> None:
        """Recompute every link of the chain; exit 2 naming the first broken entry."""
        from redline.review import audit_log
        from redline.store.db import make_engine

        result = audit_log.verify(make_engine(settings_for(db).db_url))
        if not result.ok:
            raise RedlineError(
                f"audit chain broken at entry {result.broken_seq} (row id {result.broken_id}): {result.problem}; "
                f"{result.checked} entries before it are intact"
            )
        print(f"audit chain intact: {result.checked} entries")
