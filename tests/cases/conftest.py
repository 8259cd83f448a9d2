"""Fixtures of the case tests: the sample organisation with one case about 张伟 (p-zhangwei)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from redline.review.accounts import Actor, Role
from redline.review.cases import add_note, set_disposition
from redline.review.decisions import decide
from redline.review.sample import load_sample
from redline.store.db import migrate
from redline.store.tables.review import Alert

INV = Actor("inv", Role.INVESTIGATOR)
# the case's alerts: a gift offer (dm-01), five red packets (pay-03 names pay-01..05), the ID in g1-15
CASE_SUBJECTS = ("dm-01", "pay-03", "g1-15")


def open_case(engine: Engine) -> int:
    """Escalate the three alerts about 张伟 into one case, with a disposition and a note."""
    with Session(engine) as session:
        ids = list(session.scalars(select(Alert.id).where(Alert.subject_id.in_(CASE_SUBJECTS))))
    case_id = decide(engine, INV, ids, "escalate", reason="张伟收受红包")
    assert case_id is not None
    set_disposition(engine, INV, case_id, "谈话函询")
    add_note(engine, INV, case_id, "与张伟谈话")
    return case_id


@pytest.fixture
def case_store(tmp_path: Path) -> tuple[Engine, int]:
    """A SQLite store with the sample organisation and the case about 张伟."""
    engine = migrate(f"sqlite:///{tmp_path / 'cases.db'}")
    load_sample(engine)
    return engine, open_case(engine)
