"""`redline demo`: build the demo county, load it into the store, and show what is where."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from redline.cli.common import DEFAULT_DB, DbOption, settings_for
from redline.demo import DemoResult, build_demo
from redline.store.db import migrate
from redline.store.load import LoadReport, load_bundle


def _yuan(fen: int) -> str:
    return f"{fen / 100:,.2f}"


def _cases_table(planted: dict[str, Any]) -> Table:
    table = Table(title="Planted cases (planted.json)", title_justify="left")
    table.add_column("case", no_wrap=True)
    table.add_column("subject", no_wrap=True)
    table.add_column("rows", justify="right")
    table.add_column("yuan", justify="right")
    table.add_column("expected")
    for key, case in planted["cases"].items():
        subject = case.get("person_id") or case.get("group_id") or ",".join(case.get("person_ids", [])[:2])
        rows = len(case.get("payment_ids", [])) or len(case.get("message_ids", [])) or len(case.get("members", []))
        expected = case["expected"]
        first = (expected.get("analyzers") or expected.get("detectors") or [""])[0]
        table.add_row(key, subject, str(rows or ""), _yuan(case["total_fen"]) if "total_fen" in case else "",
                      f"{expected['category']} ({first})")
    for key, miss in planted["near_misses"].items():
        table.add_row(f"[dim]{key}[/dim]", miss.get("person_id") or miss.get("group_id", ""), "", "",
                      "[green]must not be flagged[/green]")
    return table


def _summary(result: DemoResult, report: LoadReport, db: str) -> Table:
    table = Table(title=f"Demo county {result.planted['county']} "
                        f"({result.planted['period']['start']} – {result.planted['period']['end']})",
                  title_justify="left")
    table.add_column("table")
    table.add_column("in bundle", justify="right")
    table.add_column("loaded", justify="right")
    table.add_column("quarantined", justify="right")
    loaded = {t.table: t for t in report.tables}
    for name, count in result.counts.items():
        t = loaded.get(name)
        table.add_row(name, f"{count:,}", f"{t.rows_loaded:,}" if t else "-", f"{t.rows_quarantined:,}" if t else "-")
    table.caption = f"database: {db}"
    return table


def register(app: typer.Typer) -> None:
    """Add the command to the root app."""

    @app.command("demo")
    def demo(
        db: DbOption = DEFAULT_DB,
        out: Annotated[Path | None, typer.Option("--out", help="Folder for the bundle (default: <data dir>/demo).")] = None,
        seed: Annotated[int, typer.Option(help="Random seed; the same seed gives the same files.")] = 2017,
        scale: Annotated[float, typer.Option(help="Size of the county and its traffic (1.0 = 200,000 messages).")] = 1.0,
    ) -> None:
        """Build the demo county (people, groups, 200,000 messages, payments, planted cases) and load it."""
        settings = settings_for(db)
        target = out or settings.data_dir / "demo"
        console = Console()
        if not console.is_terminal:  # logs and pipes: wide enough that ids and paths never fold
            console = Console(width=120, soft_wrap=True)
        columns = (SpinnerColumn(), TextColumn("[bold]{task.description}"), BarColumn(),
                   MofNCompleteColumn(), TimeElapsedColumn())
        with Progress(*columns, console=console, transient=True) as progress:
            step = progress.add_task("building the demo county", total=None)
            result = build_demo(target, seed=seed, scale=scale)
            progress.update(step, description="migrating the database")
            engine = migrate(settings.db_url)
            tasks: dict[str, Any] = {}

            def on_rows(table: str, done: int, total: int) -> None:
                if table not in tasks:
                    tasks[table] = progress.add_task(f"loading {table}", total=max(total, 1))
                progress.update(tasks[table], completed=done)

            progress.update(step, description="loading")
            report = load_bundle(engine, result.bundle_path, on_rows)
            engine.dispose()
        console.print(_summary(result, report, settings.db_url))
        console.print(_cases_table(result.planted))
        console.print(f"bundle:       {result.bundle_path}")
        console.print(f"planted.json: {result.planted_path}")
        console.print(f"database:     {settings.db_url}")
        console.print(f"built in {result.seconds:.1f} s, loaded in {report.seconds:.1f} s. "
                      f"Next: [bold]redline scan --db {settings.db_url} --files {result.bundle_path}[/bold] "
                      "(--files: also OCR the planted attachments), then "
                      f"[bold]redline serve --db {settings.db_url}[/bold]")
