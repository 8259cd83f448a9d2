"""Evaluation against a simulation's ground truth: recall per typology, precision, false alerts.

A planted case is found when one alert about its official covers at least half of its
payments (any typology: a managed-party gift found as a repeated one-way flow is still
found). An alert is true when it names at least one planted payment. False alerts are
counted per 100 officials per month, the figure a discipline office budgets review time by.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from redline.contracts import BundleTables, Finding, RecordAnalyzer, Trigger
from redline.simulation.payments import TYPOLOGIES, Simulation, drop_relations


@dataclass(frozen=True, slots=True)
class Evaluation:
    """The figures of one run; `recall` counts a case found by any typology, `typed_recall` by its own."""

    recall: dict[str, float]
    typed_recall: dict[str, float]
    precision: float
    alerts: int
    false_alerts: int
    false_per_100_officials_month: float
    top_k: int
    top_precision: float
    missed: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        """Plain JSON-ready figures."""
        return {
            "recall": self.recall, "typed_recall": self.typed_recall, "missed": self.missed, "precision": round(self.precision, 4),
            "alerts": self.alerts, "false_alerts": self.false_alerts,
            "false_per_100_officials_month": round(self.false_per_100_officials_month, 3),
            "top_k": self.top_k, "top_precision": round(self.top_precision, 4),
        }


def default_triggers(analyzers: Mapping[str, type[RecordAnalyzer]]) -> dict[str, tuple[Trigger, ...]]:
    """One trigger per payments analyzer with its default Config (rule id = registry key)."""
    return {
        key: (Trigger(rule_id=key, label=f"{key}#0", config=cls.Config()),)
        for key, cls in analyzers.items() if key.startswith("payments.")
    }


def run_analyzers(
    tables: BundleTables, analyzers: Mapping[str, type[RecordAnalyzer]],
    triggers: Mapping[str, Sequence[Trigger]] | None = None,
) -> list[Finding]:
    """Every payments analyzer over `tables` (default configs unless triggers are given)."""
    chosen = default_triggers(analyzers) if triggers is None else triggers
    out: list[Finding] = []
    for key, key_triggers in chosen.items():
        if key in analyzers and key_triggers:
            out.extend(analyzers[key]().analyze(tables, key_triggers))
    return out


def evaluate(sim: Simulation, findings: Sequence[Finding]) -> Evaluation:
    """Score findings against the simulation's planted cases."""
    planted = {pid for case in sim.cases for pid in case.payment_ids}
    by_person: dict[str, list[Finding]] = {}
    for f in findings:
        by_person.setdefault(f.person_id or "", []).append(f)
    found: dict[str, list[bool]] = {t: [] for t in TYPOLOGIES}
    typed: dict[str, list[bool]] = {t: [] for t in TYPOLOGIES}
    missed = []
    for case in sim.cases:
        need = set(case.payment_ids)
        covering = [f for f in by_person.get(case.person_id, []) if len(need & set(f.related_ids)) * 2 >= len(need)]
        found[case.typology].append(bool(covering))
        typed[case.typology].append(any(f.kind == case.typology for f in covering))
        if not covering:
            missed.append(f"{case.typology}:{case.person_id}:{len(case.payment_ids)}")
    true = [bool(planted & set(f.related_ids)) for f in findings]
    ranked = sorted(range(len(findings)), key=lambda i: -findings[i].score)
    k = min(len(findings), len(sim.cases))
    months = max(sim.months, 1)
    return Evaluation(
        recall={t: round(sum(v) / len(v), 4) for t, v in found.items() if v},
        typed_recall={t: round(sum(v) / len(v), 4) for t, v in typed.items() if v},
        precision=sum(true) / len(true) if true else 1.0,
        alerts=len(findings),
        false_alerts=len(true) - sum(true),
        false_per_100_officials_month=(len(true) - sum(true)) / (sim.officials / 100) / months,
        top_k=k,
        top_precision=sum(true[i] for i in ranked[:k]) / k if k else 1.0,
        missed=missed,
    )


def evaluate_both(
    sim: Simulation, analyzers: Mapping[str, type[RecordAnalyzer]], fraction: float = 0.5
) -> dict[str, Evaluation]:
    """Evaluate with complete relations and with `fraction` of the managed relations removed."""
    partial = drop_relations(sim, "managed", fraction)
    return {
        "complete": evaluate(sim, run_analyzers(sim.tables, analyzers)),
        "half_managed_removed": evaluate(partial, run_analyzers(partial.tables, analyzers)),
    }


# Relation lists are never complete: recall is reported with none, half and most of the
# managed-party relations removed (the issue-21 figures).
REMOVED_SHARES: tuple[float, ...] = (0.0, 0.5, 0.8)


def removed_key(share: float) -> str:
    """The result key of one share of removed relations: `managed_removed_50%`."""
    return f"managed_removed_{round(share * 100)}%"


def evaluate_removed(
    sim: Simulation, analyzers: Mapping[str, type[RecordAnalyzer]], shares: Sequence[float] = REMOVED_SHARES
) -> dict[str, Evaluation]:
    """Evaluate with each share of the managed relations removed (0 keeps the list whole)."""
    out: dict[str, Evaluation] = {}
    for share in shares:
        run = drop_relations(sim, "managed", share) if share > 0 else sim
        out[removed_key(share)] = evaluate(run, run_analyzers(run.tables, analyzers))
    return out
