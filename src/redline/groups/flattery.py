"""`groups.flattery`: praise addressed to the group owner (不能对群主进行表扬, 武汉's third rule).

The text engine's flattery detector finds praise (高瞻远瞩, 讲得太好了); this check keeps the
praise that is addressed to the owner: the message names the owner (name, display name,
surname + title such as 张书记, the bare title, or 群主), or it answers the owner's own
message within a few minutes. Praise of a colleague's work is not this rule's business.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar, Final

import duckdb
import pyarrow as pa
from pydantic import BaseModel, ConfigDict, Field

from redline.contracts import BundleTables, Finding, Trigger, config_as
from redline.groups.finding import group_finding, merge_same_subject
from redline.groups.frame import arrow, connect, names
from redline.groups.textscan import TextProbing
from redline.groups.weights import DetectorWeights
from redline.vocab import Category, Severity, Subject

# Titles (职务称呼) people use to address a leader, longest first so 副县长 is not read as 县长.
TITLES: Final = ("秘书长", "董事长", "书记", "县长", "市长", "区长", "镇长", "乡长", "局长", "主任",
                 "部长", "处长", "科长", "主席", "院长", "站长", "所长", "组长", "队长", "厅长", "省长")

# Text messages of non-owners in groups that have an owner: the texts to probe for praise.
_MESSAGES = """
SELECT gm.id, gm.time, gm.group_id, gm.sender, coalesce(gm.text, '') AS text, g.owner_id
FROM group_messages gm JOIN groups g USING (group_id)
WHERE NOT list_contains(?, coalesce(g.type, '')) AND coalesce(g.owner_id, '') <> ''
  AND coalesce(gm.type, 'text') = 'text' AND gm.sender IS DISTINCT FROM g.owner_id
"""

# For the (few) praising messages only: the message just before each one in its group.
_PREVIOUS = """
SELECT h.id, p.sender AS prev_sender, p.id AS prev_id, date_diff('second', p.time, h.time) AS gap_s
FROM praised h ASOF LEFT JOIN group_messages p ON h.group_id = p.group_id AND h.time > p.time
"""


def address_forms(name: str, post: str, display: str, generic: Sequence[str]) -> list[str]:
    """How members address an owner: 张三, 财政局-张三, 张书记, 张局, 书记, 群主 …"""
    forms = [f for f in (name, display) if f]
    title = next((t for t in TITLES if post.endswith(t)), "")
    if title and name:
        forms += [name[0] + title, name[0] + title[0], title]  # 张局长, 张局, 局长
    return list(dict.fromkeys([*forms, *generic]))


class FlatteryConfig(BaseModel):
    """Tunable parameters of a `groups.flattery` entry."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    detectors: dict[str, Any] = Field(default_factory=lambda: {"flattery": {}})
    generic_forms: list[str] = Field(default_factory=lambda: ["群主"])  # add 领导 to be stricter
    reply_minutes: int = Field(10, ge=0)  # an answer to the owner within this is addressed to them
    min_score: float = Field(0.5, ge=0.0, le=1.0)
    exempt_types: list[str] = Field(default_factory=lambda: ["social"])
    severity: Severity | None = None  # None: the rule's severity in its pack
    weights: DetectorWeights = DetectorWeights()


class Flattery(TextProbing):
    """One `flattery` finding per praising message addressed to its group's owner."""

    name: ClassVar[str] = "groups.flattery"
    Config: ClassVar[type[BaseModel]] = FlatteryConfig

    def analyze(self, tables: BundleTables, triggers: Sequence[Trigger]) -> list[Finding]:
        """Detect praise in batch, then keep hits whose message addresses the owner."""
        if not triggers:
            return []
        con = connect(tables)
        owners = arrow(con, """
            SELECT g.group_id, p.person_id, p.name, p.post, coalesce(m.display_name, '') AS display
            FROM groups g JOIN people_x p ON p.person_id = g.owner_id
            LEFT JOIN memberships m ON m.group_id = g.group_id AND m.person_id = g.owner_id""")
        findings: list[Finding] = []
        for trigger in triggers:
            cfg = config_as(trigger, FlatteryConfig)
            msgs = arrow(con, _MESSAGES, [cfg.exempt_types])
            hits = self.scan(msgs["text"], trigger)
            if hits.num_rows == 0:
                continue
            forms = {r["group_id"]: (r, address_forms(r["name"], r["post"], r["display"], cfg.generic_forms))
                     for r in owners.to_pylist()}
            findings.extend(self._findings(trigger, cfg, con, msgs, hits, forms))
        return merge_same_subject(findings)

    def _findings(self, trigger: Trigger, cfg: FlatteryConfig, con: duckdb.DuckDBPyConnection,
                  msgs: pa.Table, hits: pa.Table,
                  forms: dict[str, tuple[dict[str, Any], list[str]]]) -> list[Finding]:
        best: dict[int, dict[str, Any]] = {}
        for h in hits.to_pylist():  # hits are few: one per praising message
            if h["score"] >= cfg.min_score and h["row"] not in best:
                best[h["row"]] = h
        rows = sorted(best)
        praised = msgs.take(pa.array(rows, pa.int64()))
        con.register("praised", praised.select(["id", "time", "group_id"]))
        prev = {r[0]: r[1:] for r in con.execute(_PREVIOUS).fetchall()}
        people = names(con, "people_x", "person_id", praised["sender"].to_pylist())
        groups = names(con, "groups", "group_id", praised["group_id"].to_pylist())
        taken = [{**m, **dict(zip(("prev_sender", "prev_id", "gap_s"), prev.get(m["id"], (None,) * 3), strict=True))}
                 for m in praised.to_pylist()]
        findings = []
        for h, m in zip((best[r] for r in rows), taken, strict=True):
            owner, owner_forms = forms.get(m["group_id"], ({}, []))
            named = next((f for f in owner_forms if f in m["text"]), None)
            answered = (m["prev_sender"] == m["owner_id"] and m["gap_s"] is not None
                        and m["gap_s"] <= cfg.reply_minutes * 60)
            if not owner or (named is None and not answered):
                continue
            gname = groups.get(m["group_id"], "")
            when = m["time"].isoformat(timespec="minutes")
            findings.append(group_finding(
                trigger, detector=self.name, kind="flattery", category=Category.FLATTERY,
                severity=cfg.severity, group_id=m["group_id"], person_id=m["sender"],
                subject=Subject.MESSAGE, subject_id=m["id"],
                message_ids=[m["id"], *([m["prev_id"]] if answered and not named else [])],
                reason_key=self.name,
                reason_facts={"person_id": m["sender"], "name": people.get(m["sender"]), "group_id": m["group_id"],
                              "group_name": gname, "owner_id": owner["person_id"], "owner_name": owner["name"],
                              "addressed_as": named, "previous_id": m["prev_id"], "when": when,
                              "evidence": h["evidence"], "message_id": m["id"]},
                facts={"group_name": gname, "owner_id": owner["person_id"],
                       "addressed_as": named, "answers": m["prev_id"] if answered else None},
                evidence=h["evidence"], score=cfg.weights.detector * float(h["score"]),
            ))
        return findings
