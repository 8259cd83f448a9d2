"""`groups.unregistered`: a group with several officials that is not in the group registry.

咸阳 管理办法: every work group is set up by type with a designated owner, i.e. it is known
to the organisation. A chat with several officials that the registry (groups.csv
`registered`) does not list is a work group run outside the rules, so it is a lead.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from pydantic import BaseModel, ConfigDict, Field

from redline.contracts import BundleTables, Finding, Trigger, config_as
from redline.groups.finding import group_finding, merge_same_subject
from redline.groups.frame import connect, rows
from redline.groups.weights import BreachWeights
from redline.vocab import Category, Severity


class UnregisteredConfig(BaseModel):
    """Tunable parameters of a `groups.unregistered` entry."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    min_officials: int = Field(3, ge=1)  # "several": below this a chat is a private one
    exempt_types: list[str] = Field(default_factory=lambda: ["social"])  # 非工作群 as declared
    severity: Severity | None = None  # None: the rule's severity in its pack
    weights: BreachWeights = BreachWeights()


class Unregistered:
    """Groups with at least `min_officials` current official members and `registered` false."""

    name: ClassVar[str] = "groups.unregistered"
    Config: ClassVar[type[BaseModel]] = UnregisteredConfig

    def analyze(self, tables: BundleTables, triggers: Sequence[Trigger]) -> list[Finding]:
        """One finding per unregistered group per trigger; the officials are named."""
        if not triggers:
            return []
        con = connect(tables)
        found = rows(con, """
            SELECT g.group_id, coalesce(g.name, '') AS name, coalesce(g.type, '') AS type,
                   list(p.person_id ORDER BY p.person_id) AS officials,
                   list(p.name ORDER BY p.person_id) AS names,
                   count(DISTINCT p.unit) AS units
            FROM groups g
            JOIN current_members cm USING (group_id)
            JOIN people_x p USING (person_id)
            WHERE NOT coalesce(g.registered, false) AND p.is_official AND NOT p.external
            GROUP BY ALL ORDER BY g.group_id""")
        findings: list[Finding] = []
        for trigger in triggers:
            cfg = config_as(trigger, UnregisteredConfig)
            for r in found:
                officials: list[str] = r["officials"]  # type: ignore[assignment]
                if len(officials) < cfg.min_officials or r["type"] in cfg.exempt_types:
                    continue
                names: list[str] = r["names"]  # type: ignore[assignment]
                gid, gname = str(r["group_id"]), str(r["name"])
                findings.append(group_finding(
                    trigger, detector=self.name, kind="unregistered_group",
                    category=Category.GOVERNANCE, severity=cfg.severity, group_id=gid,
                    reason_key=self.name,
                    reason_facts={"group_id": gid, "group_name": gname, "officials": officials, "names": names,
                                  "units": r["units"]},
                    score=cfg.weights.breach,
                    facts={"group_name": gname, "group_type": r["type"], "officials": officials,
                           "units": r["units"]},
                ))
        return merge_same_subject(findings)
