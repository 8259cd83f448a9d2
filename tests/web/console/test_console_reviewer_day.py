"""A county reviewer's day in Chromium on the demo county (issue 16): what the reviewer sees.

The grain trader's 21 packets are one alert listing each rule once; the case shows all 21 and
both exports hold them; the returned packet is no alert; a dismissal shows who, when and why;
errors are Chinese pages; the queue's list-and-preview answers to j/k; axe-core finds no
serious or critical violation on the queue, alert and case pages. Screenshots: tests/artifacts/.
"""

from __future__ import annotations

import io
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docx
import openpyxl
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from tests.web.axe import violations
from tests.web.serving import serving

from redline.store.db import make_engine
from redline.store.tables.review import Alert, AlertItem

pytestmark = [pytest.mark.browser, pytest.mark.slow]
CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
Demo = tuple[Path, dict[str, str], dict[str, Any]]


# `make screenshots` sets this to docs/screenshots: the README's pictures are this walk's
DOCS = os.environ.get("REDLINE_SCREENSHOTS", "")


def _shot(page: Any, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"day-{name}.png"), full_page=True)
    if DOCS:
        Path(DOCS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(DOCS) / f"{name}.png"))  # the first screen, as a reader sees it


@pytest.fixture
def served(demo_county: Demo, tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """`redline serve` on a copy of the demo county: (base url, store path)."""
    shutil.copyfile(demo_county[0], tmp_path / "demo.db")
    with serving(f"sqlite:///{tmp_path / 'demo.db'}") as base:
        yield base, tmp_path / "demo.db"


def _alert_holding(store: Path, kind: str, item: str) -> list[int]:
    engine = make_engine(f"sqlite:///{store}")
    with Session(engine) as session:
        ids = list(session.scalars(select(AlertItem.alert_id).where(AlertItem.kind == kind, AlertItem.item_id == item)))
    engine.dispose()
    return ids


def _browser() -> Any:
    if not CHROMIUM.exists():
        pytest.skip("chromium absent; `make test` installs it")
    from playwright.sync_api import sync_playwright

    return sync_playwright()


def _login(page: Any, base: str, role: str, password: str) -> None:
    page.goto(f"{base}/login")
    page.fill('input[name="username"]', role)
    page.fill('input[name="password"]', password)
    page.click('button[type="submit"]')


def test_the_reviewers_day(demo_county: Demo, served: tuple[str, Path]) -> None:
    from playwright.sync_api import expect

    base, store = served
    passwords, planted = demo_county[1], demo_county[2]
    grain = planted["cases"]["grain_trader_packets"]
    returned = planted["near_misses"]["returned_packet"]
    ARTIFACTS.mkdir(exist_ok=True)
    # no alert for the packet that was given back
    assert [i for k, ids in (("payment", returned["payment_ids"]), ("message", returned["message_ids"]))
            for x in ids for i in _alert_holding(store, k, x)] == []
    (grain_alert,) = _alert_holding(store, "payment", grain["payment_ids"][0])
    assert all(_alert_holding(store, "payment", p) == [grain_alert] for p in grain["payment_ids"])
    with _browser() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        # bypass_csp only so that axe-core can be injected into the pages
        page = browser.new_context(locale="zh-CN", viewport={"width": 1400, "height": 900}, accept_downloads=True,
                                   bypass_csp=True).new_page()
        _login(page, base, "investigator", passwords["investigator"])

        # the queue: a total, list and preview, j/k
        expect(page.locator("h1")).to_have_text("告警队列")
        expect(page.locator("#total")).to_contain_text("符合筛选条件的告警")
        assert violations(page) == []
        page.locator("#queue a.preview-link").first.click()
        expect(page.locator("#preview")).to_be_visible()
        first = page.locator("#queue tr.selected").get_attribute("data-id")
        page.locator("body").click(position={"x": 5, "y": 5})
        page.keyboard.press("j")
        page.wait_for_url("**selected=**")
        expect(page.locator("#queue tr.selected")).not_to_have_attribute("data-id", first or "")
        second = page.locator("#queue tr.selected").get_attribute("data-id")
        page.keyboard.press("k")
        expect(page.locator("#queue tr.selected")).to_have_attribute("data-id", first or "")
        _shot(page, "queue-preview")

        # the grain trader's alert: each rule once, all 21 packets
        page.goto(f"{base}/alerts/{grain_alert}")
        rules = page.locator("#rules tbody tr td:first-child").all_inner_texts()
        assert len(rules) == len(set(rules))
        assert set(grain["expected"]["rule_ids"]) <= set(rules)
        expect(page.locator("#evidence-payments tbody tr")).to_have_count(21)
        assert violations(page) == []
        _shot(page, "alert")

        # escalate: the case shows every packet first, and both exports hold them
        page.fill('#escalate-form input[name="reason"]', "粮贩连续向粮站副站长发送红包")
        page.click("#escalate")
        expect(page.locator("#case-payments tbody tr")).to_have_count(21)
        assert violations(page) == []
        _shot(page, "case")
        with page.expect_download() as got:
            page.click("#export-xlsx")
        book = openpyxl.load_workbook(io.BytesIO(Path(got.value.path()).read_bytes()))
        assert len(list(book["支付 Payments"].iter_rows(values_only=True))) - 1 == 21
        with page.expect_download() as got:
            page.click("#export-docx")
        document = docx.Document(io.BytesIO(Path(got.value.path()).read_bytes()))
        assert "涉及支付 Payments (21)" in [x.text for x in document.paragraphs]

        # a dismissal: confirmed, the next alert offered, and the history says who, when, why
        page.goto(f"{base}/alerts/{second}")
        page.fill('#dismiss-form input[name="reason"]', "经核实为正常工作往来")
        page.click("#dismiss-form button")
        expect(page.locator("#decision-done")).to_contain_text("已记录处理")
        expect(page.locator("#history")).to_contain_text("investigator")
        expect(page.locator("#history")).to_contain_text("经核实为正常工作往来")
        expect(page.locator("#dismiss-form")).to_have_count(0)  # no action that no longer applies
        expect(page.locator("#reopen-form")).to_have_count(1)
        _shot(page, "dismissed")

        # errors are Chinese pages, not JSON or English
        for path, words in (("/alerts/abc", "不符合要求"), ("/alerts/999999", "未找到"), ("/cases/999999", "未找到")):
            page.goto(base + path)
            expect(page.locator("#error-title")).to_contain_text(words)
        _shot(page, "error")
        browser.close()
    engine = make_engine(f"sqlite:///{store}")
    with Session(engine) as session:
        assert session.get(Alert, grain_alert).status == "escalated"  # type: ignore[union-attr]
    engine.dispose()
