"""Fixtures of the console tests: the sample organisation, one account per role, logged-in clients."""

from __future__ import annotations

import shutil
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

from redline.review.accounts import ensure_demo_accounts
from redline.review.sample import load_sample
from redline.settings import Settings
from redline.store.db import make_engine, migrate
from redline.web.console.app import create_console_app

with warnings.catch_warnings():
    # starlette's TestClient warns that it wants httpx2; the httpx we have works
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient


@pytest.fixture(scope="session")
def console_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """Built once: argon2 hashing five passwords costs seconds on a loaded machine."""
    path = tmp_path_factory.mktemp("console-template") / "console.db"
    engine = migrate(f"sqlite:///{path}")
    load_sample(engine)
    passwords = {role: password for _, role, password in ensure_demo_accounts(engine)}
    engine.dispose()
    return path, passwords


@pytest.fixture
def console_db(console_template: tuple[Path, dict[str, str]], tmp_path: Path) -> tuple[str, Engine, dict[str, str]]:
    """A fresh copy of the template store (sample organisation, one account per role); role → password."""
    template, passwords = console_template
    target = tmp_path / "console.db"
    shutil.copyfile(template, target)
    url = f"sqlite:///{target}"
    return url, make_engine(url), passwords


@pytest.fixture
def console_app(console_db: tuple[str, Engine, dict[str, str]], tmp_path: Path) -> Any:
    url, engine, _ = console_db
    overrides = tmp_path / "overrides.yaml"
    overrides.write_text("rules: {}\n", encoding="utf-8")
    return create_console_app(Settings(db_url=url, overrides_path=overrides), engine)


@pytest.fixture
def login(console_app: Any, console_db: tuple[str, Engine, dict[str, str]]) -> Callable[[str], tuple[TestClient, str]]:
    """login(role) → (a client holding that role's session, its CSRF token)."""
    passwords = console_db[2]

    def _login(role: str) -> tuple[TestClient, str]:
        client = TestClient(console_app)
        reply = client.post("/api/login", json={"username": role, "password": passwords[role]})
        assert reply.status_code == 200, reply.text
        return client, reply.json()["csrf_token"]

    return _login


@pytest.fixture(scope="session")
def demo_county(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str], dict[str, Any]]:
    """The small demo county (scale 0.03: the planted cases, little else), scanned, its alerts
    built, one account per role: (store, role → password, planted.json). Built once (~30 s)."""
    import json
    import subprocess
    import sys

    from redline.review.alerts import build_alerts

    root = tmp_path_factory.mktemp("demo-county")
    url = f"sqlite:///{root / 'demo.db'}"
    for args in (("demo", "--db", url, "--out", str(root / "out"), "--scale", "0.03"), ("scan", "--db", url)):
        done = subprocess.run([sys.executable, "-m", "redline", *args], capture_output=True, text=True,
                              timeout=900, check=False)
        assert done.returncode == 0, done.stderr[-2000:]
    engine = make_engine(url)
    build_alerts(engine)
    passwords = {role: password for _, role, password in ensure_demo_accounts(engine)}
    engine.dispose()
    planted = json.loads(next(root.glob("out/**/planted.json")).read_text(encoding="utf-8"))
    return root / "demo.db", passwords, planted


@pytest.fixture
def demo_client(demo_county: tuple[Path, dict[str, str], dict[str, Any]], tmp_path: Path) -> Callable[[str], TestClient]:
    """demo_client(role) → a logged-in client on a fresh copy of the demo county."""
    template, passwords, _ = demo_county
    shutil.copyfile(template, tmp_path / "demo.db")
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    app = create_console_app(Settings(db_url=url), make_engine(url))

    def _client(role: str) -> TestClient:
        client = TestClient(app)
        reply = client.post("/api/login", json={"username": role, "password": passwords[role]})
        assert reply.status_code == 200, reply.text
        client.headers["X-CSRF-Token"] = reply.json()["csrf_token"]
        return client

    return _client
