"""review.kept_forms: what was typed comes back exactly, to its owner only, for minutes; secrets
never reach the database; the row is unreadable without the browser's token."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from redline.review import kept_forms
from redline.store.db import migrate
from redline.store.tables.kept_forms import KeptForm


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    path: Path = tmp_path_factory.mktemp("kept") / "kept.db"
    return migrate(f"sqlite:///{path}")


NAMES = st.sampled_from(["reason", "value", "action", "case_id", "text", "passphrase", "password", "csrf_token",
                         "login_token", "alert_ids"])
VALUES = st.text(st.characters(blacklist_categories=("Cs",)), max_size=200)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(pairs=st.lists(st.tuples(NAMES, VALUES), max_size=8))
def test_round_trip_without_secrets(engine: Engine, pairs: list[tuple[str, str]]) -> None:
    token = kept_forms.keep(engine, "analyst", "/alerts/1/decision", pairs)
    typed = [(n, v) for n, v in pairs if not kept_forms.SECRET_FIELD.search(n)]
    if not any(v.strip() for _, v in typed):
        assert token is None
        return
    assert token is not None
    with Session(engine) as session:
        sealed = session.get(KeptForm, kept_forms._row_id(token))
        assert sealed is not None
        for _, value in pairs:
            if len(value) >= 4:
                assert value.encode() not in sealed.sealed  # sealed, not stored in the clear
    assert kept_forms.take(engine, token, "someone-else") is None  # and dropped for good
    token = kept_forms.keep(engine, "analyst", "/alerts/1/decision", pairs)
    kept = kept_forms.take(engine, token, "analyst")
    assert kept is not None
    assert kept.fields == typed
    assert kept.action == "/alerts/1/decision"
    assert "csrf_token" not in kept.secret_fields
    assert set(kept.secret_fields) == {n for n, _ in pairs if n in ("passphrase", "password", "login_token")}
    kept_forms.discard(engine, token)
    assert kept_forms.take(engine, token, "analyst") is None


def test_kept_forms_expire(engine: Engine) -> None:
    token = kept_forms.keep(engine, "analyst", "/alerts/1/decision", [("reason", "写到一半")])
    with engine.begin() as conn:
        conn.execute(update(KeptForm).values(expires_at=datetime.now(UTC) - timedelta(seconds=1)))
    assert kept_forms.take(engine, token, "analyst") is None
    with Session(engine) as session:
        assert list(session.scalars(select(KeptForm))) == []


@pytest.mark.parametrize("token", [None, "", "x" * 201, "not-a-token"])
def test_unknown_tokens_give_nothing(engine: Engine, token: str | None) -> None:
    assert kept_forms.take(engine, token, "analyst") is None
