"""`redline groups audit|health`: work-group governance and faction findings over a bundle.

`audit` reads a bundle, compiles the packs and runs every `groups.*` trigger of the plan
(`plan.record_triggers`), writing one finding a line in DESIGN.md's format. `--defaults`
runs every registered group check with its default parameters instead (rule id = the
registry key), for an organisation whose packs do not name the checks yet. `health` prints
one summary row per group: members, owner, registry status and the findings by kind.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Annotated, Any

import orjson
import typer
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from redline.cli.common import DEFAULT_DB, DbOption, StrictOption, rejected_summary
from redline.cli.packs import OverridesOption, PacksOption, load_built
from redline.contracts import BundleTables, Finding, Trigger
from redline.errors import ConfigError, InputError
from redline.rules.plan import ScanPlan
from redline.vocab import Severity

BundleArg = Annotated[Path, typer.Argument(help="bundle folder or .zip")]
DefaultsOption = Annotated[bool, typer.Option(
    "--defaults", help="run every group check with its default parameters instead of the packs' rules")]


def finding_record(finding: Finding) -> dict[str, Any]:
    """One line of `groups audit`: DESIGN.md's fields first, then the rest of the lead."""
    facts = dict(finding.facts)
    return {
        "rule_id": finding.rule_id,
        "kind": finding.kind,
        "group_id": facts.get("group_id"),
        "person_id": finding.person_id,
        "message_ids": facts.get("message_ids", []),
        "severity": finding.severity,
        "reason": finding.reason,
        "reason_en": finding.reason_en,
        "category": finding.category,
        "pack": finding.pack,
        "subject": finding.subject,
        "subject_id": finding.subject_id,
        "payment_ids": facts.get("payment_ids", []),
        "facts": facts,
    }


Triggers = dict[str, tuple[Trigger, ...]]


def group_triggers(packs: str, overrides: Path | None, defaults: bool) -> tuple[Triggers, ScanPlan]:
    """The groups.* triggers to run and their plan; with `defaults`, every check's defaults
    in a plan of their own (no rules; text probes over the shipped lexicons)."""
    from redline.registry import RECORD_ANALYZERS
    from redline.rules.compile import record_plan

    if defaults:
        triggers = {key: (Trigger(key, f"{key}#default", cls.Config()),)
                    for key, cls in RECORD_ANALYZERS.items() if key.startswith("groups.")}
        return triggers, record_plan(triggers, version="defaults")
    plan = load_built(packs, overrides).plan
    found = {k: v for k, v in plan.record_triggers.items() if k.startswith("groups.") and v}
    if not found:
        raise ConfigError(f"the selected packs ({packs}) have no groups.* rules; try --packs all or --defaults")
    return found, plan


def audit_tables(
    tables: BundleTables, triggers: Triggers, plan: ScanPlan, *,
    progress: Progress | None = None,
) -> list[Finding]:
    """Run the group analyzers over tables; findings completed from their rules, sorted."""
    from redline.groups.finding import DEFAULT_SEVERITY
    from redline.registry import RECORD_ANALYZERS
    from redline.scan.records import analyzer_for, complete

    task = progress.add_task("group checks", total=len(triggers)) if progress else None
    findings: list[Finding] = []
    for key, trigs in sorted(triggers.items()):
        if progress is not None and task is not None:
            progress.update(task, description=key)
        found = analyzer_for(RECORD_ANALYZERS[key], plan).analyze(tables, trigs)
        completed = [complete(plan, f) for f in found]
        # a defaults plan has no rule to take a severity from: each kind's default
        findings += [f if f.severity else replace(f, severity=DEFAULT_SEVERITY.get(f.kind, "medium"))
                     for f in completed]
        if progress is not None and task is not None:
            progress.advance(task)
    return sorted(findings, key=lambda f: (-Severity.rank_of(f.severity), f.rule_id, f.kind, f.subject_id))


def _read(bundle: Path, err: Console, strict: bool) -> BundleTables:
    """The bundle's tables; how many rows it rejected (and the notes) said on stderr, always."""
    from redline.bundle import read_bundle

    if not bundle.exists():
        raise InputError(f"no such bundle: {bundle}")
    read = read_bundle(bundle)
    err.print(rejected_summary(read.quarantined), style="bold red" if read.quarantined else None,
              markup=False, highlight=False)
    for note in read.report.notes if read.report else ():
        err.print(f"note: {note}", markup=False, highlight=False)
    if strict and read.quarantined:
        raise typer.Exit(2)
    return read.tables


def register(app: typer.Typer) -> None:
    """Add `redline groups ...` to the root app."""
    grp = typer.Typer(help="Work groups: governance (registry, owner, real names, members, "
                           "reports, secrets, flattery, topics) and factions.", no_args_is_help=True)
    app.add_typer(grp, name="groups")
    err = Console(stderr=True)

    @grp.command("audit")
    def audit(
        bundle: BundleArg,
        output: Annotated[Path, typer.Option("--output", "-o", help="findings, JSON Lines")],
        packs: PacksOption = "all",
        overrides: OverridesOption = None,
        defaults: DefaultsOption = False,
        strict: StrictOption = False,
        db: DbOption = DEFAULT_DB,
    ) -> None:
        """Run the group checks over a bundle; write one finding per line."""
        started = time.perf_counter()
        tables = _read(bundle, err, strict)
        triggers, plan = group_triggers(packs, overrides, defaults)
        with Progress(console=err, transient=True) as progress:
            findings = audit_tables(tables, triggers, plan, progress=progress)
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_bytes(b"".join(orjson.dumps(finding_record(f)) + b"\n" for f in findings))
        kinds = Counter(f.kind for f in findings)
        err.print(f"{len(findings)} findings → {output} ({time.perf_counter() - started:.1f} s)"
                  + (": " + ", ".join(f"{k} {n}" for k, n in sorted(kinds.items())) if kinds else ""))

    @grp.command("health")
    def health_cmd(
        bundle: BundleArg,
        packs: PacksOption = "all",
        overrides: OverridesOption = None,
        defaults: DefaultsOption = False,
        as_json: Annotated[bool, typer.Option("--json", help="print JSON Lines instead of a table")] = False,
        strict: StrictOption = False,
        db: DbOption = DEFAULT_DB,
    ) -> None:
        """One row per group: members, owner, registry status, activity and findings by kind."""
        from redline.groups.health import health

        tables = _read(bundle, err, strict)
        triggers, plan = group_triggers(packs, overrides, defaults)
        with Progress(console=err, transient=True) as progress:
            findings = audit_tables(tables, triggers, plan, progress=progress)
        summary = health(tables, findings)
        if as_json:
            for row in summary:
                print(orjson.dumps(row.as_dict(), default=str).decode())
            return
        table = Table(title=f"work groups of {bundle.name}: {len(summary)} groups, {len(findings)} findings")
        for col in ("group", "type", "registered", "owner", "members", "officials", "outsiders",
                    "messages", "findings", "worst"):
            table.add_column(col)
        for h in summary:
            owner = f"{h.owner_name or '?'} ({h.owner_id})" if h.owner_id else "—"
            kinds = ", ".join(f"{k} {n}" for k, n in h.findings.items()) or "—"
            table.add_row(f"{h.name} ({h.group_id})", h.type, "yes" if h.registered else "no", owner,
                          str(h.members), str(h.officials), str(h.outsiders), str(h.messages), kinds,
                          h.worst or "—")
        Console().print(table)
