"""试运行 in a real browser: the admin backtests an override on the packs page, then saves it;
the file is untouched until the save, and the audit entry of the save holds the same report."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from redline.review.backtest import backtest
from redline.rules import build
from redline.rules.compile import compile_plan
from redline.store.db import make_engine
from redline.store.tables.audit import AuditEntry

from tests.web.console.test_console_browser import ARGS, ARTIFACTS, CHROMIUM  # isort: skip
from tests.web.serving import serving

pytestmark = [pytest.mark.browser, pytest.mark.slow]
OFF = "rules:\n  TJ-06: {enabled: false}\n"


@pytest.fixture
def served(console_template: tuple[Path, dict[str, str]], tmp_path: Path) -> Iterator[tuple[str, Path, Path, str]]:
    """`redline serve` with an overrides file; (base url, db path, overrides path, admin password)."""
    template, passwords = console_template
    db = tmp_path / "console.db"
    shutil.copyfile(template, db)
    overrides = tmp_path / "overrides.yaml"
    overrides.write_text("rules: {}\n", encoding="utf-8")
    with serving(f"sqlite:///{db}", env={"REDLINE_OVERRIDES": str(overrides)}) as base:
        yield base, db, overrides, passwords["admin"]


def test_trial_run_then_save(served: tuple[str, Path, Path, str], tmp_path: Path) -> None:
    if not CHROMIUM.exists():
        pytest.skip("chromium absent; `make test` installs it")
    from playwright.sync_api import expect, sync_playwright

    base, db, overrides, password = served
    # what the report must say, from the library on the same store
    candidate = tmp_path / "candidate.yaml"
    candidate.write_text(OFF, encoding="utf-8")
    packset = build.load("all", candidate).raise_on_error()
    expected = backtest(make_engine(f"sqlite:///{db}"), compile_plan(packset)).as_dict()
    assert expected["by_rule"]["TJ-06"]["removed"] > 0
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = browser.new_context(locale="zh-CN").new_page()
        page.set_default_timeout(120_000)
        page.goto(f"{base}/login?next=/packs")
        page.fill('input[name="username"]', "admin")
        page.fill('input[name="password"]', password)
        page.click('button[type="submit"]')
        page.fill('textarea[name="text"]', OFF)
        page.click("#trial-run")
        expect(page.locator("#trial-report")).to_be_visible()
        expect(page.locator("#trial-removed")).to_have_text(str(expected["removed"]))
        expect(page.locator("#trial-added")).to_have_text(str(expected["added"]))
        expect(page.locator("#trial-confirmed-lost")).to_have_text(str(expected["confirmed_lost"]))
        row = page.locator('#trial-rules tr[data-rule="TJ-06"] td')
        expect(row.nth(2)).to_have_text(str(expected["by_rule"]["TJ-06"]["removed"]))
        page.screenshot(path=str(ARTIFACTS / "console-trial-run.png"), full_page=True)
        assert overrides.read_text(encoding="utf-8") == "rules: {}\n"  # a trial saves nothing
        page.click("#overrides-save")
        expect(page.locator("#overrides-saved")).to_be_visible()
        browser.close()
    assert overrides.read_text(encoding="utf-8") == OFF
    with Session(make_engine(f"sqlite:///{db}")) as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "packs.overrides")).one()
    assert entry.detail["backtest"]["removed"] == expected["removed"]
    assert entry.detail["backtest"]["by_rule"]["TJ-06"]["removed"] == expected["by_rule"]["TJ-06"]["removed"]
