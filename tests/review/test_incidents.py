"""Incident grouping: a partition of the findings, joined by shared keys within the window."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings, strategies as st

from redline.errors import ConfigError
from redline.review.incidents import Hit, IncidentPolicy, event_span, group_hits, link_keys

T0 = datetime(2023, 9, 1, tzinfo=UTC)
DAY = timedelta(days=1)


def _hit(i: int, day: float, *keys: tuple[str, str], category: str = "gifts", subject: str = "") -> Hit:
    return Hit(i, category, T0 + day * DAY, None, frozenset(keys), subject or f"message:m{i}")


def test_packets_a_week_apart_chain_into_one_incident_and_a_gap_splits() -> None:
    hits = [_hit(i, 7 * i, ("person", "P1")) for i in range(15)] + [_hit(99, 7 * 14 + 31, ("person", "P1"))]
    groups = group_hits(hits, IncidentPolicy(window=30 * DAY))
    assert sorted(len(g) for g in groups) == [1, 15]


@pytest.mark.parametrize(
    ("other", "together"),
    [
        (_hit(1, 2, ("person", "P1")), True),
        (_hit(1, 2, ("person", "P1"), category="secrets"), False),  # same person, other category
        (_hit(1, 2, ("person", "P2")), False),  # nothing shared
        (_hit(1, 45, ("person", "P1")), False),  # beyond the window
        (_hit(1, 45, ("person", "P2"), category="secrets", subject="message:m0"), True),  # same message
    ],
    ids=["same-person", "other-category", "nothing-shared", "beyond-window", "same-subject"],
)
def test_what_makes_one_incident(other: Hit, together: bool) -> None:
    groups = group_hits([_hit(0, 0, ("person", "P1")), other], IncidentPolicy())
    assert (len(groups) == 1) is together


def test_link_kinds_are_configurable() -> None:
    hits = [_hit(0, 0, ("conversation", "G1")), _hit(1, 1, ("conversation", "G1"))]
    assert len(group_hits(hits, IncidentPolicy(link_by=("person",)))) == 2
    assert len(group_hits(hits, IncidentPolicy(link_by=("conversation",)))) == 1
    with pytest.raises(ConfigError):
        IncidentPolicy(link_by=("unit",))
    assert IncidentPolicy.from_env({"REDLINE_INCIDENT_WINDOW_DAYS": "7"}).window == 7 * DAY
    with pytest.raises(ConfigError):
        IncidentPolicy.from_env({"REDLINE_INCIDENT_WINDOW_DAYS": "a week"})


def test_a_pattern_spanning_months_reaches_a_message_inside_it() -> None:
    pattern = Hit(0, "gifts", T0 + 100 * DAY, T0, frozenset({("person", "P1")}), "payment:p1")
    assert len(group_hits([pattern, _hit(1, 50, ("person", "P1"))], IncidentPolicy(window=7 * DAY))) == 1


_hits = st.lists(
    st.builds(
        lambda day, cat, person, conv: (day, cat, person, conv),
        st.integers(0, 200), st.sampled_from(["gifts", "gambling"]), st.sampled_from(["P1", "P2", "P3", ""]),
        st.sampled_from(["c1", "c2", ""]),
    ),
    max_size=40,
)


@settings(max_examples=150, deadline=None)
@given(_hits, st.integers(0, 60))
def test_grouping_is_a_partition_that_never_joins_unlinked_neighbours(rows: list[tuple[int, str, str, str]], days: int) -> None:
    hits = [_hit(i, d, *((("person", p),) if p else ()), *((("conversation", c),) if c else ()), category=cat)
            for i, (d, cat, p, c) in enumerate(rows)]
    policy = IncidentPolicy(window=days * DAY)
    groups = group_hits(hits, policy)
    assert sorted(i for g in groups for i in g) == list(range(len(hits)))  # every hit exactly once
    for group in groups:
        assert len({hits[i].category for i in group}) == 1
        if len(group) > 1:
            # single linkage: each member has a partner in its group sharing a key within the window
            for i in group:
                assert any(hits[i].keys & hits[j].keys and abs(hits[i].time - hits[j].time) <= policy.window
                           for j in group if j != i)
    # and linked pairs are never apart
    where = {i: n for n, g in enumerate(groups) for i in g}
    for i, a in enumerate(hits):
        for j, b in enumerate(hits):
            if a.category == b.category and a.keys & b.keys and abs(a.time - b.time) <= policy.window:
                assert where[i] == where[j]


def test_event_span_prefers_the_evidence_and_falls_back_to_facts_then_join_date() -> None:
    scan = datetime(2026, 3, 1, tzinfo=UTC)
    times = [T0 + 3 * DAY, T0]
    assert event_span(None, {}, times, None, scan) == (T0, T0 + 3 * DAY)
    first, last = event_span(None, {"missed_days": ["2023-10-23", "2023-10-26"]}, [], None, scan)
    assert last.date() == date(2023, 10, 26) == first.date()
    assert event_span(None, {}, [], date(2020, 9, 27), scan)[0].date() == date(2020, 9, 27)
    assert event_span(None, {}, [], None, scan) == (scan, scan)


def test_link_keys_name_people_money_and_conversations() -> None:
    keys = link_keys("payment", "pp-1", "P1", {"counterparty_ids": ["M1"], "group_id": "G9"}, ["pp-2"], "dm:M1|P1")
    assert keys == {("person", "P1"), ("person", "M1"), ("payment", "pp-1"), ("payment", "pp-2"),
                    ("group", "G9"), ("conversation", "G9"), ("conversation", "dm:M1|P1")}
