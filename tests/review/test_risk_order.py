"""The queue sorted by person risk: keys that agree with the timeline, pages without gaps."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from sqlalchemy import Engine, delete, insert, select, update
from sqlalchemy.orm import Session

from redline.cases import risk
from redline.contracts import Finding
from redline.review import risk_order
from redline.review.accounts import Actor, Role
from redline.review.alerts import QueueFilter, build_alerts, list_alerts
from redline.review.decisions import decide
from redline.store.db import migrate
from redline.store.findings import save_findings
from redline.store.tables.review import Alert

NOW = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)


def _pages(engine: Engine, flt: QueueFilter, limit: int) -> list[Alert]:
    seen: list[Alert] = []
    cursor = None
    with Session(engine) as session:
        while True:
            page = list_alerts(session, flt, "risk", cursor, limit)
            seen += page.alerts
            cursor = page.next_cursor
            if cursor is None:
                return seen


def _people(engine: Engine) -> list[str]:
    with Session(engine) as session:
        return sorted({p for p in session.scalars(select(Alert.person_id)) if p})


@pytest.fixture
def people_store(store: Engine) -> Engine:
    """The sample organisation and four more people with one to four findings of mixed severity."""
    save_findings(store, [
        Finding(f"R-{n}", "gifts", "lexicon", "message", f"m-rk-{p}-{n}", ("low", "medium", "high", "critical")[(p + n) % 4],
                "r", person_id=f"p-rk-{p}")
        for p in range(4) for n in range(p + 1)])
    build_alerts(store)
    return store


def test_every_alert_carries_its_persons_timeline_score(people_store: Engine) -> None:
    store = people_store
    with store.begin() as conn:
        risk_order.refresh(conn, None, NOW)
    with Session(store) as session:
        people = _people(store)
        assert len(people) >= 3
        expected = {p: risk.person_risk(session, p, NOW).score for p in people}
        for alert in session.scalars(select(Alert).where(Alert.person_id.is_not(None))):
            assert risk_order.score_at(alert.risk, NOW) == expected[alert.person_id], alert.id
    assert len(set(expected.values())) > 1  # the sample's people do differ


def test_risk_sort_is_by_score_then_severity_then_id(people_store: Engine) -> None:
    store = people_store
    with store.begin() as conn:
        risk_order.refresh(conn, None, NOW)
    rows = _pages(store, QueueFilter(status=None), 500)
    with Session(store) as session:
        score = {p: risk.person_risk(session, p, NOW).score for p in _people(store)}
    keys = [(score.get(a.person_id or "", 0.0), a.severity_rank, a.id) for a in rows]
    assert keys == sorted(keys, reverse=True)
    assert keys[0][0] == max(score.values())


def test_a_build_scores_the_new_findings_people_and_a_dismissal_lowers_them(store: Engine) -> None:
    before = {a.id: a.risk for a in _pages(store, QueueFilter(status=None), 500)}
    assert any(before.values())  # load_sample built the alerts: keys are filled
    save_findings(store, [Finding("R-NEW", "gifts", "lexicon", "message", "m-risk-1", "critical", "r",
                                  person_id="p-risk")])
    build_alerts(store)
    with Session(store) as session:
        mine = list(session.scalars(select(Alert).where(Alert.person_id == "p-risk")))
    assert len(mine) == 1
    assert mine[0].risk > 0
    assert _pages(store, QueueFilter(), 1)[0].person_id == "p-risk"  # a fresh critical finding: highest risk
    decide(store, Actor("ana", Role.ANALYST), [mine[0].id], "dismiss", reason="no lead")
    with Session(store) as session:
        assert session.get(Alert, mine[0].id).risk == 0.0  # type: ignore[union-attr]
        # the other people's keys did not move
        assert {a.id: a.risk for a in session.scalars(select(Alert).where(Alert.id.in_(before)))} == before


def test_keys_compare_like_the_current_scores_whenever_they_were_computed(store: Engine) -> None:
    # two people scored on different days: the key of the older computation still sorts right
    people = _people(store)[:2]
    with store.begin() as conn:
        early = risk_order.scores(conn, [people[0]], NOW - timedelta(days=40))
        late = risk_order.scores(conn, [people[1]], NOW)
        now_scores = risk_order.scores(conn, people, NOW)
    keys = {people[0]: risk_order.key_of(early[people[0]], NOW - timedelta(days=40)),
            people[1]: risk_order.key_of(late[people[1]], NOW)}
    for p in people:
        # the projection of a 40-day-old score differs from today's by rounding only
        assert risk_order.score_at(keys[p], NOW) == pytest.approx(now_scores[p], abs=0.01 * 20)
    if abs(now_scores[people[0]] - now_scores[people[1]]) > 0.5:
        assert (keys[people[0]] > keys[people[1]]) == (now_scores[people[0]] > now_scores[people[1]])


@given(score=st.floats(0, 10_000, allow_nan=False), days=st.integers(-3650, 36_500))
def test_a_key_reads_back_as_its_score(score: float, days: int) -> None:
    at = risk_order.EPOCH + timedelta(days=days)
    assert risk_order.score_at(risk_order.key_of(score, at), at) == pytest.approx(round(score, 2), abs=0.0100001)


# ---- paging: many ties of risk and severity, any page size ----

@pytest.fixture(scope="module")
def tied(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    engine = migrate(f"sqlite:///{tmp_path_factory.mktemp('risk') / 'tied.db'}")
    with engine.begin() as conn:
        conn.execute(insert(Alert), [
            {"subject": "message", "subject_id": f"m{i}", "person_id": f"p{i % 7}", "rule_id": "R", "category": "gifts",
             "severity": "low", "severity_rank": 1 + i % 3, "status": ("new", "dismissed")[i % 5 == 0],
             # seven people, three of them tied, one key with a long fraction, one of nobody's alerts at 0
             "risk": (0.0, 1.5, 1.5, 1.5, 2 / 3, 1e-9, 123.456)[i % 7], "tags": [], "created_at": NOW}
            for i in range(211)])
    return engine


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(limit=st.integers(1, 60), status=st.sampled_from([None, "new", "dismissed"]))
def test_risk_pages_have_no_duplicates_and_no_gaps(tied: Engine, limit: int, status: str | None) -> None:
    got = [a.id for a in _pages(tied, QueueFilter(status=status), limit)]
    with Session(tied) as session:
        every = list(session.scalars(select(Alert).where(*([Alert.status == status] if status else []))))
    assert got == [a.id for a in sorted(every, key=lambda a: (a.risk, a.severity_rank, a.id), reverse=True)]


@pytest.mark.parametrize("cursor", ["bm9uc2Vuc2U", "aW5mfDF8Mg", "MXwy"])  # "nonsense", "inf|1|2", "1|2"
def test_a_bad_risk_cursor_is_an_input_error(tied: Engine, cursor: str) -> None:
    from redline.errors import ConfigError

    with Session(tied) as session, pytest.raises(ConfigError):
        list_alerts(session, QueueFilter(), "risk", cursor)


def test_a_full_refresh_clears_the_keys_of_people_without_findings(tmp_path: Path) -> None:
    engine = migrate(f"sqlite:///{tmp_path / 'r.db'}")
    save_findings(engine, [Finding("R-1", "gifts", "lexicon", "message", "m-1", "high", "r", person_id="p-1")])
    build_alerts(engine)
    with engine.begin() as conn:
        conn.execute(insert(Alert).values(subject="group", subject_id="g", person_id="p-gone", rule_id="R",
                                          category="gifts", severity="low", risk=5.0, tags=[], created_at=NOW))
        conn.execute(delete(Alert).where(Alert.person_id == "nobody"))
        assert risk_order.refresh(conn, None, NOW) == 1
    with Session(engine) as session:
        keys = dict(session.execute(select(Alert.person_id, Alert.risk)).tuples().all())
    assert keys["p-gone"] == 0.0
    assert risk_order.score_at(keys["p-1"], NOW) > 0


def test_the_first_build_of_a_day_rescores_everyone_in_chunks(people_store: Engine) -> None:
    from redline.store.tables.accounts import ConsoleKey

    store = people_store
    with store.begin() as conn:
        risk_order.refresh(conn, None, NOW)
    with Session(store) as session:
        whole = dict(session.execute(select(Alert.id, Alert.risk)).tuples().all())
    assert risk_order.refresh_everyone(store, NOW, people_per_transaction=1) >= 6  # the sample's two, our four
    with Session(store) as session:
        assert dict(session.execute(select(Alert.id, Alert.risk)).tuples().all()) == whole
    # a day later, keys wiped: the next build (with nothing new to place) rescores everyone
    with store.begin() as conn:
        conn.execute(update(Alert).values(risk=0.0))
        conn.execute(update(ConsoleKey).where(ConsoleKey.name == "risk.refreshed_at")
                     .values(value=(datetime.now(UTC) - timedelta(days=1, minutes=1)).isoformat()))
    assert risk_order.due(store)
    assert build_alerts(store) == 0
    assert not risk_order.due(store)
    now = datetime.now(UTC)
    with Session(store) as session:
        for alert in session.scalars(select(Alert).where(Alert.person_id.is_not(None))):
            assert risk_order.score_at(alert.risk, now) == risk.person_risk(session, alert.person_id, now).score
