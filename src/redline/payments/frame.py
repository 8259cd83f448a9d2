"""The payment frame: a bundle's payments as DuckDB columns, validated, with relations joined.

Every typology queries the same frame, built once per `BundleTables` object:
- `pay`: valid payment rows (`a`, `b`: integer codes of payer and payee, the join keys of
  the heavy steps); `t` is UTC epoch microseconds, `day` the Asia/Shanghai calendar
  day (days since 1970-01-01, the same numbering as Arrow `date32`), `fen` integer fen;
  `counted` is true for money that really reached the payee (paid/received, not returned).
- `rel`: directed relations, `other` is `relation` OF `official` (inverse rows added, so a
  `superior` row also yields the `subordinate` one; family and colleague are symmetric).
- `flow`: counted money per ordered pair of codes (`a` paid `b`: total, count, smallest and
  largest payment).
- `gift`: counted payments TO an official, with the payer's relation at that day (`rel`,
  null if none is listed), the payer's flags, `pair_fen`: everything this payer paid this
  official (`pair_n` payments), and `back_fen`: everything the official paid the payer over
  the whole period (reciprocity: 经常性单方面收受 is one-way); `colleague_packet` marks a claim on an official's
  lucky-draw packet shared by three or more people in a group (custom, not a targeted gift);
  `standing` a pair whose every gift is a transfer of the same odd amount, three times or
  more (rent, wages, instalments: a standing arrangement; gifts are packets, or round or lucky).
- `packets`: group red packets (rows sharing a `packet_id` in a group conversation): sender,
  first claim time `t0`, largest claimer `top` (手气最佳), total, number of claims.
- `people`, `events`, `messages`.
Rows that cannot be analysed (unknown people, non-positive or absurd amounts, duplicate ids,
unknown kinds) are never dropped silently: they land in `PaymentFrame.rejected`.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Any, Final, TypeAlias

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from redline.bundle.conform import conform
from redline.bundle.schema import MAX_AMOUNT_FEN, OFFSET_US
from redline.contracts import BundleTables
from redline.vocab import PaymentKind, PaymentStatus, Relation

Params: TypeAlias = list[Any] | dict[str, Any] | None
US_PER_DAY: Final = 86_400_000_000
WECHAT_PACKET_CAP_FEN: Final = 20_000  # one WeChat red packet holds at most 200 yuan
RETURN_WINDOW_DAYS: Final = 7  # a same-amount payment back within a week is a refund (已退还)
RISK_RELATIONS: Final = (Relation.MANAGED, Relation.SUPPLIER, Relation.SUBORDINATE)

# Relation priority when a pair has several listed: family mitigates first (亲属往来 is
# normal), then the relations the regulations name.
_PRIORITY: Final = ("family", "managed", "supplier", "subordinate", "superior", "colleague")


@dataclass(frozen=True, slots=True)
class Rejected:
    """One payment row left out of the analysis, and why (1-based row in payments)."""

    row: int
    payment_id: str
    field: str
    reason: str


@dataclass(frozen=True, slots=True)
class RelationIssue:
    """A relations row that names an unknown person or relation (kept out of the joins)."""

    row: int
    field: str
    reason: str


class PaymentFrame:
    """A validated bundle in one in-memory DuckDB database (see the module docstring)."""

    def __init__(self, tables: BundleTables, *, threads: int | None = None) -> None:
        self.con = duckdb.connect(":memory:")
        self.con.execute("SET enable_progress_bar = false")
        # Row order of intermediate tables carries no meaning here (every query orders what it
        # lists); letting DuckDB drop it saves memory and time on large bundles.
        self.con.execute("SET preserve_insertion_order = false")
        self.timings: dict[str, float] = {}
        self.cpu_timings: dict[str, float] = {}
        self._clock, self._cpu = time.perf_counter(), time.process_time()
        if threads:
            self.con.execute(f"SET threads={int(threads)}")
        self._lock = threading.Lock()
        self._register(tables)
        self._tick("register")
        self.rejected: tuple[Rejected, ...] = self._validate_payments()
        self.relation_issues: tuple[RelationIssue, ...] = self._build_relations()
        self._tick("relations")
        self._build_gifts()
        self._tick("gifts")
        people = self.con.execute("SELECT person_id, name FROM people").fetchall()
        self.names: dict[str, str] = {pid: (name or pid) for pid, name in people}
        self.notices: tuple[str, ...] = self._notices()
        groups = self.con.execute("SELECT group_id, name FROM groups WHERE group_id IS NOT NULL").fetchall()
        self.group_names: dict[str, str] = {gid: (name or gid) for gid, name in groups}

    def _tick(self, step: str) -> None:
        """Record wall and CPU seconds (all threads) of one build step."""
        now, cpu = time.perf_counter(), time.process_time()
        self.timings[step] = round(now - self._clock, 3)
        self.cpu_timings[step] = round(cpu - self._cpu, 3)
        self._clock, self._cpu = now, cpu

    # -- queries ---------------------------------------------------------------------------
    def sql(self, query: str, params: Params = None) -> pa.Table:
        """Run one query and return Arrow (DuckDB connections are not thread-safe)."""
        with self._lock:
            return self.con.sql(query, params=params).to_arrow_table()

    def rows(self, query: str, params: Params = None) -> list[dict[str, Any]]:
        """Run a query whose result is small (alerts, not payments) and return dicts."""
        with self._lock:
            return _dicts(self.con.execute(query, params))

    def rows_with(
        self, extra: dict[str, pa.Table], query: str, params: Params = None
    ) -> list[dict[str, Any]]:
        """Like `rows`, with small Arrow tables (festival windows) visible under their names."""
        with self._lock:
            for name, table in extra.items():
                self.con.register(name, table)
            try:
                return _dicts(self.con.execute(query, params))
            finally:
                for name in extra:
                    self.con.unregister(name)

    def name(self, person_id: str) -> str:
        """The display name of a person, or the id when the roster has no name."""
        return self.names.get(person_id, person_id)

    # -- building --------------------------------------------------------------------------
    def _register(self, tables: BundleTables) -> None:
        payments = conform(tables.payments, "payments")
        micros = pc.cast(payments.column("time"), pa.int64())
        payments = payments.set_column(payments.schema.get_field_index("time"), "t", micros)
        payments = payments.append_column("row_no", pa.array(range(1, payments.num_rows + 1), pa.int64()))
        events = conform(tables.events, "events")
        messages = conform(tables.messages, "messages").select(["id", "time", "conversation", "sender", "text"])
        messages = messages.set_column(1, "t", pc.cast(messages.column("time"), pa.int64()))
        for name, table in (
            ("raw_payments", payments),
            ("people_src", conform(tables.people, "people")),
            ("relations_src", conform(tables.relations, "relations")),
            ("events_src", events),
            ("messages", messages),
            ("memberships", conform(tables.memberships, "memberships")),
            ("groups", conform(tables.groups, "groups")),
        ):
            self.con.register(name, table)
        self.con.execute(
            """CREATE TABLE people AS
               SELECT row_number() OVER () AS pno, person_id, any_value(name) AS name, any_value(unit) AS unit,
                      coalesce(bool_or(is_official), false) AS is_official,
                      coalesce(bool_or(external), false) AS external
               FROM people_src WHERE person_id IS NOT NULL AND person_id <> ''
               GROUP BY person_id"""
        )
        self.con.execute(
            """CREATE TABLE events AS
               SELECT event_id, CAST(date - DATE '1970-01-01' AS INTEGER) AS day, kind, unit,
                      person_id, other_id
               FROM events_src WHERE date IS NOT NULL"""
        )

    def _validate_payments(self) -> tuple[Rejected, ...]:
        kinds = _sql_list(k.value for k in PaymentKind)
        statuses = _sql_list(s.value for s in PaymentStatus)
        # Exact duplicates (same id, same content) keep their first copy; ids whose copies
        # disagree are all rejected: we cannot know which one is true.
        self.con.execute(
            """CREATE TABLE dups AS
            SELECT payment_id, count(*) AS copies, min(row_no) AS first_row,
                   count(DISTINCT hash(t, payer, payee, amount_fen, kind, status, packet_id)) AS variants
            FROM raw_payments
            WHERE payment_id IN (SELECT payment_id FROM raw_payments GROUP BY payment_id HAVING count(*) > 1)
            GROUP BY payment_id"""
        )
        self.con.execute(
            f"""CREATE VIEW checked AS
            SELECT r.*, pp.pno AS a, pe.pno AS b, pp.is_official AS payer_official, pp.external AS payer_external,
                   pe.is_official AS payee_official, CASE
              WHEN r.payment_id IS NULL OR r.payment_id = '' THEN 'payment_id|missing payment id'
              WHEN d.variants > 1 THEN 'payment_id|duplicate payment id with different contents (' || d.copies || ' rows)'
              WHEN r.row_no > d.first_row THEN 'payment_id|exact duplicate of an earlier row'
              WHEN t IS NULL THEN 'time|missing time'
              WHEN payer IS NULL OR payer = '' THEN 'payer|missing payer'
              WHEN payee IS NULL OR payee = '' THEN 'payee|missing payee'
              WHEN pp.person_id IS NULL THEN 'payer|unknown person ' || payer || ' (not in people.csv)'
              WHEN pe.person_id IS NULL THEN 'payee|unknown person ' || payee || ' (not in people.csv)'
              WHEN payer = payee THEN 'payee|payer and payee are the same person'
              WHEN amount_fen IS NULL THEN 'amount_yuan|missing amount'
              WHEN amount_fen <= 0 THEN 'amount_yuan|amount must be positive, got ' || (amount_fen / 100.0)
              WHEN amount_fen > {MAX_AMOUNT_FEN} THEN 'amount_yuan|absurd amount ' || (amount_fen / 100.0) || ' yuan'
              WHEN kind IS NULL OR kind NOT IN {kinds} THEN 'kind|unknown payment kind ' || coalesce(kind, 'null')
              WHEN status IS NOT NULL AND status NOT IN {statuses} THEN 'status|unknown status ' || status
              WHEN kind = 'red_packet' AND channel = 'wechat' AND amount_fen > {WECHAT_PACKET_CAP_FEN}
                THEN 'amount_yuan|a WeChat red packet holds at most 200 yuan, got ' || (amount_fen / 100.0)
              ELSE NULL END AS problem
            FROM raw_payments r
            LEFT JOIN dups d ON d.payment_id = r.payment_id
            LEFT JOIN people pp ON pp.person_id = r.payer
            LEFT JOIN people pe ON pe.person_id = r.payee"""  # noqa: S608 - only module constants are interpolated
        )
        self._tick("validate")
        # One pass over the raw rows: every row is copied once with its verdict, then the few
        # bad ones are listed and deleted (cheaper than a second join pass or a second copy).
        self.con.execute(
            f"""CREATE TABLE pay AS
            SELECT row_no AS rid, payment_id AS pid, t, CAST((t + {OFFSET_US}) // {US_PER_DAY} AS INTEGER) AS day,
                   payer, payee, amount_fen AS fen, kind, coalesce(conversation, '') AS conv, coalesce(memo, '') AS memo,
                   coalesce(status, 'paid') AS status, nullif(packet_id, '') AS packet_id,
                   payer_official, payer_external, payee_official, a, b,
                   coalesce(status, 'paid') IN ('paid', 'received') AS counted, problem
            FROM checked"""  # noqa: S608 - only module constants are interpolated
        )
        bad = self.con.execute(
            "SELECT rid, coalesce(pid, ''), problem FROM pay WHERE problem IS NOT NULL ORDER BY rid"
        ).fetchall()
        self.con.execute("DELETE FROM pay WHERE problem IS NOT NULL")
        # 已退还: returned/refunded status (above), or the same amount paid straight back within
        # a week. Few rows change, so an update is cheaper than another copy of the table.
        self.con.execute(
            f"""UPDATE pay SET counted = false WHERE rid IN (
              SELECT a.rid FROM pay a JOIN pay b
                ON b.a = a.b AND b.b = a.a AND b.fen = a.fen
               AND b.t >= a.t AND b.t <= a.t + {RETURN_WINDOW_DAYS * US_PER_DAY}
              WHERE a.counted AND b.status IN ('paid', 'received'))"""  # noqa: S608 - only module constants are interpolated
        )
        self.con.execute("DROP VIEW checked")
        self._tick("pay")
        return tuple(
            Rejected(row=row, payment_id=pid, field=problem.split("|", 1)[0], reason=problem.split("|", 1)[1])
            for row, pid, problem in bad
        )

    def _build_relations(self) -> tuple[RelationIssue, ...]:
        known = _sql_list(r.value for r in Relation)
        self.con.execute(
            f"""CREATE TABLE rel_checked AS
            SELECT row_number() OVER () AS row_no, r.person_id, r.other_id, r.relation,
                   CAST(r.since - DATE '1970-01-01' AS INTEGER) AS since_day,
                   CAST(r.until - DATE '1970-01-01' AS INTEGER) AS until_day,
                   CASE WHEN r.relation IS NULL OR r.relation NOT IN {known} THEN 'relation|unknown relation ' || coalesce(r.relation, 'null')
                        WHEN a.person_id IS NULL THEN 'person_id|unknown person ' || coalesce(r.person_id, 'null')
                        WHEN b.person_id IS NULL THEN 'other_id|unknown person ' || coalesce(r.other_id, 'null')
                        ELSE NULL END AS problem
            FROM relations_src r
            LEFT JOIN people a ON a.person_id = r.person_id
            LEFT JOIN people b ON b.person_id = r.other_id"""  # noqa: S608 - only module constants are interpolated
        )
        # Inverse rows: (P, X, superior) means P is X's subordinate.
        self.con.execute(
            """CREATE TABLE rel AS
            SELECT DISTINCT x.pno AS oa, y.pno AS ob, official, other, relation, since_day, until_day FROM (
              SELECT person_id AS official, other_id AS other, relation, since_day, until_day
                FROM rel_checked WHERE problem IS NULL
              UNION ALL
              SELECT other_id, person_id,
                     CASE relation WHEN 'superior' THEN 'subordinate' WHEN 'subordinate' THEN 'superior'
                                   ELSE relation END,
                     since_day, until_day
                FROM rel_checked
               WHERE problem IS NULL AND relation IN ('family', 'colleague', 'superior', 'subordinate')) u
            JOIN people x ON x.person_id = u.official JOIN people y ON y.person_id = u.other"""
        )
        bad = self.con.execute(
            "SELECT row_no, problem FROM rel_checked WHERE problem IS NOT NULL ORDER BY row_no"
        ).fetchall()
        return tuple(RelationIssue(int(r), p.split("|", 1)[0], p.split("|", 1)[1]) for r, p in bad)

    def _build_gifts(self) -> None:
        prio = " ".join(f"WHEN '{name}' THEN {i}" for i, name in enumerate(_PRIORITY))
        self.con.execute(
            """CREATE TABLE flow AS
               SELECT a, b, sum(fen) AS fen, count(*) AS n, min(fen) AS lo, max(fen) AS hi,
                      bool_and(kind IN ('transfer', 'bank')) AS plain
               FROM pay WHERE counted GROUP BY a, b"""
        )
        # Pair-level facts of gifts to officials, computed once per pair, not per payment.
        self.con.execute(
            """CREATE TABLE gift_pair AS
               SELECT f.a, f.b, f.fen AS pair_fen, f.n AS pair_n, coalesce(r.fen, 0) AS back_fen,
                      f.n >= 3 AND f.lo = f.hi AND f.lo % 10000 <> 0 AND f.plain AS standing
               FROM flow f JOIN people o ON o.pno = f.b AND o.is_official
               LEFT JOIN flow r ON r.a = f.b AND r.b = f.a"""
        )
        # Group red packets (one row per claim), shared by `gift` and packet_gambling.
        self.con.execute(
            """CREATE TABLE packets AS
               SELECT packet_id, any_value(conv) AS conv, any_value(payer) AS sender, min(t) AS t0,
                      arg_max(payee, fen) AS top, sum(fen) AS total, count(*) AS claims
               FROM pay WHERE packet_id IS NOT NULL AND kind = 'red_packet' AND conv <> ''
                 AND NOT starts_with(conv, 'dm:') AND status IN ('paid', 'received', 'returned', 'refunded')
               GROUP BY packet_id"""
        )
        self.con.execute(
            f"""CREATE TABLE gift AS
            WITH claims AS (SELECT packet_id FROM packets WHERE claims >= 3), r AS (
              SELECT g.rid, arg_min(rel.relation, CASE rel.relation {prio} ELSE 99 END) AS rel
              FROM pay g JOIN rel ON rel.oa = g.b AND rel.ob = g.a
               AND (rel.since_day IS NULL OR g.day >= rel.since_day)
               AND (rel.until_day IS NULL OR g.day <= rel.until_day)
              WHERE g.counted AND g.payee_official
              GROUP BY g.rid
            )
            SELECT g.rid, g.pid, g.t, g.day, g.payer, g.payee, g.a, g.b, g.fen, g.kind, g.memo, g.packet_id,
                   g.payer_official, g.payer_external, r.rel, gp.back_fen, gp.pair_fen, gp.pair_n, gp.standing,
                   (c.packet_id IS NOT NULL AND g.payer_official) AS colleague_packet
            FROM pay g JOIN gift_pair gp ON gp.a = g.a AND gp.b = g.b
            LEFT JOIN r ON r.rid = g.rid
            LEFT JOIN claims c ON c.packet_id = g.packet_id
            WHERE g.counted AND g.payee_official"""  # noqa: S608 - only module constants are interpolated
        )

    def _notices(self) -> tuple[str, ...]:
        """What the analysis cannot do with this bundle, said plainly (never a silent gap)."""
        counts = self.con.execute(
            """SELECT (SELECT count(*) FROM rel), (SELECT count(*) FROM rel WHERE relation = 'family'),
                      (SELECT count(*) FROM people WHERE is_official), (SELECT count(*) FROM events)"""
        ).fetchone() or (0, 0, 0, 0)
        n_rel, n_family, n_officials, n_events = counts
        out = []
        if n_officials == 0:
            out.append("no person is marked is_official in people.csv: there is nobody to screen")
        if n_rel == 0:
            out.append("relations.csv is empty or absent: managed-party rules cannot apply and family "
                       "packets cannot be told from gifts")
        elif n_family == 0:
            out.append("relations.csv lists no family: relatives' packets cannot be told from gifts")
        if n_events == 0:
            out.append("events.csv is empty or absent: no gifts around decisions, no vote-buying checks")
        return tuple(out)

    @property
    def n_payments(self) -> int:
        """Valid payment rows in the frame."""
        row = self.con.execute("SELECT count(*) FROM pay").fetchone()
        return int(row[0]) if row else 0


def _dicts(cursor: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    names = [d[0] for d in cursor.description or ()]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _sql_list(values: Any) -> str:
    return "(" + ", ".join(f"'{v}'" for v in values) + ")"


_CACHE: list[tuple[BundleTables, PaymentFrame]] = []
_CACHE_LOCK = threading.Lock()


def frame_of(tables: BundleTables) -> PaymentFrame:
    """The frame of these tables, built once: the eight typologies share it.

    Keyed by identity and holding only the most recent bundle, so a scan of one bundle
    builds one frame and a long-running process does not accumulate them.
    """
    with _CACHE_LOCK:
        if _CACHE and _CACHE[0][0] is tables:
            return _CACHE[0][1]
        frame = PaymentFrame(tables)
        _CACHE[:] = [(tables, frame)]
        return frame
