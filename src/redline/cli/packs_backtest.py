"""`redline packs backtest`: what a rule change would do to the queue, before making it (试运行)."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from redline.cli.common import DEFAULT_DB, DbOption
from redline.cli.packs import OverridesOption, PacksOption, load_built
from redline.review.backtest import BacktestReport


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"


def report_table(report: BacktestReport) -> Table:
    """One row per rule the change touches (or all rules when nothing changes)."""
    table = Table(title=f"backtest 试运行 — plan {report.plan_version}")
    for col in ("rule", "added", "removed", "confirmed lost", "dismissed saved", "precision before",
                "precision after", "median h"):
        table.add_column(col, justify="left" if col == "rule" else "right")
    rows = report.as_dict()["by_rule"]
    touched = {rid: r for rid, r in rows.items() if r["added"] or r["removed"]} or rows
    for rid, r in touched.items():
        hours = r["median_hours_to_decision"]
        table.add_row(rid, str(r["added"]), str(r["removed"]), str(r["confirmed_lost"]),
                      str(r["dismissed_saved"]), _pct(r["precision_before"]), _pct(r["precision_after"]),
                      "-" if hours is None else f"{hours:.1f}")
    return table


def register(packs_app: typer.Typer) -> None:
    """Add `redline packs backtest` to the packs app."""
    @packs_app.command("backtest")
    def backtest_cmd(
        db: DbOption = DEFAULT_DB,
        overrides: OverridesOption = None,
        packs: PacksOption = "all",
        since: Annotated[int | None, typer.Option("--since", min=1, help="only the last DAYS days of messages and payments")] = None,
        as_json: Annotated[bool, typer.Option("--json", help="print one JSON object")] = False,
        spark: Annotated[str | None, typer.Option(
            "--spark", help="screen on Spark at this master (e.g. local[2]) instead of in this process")] = None,
    ) -> None:
        """Run a candidate plan (packs + overrides) over the store WITHOUT writing, and compare
        its alerts with today's: added, removed, confirmed lost, dismissed saved, precision."""
        from redline.review.backtest import backtest
        from redline.store import make_engine

        built = load_built(packs, overrides)  # also reports load errors before Spark starts
        engine = make_engine(db)  # not migrate(): a backtest never writes, not even a schema
        if spark:
            from redline.review.backtest_spark import backtest_spark
            from redline.scan.spark import PlanSpec, local_session

            session = local_session(spark, "redline-backtest")
            try:
                report = backtest_spark(engine, session, PlanSpec.from_files(packs, overrides), since_days=since)
            finally:
                session.stop()
        else:
            report = backtest(engine, built.plan, since_days=since)
        if as_json:
            print(json.dumps(report.as_dict(), ensure_ascii=False))
            return
        console = Console()
        console.print(report_table(report))
        hours = report.reviewer_hours
        console.print(
            f"{report.messages} messages, {report.payments} payments; alerts added {report.added}, removed "
            f"{report.removed} (confirmed lost {report.confirmed_lost}, dismissed saved {report.dismissed_saved}), "
            f"unchanged {report.unchanged}; reviewer time {'+' if hours >= 0 else ''}{hours:.1f} h",
            markup=False, highlight=False,
        )
        if not report.changed:
            console.print("no change: nothing added or removed / 无变化", markup=False)
