"""The organisation's ordinary calendar (events.csv): inspections, approvals and promotions that no gift follows.

Planted events (an election, a bid) are added by the cases; these give the event-gift
analyses a calendar that is mostly innocent, as a real one is.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np

from redline.demo.org import Org
from redline.demo.period import START, is_workday
from redline.demo.planter import Event
from redline.demo.units import BY_CODE, UNITS, official_id
from redline.vocab import EventKind


def _workday(rng: np.random.Generator, lo: int, hi: int) -> date:
    d = START + timedelta(days=int(rng.integers(lo, hi)))
    while not is_workday(d):
        d += timedelta(days=1)
    return d


def ordinary_events(org: Org, rng: np.random.Generator) -> list[Event]:
    """About twenty events over the period, on working days, about core officials only."""
    events: list[Event] = []
    for i, code in enumerate((12, 8, 14, 11, 9, 13)):  # inspections of a unit by the county or the city
        events.append(Event(f"E{len(events) + 1:03d}", _workday(rng, 10, 170), EventKind.INSPECTION,
                            BY_CODE[code].name, official_id(code, BY_CODE[code].posts[0]) if i % 2 else None, None))
    approvers = ((7, "用地股股长", "建筑公司"), (5, "项目股股长", "建筑公司"), (12, "城关市场监管所所长", "个体户"),
                 (8, "建管股股长", "建筑公司"), (7, "规划股股长", "建筑公司"))
    for code, post, kind in approvers:  # approvals granted to a managed party
        parties = [o for a, o, rel, _, _ in org.relations if a == official_id(code, post) and rel == "managed"]
        pool = parties or org.parties.get(kind, [None])  # type: ignore[list-item]
        other = pool[int(rng.integers(0, len(pool)))] if pool else None
        events.append(Event(f"E{len(events) + 1:03d}", _workday(rng, 5, 175), EventKind.APPROVAL,
                            BY_CODE[code].name, official_id(code, post), other))
    for code in (4, 10, 15, 17):  # promotions: a section head becomes a deputy
        unit = next(u for u in UNITS if u.code == code)
        events.append(Event(f"E{len(events) + 1:03d}", _workday(rng, 30, 175), EventKind.PROMOTION, unit.name,
                            official_id(code, unit.posts[-1]), None))
    for code in (19, 16):
        events.append(Event(f"E{len(events) + 1:03d}", _workday(rng, 60, 150), EventKind.ELECTION,
                            BY_CODE[code].name, None, None))  # village committee elections nobody bought
    return events
