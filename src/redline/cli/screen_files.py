"""`redline screen-files PATH... --packs all --output findings.jsonl`: screen photos, PDFs, Word
and Excel files with the same packs as messages; one finding per hit, with `file` and `page`."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Annotated

import orjson
import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from redline.cli.common import DEFAULT_DB, DbOption
from redline.cli.packs import OverridesOption, PacksOption, load_built
from redline.errors import InputError, SourceLocation


def register(app: typer.Typer) -> None:
    """Add the command to the root app."""

    @app.command("screen-files")
    def screen_files_command(
        paths: Annotated[list[Path], typer.Argument(help="Files or folders (photos, PDF, DOCX, XLSX, text)")],
        output: Annotated[str, typer.Option("--output", "-o", help="findings.jsonl, or - for stdout")] = "-",
        packs: PacksOption = "all",
        overrides: OverridesOption = None,
        db: DbOption = DEFAULT_DB,
    ) -> None:
        """Read attachments (OCR for photos and scans) and screen their text with the packs."""
        from redline.attachments.screen import expand, screen_files

        for path in paths:
            if not path.exists():
                raise InputError("no such file or folder", SourceLocation(path))
        built = load_built(packs, overrides)
        err = Console(stderr=True)
        files = expand(paths)
        started = time.perf_counter()
        with Progress(TextColumn("[bold]screen-files"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.description}"),
                      console=err, transient=True, disable=not err.is_terminal) as progress:
            task = progress.add_task("", total=len(files))
            reports = screen_files(built.plan, files,
                                   on_file=lambda p: progress.update(task, advance=1, description=p.name))
        lines = [orjson.dumps(record) for report in reports for record in report.records]
        data = b"".join(line + b"\n" for line in lines)
        if output == "-":
            sys.stdout.buffer.write(data)
        else:
            Path(output).write_bytes(data)
        unreadable = sum(1 for r in reports if r.extracted.problem)
        no_text = sum(1 for r in reports if r.extracted.skipped)
        ocr_pages = sum(r.extracted.ocr_pages for r in reports)
        err.print(f"screened {len(reports)} files in {time.perf_counter() - started:.1f} s ({ocr_pages} pages by OCR, "
                  f"{no_text} without text, {unreadable} unreadable): {len(lines)} findings", highlight=False)
