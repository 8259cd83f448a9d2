"""`groups.external_member`: an outsider in an internal or classified work group.

上网不涉密、涉密不上网: internal groups (leadership and department groups, or any group with a
classification) are for the unit's own officials. A member the roster marks `external`, or
does not know at all, is a lead; in a classified group it is critical.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from pydantic import BaseModel, ConfigDict, Field

from redline.contracts import BundleTables, Finding, Trigger, config_as
from redline.groups.finding import group_finding, merge_same_subject
from redline.groups.frame import connect, rows
from redline.groups.weights import BreachWeights
from redline.vocab import Category, Severity, Subject

_SQL = """
SELECT cm.group_id, coalesce(g.name, '') AS group_name, coalesce(g.type, '') AS type,
       coalesce(g.classification, '') AS classification, cm.person_id, cm.display_name,
       cm.joined, p.person_id IS NOT NULL AS known, p.name, p.unit,
       (SELECT list(gm.id ORDER BY gm.time) FROM group_messages gm
         WHERE gm.group_id = cm.group_id AND gm.sender = cm.person_id) AS posted
FROM current_members cm JOIN groups g USING (group_id)
LEFT JOIN people_x p USING (person_id)
WHERE (p.person_id IS NULL OR p.external)
  AND (list_contains(?, coalesce(g.type, ''))
       OR NOT list_contains(?, lower(coalesce(g.classification, ''))))
ORDER BY cm.group_id, cm.person_id
"""


class ExternalMemberConfig(BaseModel):
    """Tunable parameters of a `groups.external_member` entry."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    internal_types: list[str] = Field(default_factory=lambda: ["leadership", "department"])
    # classification values that mean "open": anything else makes the group internal.
    open_classifications: list[str] = Field(
        default_factory=lambda: ["", "public", "open", "none", "公开", "非密", "非涉密"])
    # classification values that make an outsider critical rather than high (密级).
    classified: list[str] = Field(default_factory=lambda: [
        "secret", "confidential", "top_secret", "classified", "秘密", "机密", "绝密"])
    severity: Severity | None = None  # None: the rule's severity in its pack
    classified_severity: Severity = Severity.CRITICAL
    weights: BreachWeights = BreachWeights()


class ExternalMember:
    """One `external_member` finding per outsider in an internal or classified group."""

    name: ClassVar[str] = "groups.external_member"
    Config: ClassVar[type[BaseModel]] = ExternalMemberConfig

    def analyze(self, tables: BundleTables, triggers: Sequence[Trigger]) -> list[Finding]:
        """Current members that are external or unknown, in groups that are not open."""
        if not triggers:
            return []
        con = connect(tables)
        findings: list[Finding] = []
        for trigger in triggers:
            cfg = config_as(trigger, ExternalMemberConfig)
            opened = [c.lower() for c in cfg.open_classifications]
            classified = {c.lower() for c in cfg.classified}
            for r in rows(con, _SQL, [cfg.internal_types, opened]):
                gid, gname = str(r["group_id"]), str(r["group_name"])
                cls = str(r["classification"])
                posted: list[str] = r["posted"] or []  # type: ignore[assignment]
                sev = cfg.classified_severity if cls.lower() in classified else cfg.severity
                findings.append(group_finding(
                    trigger, detector=self.name, kind="external_member",
                    category=Category.SECRETS if cls.lower() in classified else Category.GOVERNANCE,
                    severity=sev, group_id=gid, person_id=str(r["person_id"]),
                    subject=Subject.PERSON, subject_id=str(r["person_id"]), message_ids=posted,
                    reason_key=self.name,
                    reason_facts={"person_id": str(r["person_id"]), "name": r["name"] or r["display_name"],
                                  "known": bool(r["known"]), "unit": r["unit"], "classification": cls,
                                  "group_id": gid, "group_name": gname, "joined": r["joined"], "posted": posted},
                    score=cfg.weights.breach,
                    facts={"group_name": gname, "group_type": r["type"], "classification": cls,
                           "known": r["known"], "unit": r["unit"], "joined": r["joined"]},
                ))
        return merge_same_subject(findings)
