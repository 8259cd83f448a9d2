"""`redline packs list|show|test|coverage`: the rule packs, their examples and their coverage."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from redline.cli.common import DEFAULT_DB, DbOption
from redline.contracts import Finding
from redline.rules import build
from redline.rules.coverage import STATUS_ZH, coverage, summary
from redline.rules.examples import run_examples
from redline.rules.load import LoadResult, PackSet
from redline.rules.plan import ScanPlan

PacksOption = Annotated[
    str, typer.Option("--packs", help="`all`, or comma-separated pack ids / YAML files / folders"),
]
OverridesOption = Annotated[
    Path | None,
    typer.Option("--overrides", envvar="REDLINE_OVERRIDES", help="Organisation overrides YAML"),
]


def fail_on_load_errors(result: LoadResult) -> PackSet:
    """Print every load error (one a line) and raise the first; else the pack set."""
    if len(result.errors) > 1:
        for err in result.errors:
            print(f"redline: {err}", file=sys.stderr)
    return result.raise_on_error()


def load_built(
    packs: str, overrides: Path | None, *, with_example_terms: bool = False, cache_dir: Path | None = None,
) -> build.Built:
    """Load (all errors printed) and compile a plan for a command."""
    from redline.rules.compile import compile_plan

    result = build.load(packs, overrides, with_example_terms=with_example_terms)
    packset = fail_on_load_errors(result)
    return build.Built(packset, compile_plan(packset, cache_dir=cache_dir))


def load_text_plan(packs: str, overrides: Path | None) -> ScanPlan:
    """The plan's text part (detectors and rules; no record analyzers) for screening messages,
    read from the user's cache when nothing it is made from has changed (rules/plan_cache.py).

    Without the record analyzers, reading it imports no payment or group module (pyarrow,
    duckdb); a plan with load errors is never cached.
    """
    from dataclasses import replace

    from redline.rules.load import resolve_pack_paths
    from redline.rules.plan_cache import cached_plan, plan_key

    def make() -> ScanPlan:
        return replace(load_built(packs, overrides).plan, record_triggers={}, probes={})

    return cached_plan(plan_key(packs, resolve_pack_paths(packs), overrides, extra="text plan"), make)


def engine_scan(plan: ScanPlan, texts: Sequence[str]) -> list[Finding]:
    """The real engine over one batch; message ids are the row numbers."""
    from redline.scan.engine import scan_batch  # the engine is loaded only when scanning

    return scan_batch(plan, list(texts), ids=[str(i) for i in range(len(texts))])


def register(app: typer.Typer) -> None:
    """Add `redline packs ...` to the root app."""
    packs_app = typer.Typer(help="Rule packs: list, show, test their examples, coverage.", no_args_is_help=True)
    app.add_typer(packs_app, name="packs")
    console = Console()
    from redline.cli import packs_backtest, packs_stats

    packs_backtest.register(packs_app)
    packs_stats.register(packs_app)

    @packs_app.command("list")
    def list_packs(
        packs: PacksOption = "all", overrides: OverridesOption = None, db: DbOption = DEFAULT_DB,
    ) -> None:
        """List the packs: id, regulation, issuer, year, version, rules."""
        packset = fail_on_load_errors(build.load(packs, overrides))
        table = Table(title=f"rule packs (plan version {packset.version})")
        for col in ("pack", "title", "issued by", "year", "version", "rules"):
            table.add_column(col, no_wrap=col in ("pack", "version", "year"))
        for p in packset.packs:
            table.add_row(p.pack, p.title, p.issued_by, str(p.year), p.version, str(len(p.rules)))
        console.print(table)

    @packs_app.command("show")
    def show(
        pack: Annotated[str, typer.Argument(help="pack id, e.g. tianjin-2017")],
        overrides: OverridesOption = None,
        db: DbOption = DEFAULT_DB,
    ) -> None:
        """Show one pack's rules: official wording, category, severity, triggers, examples."""
        packset = fail_on_load_errors(build.load(pack, overrides))
        for p in packset.packs:
            console.print(f"[bold]{p.pack}[/bold] {p.title} — {p.issued_by}, {p.year}, v{p.version}")
            console.print(f"source: {p.source.title}, {p.source.publisher}, {p.source.date.isoformat()}")
        for lr in packset.rules:
            r = lr.rule
            state = "" if lr.enabled else " [red](disabled)[/red]"
            console.print(f"\n[bold]{r.id}[/bold] {r.title} ({r.category}, {r.severity}){state}")
            console.print(f"  {r.text}", markup=False)
            for t in lr.triggers:
                cfg = t.trigger.config.model_dump(mode="json", exclude_defaults=True)
                cfg.pop("weights", None)  # listed in full below
                console.print(f"  when {t.trigger.label}: {t.key} {cfg or ''}", markup=False)
                # an analyzer's score weights (payment typologies and group checks), defaults included
                weights = t.trigger.config.model_dump(mode="json").get("weights")
                if isinstance(weights, dict) and weights:
                    listed = ", ".join(f"{k}={v}" for k, v in weights.items())
                    console.print(f"    score weights: {listed}", markup=False)
            if r.scope is not None:
                console.print(f"  scope: {r.scope.model_dump(mode='json')}", markup=False)
            if r.params:
                console.print(f"  params: {r.params}", markup=False)
            if r.notes:
                console.print(f"  notes: {r.notes}", markup=False)
            ex = r.examples
            console.print(f"  examples: {len(ex.match)} match, {len(ex.no_match)} no_match")

    @packs_app.command("test")
    def test(
        packs: PacksOption = "all", overrides: OverridesOption = None, db: DbOption = DEFAULT_DB,
    ) -> None:
        """Run every rule's examples through the real engine; exit 1 on any failure."""
        built = load_built(packs, overrides, with_example_terms=True)
        report = run_examples(built.packset, built.plan, engine_scan)
        for r in report.failures:
            want = "match" if r.expect_match else "no_match"
            got = f"matched by {', '.join(r.detectors)} on {r.evidence}" if r.matched else "no finding"
            detail = r.problem or f"{want} example: {got}"
            print(f"FAIL {r.rule_id} [{r.pack}] {r.text!r}: {detail}")
        n, bad = len(report.results), len(report.failures)
        print(f"{n - bad}/{n} examples pass in {len({r.rule_id for r in report.results})} rules")
        if bad:
            raise typer.Exit(1)

    @packs_app.command("coverage")
    def coverage_cmd(
        packs: PacksOption = "all", overrides: OverridesOption = None, db: DbOption = DEFAULT_DB,
    ) -> None:
        """Every rule with the detectors that make it live; which are not covered, and why."""
        built = load_built(packs, overrides)
        rows = coverage(built.packset, built.plan)
        table = Table(title=f"coverage (plan version {built.plan.version})")
        for col in ("rule", "pack", "title", "category", "status", "detectors", "why not"):
            table.add_column(col, overflow="fold", no_wrap=col in ("rule", "status"))
        for row in rows:
            status = f"{row.status} {STATUS_ZH[row.status]}"
            table.add_row(row.rule_id, row.pack, row.title, row.category, status,
                          ", ".join(row.detectors) or "-", "; ".join(row.dead))
        console.print(table)
        counts = summary(rows)
        print(", ".join(f"{k}: {v}" for k, v in counts.items()))
        for row in rows:
            if row.status == "not covered":
                print(f"not covered: {row.rule_id}: {'; '.join(row.dead)}")
