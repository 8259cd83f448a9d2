"""`redline audit verify`: check the audit log's hash chain (and, with --anchor, the checkpoints
outside the database) and name the first broken, missing or rewritten entry (exit 2)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from redline.cli.common import DEFAULT_DB, DbOption, settings_for
from redline.errors import RedlineError

AnchorOption = Annotated[Path | None, typer.Option(
    "--anchor", envvar="REDLINE_AUDIT_ANCHOR",
    help="The append-only checkpoint file the console writes (REDLINE_AUDIT_ANCHOR): without it, deleting the "
         "newest entries or recomputing the chain after an edit cannot be noticed")]


def register(app: typer.Typer) -> None:
    """Add the command group to the root app."""
    audit = typer.Typer(help="The audit log.", no_args_is_help=True)
    app.add_typer(audit, name="audit")

    @audit.command("verify")
    def verify(db: DbOption = DEFAULT_DB, anchor: AnchorOption = None) -> None:
        """Recompute every link of the chain and compare with the anchor; exit 2 naming the first bad entry."""
        from redline.review import audit_log
        from redline.store.db import make_engine

        result = audit_log.verify(make_engine(settings_for(db).db_url), anchor)
        if not result.ok:
            raise RedlineError(
                f"audit chain broken at entry {result.broken_seq}"
                + (f" (row id {result.broken_id})" if result.broken_id is not None else "")
                + f": {result.problem}; {result.checked} entries before it are intact"
            )
        if result.anchored is None:
            print(f"audit chain intact: {result.checked} entries (no --anchor: a deleted tail or a recomputed "
                  "chain would not show)")
        elif result.anchored == result.checked:
            print(f"audit chain intact: {result.checked} entries, all {result.anchored} anchored")
        else:
            print(f"audit chain intact: {result.checked} entries, {result.anchored} anchored "
                  f"({result.checked - result.anchored} written by a process without the anchor)")
