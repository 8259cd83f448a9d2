from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from pydantic import BaseModel

from redline.contracts import BundleTables, Finding, Trigger
from redline.rules.plan import RuleRef, ScanPlan
from redline.scan.records import run_record_analyzers


class _Cfg(BaseModel):
    min_yuan: int = 1


class CountingAnalyzer:
    """Raises one finding per trigger; leaves category/severity for the plan to fill."""

    name: ClassVar[str] = "payments.demo"
    Config: ClassVar[type[BaseModel]] = _Cfg
    CALLS: ClassVar[list[int]] = []

    def analyze(self, tables: BundleTables, triggers: Sequence[Trigger]) -> list[Finding]:
        self.CALLS.append(len(triggers))
        return [
            Finding(rule_id=t.rule_id, category="", detector=self.name, subject="payment", subject_id="pay1",
                    severity="" if i == 0 else "critical", reason="示例", label=t.label)
            for i, t in enumerate(triggers)
        ]


def test_each_analyzer_runs_once_with_all_triggers_and_findings_are_completed() -> None:
    refs = {
        "A-01#payments.demo": RuleRef("A-01", "pa", "1", "gifts", "high", "t", "x", "payments.demo", "A-01#payments.demo"),
        "B-01#payments.demo": RuleRef("B-01", "pb", "2", "vote_buying", "medium", "t", "x", "payments.demo", "B-01#payments.demo"),
    }
    triggers = tuple(Trigger(r.rule_id, lb, _Cfg()) for lb, r in refs.items())
    plan = ScanPlan(detectors=(), rules=refs, record_triggers={"payments.demo": triggers}, version="v")
    out = run_record_analyzers(plan, None, {"payments.demo": CountingAnalyzer})  # type: ignore[arg-type]
    assert CountingAnalyzer.CALLS == [2]
    assert [(f.rule_id, f.pack, f.category, f.severity) for f in out["payments.demo"]] == [
        ("A-01", "pa", "gifts", "high"),
        ("B-01", "pb", "vote_buying", "critical"),  # an analyzer's own grading is kept
    ]
