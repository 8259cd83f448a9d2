"""`redline report CASE_ID`: write a case report (.docx) or evidence table (.xlsx), pseudonymised."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from redline.cli.common import DEFAULT_DB, DbOption, audited_store
from redline.errors import ConfigError


def register(app: typer.Typer) -> None:
    """Add the command to the root app."""

    @app.command("report")
    def report(
        case_id: Annotated[int, typer.Argument(help="Case number")],
        output: Annotated[Path, typer.Option("--output", "-o", help="File to write: .docx or .xlsx")],
        db: DbOption = DEFAULT_DB,
    ) -> None:
        """Export one case as seen in the console (pseudonyms, masked numbers); audited."""
        from redline.reports.casefile import gather
        from redline.reports.docx import case_report
        from redline.reports.xlsx import evidence_table
        from redline.review import audit_log
        from redline.review.identity import load_masker
        from redline.review.keys import console_key

        kind = output.suffix.lower().lstrip(".")
        if kind not in ("docx", "xlsx"):
            raise ConfigError(f"--output must end in .docx or .xlsx: {output}")
        engine = audited_store(db)
        casefile = gather(engine, case_id, load_masker(engine, console_key(engine, "pseudonym")))
        body = case_report(casefile) if kind == "docx" else evidence_table(casefile)
        output.write_bytes(body)
        audit_log.record(engine, "cli", "", f"case.export.{kind}", f"case:{case_id}", {"bytes": len(body)})
        print(f"wrote {output} ({len(body):,} bytes, {len(casefile.evidence)} findings)")
