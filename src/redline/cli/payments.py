"""`redline payments analyze|simulate|evaluate|graph`: red packets and transfers that should not be.

`analyze` reads a bundle, compiles the packs and runs every `payments.*` trigger of the plan
(`plan.record_triggers`), writing one alert a line (DESIGN.md's format). Rows the analysis
cannot use are never skipped silently: they are counted on stderr and written next to the
alerts (`<output>.rejected.jsonl`); `--strict` turns any of them into an error.
"""

from __future__ import annotations

import json
import time
from dataclasses import replace
from pathlib import Path
from typing import Annotated, Any

import orjson
import typer
from rich.console import Console
from rich.table import Table

from redline.cli.common import DEFAULT_DB, DbOption
from redline.cli.packs import OverridesOption, PacksOption, load_built
from redline.contracts import Finding
from redline.errors import ConfigError, InputError

BundleArg = Annotated[Path, typer.Argument(help="bundle folder or .zip")]


def alert_record(finding: Finding) -> dict[str, Any]:
    """One alert line: DESIGN.md's fields, then reason_en, pack and the facts."""
    facts = dict(finding.facts)
    return {
        "rule_id": finding.rule_id,
        "typology": finding.kind,
        "person_id": finding.person_id,
        "counterparty_ids": facts.get("counterparty_ids", []),
        "payment_ids": list(finding.related_ids),
        "total_yuan": facts.get("total_yuan"),
        "score": finding.score,
        "severity": finding.severity,
        "reason": finding.reason,
        "reason_en": finding.reason_en,
        "pack": finding.pack,
        "facts": facts,
    }


def analyze_bundle(
    bundle: Path, packs: str = "all", overrides: Path | None = None
) -> tuple[list[Finding], list[dict[str, Any]]]:
    """Findings of every payments rule in the packs over the bundle, and the rejected rows."""
    from redline.bundle import read_bundle
    from redline.payments.frame import frame_of
    from redline.scan.records import run_record_analyzers

    read = read_bundle(bundle)
    plan = load_built(packs, overrides).plan
    payments_plan = replace(plan, record_triggers={
        k: v for k, v in plan.record_triggers.items() if k.startswith("payments.") and v})
    if not payments_plan.record_triggers:
        raise ConfigError(f"the selected packs ({packs}) have no payments.* rules to run; try --packs all")
    found = run_record_analyzers(payments_plan, read.tables)
    findings = sorted((f for fs in found.values() for f in fs), key=lambda f: (-f.score, f.rule_id, f.subject_id))
    frame = frame_of(read.tables)
    rejected = [{"file": q.file, "line": q.line, "field": q.field, "reason": q.reason, "stage": "read"}
                for q in read.quarantined]
    rejected += [{"file": "payments.csv", "row": r.row, "payment_id": r.payment_id, "field": r.field,
                  "reason": r.reason, "stage": "payments"} for r in frame.rejected]
    rejected += [{"file": "relations.csv", "row": r.row, "field": r.field, "reason": r.reason,
                  "stage": "payments"} for r in frame.relation_issues]
    rejected += [{"file": "bundle", "field": "", "reason": note, "stage": "notice"} for note in frame.notices]
    return findings, rejected


def analyze_on_spark(
    source: Path, packs: str = "all", overrides: Path | None = None, master: str = "local[2]"
) -> tuple[list[Finding], list[dict[str, Any]]]:
    """`analyze_bundle` on Spark (redline.scan.spark_payments): the same findings; `source` may also
    be a folder of Parquet tables. Rejected rows are not listed (only the local engine does)."""
    from redline.scan.records import run_record_analyzers
    from redline.scan.spark import local_session
    from redline.scan.spark_payments import analyze_spark, read_tables, split_triggers

    plan = load_built(packs, overrides).plan
    exact, local_only = split_triggers(plan.record_triggers)
    if not exact and not local_only:
        raise ConfigError(f"the selected packs ({packs}) have no payments.* rules to run; try --packs all")
    findings = analyze_spark(local_session(master, "redline-payments"), source, replace(plan, record_triggers=exact),
                             run=run_record_analyzers) if exact else []
    notes = ["engine spark: rows the analysis rejects are not listed; run --engine local to list them"]
    if local_only:  # never faked: these triggers run on this machine, and the user is told
        rest: dict[str, tuple[Any, ...]] = {}
        for trigger, why in local_only:
            key = plan.rules[trigger.label].detector
            rest[key] = (*rest.get(key, ()), trigger)
            notes.append(f"{trigger.label} ran on the local engine, not Spark: {why}")
        found = run_record_analyzers(replace(plan, record_triggers=rest), read_tables(source))
        findings = sorted([*findings, *(f for fs in found.values() for f in fs)],
                          key=lambda f: (-f.score, f.rule_id, f.subject_id))
    return findings, [{"file": "bundle", "field": "", "reason": n, "stage": "notice"} for n in notes]


def register(app: typer.Typer) -> None:
    """Add `redline payments ...` to the root app."""
    pay = typer.Typer(help="Payment analytics: red packets, transfers, gift cards.", no_args_is_help=True)
    app.add_typer(pay, name="payments")
    err = Console(stderr=True)

    @pay.command("analyze")
    def analyze(
        bundle: BundleArg,
        output: Annotated[Path, typer.Option("--output", "-o", help="alerts, JSON Lines")],
        packs: PacksOption = "all",
        overrides: OverridesOption = None,
        strict: Annotated[bool, typer.Option(help="fail (exit 2) if any row had to be rejected")] = False,
        engine: Annotated[str, typer.Option("--engine", help="local, or spark (same findings)")] = "local",
        master: Annotated[str, typer.Option("--master", help="Spark master URL, with --engine spark")] = "local[2]",
        db: DbOption = DEFAULT_DB,
    ) -> None:
        """Run the packs' payments rules over a bundle; write one alert per line."""
        if not bundle.exists():
            raise InputError(f"no such bundle: {bundle}")
        if engine not in ("local", "spark"):
            raise ConfigError(f"--engine must be local or spark, got {engine!r}")
        if strict and engine == "spark":
            raise ConfigError("--strict needs --engine local (only it lists rejected rows)")
        started = time.perf_counter()
        with err.status("analysing payments…"):
            if engine == "spark":
                findings, rejected = analyze_on_spark(bundle, packs, overrides, master)
            else:
                findings, rejected = analyze_bundle(bundle, packs, overrides)
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_bytes(b"".join(orjson.dumps(alert_record(f)) + b"\n" for f in findings))
        side = output.with_name(output.stem + ".rejected.jsonl")
        side.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in rejected if r["stage"] != "notice"))
        err.print(f"{len(findings)} alerts → {output} ({time.perf_counter() - started:.1f} s)")
        notices = [r for r in rejected if r["stage"] == "notice"]
        rejected = [r for r in rejected if r["stage"] != "notice"]
        for note in notices:
            err.print(f"[yellow]note: {note['reason']}[/yellow]")
        if rejected:
            err.print(f"[yellow]{len(rejected)} rows rejected (not analysed) → {side}[/yellow]")
            for r in rejected[:5]:
                err.print(f"  {r['file']}:{r.get('line', r.get('row'))}: {r['field']}: {r['reason']}")
            if strict:
                raise InputError(f"{len(rejected)} rows rejected; see {side}")

    @pay.command("simulate")
    def simulate_cmd(
        out: Annotated[Path, typer.Option("--out", help="bundle folder to write")],
        officials: int = 200, months: int = 12, cases: int = 15, seed: int = 7,
        db: DbOption = DEFAULT_DB,
    ) -> None:
        """Write a simulated organisation as a bundle, with its ground truth in truth.json."""
        from redline.bundle import write_bundle
        from redline.simulation.payments import Scenario, simulate

        sim = simulate(Scenario(officials=officials, months=months, cases_per_typology=cases, seed=seed))
        t = sim.tables
        write_bundle(out, {"people": t.people, "relations": t.relations, "groups": t.groups,
                           "memberships": t.memberships, "messages": t.messages, "payments": t.payments,
                           "events": t.events})
        truth = [{"typology": c.typology, "person_id": c.person_id, "payment_ids": list(c.payment_ids)}
                 for c in sim.cases]
        (out / "truth.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        err.print(f"{t.payments.num_rows} payments, {len(sim.cases)} planted cases → {out}")

    @pay.command("evaluate")
    def evaluate_cmd(
        officials: int = 200, months: int = 12, cases: int = 15, seed: int = 7,
        single_packet: Annotated[bool, typer.Option(
            "--single-packet", help="plant each managed-party gift as one small packet (the hard case)")] = False,
        as_json: Annotated[bool, typer.Option("--json", help="print the figures as JSON")] = False,
        db: DbOption = DEFAULT_DB,
    ) -> None:
        """Simulate, analyse, and print recall per typology and precision with 0 %, 50 % and 80 % of the
        managed-party relations removed (relation lists are never complete)."""
        from redline.registry import RECORD_ANALYZERS
        from redline.simulation.evaluate import evaluate_removed
        from redline.simulation.payments import TYPOLOGIES, Scenario, simulate

        sim = simulate(Scenario(officials=officials, months=months, cases_per_typology=cases, seed=seed,
                                managed_single=single_packet))
        with err.status("analysing…"):
            results = evaluate_removed(sim, RECORD_ANALYZERS)
        if as_json:
            print(json.dumps({k: v.as_dict() for k, v in results.items()}, ensure_ascii=False, indent=2))
            return
        table = Table(title=f"payments on the simulator ({officials} officials, {months} months, seed {seed})")
        table.add_column("typology")
        for name in results:
            table.add_column(f"recall, {name.replace('_', ' ')} (by its own rule)", justify="right")
        for typ in TYPOLOGIES:
            table.add_row(typ, *(f"{r.recall.get(typ, 0):.2f} ({r.typed_recall.get(typ, 0):.2f})"
                                 for r in results.values()))
        for label, fmt in (("precision", "{0.precision:.3f}"), ("alerts", "{0.alerts}"),
                           ("false alerts / 100 officials / month", "{0.false_per_100_officials_month:.2f}"),
                           ("precision of the top-ranked", "{0.top_precision:.3f}")):
            table.add_row(label, *(fmt.format(r) for r in results.values()))
        Console().print(table)

    @pay.command("graph")
    def graph_cmd(
        person: Annotated[str, typer.Argument(help="person id")],
        bundle: Annotated[Path, typer.Option("--bundle", help="bundle folder or .zip")],
        chart: Annotated[Path | None, typer.Option("--chart", help="write a PNG or SVG chart")] = None,
        as_json: Annotated[bool, typer.Option("--json", help="print the graph as JSON")] = False,
        db: DbOption = DEFAULT_DB,
    ) -> None:
        """The person's counterparty graph: who paid whom, and the rings (Leiden communities)."""
        from redline.bundle import read_bundle
        from redline.payments.frame import frame_of
        from redline.payments.graph import counterparty_graph, draw
        from redline.reasons.words import yuan

        frame = frame_of(read_bundle(bundle).tables)
        graph = counterparty_graph(frame, person)
        if chart is not None:
            if chart.suffix.lower() not in (".png", ".svg"):
                raise ConfigError(f"--chart must end in .png or .svg, got {chart.name}")
            err.print(f"chart → {draw(graph, chart)}")
        if as_json:
            print(json.dumps(graph.as_dict(), ensure_ascii=False, indent=1))
            return
        table = Table(title=f"{frame.name(person)} ({person}): counterparties by community")
        for col in ("community", "person", "relation", "paid in (yuan)", "paid out (yuan)"):
            table.add_column(col)
        for n in sorted(graph.nodes, key=lambda n: (n["community"], -n["in_fen"])):
            if n["id"] != person:
                table.add_row(str(n["community"]), f"{n['name']} ({n['id']})", n["relation"] or "",
                              yuan(n["in_fen"]), yuan(n["out_fen"]))
        Console().print(table)
