"""`groups.classified_content`: secrets findings inside a work group (上网不涉密、涉密不上网).

武汉's rule 不能上传涉及保密的东西 and 咸阳's principle: nothing classified goes into a chat
group. The plan's own secrets detectors (密级 marks such as 机密★1年, 文号 such as
某政〔2026〕12号) run over each group's messages and attachment names; one finding per
(group, sender) collects the evidence messages, graded by the strongest mark seen.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
from pydantic import BaseModel, ConfigDict, Field

from redline.contracts import BundleTables, Finding, Trigger, config_as
from redline.groups.finding import group_finding, merge_same_subject
from redline.groups.frame import arrow, connect, names
from redline.groups.textscan import TextProbing
from redline.groups.weights import BreachWeights
from redline.vocab import Category, Severity

# A message is scanned with its attachment's file name: 机密-会议纪要.pdf is evidence too.
_MESSAGES = """
SELECT gm.id, gm.time, gm.group_id, gm.sender,
       coalesce(gm.text, '') || CASE WHEN gm.attachment IS NULL THEN ''
            ELSE chr(10) || coalesce(json_extract_string(gm.attachment, '$.name'), '') END AS body
FROM group_messages gm JOIN groups g USING (group_id)
WHERE NOT list_contains(?, coalesce(g.type, ''))
"""

# The strongest mark decides severity: 绝密/机密 critical, 秘密 high, anything else medium.
_CRITICAL = ("绝密", "机密", "top_secret", "secret")
_HIGH = ("秘密", "confidential")


class ClassifiedContentConfig(BaseModel):
    """Tunable parameters of a `groups.classified_content` entry."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    # Text detectors to run, as `when:` entries: registry key → its config.
    detectors: dict[str, Any] = Field(default_factory=lambda: {"secret_marks": {}, "doc_number": {}})
    min_score: float = Field(0.5, ge=0.0, le=1.0)
    exempt_types: list[str] = Field(default_factory=list)  # family groups are no safer
    severity: Severity | None = None  # None: the rule's severity in its pack
    weights: BreachWeights = BreachWeights()


class ClassifiedContent(TextProbing):
    """One `classified_content` finding per (group, sender) with secrets hits."""

    name: ClassVar[str] = "groups.classified_content"
    Config: ClassVar[type[BaseModel]] = ClassifiedContentConfig

    def analyze(self, tables: BundleTables, triggers: Sequence[Trigger]) -> list[Finding]:
        """Scan every group message once per trigger with the configured detectors."""
        if not triggers:
            return []
        con = connect(tables)
        findings: list[Finding] = []
        for trigger in triggers:
            cfg = config_as(trigger, ClassifiedContentConfig)
            msgs = arrow(con, _MESSAGES, [cfg.exempt_types])
            keys = self.probe_set(trigger).keys
            hits = self.scan(msgs["body"], trigger)
            hits = hits.filter(pc.greater_equal(hits["score"], cfg.min_score))
            if hits.num_rows == 0:
                continue
            joined = hits.append_column("probe_key", pa.array(
                [keys[p] for p in hits["probe"].to_pylist()], pa.string()))
            findings.extend(self._findings(trigger, cfg, con, msgs, joined))
        return merge_same_subject(findings)

    def _findings(self, trigger: Trigger, cfg: ClassifiedContentConfig, con: duckdb.DuckDBPyConnection,
                  msgs: pa.Table, hits: pa.Table) -> list[Finding]:
        per: dict[tuple[str, str], dict[str, Any]] = {}
        taken = msgs.select(["id", "time", "group_id", "sender"]).take(hits["row"])
        order = pc.sort_indices(taken, [("time", "ascending"), ("id", "ascending")])
        hits, taken = hits.take(order), taken.take(order)
        people = names(con, "people_x", "person_id", taken["sender"].to_pylist())
        groups = names(con, "groups", "group_id", taken["group_id"].to_pylist())
        for h, m in zip(hits.to_pylist(), taken.to_pylist(), strict=True):
            entry = per.setdefault((m["group_id"], m["sender"] or ""), {
                "group_name": groups.get(m["group_id"], ""), "name": people.get(m["sender"] or ""),
                "ids": [], "evidence": [],
                "detectors": set(),
                "first": m["time"], "last": m["time"]})
            entry["ids"].append(m["id"])
            entry["evidence"].append(h["evidence"])
            entry["detectors"].add(h["probe_key"])
            entry["last"] = m["time"]
        findings = []
        for (gid, sender), e in sorted(per.items()):
            ids = list(dict.fromkeys(e["ids"]))
            marks = list(dict.fromkeys(e["evidence"]))
            severity = (Severity.CRITICAL if any(k in ev for ev in marks for k in _CRITICAL)
                        else Severity.HIGH if any(k in ev for ev in marks for k in _HIGH)
                        else cfg.severity)
            first, last = e["first"].date().isoformat(), e["last"].date().isoformat()
            findings.append(group_finding(
                trigger, detector=self.name, kind="classified_content", category=Category.SECRETS,
                severity=severity, group_id=gid, person_id=sender or None, message_ids=ids,
                reason_key=self.name,
                reason_facts={"person_id": sender, "name": e["name"], "group_id": gid, "group_name": e["group_name"],
                              "first": first, "last": last, "marks": marks, "message_ids": ids},
                facts={"group_name": e["group_name"], "evidence": marks,
                       "detectors": sorted(e["detectors"])},
                evidence=marks[0], score=cfg.weights.breach,
            ))
        return findings
