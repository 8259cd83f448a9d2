"""Shared fixtures: a throw-away PostgreSQL on loopback, databases of both kinds, the demo county.

`pg_url` starts one server per pytest worker (xdist workers each get their own), `db_url`
runs a test on SQLite and on PostgreSQL (a fresh database each time), `demo_bundle` builds
the demo organisation once per session.

Two rules of the test setup: `REDLINE_DATASETS` defaults to `../shared/datasets` relative
to the repository (library code never guesses that path), and with `CI=true` a test that
would skip because PostgreSQL, Chromium or Java is missing FAILS instead, so that a green
CI always means both databases, the browser and Spark ran.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from redline.errors import ConfigError
from redline.store.pgserver import PgServer, find_bin_dir, start_server
from redline.training.datasets import resolve_data_dir

_counter = itertools.count()
REPO = Path(__file__).resolve().parents[1]
# Skip reasons that mean "a part of the test machine is missing" (the skips name the part).
MISSING_PARTS: tuple[str, ...] = ("postgresql", "chromium", "java")


def pytest_configure(config: pytest.Config) -> None:
    os.environ.setdefault("REDLINE_DATASETS", str(REPO.parent / "shared" / "datasets"))


def _skip_reason(report: pytest.TestReport) -> str:
    longrepr = report.longrepr
    return str(longrepr[2]) if isinstance(longrepr, tuple) and len(longrepr) == 3 else str(longrepr)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """With CI=true, a skip for a missing PostgreSQL, Chromium or Java is a failure."""
    outcome = yield
    report: pytest.TestReport = outcome.get_result()  # type: ignore[attr-defined]
    if os.environ.get("CI") != "true" or not report.skipped:
        return
    reason = _skip_reason(report)
    if any(part in reason.lower() for part in MISSING_PARTS):
        report.outcome = "failed"
        report.longrepr = f"CI=true: a required part is missing, not skipped: {reason}"


@pytest.fixture(scope="session")
def data_dir() -> Path:
    """$REDLINE_DATASETS (tests/conftest.py defaults it to ../shared/datasets), or a skip."""
    try:
        found = resolve_data_dir()
    except ConfigError as exc:
        pytest.skip(f"shared datasets absent ({exc}): validation figures cannot be recomputed")
    if not all((found / name / "train.jsonl").is_file() for name in ("cold", "qq_group_ads")):
        pytest.skip(f"shared datasets absent at {found}: validation figures cannot be recomputed")
    return found


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    """One throw-away PostgreSQL server for this worker."""
    if find_bin_dir() is None:
        pytest.skip("PostgreSQL binaries absent (/usr/lib/postgresql/*/bin); `make test` installs them")
    try:
        server = start_server()
    except ConfigError as exc:
        pytest.fail(f"could not start the throw-away PostgreSQL: {exc}")
    yield server
    server.stop()


@pytest.fixture(scope="session")
def pg_url(pg_server: PgServer) -> str:
    """URL of the throw-away server's maintenance database (postgresql://…/postgres)."""
    return pg_server.url()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database: a SQLite file, or a fresh PostgreSQL database on the test server."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'redline.db'}"
    server: PgServer = request.getfixturevalue("pg_server")
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    return server.create_database(f"t_{worker}_{os.getpid()}_{next(_counter)}")


@pytest.fixture(scope="session")
def demo_bundle(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The demo county, built once per session: an object with `.bundle_path` and `.planted`."""
    # Imported here, not at the top: only sessions that use the demo pay for importing it.
    from redline.demo import build_demo

    return build_demo(tmp_path_factory.mktemp("demo"))


CN = timezone(timedelta(hours=8))


def _sample_tables() -> dict[str, list[dict[str, Any]]]:
    return {
        "people": [
            {"person_id": "p1", "name": "张建国", "unit": "城关粮站", "post": "副站长", "is_official": True,
             "external": False, "start_date": date(2012, 3, 1), "end_date": None},
            {"person_id": "m1", "name": "李某", "unit": "", "post": "粮贩", "is_official": False,
             "external": True, "start_date": None, "end_date": None, "phone": "138 0000 0000"},
        ],
        "relations": [{"person_id": "p1", "other_id": "m1", "relation": "managed", "since": date(2015, 1, 1), "until": None}],
        "groups": [{"group_id": "g1", "name": "城关粮站工作群", "type": "department", "owner_id": "p1",
                    "registered": True, "classification": "", "daily_report": False}],
        "memberships": [{"group_id": "g1", "person_id": "p1", "display_name": "粮站-张建国",
                         "joined": date(2015, 3, 2), "left": None}],
        "messages": [
            {"id": "msg1", "time": datetime(2016, 3, 1, 9, 30, tzinfo=CN), "conversation": "g1", "sender": "p1",
             "type": "text", "text": "各位,明天上午九点开会,请准时参加。", "attachment": None},
            {"id": "msg2", "time": datetime(2016, 3, 1, 9, 31, 5, 250000, tzinfo=CN), "conversation": "dm:m1|p1",
             "sender": "m1", "type": "file", "text": "", "attachment": {"name": "通知.pdf", "size": 1024, "sha256": "ab", "path": "f/1"}},
        ],
        "payments": [
            {"payment_id": f"wx{i:02d}", "time": datetime(2016, 3, 1 + i, 20, 0, tzinfo=CN), "payer": "m1", "payee": "p1",
             "amount_fen": 20000, "kind": "red_packet", "channel": "wechat", "conversation": "dm:m1|p1",
             "memo": "节日快乐,以后多关照", "status": "received", "packet_id": f"k{i:02d}"}
            for i in range(3)
        ] + [{"payment_id": "tr1", "time": datetime(2016, 5, 24, 12, 0, tzinfo=UTC), "payer": "v1",
              "payee": "p1", "amount_fen": 500000, "kind": "transfer", "channel": "wechat", "conversation": None,
              "memo": "谢谢", "status": "paid", "packet_id": None}],
        "events": [{"event_id": "e1", "date": date(2016, 4, 1), "kind": "approval", "unit": "城关粮站",
                    "person_id": "p1", "other_id": "m1"}],
    }


@pytest.fixture
def sample_tables() -> dict[str, list[dict[str, Any]]]:
    """A small bundle in the internal form (fen, tz-aware times): every table, one extra column."""
    return _sample_tables()


@pytest.fixture
def sample_bundle(tmp_path: Path, sample_tables: dict[str, list[dict[str, Any]]]) -> Path:
    """`sample_tables` written as a bundle folder."""
    from redline.bundle import write_bundle

    return write_bundle(tmp_path / "bundle", sample_tables)
