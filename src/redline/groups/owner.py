"""`groups.owner`: a work group without a designated owner (群主), or with an unfit one.

咸阳 管理办法 names who is to be 群主 of each kind of work group. A registered work group
whose owner is missing, unknown to the roster, not an official, an outsider, no longer in
post, gone from the group, or (for department groups) from another unit, is a lead.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from pydantic import BaseModel, ConfigDict, Field

from redline.contracts import BundleTables, Finding, Trigger, config_as
from redline.groups.finding import group_finding, merge_same_subject
from redline.groups.frame import as_of, connect, rows
from redline.groups.weights import BreachWeights
from redline.vocab import Category, Severity


class OwnerConfig(BaseModel):
    """Tunable parameters of a `groups.owner` entry."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    registered_only: bool = True  # unregistered groups are `groups.unregistered`'s business
    exempt_types: list[str] = Field(default_factory=lambda: ["social"])
    # Only department groups belong to one unit; task and leadership groups span units.
    same_unit_types: list[str] = Field(default_factory=lambda: ["department"])
    severity: Severity | None = None  # None: the rule's severity in its pack
    weights: BreachWeights = BreachWeights()


class Owner:
    """One `no_owner` finding per group whose owner is missing or unfit (first problem found)."""

    name: ClassVar[str] = "groups.owner"
    Config: ClassVar[type[BaseModel]] = OwnerConfig

    def analyze(self, tables: BundleTables, triggers: Sequence[Trigger]) -> list[Finding]:
        """Evaluate every group once, then filter per trigger's config."""
        if not triggers:
            return []
        con = connect(tables)
        found = rows(con, """
            SELECT g.group_id, coalesce(g.name, '') AS name, coalesce(g.type, '') AS type,
                   coalesce(g.registered, false) AS registered,
                   nullif(trim(coalesce(g.owner_id, '')), '') AS owner_id,
                   p.person_id IS NOT NULL AS known, p.name AS owner_name, p.unit AS owner_unit,
                   p.is_official, p.external, p.end_date,
                   om."left" AS owner_left, gu.unit AS group_unit,
                   (SELECT as_of FROM ref_date) AS as_of
            FROM groups g
            LEFT JOIN people_x p ON p.person_id = g.owner_id
            LEFT JOIN memberships om ON om.group_id = g.group_id AND om.person_id = g.owner_id
            LEFT JOIN group_units gu ON gu.group_id = g.group_id
            ORDER BY g.group_id""")
        ref = as_of(con)
        findings: list[Finding] = []
        for trigger in triggers:
            cfg = config_as(trigger, OwnerConfig)
            for r in found:
                if r["type"] in cfg.exempt_types or (cfg.registered_only and not r["registered"]):
                    continue
                problem = _problem(r, cfg, ref)
                if problem is None:
                    continue
                gid, gname = str(r["group_id"]), str(r["name"])
                findings.append(group_finding(
                    trigger, detector=self.name, kind="no_owner", category=Category.GOVERNANCE,
                    severity=cfg.severity, group_id=gid,
                    person_id=str(r["owner_id"]) if r["owner_id"] else None,
                    reason_key=self.name,
                    reason_facts={"group_id": gid, "group_name": gname, "problem": problem,
                                  "owner_id": str(r["owner_id"]) if r["owner_id"] else None,
                                  "owner_name": r["owner_name"], "end": r["end_date"], "left": r["owner_left"],
                                  "owner_unit": r["owner_unit"], "unit": r["group_unit"], "as_of": ref},
                    score=cfg.weights.breach,
                    facts={"group_name": gname, "problem": problem, "owner_id": r["owner_id"],
                           "owner_unit": r["owner_unit"], "group_unit": r["group_unit"],
                           "as_of": ref},
                ))
        return merge_same_subject(findings)


def _problem(r: dict[str, object], cfg: OwnerConfig, ref: object) -> str | None:
    """The first thing wrong with a group's owner, or None."""
    if r["owner_id"] is None:
        return "missing"
    if not r["known"]:
        return "unknown"
    if r["external"]:
        return "external"
    if not r["is_official"]:
        return "not_official"
    if r["end_date"] is not None and r["end_date"] < ref:  # type: ignore[operator]
        return "post_ended"
    # WeChat keeps the owner in the group, so an owner missing from memberships is a gap in
    # the export, not a breach; an owner who left (a `left` date) is one.
    if r["owner_left"] is not None and r["owner_left"] <= ref:  # type: ignore[operator]
        return "owner_left"
    if (r["type"] in cfg.same_unit_types and r["group_unit"]
            and r["owner_unit"] and r["owner_unit"] != r["group_unit"]):
        return "other_unit"
    return None
