"""`groups.stale_member`: a member whose post ended, or who moved unit, still in the group.

咸阳 管理办法: on a change of post a member leaves the work group (职务变动可申请退群). After a
grace period, somebody whose `end_date` has passed, or who now belongs to another unit than
the department group's, yet is still a member, keeps reading that unit's work: a lead.
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
WITH base AS (
  SELECT m.group_id, coalesce(g.name, '') AS group_name, coalesce(g.type, '') AS type,
         m.person_id, p.name, p.unit, gu.unit AS group_unit, m.joined, m."left",
         p.start_date, p.end_date, r.as_of,
         CASE
           WHEN p.end_date IS NOT NULL AND p.end_date + CAST(? AS INTEGER) < r.as_of
                AND (m."left" IS NULL OR m."left" > p.end_date + CAST(? AS INTEGER))
             THEN 'post_ended'
           WHEN list_contains(?, coalesce(g.type, '')) AND gu.unit IS NOT NULL
                AND p.unit <> '' AND p.unit <> gu.unit
                AND p.start_date IS NOT NULL AND m.joined < p.start_date
                AND p.start_date + CAST(? AS INTEGER) < r.as_of
                AND (m."left" IS NULL OR m."left" > p.start_date + CAST(? AS INTEGER))
             THEN 'moved_unit'
         END AS problem
  FROM memberships m JOIN groups g USING (group_id) JOIN people_x p USING (person_id)
  LEFT JOIN group_units gu USING (group_id) CROSS JOIN ref_date r
  WHERE NOT list_contains(?, coalesce(g.type, ''))
)
SELECT b.*, coalesce(b.end_date, b.start_date) AS changed,
       (SELECT list(gm.id ORDER BY gm.time) FROM group_messages gm
         WHERE gm.group_id = b.group_id AND gm.sender = b.person_id
           AND gm.day > coalesce(b.end_date, b.start_date)) AS after_ids
FROM base b WHERE problem IS NOT NULL ORDER BY group_id, person_id
"""


class StaleMemberConfig(BaseModel):
    """Tunable parameters of a `groups.stale_member` entry."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    grace_days: int = Field(30, ge=0)  # time to hand over before leaving the group
    exempt_types: list[str] = Field(default_factory=lambda: ["social"])
    # Only department groups belong to one unit; a moved official may stay in task groups.
    unit_types: list[str] = Field(default_factory=lambda: ["department"])
    severity: Severity | None = None  # None: the rule's severity in its pack
    weights: BreachWeights = BreachWeights()


class StaleMember:
    """One `stale_member` finding per (group, person) still in after the grace period."""

    name: ClassVar[str] = "groups.stale_member"
    Config: ClassVar[type[BaseModel]] = StaleMemberConfig

    def analyze(self, tables: BundleTables, triggers: Sequence[Trigger]) -> list[Finding]:
        """Memberships outliving the member's post (or unit) by more than the grace period."""
        if not triggers:
            return []
        con = connect(tables)
        findings: list[Finding] = []
        for trigger in triggers:
            cfg = config_as(trigger, StaleMemberConfig)
            g = cfg.grace_days
            params: list[object] = [g, g, cfg.unit_types, g, g, cfg.exempt_types]
            findings.extend(self._finding(trigger, cfg, r) for r in rows(con, _SQL, params))
        return merge_same_subject(findings)

    def _finding(self, trigger: Trigger, cfg: StaleMemberConfig, r: dict[str, object]) -> Finding:
        gid, gname = str(r["group_id"]), str(r["group_name"])
        after: list[str] = r["after_ids"] or []  # type: ignore[assignment]
        return group_finding(
            trigger, detector=self.name, kind="stale_member", category=Category.GOVERNANCE,
            severity=cfg.severity, group_id=gid, person_id=str(r["person_id"]),
            subject=Subject.PERSON, subject_id=str(r["person_id"]), message_ids=after,
            reason_key=self.name,
            reason_facts={"person_id": str(r["person_id"]), "name": r["name"], "problem": r["problem"],
                          "end_date": r["end_date"], "start_date": r["start_date"], "unit": r["unit"],
                          "group_unit": r["group_unit"], "left": r["left"], "grace_days": cfg.grace_days,
                          "group_id": gid, "group_name": gname, "as_of": r["as_of"], "message_ids": after},
            score=cfg.weights.breach,
            facts={"group_name": gname, "problem": r["problem"], "end_date": r["end_date"],
                   "start_date": r["start_date"], "unit": r["unit"], "group_unit": r["group_unit"],
                   "joined": r["joined"], "left": r["left"], "grace_days": cfg.grace_days,
                   "as_of": r["as_of"]},
        )
