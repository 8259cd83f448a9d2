"""Record analyses of a plan: every analyzer in `plan.record_triggers`, once over the tables.

Each analyzer (payments.*, groups.*) gets all of its triggers in one call. Its findings are
completed from the rule behind the trigger label (pack, and category / severity when the
analyzer left them empty), so that every finding names its rule and pack.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from redline.contracts import BuildContext, BundleTables, Finding, ProbesText, RecordAnalyzer
from redline.rules.plan import ScanPlan


def complete(plan: ScanPlan, finding: Finding) -> Finding:
    """Fill pack, category and severity of an analyzer's finding from its rule."""
    ref = plan.rules.get(finding.label)
    if ref is None:  # an analyzer that did not set `label`: fall back to the rule id
        refs = [r for r in plan.rules.values() if r.rule_id == finding.rule_id]
        ref = refs[0] if refs else None
    if ref is None:
        return finding
    return replace(
        finding,
        pack=finding.pack or ref.pack,
        category=finding.category or ref.category,
        severity=finding.severity or ref.severity,
    )


def analyzer_for(cls: type[RecordAnalyzer], plan: ScanPlan | None) -> RecordAnalyzer:
    """An instance of `cls`; an analyzer that probes text (`ProbesText`, the group checks) is
    made with the detectors the plan compiled for its triggers (`plan.probes`)."""
    if plan is None or not issubclass(cls, ProbesText):
        return cls()
    analyzer: RecordAnalyzer = cls.with_context(BuildContext(lexicons=plan.lexicons, probes=plan.probes))
    return analyzer


def run_record_analyzers(
    plan: ScanPlan,
    tables: BundleTables,
    analyzers: Mapping[str, type[RecordAnalyzer]] | None = None,
) -> dict[str, list[Finding]]:
    """Findings per registry key; analyzers come from redline.registry unless given."""
    if analyzers is None:
        from redline.registry import RECORD_ANALYZERS  # late: plug-ins load on demand

        analyzers = RECORD_ANALYZERS
    out: dict[str, list[Finding]] = {}
    for key, triggers in plan.record_triggers.items():
        if not triggers:
            continue
        analyzer = analyzer_for(analyzers[key], plan)
        out[key] = [complete(plan, f) for f in analyzer.analyze(tables, triggers)]
    return out
