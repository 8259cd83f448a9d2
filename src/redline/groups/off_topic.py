"""`groups.off_topic`: a work group whose share of non-work chat passes a threshold.

The city secretary's rule: 不聊无关当地工作的其他话题, and 和工作无关的信息不得在群里发布.
A single joke is not a lead; a work group where a large share of the messages is about
stocks, games, shopping links or gossip has stopped being a work group. The non-work
messages are found by the plan's lexicon detector (the shared `off-topic` term list).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

import pyarrow as pa
import pyarrow.compute as pc
from pydantic import BaseModel, ConfigDict, Field

from redline.contracts import BundleTables, Finding, Trigger, config_as
from redline.groups.finding import group_finding, merge_same_subject
from redline.groups.frame import arrow, connect, rows
from redline.groups.textscan import TextProbing
from redline.groups.weights import BreachWeights
from redline.vocab import Category, Severity

_MESSAGES = """
SELECT gm.id, gm.time, gm.group_id, gm.sender, gm.day, coalesce(gm.text, '') AS text,
       list_contains(?, coalesce(gm.type, 'text')) AS non_work_type
FROM group_messages gm JOIN groups g USING (group_id)
WHERE NOT list_contains(?, coalesce(g.type, '')) AND coalesce(gm.type, 'text') NOT IN ('system', 'revoke')
"""

_SHARES = """
SELECT m.group_id, coalesce(g.name, '') AS group_name, coalesce(g.type, '') AS type,
       count(*) AS total, count(*) FILTER (WHERE m.off) AS off,
       count(*) FILTER (WHERE m.off) / count(*) AS share,
       min(m.day) AS first_day, max(m.day) AS last_day,
       list(m.id ORDER BY m.time, m.id) FILTER (WHERE m.off) AS off_ids,
       list(DISTINCT m.sender) FILTER (WHERE m.off) AS senders
FROM flagged m JOIN groups g USING (group_id)
GROUP BY ALL
HAVING count(*) >= ? AND count(*) FILTER (WHERE m.off) / count(*) >= ?
ORDER BY m.group_id
"""


class OffTopicConfig(BaseModel):
    """Tunable parameters of a `groups.off_topic` entry."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    detectors: dict[str, Any] = Field(default_factory=lambda: {"lexicon": {"lexicon": ["off-topic"]}})
    threshold: float = Field(0.2, gt=0.0, le=1.0)  # share of non-work messages
    min_messages: int = Field(30, ge=1)  # too few messages say nothing about a group
    non_work_types: list[str] = Field(default_factory=list)  # e.g. ["red_packet"]
    exempt_types: list[str] = Field(default_factory=lambda: ["social"])
    severity: Severity | None = None  # None: the rule's severity in its pack
    weights: BreachWeights = BreachWeights()


class OffTopic(TextProbing):
    """One `off_topic` finding per work group over the threshold, with the share and evidence."""

    name: ClassVar[str] = "groups.off_topic"
    Config: ClassVar[type[BaseModel]] = OffTopicConfig

    def analyze(self, tables: BundleTables, triggers: Sequence[Trigger]) -> list[Finding]:
        """Flag non-work messages in batch, then compute each group's share in DuckDB."""
        if not triggers:
            return []
        con = connect(tables)
        findings: list[Finding] = []
        for trigger in triggers:
            cfg = config_as(trigger, OffTopicConfig)
            msgs = arrow(con, _MESSAGES, [cfg.non_work_types, cfg.exempt_types])
            hits = self.scan(msgs["text"], trigger)
            off = pc.is_in(pa.array(range(msgs.num_rows), pa.int64()), value_set=hits["row"])
            con.register("flagged", msgs.append_column("off", pc.or_(off, msgs["non_work_type"])))
            hit_ids = msgs["id"].take(hits["row"]).to_pylist()
            words: dict[str, str] = {}
            for mid, word in zip(hit_ids, hits["evidence"].to_pylist(), strict=True):
                words.setdefault(mid, word)  # one topic word per message is enough to show
            found = rows(con, _SHARES, [cfg.min_messages, cfg.threshold])
            findings.extend(self._finding(trigger, cfg, r, words) for r in found)
        return merge_same_subject(findings)

    def _finding(self, trigger: Trigger, cfg: OffTopicConfig, r: dict[str, object],
                 words: dict[str, str]) -> Finding:
        gid, gname = str(r["group_id"]), str(r["group_name"])
        off_ids: list[str] = r["off_ids"] or []  # type: ignore[assignment]
        topics = list(dict.fromkeys(words[i] for i in off_ids if i in words))
        share = float(r["share"])  # type: ignore[arg-type]
        senders = sorted(r["senders"] or [])  # type: ignore[call-overload]
        return group_finding(
            trigger, detector=self.name, kind="off_topic", category=Category.OFF_TOPIC,
            severity=cfg.severity, group_id=gid, message_ids=off_ids,
            reason_key=self.name,
            reason_facts={"group_id": gid, "group_name": gname, "first_day": r["first_day"],
                          "last_day": r["last_day"], "total": r["total"], "off": r["off"], "share": share,
                          "threshold": cfg.threshold, "topics": topics, "message_ids": off_ids},
            score=cfg.weights.breach,
            facts={"group_name": gname, "total": r["total"], "off_topic": r["off"],
                   "share": round(share, 4), "threshold": cfg.threshold,
                   "topics": topics, "senders": senders},
        )
