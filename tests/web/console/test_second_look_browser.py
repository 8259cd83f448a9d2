"""复核 in a real browser with two reviewers: the analyst's dismissal is drawn for the
investigator, who sees the evidence but not the first decision and disagrees; the analyst has
nothing to appraise (never their own decision); the dashboard shows the agreement and workload."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from redline.review.accounts import Actor, Role
from redline.review.decisions import decide
from redline.store.db import make_engine
from redline.store.tables.audit import AuditEntry
from redline.store.tables.review import Alert

from tests.web.console.test_console_browser import ARGS, ARTIFACTS, CHROMIUM  # isort: skip
from tests.web.serving import serving

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def served(console_template: tuple[Path, dict[str, str]], tmp_path: Path) -> Iterator[tuple[str, Path, dict[str, str], int]]:
    """The sample store with one alert dismissed by the analyst, served; (base, db, passwords, alert id)."""
    template, passwords = console_template
    db = tmp_path / "console.db"
    shutil.copyfile(template, db)
    engine = make_engine(f"sqlite:///{db}")
    with Session(engine) as session:
        alert_id = min(session.scalars(select(Alert.id)))
    decide(engine, Actor("analyst", Role.ANALYST), [alert_id], "dismiss", reason="正常往来")
    engine.dispose()
    with serving(f"sqlite:///{db}") as base:
        yield base, db, passwords, alert_id


def test_second_look_with_two_reviewers_and_the_dashboard(served: tuple[str, Path, dict[str, str], int]) -> None:
    if not CHROMIUM.exists():
        pytest.skip("chromium absent; `make test` installs it")
    from playwright.sync_api import expect, sync_playwright

    base, db, passwords, alert_id = served
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)

        def login(user: str) -> object:
            page = browser.new_context(locale="zh-CN").new_page()
            page.set_default_timeout(60_000)
            page.goto(f"{base}/login?next=/second-look")
            page.fill('input[name="username"]', user)
            page.fill('input[name="password"]', passwords[user])
            page.click('button[type="submit"]')
            expect(page.locator("h1")).to_have_text("复核")
            return page

        analyst = login("analyst")
        analyst.click("#draw")  # one decision this week of the analyst: drawn, for the other reviewer
        expect(analyst.locator("#drawn")).to_contain_text("1")
        expect(analyst.locator("#nothing-pending")).to_be_visible()  # never one's own decision

        investigator = login("investigator")
        card = investigator.locator(f'section.second-look[data-alert="{alert_id}"]')
        expect(card).to_be_visible()
        assert "正常往来" not in investigator.content()  # blind: the first reason is not shown
        assert "analyst" not in card.inner_text()
        card.locator('input[name="reason"]').fill("有实质线索")
        card.locator("button.confirm").click()
        expect(investigator.locator("#disagreement")).to_be_visible()
        expect(investigator.locator("#nothing-pending")).to_be_visible()
        investigator.screenshot(path=str(ARTIFACTS / "console-second-look.png"), full_page=True)

        investigator.goto(f"{base}/dashboard")
        overall = investigator.locator('#agreement tr[data-key="overall"] td')
        expect(overall.nth(1)).to_have_text("1")
        expect(overall.nth(2)).to_have_text("0%")
        expect(investigator.locator('#agreement tr[data-key="reviewer:analyst"]')).to_be_visible()
        expect(investigator.locator("#queue-depth")).to_be_visible()
        investigator.screenshot(path=str(ARTIFACTS / "console-dashboard-quality.png"), full_page=True)
        browser.close()
    with Session(make_engine(f"sqlite:///{db}")) as session:
        note = session.scalars(select(AuditEntry).where(AuditEntry.action == "second_look.disagreement")).one()
    assert note.detail["notify"] == ["analyst", "investigator", "admin"]
