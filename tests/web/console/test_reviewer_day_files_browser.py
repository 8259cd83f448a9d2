"""The rest of the reviewer's day (issue 16 items 7, 9, 8, 3) in Chromium, on the demo county
scanned with its attachments (`redline scan --files`), served by `redline serve --data`.

- 7: the photographed 机密 notice is one page image, scaled to the page, its evidence boxes
  outlined once each, with the sender and unit and the issuing pack; the image is served only
  through its alert, and the view is audited; an analyst sees the boxes on a blank page.
- 3: the 文号 on it reads 县委组〔2023〕27号 (issuer 县委组), not 部文件…
- 9: an intake officer sees the reporter's photo and PDF inline, downloads them with their
  extension, and asking a question leaves the report 已收到，待受理.
- 8: a dismissal typed into a lapsed session comes back after logging in and is sent with one click.
Screenshots: tests/artifacts/files-*.png.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageDraw, ImageFont
from sqlalchemy import select, update
from sqlalchemy.orm import Session
from tests.web.axe import violations
from tests.web.serving import serving

from redline.attachments.specimens import FONT
from redline.intake import reports
from redline.intake.officers import add_officer
from redline.intake.uploads import Upload
from redline.review.accounts import add_account, ensure_demo_accounts
from redline.review.alerts import build_alerts
from redline.store.db import make_engine
from redline.store.tables.audit import AuditEntry
from redline.store.tables.review import AlertItem, Decision
from redline.store.tables.sessions import ConsoleSession

pytestmark = [pytest.mark.browser, pytest.mark.slow,
              pytest.mark.skipif(not FONT.exists(), reason="fonts-wqy-microhei is not installed")]
CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
OFFICER, PASSPHRASE = "officer1", "intake passphrase 42"
REPORT = "某粮站副站长收受粮贩红包二十一个，照片和收据扫描件见附件。"
County = tuple[Path, dict[str, str], dict[str, Any], Path]


def _run(*args: str) -> None:
    done = subprocess.run([sys.executable, "-m", "redline", *args], capture_output=True, text=True, timeout=900,
                          check=False)
    assert done.returncode == 0, done.stderr[-2000:]


def _drawn(size: tuple[int, int], colour: tuple[int, int, int], lines: list[str]) -> Image.Image:
    image = Image.new("RGB", size, colour)
    draw = ImageDraw.Draw(image)
    for number, line in enumerate(lines):
        draw.text((40, 40 + number * 50), line, fill="black", font=ImageFont.truetype(str(FONT), 32))
    return image


def _photo() -> bytes:
    out = io.BytesIO()
    _drawn((800, 600), (200, 220, 200), ["粮站门口 11月28日", "（举报人拍摄的现场照片）"]).save(out, "JPEG")
    return out.getvalue()


def _pdf() -> bytes:
    out = io.BytesIO()
    _drawn((595, 842), (250, 250, 240), ["收据", "今收到 红包 200 元", "2023年11月28日"]).save(out, "PDF")
    return out.getvalue()


@pytest.fixture(scope="module")
def county(tmp_path_factory: pytest.TempPathFactory) -> County:
    """The small demo county scanned with its attachments, alerts built, one account per role,
    an intake officer, and one public report with a photo and a PDF: (store, passwords, planted, data)."""
    root = tmp_path_factory.mktemp("files-county")
    url = f"sqlite:///{root / 'demo.db'}"
    _run("demo", "--db", url, "--out", str(root / "out"), "--scale", "0.03")
    _run("scan", "--db", url, "--files", str(root / "out" / "bundle"))
    engine = make_engine(url)
    build_alerts(engine)
    passwords = {role: password for _, role, password in ensure_demo_accounts(engine)}
    add_officer(engine, OFFICER, PASSPHRASE)
    add_account(engine, OFFICER, "intake", PASSPHRASE)
    data = root / "data"
    files = [Upload("现场照片", "", _photo()), Upload("收据", "application/pdf", _pdf())]
    reports.submit(engine, data, reports.NewReport(text=REPORT, category="gifts", files=files), date(2026, 11, 25))
    engine.dispose()
    planted = json.loads(next(root.glob("out/**/planted.json")).read_text(encoding="utf-8"))
    return root / "demo.db", passwords, planted, data


@pytest.fixture
def served(county: County, tmp_path: Path) -> Iterator[tuple[str, Path]]:

    shutil.copyfile(county[0], tmp_path / "demo.db")
    with serving(f"sqlite:///{tmp_path / 'demo.db'}", "--data", str(county[3])) as base:
        yield base, tmp_path / "demo.db"


def _alert_of(store: Path, message_id: str) -> int:
    engine = make_engine(f"sqlite:///{store}")
    with Session(engine) as session:
        (alert_id,) = session.scalars(select(AlertItem.alert_id).where(AlertItem.kind == "message",
                                                                       AlertItem.item_id == message_id))
    engine.dispose()
    return int(alert_id)


def _login(page: Any, base: str, user: str, password: str) -> None:
    page.goto(f"{base}/login")
    page.fill('input[name="username"]', user)
    page.fill('input[name="password"]', password)
    page.click('button[type="submit"]')
    page.wait_for_load_state()


def _browser() -> Any:
    if not CHROMIUM.exists():
        pytest.skip("chromium absent; `make test` installs it")
    from playwright.sync_api import sync_playwright

    return sync_playwright()


def _context(browser: Any) -> Any:
    # bypass_csp only so that axe-core can be injected into the pages
    return browser.new_context(locale="zh-CN", viewport={"width": 1400, "height": 900}, accept_downloads=True,
                               bypass_csp=True)


# `make screenshots` sets this to docs/screenshots: the README shows some of these pages
DOCS = os.environ.get("REDLINE_SCREENSHOTS", "")
FOR_DOCS = {"photo-alert": "attachment-alert", "intake-report": "intake-report", "kept-form": "kept-form"}


def _shot(page: Any, name: str, scroll_to: str | None = None) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"files-{name}.png"), full_page=True)
    if DOCS and name in FOR_DOCS:
        Path(DOCS).mkdir(parents=True, exist_ok=True)
        if scroll_to:
            page.locator(scroll_to).first.evaluate("e => e.scrollIntoView()")
        page.screenshot(path=str(Path(DOCS) / f"{FOR_DOCS[name]}.png"))  # one screen, as a reader sees it


def test_attachment_alerts_show_the_page_once(county: County, served: tuple[str, Path]) -> None:
    from playwright.sync_api import expect

    base, store = served
    passwords, planted = county[1], county[2]
    photo, scan = planted["cases"]["classified_photo"], planted["cases"]["classified_scan"]
    photo_alert, scan_alert = _alert_of(store, photo["message_ids"][0]), _alert_of(store, scan["message_ids"][0])
    with _browser() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = _context(browser).new_page()
        _login(page, base, "investigator", passwords["investigator"])
        page.goto(f"{base}/alerts/{photo_alert}")
        figures = page.locator("figure.attachment")
        expect(figures).to_have_count(1)  # one photo: one picture, not one per pack and rule
        figure = figures.first
        expect(figure.locator("svg image")).to_have_count(1)
        # the marking and the 文号, each outlined once; the issuer's name line is not evidence
        expect(figure.locator("polygon")).to_have_count(2)
        expect(figure.locator("ol.marks li")).to_have_count(2)
        expect(figure.locator("ol.marks")).to_contain_text(photo["marking"])
        expect(figure.locator("ol.marks")).to_contain_text(photo["doc_number"])
        expect(figure.locator("ol.marks")).not_to_contain_text("部文件")
        expect(figure.locator("dd.sender")).to_contain_text("人员-")
        expect(figure.locator("dd.unit")).to_have_text("县委组织部")
        # scaled to fit: the picture is no wider than the page's content
        box = figure.locator("svg.page").bounding_box()
        assert box is not None
        assert box["width"] <= 1400
        assert box["height"] <= 900
        # the image really loads (through its alert), and the read is audited
        assert page.evaluate("() => document.querySelector('figure.attachment svg image').getBBox().width") > 0
        href = figure.locator("svg image").get_attribute("href")
        assert href is not None
        assert href.startswith(f"/alerts/{photo_alert}/attachment/")
        # every rule names the pack that issued it (天津市委组织部 for TJ-07), none is blank
        for rule in photo["expected"]["rule_ids"]:
            cited = page.locator("#rules tbody tr", has_text=rule).locator("td").nth(2)
            assert cited.inner_text().strip(), rule
        expect(page.locator("#rules tbody tr", has_text="TJ-07")).to_contain_text("天津")
        assert violations(page) == []
        _shot(page, "photo-alert", scroll_to="figure.attachment")
        # the same image through another alert is refused
        other = page.request.get(f"{base}/alerts/{scan_alert}/attachment/{href.rsplit('/', 1)[1]}")
        assert other.status == 404

        page.goto(f"{base}/alerts/{scan_alert}")
        expect(page.locator("figure.attachment")).to_have_count(1)
        expect(page.locator("dd.person")).to_contain_text("人员-")  # the file's sender is the alert's person
        expect(page.locator("figure.attachment dd.file")).to_contain_text("第 1 页")
        expect(page.locator("figure.attachment ol.marks")).to_contain_text("县政办〔2024〕3号")
        expect(page.locator("figure.attachment ol.marks")).not_to_contain_text("室文件")
        _shot(page, "scan-alert")

        analyst = _context(browser).new_page()
        _login(analyst, base, "analyst", passwords["analyst"])
        analyst.goto(f"{base}/alerts/{photo_alert}")
        expect(analyst.locator("figure.attachment")).to_have_count(1)
        expect(analyst.locator("figure.attachment svg image")).to_have_count(0)
        expect(analyst.locator("figure.attachment polygon")).to_have_count(2)
        _shot(analyst, "photo-alert-analyst")
        browser.close()
    engine = make_engine(f"sqlite:///{store}")
    with Session(engine) as session:
        views = list(session.scalars(select(AuditEntry).where(AuditEntry.action == "evidence.file.view")))
    engine.dispose()
    assert {v.target for v in views} == {f"alert:{photo_alert}", f"alert:{scan_alert}"}


def test_intake_officer_previews_and_asks(county: County, served: tuple[str, Path]) -> None:
    from playwright.sync_api import expect

    base, _ = served
    with _browser() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = _context(browser).new_page()
        _login(page, base, OFFICER, PASSPHRASE)
        page.goto(f"{base}/intake/1")
        page.fill("#passphrase", PASSPHRASE)
        page.click("form[action='/intake/1/open'] button")
        expect(page.locator("#thread")).to_contain_text(REPORT)
        previews = page.locator("img.preview")
        expect(previews).to_have_count(2)  # the photo, and the PDF's one page
        assert page.evaluate("() => [...document.querySelectorAll('img.preview')].every(i => i.naturalWidth > 0)")
        expect(page.locator("figure.report-file").nth(1)).to_contain_text("PDF 文件，共 1 页")
        assert violations(page) == []
        _shot(page, "intake-report")
        for position, extension in ((0, ".jpg"), (1, ".pdf")):
            with page.expect_download() as got:
                page.locator("figure.report-file").nth(position).locator("button").click()
            assert got.value.suggested_filename.endswith(extension)
        # asking the reporter a question is not accepting the report
        page.fill("#reply", "请问是哪个粮站？")
        page.click("form[action='/intake/1/reply'] button")
        expect(page.locator("#notice")).to_be_visible()
        expect(page.locator("h1")).to_contain_text("已收到，待受理")
        _shot(page, "intake-asked")
        browser.close()


def test_a_dismissal_typed_into_a_lapsed_session_is_not_lost(county: County, served: tuple[str, Path]) -> None:
    from playwright.sync_api import expect

    base, store = served
    passwords = county[1]
    reason = "经核实为正常工作往来，已电话确认"
    with _browser() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = _context(browser).new_page()
        _login(page, base, "investigator", passwords["investigator"])
        page.goto(f"{base}/alerts/1")
        page.fill('#dismiss-form input[name="reason"]', reason)
        engine = make_engine(f"sqlite:///{store}")
        with engine.begin() as conn:  # the reviewer was called away; the session lapsed meanwhile
            conn.execute(update(ConsoleSession).values(last_seen=datetime.now(UTC) - timedelta(hours=1)))
        page.click("#dismiss-form button")
        expect(page.locator("#kept-notice")).to_contain_text("已保留")
        assert violations(page) == []
        _shot(page, "kept-login")
        page.fill('input[name="username"]', "investigator")
        page.fill('input[name="password"]', passwords["investigator"])
        page.click('button[type="submit"]')
        expect(page.locator("h1")).to_have_text("发送您填写的内容")
        expect(page.locator('#kept-form [name="reason"]')).to_have_value(reason)
        expect(page.locator("main")).to_contain_text("排除")
        assert violations(page) == []
        _shot(page, "kept-form")
        with Session(engine) as session:  # nothing is decided before the reviewer confirms
            assert list(session.scalars(select(Decision).where(Decision.alert_id == 1))) == []
        page.click("#kept-send")
        expect(page.locator("#history")).to_contain_text(reason)
        _shot(page, "kept-sent")
        browser.close()
    engine.dispose()
