"""`build_demo`: the whole demo county as a canonical bundle, with planted.json beside its files.

One seed drives independent random streams (org core, staff, groups, cases, events,
payments, chat), so the planted cases and their ids do not depend on `scale`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import numpy as np
import orjson
import pyarrow as pa

from redline.bundle import write_bundle
from redline.bundle.schema import BY_TABLE
from redline.demo import attachment_cases, group_cases, money_cases, post_cases
from redline.demo.chat import write_background
from redline.demo.events import ordinary_events
from redline.demo.groups import Group, build_groups
from redline.demo.org import Org, build_org
from redline.demo.payments import write_life_payments
from redline.demo.period import END, START, festivals
from redline.demo.planter import Event, Planter
from redline.demo.units import COUNTY
from redline.errors import ConfigError

FULL_MESSAGES: Final = 200_000
PLANTED_FILE: Final = "planted.json"
BUNDLE_DIR: Final = "bundle"


@dataclass(frozen=True, slots=True)
class DemoResult:
    """What `build_demo` wrote: the bundle folder, the planted cases, rows per table, seconds."""

    bundle_path: Path
    planted: dict[str, Any]
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)  # seconds: generate, write

    @property
    def planted_path(self) -> Path:
        return self.bundle_path / PLANTED_FILE


def _people(org: Org) -> pa.Table:
    rows = [org.people[k] for k in sorted(org.people)]
    accounts = sorted(post_cases.EXTERNAL_ACCOUNTS.items())  # public accounts of nobody on the roster
    blank: list[Any] = [None] * len(accounts)
    return pa.table({
        "person_id": [p.person_id for p in rows] + [a for a, _ in accounts],
        "name": [p.name for p in rows] + [n for _, n in accounts],
        "unit": [p.unit for p in rows] + [""] * len(accounts), "post": [p.post for p in rows] + [""] * len(accounts),
        "is_official": [p.is_official for p in rows] + [False] * len(accounts),
        "external": [p.external for p in rows] + [True] * len(accounts),
        "start_date": pa.array([p.start_date for p in rows] + blank, pa.date32()),
        "end_date": pa.array([p.end_date for p in rows] + blank, pa.date32()),
    }, schema=BY_TABLE["people"].schema).append_column(
        # the roster's account column: which Weibo account is whose (ingest/accounts.py)
        "weibo_uid", pa.array([post_cases.ACCOUNTS.get(p.person_id) for p in rows] + blank, pa.string()))


def _rows(table: str, rows: list[tuple[Any, ...]]) -> pa.Table:
    schema = BY_TABLE[table].schema
    cols = list(zip(*rows, strict=True)) if rows else [() for _ in schema]
    return pa.Table.from_arrays([pa.array(list(c), f.type) for c, f in zip(cols, schema, strict=True)], schema=schema)


def _groups(groups: list[Group]) -> tuple[pa.Table, pa.Table]:
    g_rows = [(g.group_id, g.name, str(g.type), g.owner_id, g.registered, g.classification, g.daily_report)
              for g in groups]
    m_rows = [(g.group_id, pid, g.display[pid], g.joined[pid], g.left[pid]) for g in groups for pid in g.members]
    return _rows("groups", g_rows), _rows("memberships", m_rows)


def _events(events: list[Event]) -> pa.Table:
    rows = sorted(((e.event_id, e.date, str(e.kind), e.unit, e.person_id, e.other_id) for e in events),
                  key=lambda r: (r[1], r[0]))
    return _rows("events", rows)


def _plant(planter: Planter) -> None:
    """Every planted case, in a fixed order (each draws from the cases' own random stream)."""
    by_key = {f.key: f.day for f in festivals()}
    money_cases.grain_trader(planter)
    money_cases.villager_transfer(planter)
    group_cases.forwarded_article(planter)
    group_cases.classified_notice(planter)
    money_cases.packet_gambling(planter)
    money_cases.vote_buying(planter)
    group_cases.changed_posts(planter)
    group_cases.governance(planter)
    group_cases.daily_report_gap(planter)
    money_cases.family_proxy(planter)
    money_cases.supplier_holiday(planter, by_key["mid_autumn"])
    money_cases.bid_gift(planter)
    money_cases.money_near_misses(planter, by_key["spring"])
    group_cases.text_near_misses(planter)
    attachment_cases.classified_photo(planter)
    attachment_cases.classified_scan(planter)
    attachment_cases.attachment_near_misses(planter)
    post_cases.weibo_posts(planter)
    post_cases.moments_article(planter)


def planted_record(planter: Planter, seed: int) -> dict[str, Any]:
    """planted.json: conventions, then every case and near-miss with the ids a test needs."""
    for case in planter.cases.values():
        expected = case["expected"]
        typologies = [a.removeprefix("payments.") for a in expected.get("analyzers", []) if a.startswith("payments.")]
        if typologies:
            expected["typologies"] = typologies
    return {
        "version": 1,
        "seed": seed,
        "county": COUNTY,
        "period": {"start": START.isoformat(), "end": END.isoformat()},
        "conventions": {
            "money": "all amounts are integer fen (1 yuan = 100 fen)",
            "relations": "a relations.csv row (person_id, other_id, relation) says what other_id is to person_id",
            "ids": "planted rows use their own ids (mp-/pp-/pk-/E-<case>-NN) and are the same at every scale",
            "files": "attachment files lie in the bundle folder at file.path (the messages' attachment.path); "
                     "`redline scan --files <bundle>` screens them",
            "rule_ids": "ids of the shipped pack rules that cover the case (src/redline/packs); [] = none yet",
            "expected": "analyzers and detectors are registry keys (redline.registry); category is vocab.Category; "
                        "typologies are the `typology` of `payments analyze` alerts, kind the `kind` of `groups audit` findings",
            "festivals": {f.key: f.day.isoformat() for f in festivals()},
        },
        "cases": planter.cases,
        "near_misses": planter.near_misses,
    }


def build_demo(out_dir: Path, *, seed: int = 2017, scale: float = 1.0) -> DemoResult:
    """Build the demo county into `out_dir/bundle` (a canonical bundle plus planted.json).

    Deterministic: the same seed and scale give byte-identical files. `scale` (0 < scale ≤ 1
    for tests, up to 4 for load tests) shrinks or grows the rank-and-file staff, background
    parties, messages (200,000 at 1.0) and payments; leading posts, the 60 groups and every
    planted case stay the same. The planted attachments (a few photos and a scanned PDF)
    are rendered into `out_dir/bundle/attachments/`.
    """
    if not 0 < scale <= 4:
        raise ConfigError(f"scale must be in (0, 4], got {scale}")
    started = time.perf_counter()
    streams = [np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(7)]
    core, staff, group_rng, case_rng, event_rng, pay_rng, chat_rng = streams
    org = build_org(core, staff, scale)
    groups = build_groups(org, group_rng)
    planter = Planter(org, {g.group_id: g for g in groups}, case_rng)
    _plant(planter)
    events = ordinary_events(org, event_rng) + planter.events
    payments, pay_messages = write_life_payments(org, groups, pay_rng, scale)
    budget = round(FULL_MESSAGES * scale) - len(pay_messages) - len(planter.messages)
    messages = write_background(org, groups, chat_rng, budget, planter.stop_reporting)
    messages.extend(pay_messages)
    messages.extend(planter.messages)
    payments.rows.extend(planter.payments.rows)
    group_table, membership_table = _groups(groups)
    tables = {
        "people": _people(org),
        "relations": _rows("relations", sorted(set(org.relations), key=lambda r: (r[0], r[1], r[2]))),
        "groups": group_table,
        "memberships": membership_table,
        "events": _events(events),
        "messages": messages.table(),
        "payments": payments.table(),
    }
    generated = time.perf_counter()
    bundle = write_bundle(Path(out_dir) / BUNDLE_DIR, tables)
    for relative, data in sorted(planter.files.items()):  # attachment.path is relative to the bundle folder
        target = bundle / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    planted = planted_record(planter, seed)
    (bundle / PLANTED_FILE).write_bytes(orjson.dumps(planted, option=orjson.OPT_INDENT_2) + b"\n")
    counts = {name: t.num_rows for name, t in tables.items()}
    done = time.perf_counter()
    timings = {"generate": round(generated - started, 3), "write": round(done - generated, 3)}
    return DemoResult(bundle, orjson.loads(orjson.dumps(planted)), counts, done - started, timings)
