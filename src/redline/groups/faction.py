"""`groups.faction`: a small closed circle spanning units that exchanges red packets or
canvassing words before a personnel event (Tianjin rule 5: 小圈子, 拉帮结派, 拉票贿选).

1. the interaction graph (`interactions`) → Leiden communities (`communities`);
2. a circle (`circles`) is a community of `min_size`..`max_size` people from at least
   `min_units` units whose interaction weight mostly stays inside (closedness), or a small
   private group whose officials span units;
3. for each personnel event (events.csv: election, promotion) that concerns a member (its
   person or beneficiary), or a whole unit of the circle (an election with no person), the evidence in the `window_days` before it: red packets or
   transfers between members, and canvassing or 拉帮结派 words in the circle's private chats.
A finding names the people, the event, the evidence ids and why the circle looks closed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field

from redline.contracts import BundleTables, Finding, Trigger, config_as
from redline.groups.circles import find_circles
from redline.groups.communities import detect
from redline.groups.finding import group_finding, merge_same_subject
from redline.groups.frame import arrow, connect, rows
from redline.groups.interactions import InteractionConfig, channel_counts, weighted_edges
from redline.groups.textscan import TextProbing
from redline.groups.weights import BreachWeights
from redline.vocab import Category, Severity, Subject

if TYPE_CHECKING:
    import duckdb

# Payments between two members of the same circle in the window before a relevant event.
_PAYMENTS = """
SELECT e.event_id, c1.community, list(p.payment_id ORDER BY p.time) AS ids,
       sum(p.amount_fen) AS fen, count(*) AS n
FROM payments p
JOIN circle_members c1 ON c1.person_id = p.payer
JOIN circle_members c2 ON c2.person_id = p.payee AND c2.community = c1.community
JOIN circle_events e ON e.community = c1.community
WHERE CAST(timezone('Asia/Shanghai', p.time) AS DATE) BETWEEN e.date - CAST(? AS INTEGER) AND e.date
  AND coalesce(p.status, 'paid') NOT IN ('returned', 'refunded', 'expired')
GROUP BY ALL
"""

# Messages of circle members in the circle's private places (its small private groups, DMs
# between members) in the window before a relevant event: the texts to probe for canvassing.
_MESSAGES = """
WITH places AS (
  SELECT s.group_id AS conversation, cm.community
  FROM small_private s, unnest(s.members) AS u(person_id)
  JOIN circle_members cm ON cm.person_id = u.person_id
  GROUP BY ALL HAVING count(*) >= 2
)
SELECT e.event_id, cm.community, m.id, m.conversation, m.text
FROM messages m JOIN circle_members cm ON cm.person_id = m.sender
JOIN circle_events e ON e.community = cm.community
WHERE CAST(timezone('Asia/Shanghai', m.time) AS DATE) BETWEEN e.date - CAST(? AS INTEGER) AND e.date
  AND coalesce(m.text, '') <> ''
  AND (EXISTS (SELECT 1 FROM places pl WHERE pl.conversation = m.conversation
                 AND pl.community = cm.community)
       OR (starts_with(m.conversation, 'dm:') AND EXISTS (
             SELECT 1 FROM circle_members o WHERE o.community = cm.community AND o.person_id <> m.sender
               AND list_contains(string_split(substr(m.conversation, 4), '|'), o.person_id))))
ORDER BY e.event_id, m.time, m.id
"""


class FactionConfig(BaseModel):
    """Tunable parameters of a `groups.faction` entry."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    graph: InteractionConfig = Field(default_factory=InteractionConfig)
    resolution: float = Field(0.5, gt=0.0)  # CPM: minimum interaction density inside a circle
    seed: int = 7  # Leiden is randomised; a fixed seed makes audits repeatable
    min_size: int = Field(3, ge=2)
    max_size: int = Field(10, ge=2)
    min_units: int = Field(2, ge=1)  # "spanning units": officials from this many units
    min_closedness: float = Field(0.5, ge=0.0, le=1.0)
    event_kinds: list[str] = Field(default_factory=lambda: ["election", "promotion"])
    window_days: int = Field(60, ge=1)
    detectors: dict[str, Any] = Field(default_factory=lambda: {
        "canvassing": {}, "lexicon": {"lexicon": ["factions"]}})
    severity: Severity | None = None  # None: the rule's severity in its pack
    weights: BreachWeights = BreachWeights()


class Faction(TextProbing):
    """One `faction` finding per (circle, personnel event) with packets or canvassing before it."""

    name: ClassVar[str] = "groups.faction"
    Config: ClassVar[type[BaseModel]] = FactionConfig

    def analyze(self, tables: BundleTables, triggers: Sequence[Trigger]) -> list[Finding]:
        """Graph → circles → events → evidence; everything but the sentences is columnar."""
        findings: list[Finding] = []
        for trigger in triggers:
            cfg = config_as(trigger, FactionConfig)
            con = connect(tables)
            edges = weighted_edges(con, channel_counts(con, cfg.graph), cfg.graph)
            part = detect(edges, cfg.resolution, cfg.seed)
            circles, closed = find_circles(
                con, edges, part, min_size=cfg.min_size, max_size=cfg.max_size,
                min_units=cfg.min_units, min_closedness=cfg.min_closedness)
            if circles.num_rows == 0:
                continue
            con.execute("""CREATE OR REPLACE TEMP TABLE circle_events AS
                SELECT DISTINCT cm.community, e.event_id, e.date, e.kind, e.unit, e.person_id, e.other_id
                FROM events e JOIN circle_members cm
                  ON cm.person_id IN (e.person_id, e.other_id)
                  OR (e.person_id IS NULL AND cm.official AND cm.unit = e.unit)
                WHERE list_contains(?, e.kind)""", [cfg.event_kinds])
            pays = {_key(r): r for r in rows(con, _PAYMENTS, [cfg.window_days])}
            words = self._canvassing(con, trigger, cfg)
            events = rows(con, "SELECT * FROM circle_events ORDER BY date, event_id, community")
            for ev in events:
                key = _key(ev)
                if key in pays or key in words:
                    findings.append(self._finding(trigger, cfg, con, closed[key[1]], ev, pays.get(key),
                                                  words.get(key)))
        return merge_same_subject(findings)

    def _canvassing(self, con: duckdb.DuckDBPyConnection, trigger: Trigger, cfg: FactionConfig) -> dict[tuple[str, int], dict[str, list[str]]]:
        msgs = arrow(con, _MESSAGES, [cfg.window_days])
        hits = self.scan(msgs["text"], trigger)
        out: dict[tuple[str, int], dict[str, list[str]]] = {}
        taken = msgs.take(hits["row"]).to_pylist()
        for h, m in zip(hits.to_pylist(), taken, strict=True):
            entry = out.setdefault(_key(m), {"ids": [], "words": []})
            entry["ids"].append(m["id"])
            entry["words"].append(h["evidence"])
        return out

    def _finding(self, trigger: Trigger, cfg: FactionConfig, con: duckdb.DuckDBPyConnection,
                 closed: float, ev: dict[str, object], pay: dict[str, object] | None,
                 said: dict[str, list[str]] | None) -> Finding:
        community = int(ev["community"])  # type: ignore[call-overload]
        people = rows(con, """SELECT cm.person_id, p.name, cm.unit, cm.official FROM circle_members cm
                              LEFT JOIN people_x p USING (person_id) WHERE cm.community = ?
                              ORDER BY cm.person_id""", [community])
        ids = [str(p["person_id"]) for p in people]
        units = sorted({str(p["unit"]) for p in people if p["unit"] and p["official"]})
        officials = [str(p["person_id"]) for p in people if p["official"]] or ids
        shared = rows(con, """SELECT s.group_id, coalesce(g.name, '') AS name,
                                     len(list_intersect(s.members, ?)) AS k
                              FROM small_private s JOIN groups g USING (group_id)
                              WHERE len(list_intersect(s.members, ?)) >= 2
                              ORDER BY k DESC, len(s.members), s.group_id""", [ids, ids])
        subject = next((str(ev[c]) for c in ("person_id", "other_id") if ev[c] in ids), officials[0])
        pay_ids: list[str] = list(pay["ids"]) if pay else []  # type: ignore[call-overload]
        msg_ids = list(dict.fromkeys(said["ids"])) if said else []
        words = list(dict.fromkeys(said["words"])) if said else []
        return group_finding(
            trigger, detector=self.name, kind="faction",
            category=Category.VOTE_BUYING if msg_ids else Category.FACTIONS, severity=cfg.severity,
            group_id=str(shared[0]["group_id"]) if shared else None, person_id=subject,
            # the lead is about the person the event concerns; the circle is in the facts
            subject=Subject.PERSON, subject_id=subject, message_ids=msg_ids, payment_ids=pay_ids,
            reason_key=self.name,
            reason_facts={"members": ids, "names": [p["name"] for p in people], "units": units, "closedness": closed,
                          # "closed" is claimed only when the circle passes the closedness bar; a
                          # private group is a circle by itself, whatever its members' other ties
                          "closed": closed >= cfg.min_closedness,
                          "shared_group": (shared[0]["group_id"], shared[0]["name"]) if shared else None,
                          "event_id": ev["event_id"], "event_date": ev["date"], "event_kind": ev["kind"],
                          "subject": subject, "window_days": cfg.window_days, "payment_ids": pay_ids,
                          "total_fen": int(pay["fen"]) if pay else 0,  # type: ignore[call-overload]
                          "message_ids": msg_ids, "words": words},
            score=cfg.weights.breach,
            facts={"circle": f"{'+'.join(ids)}@{ev['event_id']}", "members": ids, "units": units, "closedness": round(closed, 4),
                   "event": {k: ev[k] for k in ("event_id", "date", "kind", "unit", "person_id", "other_id")},
                   "amount_fen": int(pay["fen"]) if pay else 0,  # type: ignore[call-overload]
                   "words": words, "shared_groups": [s["group_id"] for s in shared]},
        )


def _key(r: Mapping[str, Any]) -> tuple[str, int]:
    """(event id, community): how evidence is matched to a circle's event."""
    return str(r["event_id"]), int(r["community"])

