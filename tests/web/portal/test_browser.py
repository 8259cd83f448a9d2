"""In a real browser (Playwright driving Debian's chromium): a reporter files a report with a
photo and keeps the receipt; the intake officer reads it in the console and asks a question;
the reporter comes back with the receipt, reads the question and answers."""

from __future__ import annotations

from contextlib import AbstractContextManager
from pathlib import Path

import pytest
from tests.web.portal.conftest import PASSPHRASE, SERVER_HOST, RunningPortal, gps_jpeg
from tests.web.serving import serving

from redline.intake.officers import list_reports, read_report
from redline.review.accounts import add_account
from redline.store.db import migrate

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"
pytestmark = [pytest.mark.browser, pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium not installed")]
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


def _console(portal: RunningPortal) -> AbstractContextManager[str]:
    """`redline serve` on the portal's database, reading its sealed files (REDLINE_DATA)."""
    return serving(portal.db_url, env={"REDLINE_DATA": str(portal.data)}, host=SERVER_HOST)


def test_reporter_files_and_follows_up(portal_server: RunningPortal, tmp_path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    photo = tmp_path / "现场照片.jpg"
    photo.write_bytes(gps_jpeg())
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN").new_page()  # a phone
        page.goto(portal_server.url + "/")
        page.select_option("#category", "gifts")
        page.fill("#text", "县粮食和物资储备局某粮站副站长，2026年9月起多次收受粮贩微信红包，每次200元。")
        page.fill("#who", "某粮站 副站长")
        page.set_input_files("#files", str(photo))
        page.screenshot(path=str(ARTIFACTS / "portal-form.png"), full_page=True)
        page.click("button[type=submit]")
        expect(page.locator("#receipt")).to_be_visible()  # click does not wait for the next page
        receipt = page.text_content("#receipt")
        assert receipt is not None
        assert len(receipt.strip().replace("-", "")) == 20
        page.screenshot(path=str(ARTIFACTS / "portal-receipt.png"), full_page=True)

        # the intake officer, in the console (another app, another port), reads and asks a question
        engine = migrate(portal_server.db_url)
        add_account(engine, "officer1", "intake", PASSPHRASE)
        [summary] = list_reports(engine)
        with _console(portal_server) as console_url:
            officer = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN").new_page()
            officer.goto(console_url + "/login")
            officer.fill("input[name=username]", "officer1")
            officer.fill("input[name=password]", PASSPHRASE)
            officer.click("form button[type=submit]")
            officer.wait_for_url(lambda url: "/login" not in url)  # the session cookie must land before the next goto
            officer.goto(f"{console_url}/intake/{summary.id}")
            officer.fill("#passphrase", PASSPHRASE)
            officer.click("form[action$='/open'] button")
            expect(officer.locator("#thread")).to_contain_text("每次200元")
            expect(officer.locator("#thread")).to_contain_text("现场照片.jpg")
            officer.fill("#reply", "请问红包是在哪个微信群里发的？")
            officer.click("form[action$='/reply'] button")
            officer.wait_for_selector("#notice")
            officer.screenshot(path=str(ARTIFACTS / "console-intake.png"), full_page=True)

        page.goto(portal_server.url + "/follow")
        page.fill("#receipt", receipt.strip().lower())
        page.click("button[type=submit]")
        # a question is no acceptance: the status changes only by the officer's explicit act
        expect(page.locator("#status")).to_have_text("已收到")
        expect(page.locator("body")).to_contain_text("请问红包是在哪个微信群里发的？")
        page.fill("#text", "在“城关粮站收购群”里，群主是该副站长。")
        page.click("button[type=submit]")
        expect(page.locator("body")).to_contain_text("您的补充已收到。")
        page.screenshot(path=str(ARTIFACTS / "portal-thread.png"), full_page=True)

        wrong = page.context.new_page()
        wrong.goto(portal_server.url + "/follow?lang=en")
        wrong.fill("#receipt", "AAAA-BBBB-CCCC-DDDD-EEEE")
        wrong.click("button[type=submit]")
        expect(wrong.locator("body")).to_contain_text("No report has this receipt code")
        browser.close()
    _, thread = read_report(engine, "officer1", PASSPHRASE, summary.id)
    assert [m.author for m in thread] == ["reporter", "officer", "reporter"]
