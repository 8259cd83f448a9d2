"""Group health: one summary row per group — members, owner, registry status and findings.

What an administrator reads before the findings themselves: how big each group is, who owns
it, whether it is registered, how active it is, and how many leads of each kind it has and
how serious the worst one is.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from redline.contracts import BundleTables, Finding
from redline.groups.frame import connect, rows
from redline.vocab import Severity

_SQL = """
WITH members AS (
  SELECT cm.group_id, count(*) AS members,
         count(*) FILTER (WHERE p.is_official AND NOT p.external) AS officials,
         count(*) FILTER (WHERE p.person_id IS NULL OR p.external) AS outsiders,
         count(DISTINCT p.unit) FILTER (WHERE p.is_official AND NOT p.external AND p.unit <> '') AS units
  FROM current_members cm LEFT JOIN people_x p USING (person_id) GROUP BY cm.group_id
), activity AS (
  SELECT group_id, count(*) AS messages, max(time) AS last_message FROM group_messages GROUP BY group_id
)
SELECT g.group_id, coalesce(g.name, '') AS name, coalesce(g.type, '') AS type,
       coalesce(g.registered, false) AS registered, coalesce(g.classification, '') AS classification,
       coalesce(g.daily_report, false) AS daily_report, g.owner_id, o.name AS owner_name,
       coalesce(m.members, 0) AS members, coalesce(m.officials, 0) AS officials,
       coalesce(m.outsiders, 0) AS outsiders, coalesce(m.units, 0) AS units,
       coalesce(a.messages, 0) AS messages, a.last_message
FROM groups g LEFT JOIN members m USING (group_id) LEFT JOIN activity a USING (group_id)
LEFT JOIN people_x o ON o.person_id = g.owner_id
ORDER BY g.group_id
"""


@dataclass(frozen=True, slots=True)
class GroupHealth:
    """One group's summary; `findings` counts leads by kind, `worst` is the top severity."""

    group_id: str
    name: str
    type: str
    registered: bool
    classification: str
    daily_report: bool
    owner_id: str | None
    owner_name: str | None
    members: int
    officials: int
    outsiders: int
    units: int
    messages: int
    last_message: datetime | None
    findings: dict[str, int] = field(default_factory=dict)
    worst: str | None = None

    @property
    def total_findings(self) -> int:
        """All leads about this group."""
        return sum(self.findings.values())

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form (dates as ISO strings)."""
        out = {k: getattr(self, k) for k in self.__slots__}
        out["last_message"] = self.last_message.isoformat() if self.last_message else None
        out["total_findings"] = self.total_findings
        return out


def groups_of(finding: Finding) -> list[str]:
    """The groups a finding is about: `facts["group_ids"]` (merged), `facts["group_id"]`, or
    the subject of a group finding."""
    many = finding.facts.get("group_ids")
    if many:
        return list(dict.fromkeys(str(g) for g in many if g))
    gid = finding.facts.get("group_id")
    if gid:
        return [str(gid)]
    return [finding.subject_id] if finding.subject == "group" else []


def health(tables: BundleTables, findings: Iterable[Finding] = (), as_of: date | None = None) -> list[GroupHealth]:
    """Per-group summaries of a bundle, with the given findings counted per group and kind."""
    kinds: dict[str, Counter[str]] = defaultdict(Counter)
    worst: dict[str, Severity] = {}
    for f in findings:
        sev = Severity(f.severity) if f.severity in Severity._value2member_map_ else Severity.LOW
        for gid in groups_of(f):
            kinds[gid][f.kind or f.rule_id] += 1
            if gid not in worst or sev.rank > worst[gid].rank:
                worst[gid] = sev
    out = []
    for r in rows(connect(tables, as_of), _SQL):
        gid = str(r["group_id"])
        out.append(GroupHealth(
            **r,  # type: ignore[arg-type]
            findings=dict(sorted(kinds[gid].items())),
            worst=worst[gid].value if gid in worst else None,
        ))
    return out
