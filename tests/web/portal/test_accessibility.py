"""axe-core on the public portal (issue 16): the report form and the receipt have no serious or
critical accessibility violation, on a phone-sized screen as reporters use it."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.web.axe import violations
from tests.web.portal.conftest import RunningPortal

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = [pytest.mark.browser, pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium not installed")]
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


def test_the_portals_pages_pass_axe(portal_server: RunningPortal) -> None:
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        # bypass_csp only so that axe-core can be injected
        page = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN", bypass_csp=True).new_page()
        page.goto(portal_server.url + "/")
        assert violations(page) == []
        page.select_option("#category", "gifts")
        page.fill("#text", "某粮站副站长多次收受粮贩微信红包，每次200元。")
        page.click("button[type=submit]")
        expect(page.locator("#receipt")).to_be_visible()
        assert violations(page) == []
        browser.close()
