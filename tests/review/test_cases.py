from __future__ import annotations

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from redline.errors import AccessDenied, ConfigError
from redline.review import cases
from redline.review.accounts import Actor, Role
from redline.review.decisions import decide
from redline.store.tables.review import Alert

INV = Actor("inv", Role.INVESTIGATOR)


def _case(engine: Engine) -> int:
    with Session(engine) as session:
        ids = list(session.scalars(select(Alert.id).where(Alert.subject_id.in_(("dm-01", "pay-03")))))
    case_id = decide(engine, INV, ids, "escalate", reason="红包")
    assert case_id is not None
    return case_id


def test_workflow_open_investigating_concluded(sqlite_store: Engine) -> None:
    case_id = _case(sqlite_store)
    cases.set_disposition(sqlite_store, INV, case_id, "初步核实", "先核实")
    cases.set_status(sqlite_store, INV, case_id, "investigating")
    with pytest.raises(ConfigError, match="outcome"):
        cases.set_status(sqlite_store, INV, case_id, "concluded")
    cases.set_status(sqlite_store, INV, case_id, "concluded", "violation")
    with Session(sqlite_store) as session:
        view = cases.case_view(session, case_id)
    assert (view.case.status, view.case.outcome, view.case.disposition) == ("concluded", "violation", "初步核实")
    # the gift offer and the packets are one alert now: one escalation
    assert [d.action for d in view.decisions] == ["escalate", "disposition", "status", "status"]
    with pytest.raises(ConfigError, match="cannot go"):
        cases.set_status(sqlite_store, INV, case_id, "investigating")
    with pytest.raises(ConfigError, match="concluded"):
        cases.set_disposition(sqlite_store, INV, case_id, "予以了结")


@pytest.mark.parametrize("disposition", ["立案", "closed", ""], ids=["not-in-list", "english", "empty"])
def test_only_the_users_dispositions(sqlite_store: Engine, disposition: str) -> None:
    with pytest.raises(ConfigError, match="unknown disposition"):
        cases.set_disposition(sqlite_store, INV, _case(sqlite_store), disposition)


def test_analysts_escalate_but_do_not_work_cases(sqlite_store: Engine) -> None:
    case_id = _case(sqlite_store)
    with pytest.raises(AccessDenied):
        cases.add_note(sqlite_store, Actor("ana", Role.ANALYST), case_id, "note")


def test_timeline_and_counterparty_graph(sqlite_store: Engine) -> None:
    with Session(sqlite_store) as session:
        items = cases.timeline(session, "p-zhangwei")
        edges = cases.counterparty_graph(session, "p-zhangwei")
    assert [e.counterparty for e in edges] == ["b-wanglaoban", "b-sunjie"]
    assert (edges[0].n_in, edges[0].fen_in, edges[0].n_out) == (5, 100_000, 0)
    assert (edges[1].n_out, edges[1].fen_out) == (1, 5_000)
    kinds = [i.kind for i in items]
    assert kinds.count("payment") == 6
    assert kinds.count("message") == 11
    assert [i.time for i in items] == sorted((i.time for i in items), reverse=True)
