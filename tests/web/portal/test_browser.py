"""A reporter in a real browser (Playwright driving Debian's chromium): file a report with a
photo, keep the receipt, come back, read the officer's question, answer it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from tests.web.portal.conftest import PASSPHRASE, RunningPortal, gps_jpeg

from redline.intake.officers import list_reports, read_report, reply
from redline.store.db import migrate

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"
pytestmark = [pytest.mark.browser, pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium not installed")]
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


def test_reporter_files_and_follows_up(portal_server: RunningPortal, tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

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
        receipt = page.text_content("#receipt")
        assert receipt is not None
        assert len(receipt.strip().replace("-", "")) == 20
        page.screenshot(path=str(ARTIFACTS / "portal-receipt.png"), full_page=True)

        # the intake officer reads the report and asks a question
        engine = migrate(portal_server.db_url)
        [summary] = list_reports(engine)
        _, thread = read_report(engine, "officer1", PASSPHRASE, summary.id)
        assert thread[0].files[0]["name"] == "现场照片.jpg"
        reply(engine, portal_server.data, "officer1", PASSPHRASE, summary.id, "请问红包是在哪个微信群里发的？",
              date(2026, 11, 26))

        page.goto(portal_server.url + "/follow")
        page.fill("#receipt", receipt.strip().lower())
        page.click("button[type=submit]")
        assert page.text_content("#status") == "已受理"
        assert "请问红包是在哪个微信群里发的？" in page.content()
        page.fill("#text", "在“城关粮站收购群”里，群主是该副站长。")
        page.click("button[type=submit]")
        assert "您的补充已收到。" in page.content()
        page.screenshot(path=str(ARTIFACTS / "portal-thread.png"), full_page=True)

        wrong = page.context.new_page()
        wrong.goto(portal_server.url + "/follow?lang=en")
        wrong.fill("#receipt", "AAAA-BBBB-CCCC-DDDD-EEEE")
        wrong.click("button[type=submit]")
        assert "No report has this receipt code" in wrong.content()
        browser.close()
    _, thread = read_report(engine, "officer1", PASSPHRASE, summary.id)
    assert [m.author for m in thread] == ["reporter", "officer", "reporter"]
