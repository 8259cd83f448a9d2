"""Circles (小圈子): candidate closed groups of people, and how closed each one is.

Two sources. Leiden communities of the interaction graph find circles that meet in direct
chats and packets; a small private group (unregistered, or social) whose officials span
units is a circle by construction, however busy its members' other lives are. A circle's
closedness is the share of its members' interaction weight that stays inside it.
"""

from __future__ import annotations

from typing import Final

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from redline.groups.communities import Partition

GROUP_BASE: Final = 1_000_000_000  # circle ids of private groups, apart from community ids

_MEMBERS = """
WITH c AS (
  SELECT c.person_id, c.community, c.source, c.group_id, coalesce(p.unit, '') AS unit,
         coalesce(p.is_official, false) AND NOT coalesce(p.external, false) AS official
  FROM candidates c LEFT JOIN people_x p USING (person_id)
), ok AS (
  SELECT community FROM c GROUP BY community
  HAVING count(*) BETWEEN ? AND ? AND count(DISTINCT unit) FILTER (WHERE official AND unit <> '') >= ?
)
SELECT * FROM c SEMI JOIN ok USING (community) ORDER BY community, person_id
"""

# 2 × weight inside / Σ strength of the members, per circle.
_CLOSEDNESS = """
WITH strength AS (
  SELECT person_id, sum(weight) AS s FROM (
    SELECT a AS person_id, weight FROM graph_edges UNION ALL SELECT b, weight FROM graph_edges)
  GROUP BY person_id
), inside AS (
  SELECT c1.community, sum(e.weight) AS w FROM graph_edges e
  JOIN circle_members c1 ON c1.person_id = e.a
  JOIN circle_members c2 ON c2.person_id = e.b AND c2.community = c1.community
  GROUP BY c1.community
)
SELECT cm.community, coalesce(2 * any_value(i.w) / nullif(sum(s.s), 0), 0) AS closedness
FROM circle_members cm LEFT JOIN strength s USING (person_id) LEFT JOIN inside i USING (community)
GROUP BY cm.community
"""


def find_circles(
    con: duckdb.DuckDBPyConnection, edges: pa.Table, part: Partition, *,
    min_size: int, max_size: int, min_units: int, min_closedness: float,
) -> tuple[pa.Table, dict[int, float]]:
    """Circle members (person_id, community, source, group_id, unit, official) and closedness.

    Needs the `small_private` table of `interactions.channel_counts`. Leiden circles must be
    at least `min_closedness` closed; private-group circles need not be. A Leiden circle with
    exactly a private group's members is kept once, as the group.
    """
    idx = np.arange(len(part.names))
    leiden = pa.table({
        "person_id": pa.array(part.names, pa.string()), "community": part.membership.astype(np.int64),
        "source": pa.array(["leiden"] * len(idx), pa.string()), "group_id": pa.nulls(len(idx), pa.string())})
    con.register("leiden_members", leiden)
    con.execute("""CREATE OR REPLACE TEMP TABLE candidates AS
        WITH g AS (SELECT group_id, members, dense_rank() OVER (ORDER BY group_id) AS rk
                   FROM small_private)
        SELECT * FROM leiden_members
        UNION ALL
        SELECT u.person_id, ? + g.rk AS community, 'group' AS source, g.group_id
        FROM g, unnest(g.members) AS u(person_id)""", [GROUP_BASE])
    members = con.sql(_MEMBERS, params=[min_size, max_size, min_units]).to_arrow_table()
    con.register("circle_members", members)
    con.register("graph_edges", edges)
    closed = {int(c): float(v) for c, v in con.execute(_CLOSEDNESS).fetchall()}
    keep, seen = [], set()
    groups_first = sorted(_member_sets(members).items(), key=lambda kv: kv[0] < GROUP_BASE)
    for community, people in groups_first:
        if community < GROUP_BASE and (closed.get(community, 0.0) < min_closedness or people in seen):
            continue
        seen.add(people)
        keep.append(community)
    members = members.filter(pc.is_in(members["community"], pa.array(keep, pa.int64())))
    con.register("circle_members", members)
    return members, {c: closed.get(c, 0.0) for c in keep}


def _member_sets(members: pa.Table) -> dict[int, frozenset[str]]:
    out: dict[int, set[str]] = {}
    for c, p in zip(members["community"].to_pylist(), members["person_id"].to_pylist(), strict=True):
        out.setdefault(int(c), set()).add(p)
    return {c: frozenset(s) for c, s in out.items()}
