"""The queue by person risk, grouped by conversation, and the case's 谈话函询 letter, in a real
browser (Playwright, Debian's chromium, `redline serve`), with JavaScript on and off."""

from __future__ import annotations

import io
import re
import shutil
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import docx
import pytest
from tests.cases.conftest import open_case
from tests.web.axe import violations
from tests.web.console.test_console_browser import ARGS, ARTIFACTS, CHROMIUM
from tests.web.serving import serving

from redline.contracts import Finding
from redline.review.alerts import build_alerts
from redline.review.sample import REAL_SECRETS
from redline.store.db import make_engine
from redline.store.findings import save_findings

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def served(console_template: tuple[Path, dict[str, str]], tmp_path: Path) -> Iterator[tuple[str, dict[str, str], int]]:
    """`redline serve` on a copy of the sample store: the case about 张伟 open, and one transfer
    outside any conversation flagged (an alert about payments alone)."""
    template, passwords = console_template
    db = tmp_path / "console.db"
    shutil.copyfile(template, db)
    url = f"sqlite:///{db}"
    engine = make_engine(url)
    save_findings(engine, [Finding("TJ-05", "conduct", "payments.large_transfer", "payment", "pay-90", "medium",
                                   "向管理服务对象转账", "Transfer to a managed party", person_id="p-liuyang",
                                   pack="tianjin-2017")])
    build_alerts(engine)
    case_id = open_case(engine)
    engine.dispose()
    with serving(url) as base:
        yield base, passwords, case_id


def _login(page: object, base: str, password: str, role: str, next_url: str) -> None:
    page.goto(f"{base}/login?next={next_url}")  # type: ignore[attr-defined]
    page.fill('input[name="username"]', role)  # type: ignore[attr-defined]
    page.fill('input[name="password"]', password)  # type: ignore[attr-defined]
    page.click('button[type="submit"]')  # type: ignore[attr-defined]


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_queue_by_person_risk(served: tuple[str, dict[str, str], int], javascript: bool) -> None:
    if not CHROMIUM.exists():
        pytest.skip("chromium absent; `make test` installs it")
    from playwright.sync_api import expect, sync_playwright

    base, passwords, _ = served
    ARTIFACTS.mkdir(exist_ok=True)
    tag = "js" if javascript else "nojs"
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = browser.new_context(locale="zh-CN", java_script_enabled=javascript).new_page()
        page.set_default_timeout(30_000)
        _login(page, base, passwords["analyst"], "analyst", "/alerts")
        expect(page.locator("h1")).to_have_text("告警队列")
        # the reviewer picks the sort in the form, two alerts a page to see the paging
        page.select_option('select[name="sort"]', "risk")
        page.select_option('select[name="status"]', "all")
        page.click("#apply-filters")
        expect(page).to_have_url(re.compile(r"sort=risk"))
        page.goto(page.url + "&limit=2")
        expect(page.locator('select[name="sort"]')).to_have_value("risk")
        expect(page.locator("th", has_text="风险")).to_have_count(1)
        page.screenshot(path=str(ARTIFACTS / f"queue-risk-1-{tag}.png"), full_page=True)
        ids: list[str] = []
        risks: list[float] = []
        while True:
            rows = page.locator("#queue tbody tr[data-id]")
            ids += [rows.nth(i).get_attribute("data-id") or "" for i in range(rows.count())]
            risks += [float(t) if t.strip() else -1.0 for t in page.locator("#queue tbody td.risk").all_inner_texts()]
            if page.locator("#next-page").count() == 0:
                break
            page.click("#next-page")
        api = page.request.get(f"{base}/api/alerts?sort=risk&status=all&limit=500").json()["alerts"]
        assert ids == [str(a["id"]) for a in api]  # every alert once, in the API's order
        assert len(ids) == len(set(ids)) >= 5
        assert risks == sorted(risks, reverse=True)
        assert risks[0] > 0
        # the first row's risk leads to the person's timeline, whose score is the same
        page.goto(f"{base}/alerts?sort=risk&status=all")
        first = page.locator("#queue tbody a.risk-link").first
        shown = first.inner_text().strip()
        first.click()
        expect(page.locator("#risk-score")).to_have_text(shown)
        assert re.search(r"/people/人员-[0-9A-F]{8}$", urllib.request.unquote(page.url))
        for secret in REAL_SECRETS:
            assert secret not in page.content()
        page.screenshot(path=str(ARTIFACTS / f"queue-risk-2-timeline-{tag}.png"), full_page=True)
        browser.close()


def test_queue_grouped_by_conversation(served: tuple[str, dict[str, str], int]) -> None:
    if not CHROMIUM.exists():
        pytest.skip("chromium absent; `make test` installs it")
    from playwright.sync_api import expect, sync_playwright

    base, passwords, _ = served
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        # bypass_csp only so that axe-core can be injected into the page
        page = browser.new_context(locale="zh-CN", bypass_csp=True).new_page()
        page.set_default_timeout(30_000)
        _login(page, base, passwords["analyst"], "analyst", "/alerts?status=all")
        page.select_option('select[name="group"]', "conversation")
        page.click("#apply-filters")
        heads = page.locator("#queue tr.group-head")
        expect(heads.filter(has_text="财政局预算群")).to_have_count(1)
        expect(heads.filter(has_text="支付（无会话）")).to_have_count(1)
        expect(heads.filter(has_text=re.compile(r"人员-[0-9A-F]{8} ↔ 人员-[0-9A-F]{8}"))).to_have_count(2)
        texts = heads.all_inner_texts()
        assert len(texts) == len(set(texts))
        # under the work group's heading: its two alerts (a posted ID number, the unregistered group)
        rows = page.locator("#queue tbody tr")
        labels = [r.get_attribute("class") or "" for r in rows.all()]
        start = next(i for i, t in enumerate(rows.all_inner_texts()) if "财政局预算群" in t)
        following = labels[start + 1:]
        block = following[:next((i for i, c in enumerate(following) if "group-head" in c), len(following))]
        assert len(block) == 2
        for secret in REAL_SECRETS:
            assert secret not in page.content()
        page.screenshot(path=str(ARTIFACTS / "queue-group-conversation.png"), full_page=True)
        assert violations(page) == []
        page.goto(f"{base}/alerts?sort=risk&status=all")
        assert violations(page) == []
        browser.close()


def test_case_letter_download(served: tuple[str, dict[str, str], int], tmp_path: Path) -> None:
    if not CHROMIUM.exists():
        pytest.skip("chromium absent; `make test` installs it")
    from playwright.sync_api import expect, sync_playwright

    base, passwords, case_id = served
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = browser.new_context(accept_downloads=True, locale="zh-CN").new_page()
        page.set_default_timeout(30_000)
        _login(page, base, passwords["investigator"], "investigator", f"/cases/{case_id}")
        expect(page.locator("#export-letter")).to_have_text("起草谈话函询函件（.docx）")
        expect(page.locator("#letter-hint")).to_be_visible()
        page.screenshot(path=str(ARTIFACTS / "case-letter-1-case.png"), full_page=True)
        pseudonym = page.locator("#case-person").inner_text().strip()
        with page.expect_download() as info:
            page.click("#export-letter")
        first = tmp_path / "letter-1.docx"
        info.value.save_as(first)
        assert info.value.suggested_filename == f"redline-case-{case_id}-letter.docx"
        text = "\n".join(p.text for p in docx.Document(io.BytesIO(first.read_bytes())).paragraphs)
        assert f"{pseudonym}同志：" in text
        assert "{{" not in text
        assert "张伟" not in text
        # revealed on this case's page, with a reason: the next letter names him
        page.fill('#reveal-form input[name="reason"]', "函询前核实当事人身份")
        page.click("#reveal")
        expect(page.locator("#revealed-name")).to_have_text("张伟")
        page.goto(f"{base}/cases/{case_id}")
        with page.expect_download() as info:
            page.click("#export-letter")
        second = tmp_path / "letter-2.docx"
        info.value.save_as(second)
        named = "\n".join(p.text for p in docx.Document(io.BytesIO(second.read_bytes())).paragraphs)
        assert "张伟同志：" in named
        shutil.copyfile(second, ARTIFACTS / "case-letter.docx")
        browser.close()
