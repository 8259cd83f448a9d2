"""A person's risk: contributions with their decay, worked out by hand, add up to the score."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings, strategies as st
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session
from tests.cases.conftest import INV

from redline.cases.risk import (
    HALF_LIFE_DAYS,
    WEIGHTS,
    contribution,
    person_risk,
    ranking,
    source_of,
)
from redline.review.decisions import decide
from redline.review.sample import T0
from redline.store.tables.findings import FindingRow
from redline.store.tables.review import Alert


def test_zhang_weis_score_is_the_sum_of_his_three_findings(case_store: tuple[Engine, int]) -> None:
    engine, case_id = case_store
    # give his three findings the times of what they are about
    times = {"dm-01": T0 + timedelta(days=1), "g1-15": T0, "pay-03": T0 + timedelta(days=3)}
    with Session(engine) as session, session.begin():
        for finding in session.scalars(select(FindingRow).where(FindingRow.subject_id.in_(times))):
            finding.time = times[finding.subject_id]
    now = T0 + timedelta(days=181)
    with Session(engine) as session:
        risk = person_risk(session, "p-zhangwei", now)
    points = {c.severity: (c.age_days, c.points) for c in risk.contributions}
    # high (4) 180 days old: one half-life, 2.00; critical (8) 178 days: 8 × 0.5^(178/180) = 4.03;
    # medium (2) 181 days: 2 × 0.5^(181/180) = 0.9962 → 1.00
    assert points == {"high": (180.0, 2.0), "critical": (178.0, 4.03), "medium": (181.0, 1.0)}
    assert risk.score == 7.03
    assert [c.time for c in risk.contributions] == sorted(times.values(), reverse=True)  # newest first
    assert {c.case_id for c in risk.contributions} == {case_id}
    assert {c.source for c in risk.contributions} == {"text", "payments"}


def test_decay_halves_per_half_life_and_dismissal_zeroes(case_store: tuple[Engine, int]) -> None:
    engine, _ = case_store
    with Session(engine) as session:
        alert = session.scalar(select(Alert).where(Alert.subject_id == "dm-03"))
        assert alert is not None
        created = T0 + timedelta(days=2)  # dm-03's time, which its finding (no time of its own) takes
        at_once = person_risk(session, "p-zhaomin", created)
        later = person_risk(session, "p-zhaomin", created + timedelta(days=2 * HALF_LIFE_DAYS))
    # one medium finding (weight 2): 2.00 when new, 0.50 after two half-lives
    assert [(c.points, c.factor) for c in at_once.contributions] == [(2.0, 1.0)]
    assert (later.score, later.contributions[0].factor) == (0.5, 0.25)
    decide(engine, INV, [alert.id], "dismiss", reason="已核实，无问题")
    with Session(engine) as session:
        dismissed = person_risk(session, "p-zhaomin", created)
    assert (dismissed.score, dismissed.contributions[0].status) == (0.0, "dismissed")


def test_ranking_puts_the_case_person_first(case_store: tuple[Engine, int]) -> None:
    engine, _ = case_store
    now = T0 + timedelta(days=10)
    with Session(engine) as session:
        ranked = ranking(session, now)
        zhang = person_risk(session, "p-zhangwei", now)
    assert [r[0] for r in ranked] == ["p-zhangwei", "p-zhaomin"]
    assert ranked[0][1:] == (zhang.score, 3)
    # at T0 + 10 days: high dm-01 (9 days old) 4 × 0.5^(9/180) = 3.86; medium g1-15 (T0 + 2.5 h)
    # 2 × 0.5^(9.896/180) = 1.93; critical pay-03 (its payment at T0 + 3 d 1 h) 8 × 0.5^(6.958/180) = 7.79
    assert zhang.score == 13.58


@pytest.mark.parametrize(("detector", "facts", "source"), [
    ("lexicon", {}, "text"), ("payments.managed_party_gifts", {}, "payments"),
    ("groups.unregistered", None, "groups"), ("lexicon", {"file": "/x/scan.pdf"}, "attachments"),
])
def test_source_of(detector: str, facts: dict[str, object] | None, source: str) -> None:
    assert source_of(detector, facts) == source


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(sorted(WEIGHTS)), st.integers(0, 3000)), min_size=1, max_size=30))
def test_points_always_add_up(items: list[tuple[str, int]]) -> None:
    now = datetime(2027, 1, 1, tzinfo=UTC)
    parts = [contribution(FindingRow(id=i, rule_id="R", detector="lexicon", severity=sev, reason="", facts={},
                                     subject="message", subject_id=str(i), time=now - timedelta(days=age),
                                     created_at=now), None, now)
             for i, (sev, age) in enumerate(items)]
    for part, (sev, age) in zip(parts, items, strict=True):
        assert part.points == round(WEIGHTS[sev] * 0.5 ** (age / HALF_LIFE_DAYS), 2)
    total = round(sum(p.points for p in parts), 2)
    assert total == pytest.approx(sum(p.points for p in parts), abs=1e-9)
