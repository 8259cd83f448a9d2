"""The interaction graph over people: who deals with whom, privately, and how much.

Edges come from five channels, each counted in DuckDB over the whole bundle:
co-membership of small private groups (unregistered or social ones, where circles meet),
direct chats, replies (a message answering another sender's within minutes) and @mentions
of a member's display or real name in private groups, and red packets / transfers. Weights are
`channel weight × log1p(count)`, so a thousand replies do not drown one shared private group.
"""

from __future__ import annotations

from typing import Final, Literal

import duckdb
import pyarrow as pa
from pydantic import BaseModel, ConfigDict, Field

CHANNELS: Final = ("co_member", "direct", "reply", "mention", "payment")


class InteractionConfig(BaseModel):
    """How the graph is built; part of `groups.faction`'s Config."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    max_group_size: int = Field(12, ge=2)  # "small" private group
    private_types: list[str] = Field(default_factory=lambda: ["social", "other"])
    reply_minutes: int = Field(5, ge=1)
    # Replies and mentions in registered work groups are the work itself; by default only
    # those in private groups (unregistered or of a private type) tie people together.
    reply_scope: Literal["private", "all"] = "private"
    # Ties weaker than this are dropped before community detection: one packet (0.69) or a few
    # direct messages are everyday life; a circle's ties repeat. It also keeps Leiden fast.
    min_edge_weight: float = Field(1.0, ge=0.0)
    weights: dict[str, float] = Field(default_factory=lambda: {
        "co_member": 2.0, "direct": 0.5, "reply": 0.3, "mention": 0.5, "payment": 1.0})


# Small private groups: unregistered ones, or declared social/other, with few members.
SMALL_PRIVATE = """
CREATE OR REPLACE TEMP TABLE small_private AS
SELECT m.group_id, list(DISTINCT m.person_id ORDER BY m.person_id) AS members
FROM memberships m JOIN groups g USING (group_id)
WHERE (NOT coalesce(g.registered, false) OR list_contains(?, coalesce(g.type, '')))
GROUP BY m.group_id HAVING count(DISTINCT m.person_id) BETWEEN 2 AND ?
"""

# Every channel as (a, b, channel, n) with a < b.
_EDGES = """
WITH scoped AS (
  SELECT group_id FROM groups
  WHERE ? = 'all' OR NOT coalesce(registered, false) OR list_contains(?, coalesce(type, ''))
), co AS (
  SELECT a.person_id AS a, b.person_id AS b, 'co_member' AS channel, count(*) AS n
  FROM small_private s, unnest(s.members) AS a(person_id), unnest(s.members) AS b(person_id)
  WHERE a.person_id < b.person_id GROUP BY ALL
), direct AS (
  SELECT least(sender, other) AS a, greatest(sender, other) AS b, 'direct' AS channel, count(*) AS n
  FROM (SELECT sender, CASE WHEN split_part(substr(conversation, 4), '|', 1) = sender
                           THEN split_part(substr(conversation, 4), '|', 2)
                           ELSE split_part(substr(conversation, 4), '|', 1) END AS other
        FROM messages WHERE starts_with(conversation, 'dm:') AND sender IS NOT NULL)
  WHERE other <> '' AND other <> sender GROUP BY ALL
), replies AS (
  SELECT least(sender, prev) AS a, greatest(sender, prev) AS b, 'reply' AS channel, count(*) AS n
  FROM (SELECT sender, lag(sender) OVER w AS prev,
               date_diff('second', lag(time) OVER w, time) AS gap
        FROM group_messages SEMI JOIN scoped USING (group_id)
        WINDOW w AS (PARTITION BY group_id ORDER BY time, id))
  WHERE prev IS NOT NULL AND prev <> sender AND gap <= ? GROUP BY ALL
), mentioned AS (
  SELECT gm.group_id, gm.sender, unnest(regexp_extract_all(gm.text, '@([^\\s@,，:：]+)', 1)) AS handle
  FROM group_messages gm SEMI JOIN scoped USING (group_id) WHERE contains(gm.text, '@')
), mentions AS (
  SELECT least(x.sender, m.person_id) AS a, greatest(x.sender, m.person_id) AS b,
         'mention' AS channel, count(*) AS n
  FROM mentioned x JOIN memberships m ON m.group_id = x.group_id
  LEFT JOIN people_x p ON p.person_id = m.person_id
  WHERE (x.handle = m.display_name OR x.handle = p.name) AND m.person_id <> x.sender
  GROUP BY ALL
), pays AS (
  SELECT least(payer, payee) AS a, greatest(payer, payee) AS b, 'payment' AS channel, count(*) AS n
  FROM payments WHERE payer IS NOT NULL AND payee IS NOT NULL AND payer <> payee
    AND coalesce(status, 'paid') NOT IN ('returned', 'refunded', 'expired')
  GROUP BY ALL
)
SELECT * FROM co UNION ALL SELECT * FROM direct UNION ALL SELECT * FROM replies
UNION ALL SELECT * FROM mentions UNION ALL SELECT * FROM pays
"""


def channel_counts(con: duckdb.DuckDBPyConnection, cfg: InteractionConfig) -> pa.Table:
    """Interaction counts per unordered pair and channel: columns a, b, channel, n."""
    con.execute(SMALL_PRIVATE, [cfg.private_types, cfg.max_group_size])
    params: list[object] = [cfg.reply_scope, cfg.private_types, cfg.reply_minutes * 60]
    return con.sql(_EDGES, params=params).to_arrow_table()


def weighted_edges(con: duckdb.DuckDBPyConnection, counts: pa.Table, cfg: InteractionConfig) -> pa.Table:
    """One row per pair: a, b, weight (Σ channel weight × ln(1 + count))."""
    con.register("channel_counts", counts)
    weights = pa.table({"channel": list(cfg.weights), "w": list(cfg.weights.values())})
    con.register("channel_weights", weights)
    return con.sql("""
        SELECT a, b, sum(w.w * ln(1 + c.n)) AS weight
        FROM channel_counts c JOIN channel_weights w USING (channel)
        GROUP BY a, b HAVING sum(w.w * ln(1 + c.n)) >= greatest(?, 1e-9) ORDER BY a, b""",
        params=[cfg.min_edge_weight]).to_arrow_table()
