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
