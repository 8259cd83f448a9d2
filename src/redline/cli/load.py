"""`redline load BUNDLE`: read a bundle, upsert it into the store, write its quarantine beside it.

The database is migrated first (`upgrade heads`), so loading into a new SQLite file works.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn
from rich.table import Table

from redline.bundle import read_bundle, write_quarantine
from redline.bundle.schema import QUARANTINE_FILE
from redline.cli.common import DEFAULT_DB, DbOption
from redline.store import LoadReport, load_bundle, make_engine, migrate


def quarantine_path(bundle: Path) -> Path:
    """Where the quarantine of `bundle` goes: inside a folder, beside a zip."""
    if bundle.is_dir():
        return bundle / QUARANTINE_FILE
    return bundle.with_name(f"{bundle.stem}.{QUARANTINE_FILE}")


def summary_table(report: LoadReport) -> Table:
    """Rows read, loaded and quarantined per bundle file."""
    table = Table(title=f"Loaded {report.source}", title_justify="left")
    for column in ("file", "read", "loaded", "quarantined"):
        table.add_column(column, justify="left" if column == "file" else "right")
    for item in report.tables:
        style = "red" if item.rows_quarantined else None
        table.add_row(item.filename, f"{item.rows_read:,}", f"{item.rows_loaded:,}", f"{item.rows_quarantined:,}", style=style)
    table.add_row("total", f"{sum(t.rows_read for t in report.tables):,}", f"{report.rows_loaded:,}",
                  f"{len(report.quarantined):,}", style="bold")
    return table


def run_load(bundle: Path, db: str, console: Console) -> LoadReport:
    """Migrate, read, load with progress bars, write the quarantine; returns the report."""
    engine = migrate(make_engine(db))
    try:
        with console.status(f"reading {bundle}"):
            read = read_bundle(bundle)
        with Progress(TextColumn("{task.description:<12}"), BarColumn(), MofNCompleteColumn(),
                      console=console, transient=True) as progress:
            tasks: dict[str, TaskID] = {}

            def advance(table: str, done: int, total: int) -> None:
                if table not in tasks:
                    tasks[table] = progress.add_task(table, total=total or 1)
                progress.update(tasks[table], completed=done if total else 1)

            report = load_bundle(engine, read, progress=advance)
    finally:
        engine.dispose()
    write_quarantine(quarantine_path(bundle), report.quarantined)
    return report


def register(app: typer.Typer) -> None:
    """Add `redline load` to the root app."""

    @app.command("load")
    def load(
        bundle: Annotated[Path, typer.Argument(help="Bundle folder or .zip")],
        db: DbOption = DEFAULT_DB,
    ) -> None:
        """Load a canonical bundle into the store (idempotent: loading twice changes nothing)."""
        console = Console(stderr=False)
        report = run_load(bundle, db, console)
        console.print(summary_table(report))
        for note in report.read.notes if report.read else ():
            console.print(f"[dim]note: {note}[/dim]")
        if report.quarantined:
            console.print(f"{len(report.quarantined)} row(s) quarantined → {quarantine_path(bundle)}")
        kept = report.stored_quarantine
        if kept and (kept.stored or kept.resolved):
            console.print(f"quarantined_rows: {kept.stored} kept in the store, {kept.resolved} fixed and removed")
