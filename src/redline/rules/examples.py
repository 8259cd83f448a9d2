"""Rule examples as tests: every rule's `match` / `no_match` texts through the REAL engine.

All examples of all rules go through the scan function in one batch; a `match` example
passes when at least one finding carries the rule's id, a `no_match` example when none does.
The scan function is passed in (the CLI gives `scan.engine.scan_batch`) so that this module
stays below the scan layer.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from redline.contracts import Finding
from redline.rules.load import PackSet
from redline.rules.plan import ScanPlan

ScanFn = Callable[[ScanPlan, Sequence[str]], list[Finding]]


@dataclass(frozen=True, slots=True)
class ExampleResult:
    """One example of one rule: what was expected and what the engine did."""

    rule_id: str
    pack: str
    text: str
    expect_match: bool
    matched: bool
    detectors: tuple[str, ...] = ()  # registry keys of this rule's findings on the text
    evidence: tuple[str, ...] = ()
    problem: str = ""  # set when the example could not run at all

    @property
    def ok(self) -> bool:
        return not self.problem and self.matched == self.expect_match

    @property
    def case_id(self) -> str:
        """A stable test id: TJ-06:match:2."""
        return f"{self.rule_id}:{'match' if self.expect_match else 'no_match'}"


@dataclass(frozen=True, slots=True)
class ExamplesReport:
    """Every example's result, in pack and rule order."""

    results: tuple[ExampleResult, ...]

    @property
    def failures(self) -> tuple[ExampleResult, ...]:
        return tuple(r for r in self.results if not r.ok)

    @property
    def ok(self) -> bool:
        return not self.failures


def example_cases(packset: PackSet) -> list[tuple[str, str, str, bool]]:
    """(pack, rule_id, text, expect_match) for every example of every enabled rule."""
    cases: list[tuple[str, str, str, bool]] = []
    for lr in packset.rules:
        if not lr.enabled:
            continue
        cases += [(lr.pack.pack, lr.rule.id, t, True) for t in lr.rule.examples.match]
        cases += [(lr.pack.pack, lr.rule.id, t, False) for t in lr.rule.examples.no_match]
    return cases


def missing_examples(packset: PackSet, plan: ScanPlan) -> list[tuple[str, str, str]]:
    """(pack, rule_id, problem) for rules whose examples cannot test them.

    A rule with live text triggers must have `match` examples; a rule with examples must
    have a live text trigger (else its examples would pass or fail for the wrong reason).
    """
    live_text = {ref.rule_id for lb, ref in plan.rules.items() if not ref.detector.startswith(("payments.", "groups."))}
    out: list[tuple[str, str, str]] = []
    for lr in packset.rules:
        if not lr.enabled:
            continue
        rid = lr.rule.id
        has_examples = bool(lr.rule.examples.match or lr.rule.examples.no_match)
        if rid in live_text and not lr.rule.examples.match:
            out.append((lr.pack.pack, rid, "has text triggers but no `match` examples"))
        elif has_examples and rid not in live_text:
            reasons = [n.reason for n in plan.not_covered if n.rule_id == rid and n.label is None]
            why = reasons[0] if reasons else "no live text trigger"
            out.append((lr.pack.pack, rid, f"has examples but cannot run them: {why}"))
    return out


def run_examples(packset: PackSet, plan: ScanPlan, scan: ScanFn) -> ExamplesReport:
    """Scan every example once, in one batch, and judge each against its rule."""
    cases = example_cases(packset)
    problems = {(pack, rid): msg for pack, rid, msg in missing_examples(packset, plan)}
    findings = scan(plan, [text for _, _, text, _ in cases]) if cases else []
    by_row: dict[int, list[Finding]] = defaultdict(list)
    for f in findings:
        by_row[int(f.subject_id)].append(f)
    results: list[ExampleResult] = []
    for row, (pack, rid, text, expect) in enumerate(cases):
        mine = [f for f in by_row.get(row, []) if f.rule_id == rid]
        results.append(ExampleResult(
            rule_id=rid,
            pack=pack,
            text=text,
            expect_match=expect,
            matched=bool(mine),
            detectors=tuple(sorted({f.detector for f in mine})),
            evidence=tuple(f.evidence for f in mine),
            problem=problems.get((pack, rid), ""),
        ))
    # Rules with text triggers and no examples at all still fail, as one result each.
    results += [
        ExampleResult(rid, pack, "", True, False, problem=msg)
        for (pack, rid), msg in problems.items()
        if not any(r.rule_id == rid for r in results)
    ]
    return ExamplesReport(tuple(results))
