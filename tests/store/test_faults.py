"""Database errors by kind (issue 14 item 6): a missing schema and an unreachable server are the
server's fault (5xx), data that does not fit is the caller's (400)."""

from __future__ import annotations

import socket

from sqlalchemy import text

from redline.errors import InputError, RedlineError, ServerFault
from redline.store.db import make_engine, migrate
from redline.store.faults import DB_ERRORS, classify
from redline.web.common.errors import status_of


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])  # closed again when the block ends: nobody listens


def _raised(url: str, sql: str) -> RedlineError:
    engine = make_engine(url, connect_args={"connect_timeout": 2} if url.startswith("postgres") else {})
    try:
        with engine.begin() as conn:
            conn.execute(text(sql))
    except DB_ERRORS as exc:
        return classify(exc, "run the test query")
    finally:
        engine.dispose()
    raise AssertionError("the query did not fail")


def test_missing_schema_is_a_server_fault(db_url: str) -> None:
    error = _raised(db_url, "SELECT * FROM alerts")
    assert isinstance(error, ServerFault)
    assert status_of(error) == 500
    assert "schema is missing or old" in error.message


def test_an_unreachable_database_is_503() -> None:
    error = _raised(f"postgresql://nobody@127.0.0.1:{_closed_port()}/none", "SELECT 1")
    assert isinstance(error, ServerFault)
    assert status_of(error) == 503


def test_data_that_does_not_fit_is_the_callers(db_url: str) -> None:
    migrate(db_url).dispose()
    error = _raised(db_url, "INSERT INTO accounts (username, role, password_hash, active, created_at) "
                            "VALUES ('a', 'analyst', 'x', true, CURRENT_TIMESTAMP), ('a', 'analyst', 'x', true, CURRENT_TIMESTAMP)")
    assert isinstance(error, InputError)
    assert status_of(error) == 400
