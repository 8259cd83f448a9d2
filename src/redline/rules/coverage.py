"""Coverage: for every rule, which detectors make it live, and plainly why not when none do.

Status per rule: `covered` (every trigger live), `partial` (some triggers dead, e.g. an empty
organisation-supplied list next to a shipped one), `not covered` (no live trigger, with the
reason), or `disabled` (switched off in the organisation overrides).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final, Literal

from redline.rules.load import PackSet
from redline.rules.plan import ScanPlan

Status = Literal["covered", "partial", "not covered", "disabled"]
STATUS_ZH: Final[dict[str, str]] = {
    "covered": "已覆盖",
    "partial": "部分覆盖",
    "not covered": "未覆盖",
    "disabled": "已停用",
}


@dataclass(frozen=True, slots=True)
class CoverageRow:
    """One rule's coverage."""

    pack: str
    rule_id: str
    title: str
    category: str
    severity: str
    status: Status
    detectors: tuple[str, ...]  # registry keys of the live triggers, in `when` order
    dead: tuple[str, ...] = ()  # reasons some (or all) triggers are dead

    @property
    def line(self) -> str:
        """A one-line summary: `TJ-01 not covered: organisation-supplied term list ... is empty`."""
        live = ", ".join(self.detectors) or "-"
        why = f": {'; '.join(self.dead)}" if self.dead else ""
        return f"{self.rule_id} {self.status} [{live}]{why}"


def coverage(packset: PackSet, plan: ScanPlan) -> list[CoverageRow]:
    """Coverage rows in pack and rule order."""
    rows: list[CoverageRow] = []
    disabled = set(plan.disabled)
    for lr in packset.rules:
        rid = lr.rule.id
        base = (lr.pack.pack, rid, lr.rule.title, str(lr.rule.category), str(lr.rule.severity))
        if rid in disabled:
            rows.append(CoverageRow(*base, status="disabled", detectors=(), dead=("switched off in the overrides file",)))
            continue
        live = tuple(dict.fromkeys(plan.rules[t.trigger.label].detector for t in lr.triggers if t.trigger.label in plan.rules))
        mine = [n for n in plan.not_covered if n.rule_id == rid]
        dead_triggers = tuple(dict.fromkeys(n.reason for n in mine if n.label is not None))
        dead_rule = tuple(dict.fromkeys(n.reason for n in mine if n.label is None))
        dead = dead_triggers if live else (dead_rule or dead_triggers)
        status: Status
        if not live:
            status = "not covered"
        elif dead:
            status = "partial"
        else:
            status = "covered"
        rows.append(CoverageRow(*base, status=status, detectors=live, dead=dead))
    return rows


def summary(rows: Sequence[CoverageRow]) -> dict[str, int]:
    """How many rules are in each status."""
    out = dict.fromkeys(STATUS_ZH, 0)
    for r in rows:
        out[r.status] += 1
    return out
