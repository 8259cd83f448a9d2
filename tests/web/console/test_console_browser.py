"""End to end in a real browser: Playwright driving Debian's chromium against `redline serve`.

Log in, filter the queue, open an alert, escalate it, reveal a name with a reason, export the
case report, and find every step on the auditor's page. Screenshots go to tests/artifacts/.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.web.serving import serving

pytestmark = [pytest.mark.browser, pytest.mark.slow]
CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"
VENDOR_ECHARTS = Path(__file__).resolve().parents[3] / "src/redline/web/console/static/vendor/echarts.min.js"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


@pytest.fixture
def server(console_template: tuple[Path, dict[str, str]], tmp_path: Path) -> Iterator[tuple[str, dict[str, str]]]:
    """`redline serve` on a free loopback port, on a copy of the sample store."""
    template, passwords = console_template
    shutil.copyfile(template, tmp_path / "console.db")
    with serving(f"sqlite:///{tmp_path / 'console.db'}") as base:
        yield base, passwords


def test_investigator_flow_and_the_audit_trail(server: tuple[str, dict[str, str]]) -> None:
    if not CHROMIUM.exists():
        pytest.skip("chromium absent; `make test` installs it")
    from playwright.sync_api import expect, sync_playwright

    base, passwords = server
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = browser.new_context(accept_downloads=True, locale="zh-CN").new_page()
        page.set_default_timeout(30_000)

        page.goto(f"{base}/alerts")
        expect(page).to_have_url(f"{base}/login?next=/alerts")
        page.fill('input[name="username"]', "investigator")
        page.fill('input[name="password"]', passwords["investigator"])
        page.click('button[type="submit"]')
        expect(page.locator("h1")).to_have_text("告警队列")
        expect(page.locator("a.alert-link")).to_have_count(4)

        page.select_option('select[name="category"]', "gifts")
        page.click("#apply-filters")
        expect(page.locator("a.alert-link")).to_have_count(1)  # the offer and its packets: one incident
        page.screenshot(path=str(ARTIFACTS / "console-1-queue-filtered.png"), full_page=True)

        page.locator("#queue a.alert-link").first.click()
        expect(page.locator("#evidence-messages mark.evidence")).to_have_text("红包")
        expect(page.locator("#evidence-payments tbody tr")).to_have_count(5)
        page.screenshot(path=str(ARTIFACTS / "console-2-alert.png"), full_page=True)

        page.fill('#escalate-form input[name="reason"]', "管理服务对象节日红包")
        page.click("#escalate")
        expect(page.locator("#case-status")).to_contain_text("待处理")
        case_url = page.url
        pseudonym = page.locator("#case-person").inner_text().strip()
        assert pseudonym.startswith("人员-")
        assert "张伟" not in page.content()
        page.screenshot(path=str(ARTIFACTS / "console-3-case.png"), full_page=True)

        page.fill('#reveal-form input[name="reason"]', "立案前核实当事人身份")
        page.click("#reveal")
        expect(page.locator("#revealed-name")).to_have_text("张伟")
        page.screenshot(path=str(ARTIFACTS / "console-4-reveal.png"), full_page=True)

        page.goto(case_url)
        with page.expect_download() as download_info:
            page.click("#export-docx")
        report = ARTIFACTS / "console-case-report.docx"
        download_info.value.save_as(report)
        assert report.stat().st_size > 5_000

        page.click('header form button')  # log out
        expect(page).to_have_url(f"{base}/login")
        page.fill('input[name="username"]', "auditor")
        page.fill('input[name="password"]', passwords["auditor"])
        page.click('button[type="submit"]')
        page.wait_for_url(lambda url: "/login" not in url)  # the session cookie must land before the next goto
        page.goto(f"{base}/audit")
        actions = page.locator("#audit td.action").all_inner_texts()
        for step in ("login", "alert.view", "alert.escalate", "case.view", "identity.reveal", "case.export.docx"):
            assert step in actions, step
        page.click("#verify")
        expect(page.locator("#verify-result")).to_contain_text("审计链完整")
        page.screenshot(path=str(ARTIFACTS / "console-5-audit.png"), full_page=True)

        # the dashboard's charts are drawn by the ECharts copy served from /static (no CDN)
        assert VENDOR_ECHARTS.exists(), "run `make assets` (it installs ECharts from the npm registry)"
        page.goto(f"{base}/dashboard")
        expect(page.locator('[data-chart="category"] canvas')).to_have_count(1)
        page.screenshot(path=str(ARTIFACTS / "console-6-dashboard.png"), full_page=True)
        browser.close()
