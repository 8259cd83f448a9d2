"""`redline ingest`: real exports (WeCom archive, WeChat exports, bills, bank CSV, rosters) → bundle."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn
from rich.table import Table

from redline.ingest.detect import FORMATS
from redline.ingest.run import expand, ingest

FORMAT_HELP = "auto (recognise from content) or one of: " + ", ".join(FORMATS)


def register(app: typer.Typer) -> None:
    """Add the command to the root app."""

    @app.command("ingest")
    def ingest_command(
        sources: Annotated[list[Path], typer.Argument(help="Export files or folders (folders are walked).")],
        out: Annotated[Path, typer.Option("--out", "-o", help="Bundle folder to write.")],
        fmt: Annotated[str, typer.Option("--format", "-f", help=FORMAT_HELP)] = "auto",
        owner: Annotated[str, typer.Option(help="Person id of the account holder of bills and personal chat exports.")] = "self",
        zip_password: Annotated[str | None, typer.Option(
            "--zip-password", envvar="REDLINE_ZIP_PASSWORD", show_envvar=True,
            help="Code of password-protected zips (WeChat Pay and Alipay mail bills that way). "
                 "Prefer the environment variable: a command line is visible to other users.")] = None,
        strict: Annotated[bool, typer.Option(
            "--strict", help="Exit 1 when nothing was imported (no file recognised, or every file empty).")] = False,
    ) -> None:
        """Turn exports users already have into a canonical bundle, with quarantine and import report.

        Zip archives are unpacked (bills arrive as zips), with limits against zip bombs.
        Bills, bank statements and personal chat exports belong to one account holder: give
        their person id with --owner so payments land on the right person. Chat red packets are
        completed with amounts and statuses from bills given in the same run.
        """
        console = Console(stderr=True)
        files = expand(sources)
        with Progress(TextColumn("[bold]ingest"), BarColumn(), TextColumn("{task.completed}/{task.total} {task.description}"),
                      console=console, transient=True) as progress:
            task = progress.add_task("", total=len(files))

            def step(path: Path) -> None:
                done = progress.tasks[0].completed + 1
                # a zip counts as one file until it is opened
                progress.update(task, completed=done, total=max(done, progress.tasks[0].total or 0),
                                description=path.name)

            report = ingest(sources, out, fmt=fmt, owner=owner, on_file=step, zip_password=zip_password)
        table = Table(title=f"导入报告 import report → {out}")
        for column in ("source", "format", "read", "written", "quarantined"):
            table.add_column(column, overflow="fold")
        notes: list[str] = []
        for entry in report.sources:
            name = Path(entry["path"]).name
            written = ", ".join(f"{k} {v}" for k, v in (entry.get("written") or {}).items())
            table.add_row(name, str(entry.get("format") or "skipped"), str(entry.get("rows_read", "")),
                          written, str(entry.get("quarantined", "")))
            notes += [f"{name}: {n}" for n in entry.get("notes", [])]
        out_console = Console()
        out_console.print(table)
        for note in notes:
            out_console.print(f"  · {note}", highlight=False)
        totals = ", ".join(f"{k} {v}" for k, v in report.written.items()) or "nothing"
        print(f"bundle: {out} ({totals}); quarantined {report.quarantined}; "
              f"payments completed from bills: {report.joined_from_bills}")
        if not report.written:
            skipped = sum(1 for s in report.sources if s.get("skipped") == "format not recognised")
            print(f"nothing was imported / 没有导入任何记录: {len(files)} file(s) found, {skipped} not recognised, "
                  f"{len(report.failed)} unreadable" + ("" if files else " (the folder is empty)"))
        if report.failed:
            for failure in report.failed:
                print(f"redline: error: {failure}", file=sys.stderr)
            raise typer.Exit(2)
        if strict and not report.written:
            raise typer.Exit(1)
