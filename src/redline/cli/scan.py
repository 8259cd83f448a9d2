"""`redline scan`: screen the store incrementally and save findings idempotently.

The loop itself is `pipeline.screen.scan_store` (shared with the console's import and the
live watcher); this module is its command line and summary table.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn
from rich.table import Table

from redline.cli.common import DEFAULT_DB, DbOption
from redline.cli.packs import OverridesOption, PacksOption, load_built
from redline.pipeline.screen import ScanSummary, scan_store
from redline.rules.plan import RuleRef, ScanPlan


def summary_table(s: ScanSummary, plan: ScanPlan) -> Table:
    """Findings per rule, with the rule's pack, category and severity."""
    refs: dict[str, RuleRef] = {}
    for rule_ref in plan.rules.values():
        refs.setdefault(rule_ref.rule_id, rule_ref)
    table = Table(title=f"redline scan — plan {s.plan_version}")
    for col in ("rule", "pack", "category", "severity", "findings"):
        table.add_column(col, justify="right" if col == "findings" else "left")
    for rid, n in sorted(s.by_rule.items()):
        ref = refs.get(rid)
        table.add_row(rid, ref.pack if ref else "", ref.category if ref else "", ref.severity if ref else "", str(n))
    return table


def register(app: typer.Typer) -> None:
    """Add `redline scan` to the root app."""

    @app.command("scan")
    def scan(
        db: DbOption = DEFAULT_DB,
        packs: PacksOption = "all",
        overrides: OverridesOption = None,
        cache_dir: Annotated[Path | None, typer.Option("--cache-dir", help="cache for compiled detectors")] = None,
        files: Annotated[Path | None, typer.Option(
            "--files", help="folder that messages' attachment.path is relative to: screen those files too")] = None,
    ) -> None:
        """Screen the store's new messages and run the record analyses; findings are idempotent."""
        from redline.store import make_engine, migrate

        built = load_built(packs, overrides, cache_dir=cache_dir)
        engine = migrate(make_engine(db))
        console = Console()
        with Progress(
            "[progress.description]{task.description}", BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
            console=Console(stderr=True), transient=True,
        ) as progress:
            summary = scan_store(engine, built.plan, progress=progress, files_root=files.resolve() if files else None)
        console.print(summary_table(summary, built.plan))
        console.print(
            f"{summary.messages} messages screened ({summary.already} already screened with this plan), "
            f"{summary.text_findings} text findings, {summary.record_findings} record findings, "
            f"{summary.new_findings} new; {summary.seconds:.1f} s",
            markup=False, highlight=False,
        )
        if summary.refused_attachments:
            console.print(f"{summary.refused_attachments} attachment path(s) outside {files} refused and quarantined "
                          "(the console's /quarantine page lists them)", markup=False, highlight=False)
        not_covered = sorted({n.rule_id for n in built.plan.not_covered if n.label is None})
        if not_covered:
            console.print(f"not covered: {', '.join(not_covered)} (see `redline packs coverage`)", markup=False)
