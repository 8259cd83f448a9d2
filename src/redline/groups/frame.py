"""The group frame: a bundle's organisation tables as one DuckDB connection, plus shared views.

Every group check is a handful of SQL statements over Arrow tables (zero-copy scans), so a
check costs the same for 10 groups or 1,000 groups and 5 million messages; nothing here loops
over messages in Python. Dates follow the bundle (Asia/Shanghai); "today" is the bundle's
reference date (the last message, payment or event), never the wall clock, so an audit of an
old archive reads the same every time it is run.
"""

from __future__ import annotations

from datetime import date
from typing import Final

import duckdb
import pyarrow as pa

from redline.bundle.conform import conform
from redline.contracts import BundleTables

TABLES: Final = ("people", "relations", "groups", "memberships", "messages", "payments", "events")

# Views every check may use. `group_messages` keeps only messages posted in a group
# conversation (direct chats are `dm:<a>|<b>`), with the Shanghai calendar day of each.
_VIEWS: Final = (
    """CREATE OR REPLACE TEMP VIEW current_members AS
       SELECT m.group_id, m.person_id, m.display_name, m.joined, m."left"
       FROM memberships m
       WHERE m."left" IS NULL OR m."left" > (SELECT as_of FROM ref_date)""",
    """CREATE OR REPLACE TEMP VIEW group_messages AS
       SELECT msg.id, msg.time, msg.conversation AS group_id, msg.sender, msg.type, msg.text,
              msg.attachment,
              CAST(timezone('Asia/Shanghai', msg.time) AS DATE) AS day
       FROM messages msg SEMI JOIN groups g ON msg.conversation = g.group_id""",
    """CREATE OR REPLACE TEMP VIEW people_x AS
       SELECT person_id, coalesce(name, '') AS name, coalesce(unit, '') AS unit,
              coalesce(post, '') AS post, coalesce(is_official, false) AS is_official,
              coalesce(external, false) AS external, start_date, end_date
       FROM people""",
    # A group's unit: the unit most of its current officials belong to (groups.csv has none).
    """CREATE OR REPLACE TEMP VIEW group_units AS
       SELECT group_id, unit, n AS unit_members, total AS official_members FROM (
         SELECT cm.group_id, p.unit, count(*) AS n,
                sum(count(*)) OVER (PARTITION BY cm.group_id) AS total,
                row_number() OVER (PARTITION BY cm.group_id ORDER BY count(*) DESC, p.unit) AS rk
         FROM current_members cm JOIN people_x p USING (person_id)
         WHERE p.is_official AND NOT p.external AND p.unit <> ''
         GROUP BY cm.group_id, p.unit)
       WHERE rk = 1""",
)


def connect(tables: BundleTables, as_of: date | None = None) -> duckdb.DuckDBPyConnection:
    """A fresh in-memory DuckDB connection with the bundle's tables and the shared views.

    `as_of` is the audit's reference day; by default the last day seen in the bundle.
    """
    con = duckdb.connect(":memory:")
    con.execute("SET TimeZone = 'Asia/Shanghai'")
    con.execute("SET enable_progress_bar = false")  # the CLI draws its own
    for name in TABLES:
        con.register(name, conform(getattr(tables, name), name))
    ref = as_of or reference_date(con)
    con.execute("CREATE OR REPLACE TEMP TABLE ref_date AS SELECT CAST(? AS DATE) AS as_of", [ref])
    for sql in _VIEWS:
        con.execute(sql)
    return con


def reference_date(con: duckdb.DuckDBPyConnection) -> date:
    """The last calendar day (Shanghai) with any message, payment, event or membership change."""
    row = con.execute(
        """SELECT max(d) FROM (
             SELECT max(CAST(timezone('Asia/Shanghai', time) AS DATE)) AS d FROM messages
             UNION ALL SELECT max(CAST(timezone('Asia/Shanghai', time) AS DATE)) FROM payments
             UNION ALL SELECT max(date) FROM events
             UNION ALL SELECT max(greatest(joined, "left")) FROM memberships)"""
    ).fetchall()[0]
    if row[0] is None:
        # An empty bundle has no calendar of its own; 1970 makes every date check vacuous.
        return date(1970, 1, 1)
    found: date = row[0]
    return found


def as_of(con: duckdb.DuckDBPyConnection) -> date:
    """The reference day this connection was built with."""
    [(value,)] = con.execute("SELECT as_of FROM ref_date").fetchall()
    ref: date = value
    return ref


def rows(con: duckdb.DuckDBPyConnection, sql: str, params: list[object] | None = None) -> list[dict[str, object]]:
    """Run a query and return its (few) result rows as dicts: findings, not messages."""
    cur = con.execute(sql, params or [])
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


def arrow(con: duckdb.DuckDBPyConnection, sql: str, params: list[object] | None = None) -> pa.Table:
    """Run a query and return its result as an Arrow table (no row objects in Python)."""
    return con.sql(sql, params=params or None).to_arrow_table()


def names(con: duckdb.DuckDBPyConnection, table: str, key: str, ids: list[str]) -> dict[str, str]:
    """`name` of a few people or groups by id (for sentences; never per message)."""
    if not ids:
        return {}
    found = con.execute(f"SELECT {key}, coalesce(name, '') FROM {table} WHERE list_contains(?, {key})",  # noqa: S608 - table/key are literals of this package
                        [sorted(set(ids))]).fetchall()
    return {str(k): str(v) for k, v in found}
