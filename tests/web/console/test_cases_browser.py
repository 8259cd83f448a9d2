"""Cases that hold up, in a real browser (Playwright, Debian's chromium, `redline serve`):
the person's timeline whose points add up to the score without the real name until a reveal,
a hold placed and lifted with reasons, and a signed evidence package that verifies.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from tests.cases.conftest import open_case
from tests.web.console.test_console_browser import ARGS, ARTIFACTS, CHROMIUM
from tests.web.serving import serving

from redline.cases.verify import verify_package
from redline.store.db import make_engine
from redline.store.tables.audit import AuditEntry

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def case_server(console_template: tuple[Path, dict[str, str]], tmp_path: Path) -> Iterator[tuple[str, dict[str, str], str, int]]:
    """`redline serve` on a copy of the sample store holding the case about 张伟."""
    template, passwords = console_template
    db = tmp_path / "console.db"
    shutil.copyfile(template, db)
    url = f"sqlite:///{db}"
    engine = make_engine(url)
    case_id = open_case(engine)
    engine.dispose()
    with serving(url, env={"REDLINE_SIGNING_KEY": str(tmp_path / "keys" / "signing.key")}) as base:
        yield base, passwords, url, case_id


def test_timeline_holds_and_export(case_server: tuple[str, dict[str, str], str, int], tmp_path: Path) -> None:
    if not CHROMIUM.exists():
        pytest.skip("chromium absent; `make test` installs it")
    from playwright.sync_api import expect, sync_playwright

    base, passwords, url, case_id = case_server
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = browser.new_context(accept_downloads=True, locale="en").new_page()
        page.set_default_timeout(30_000)
        page.goto(f"{base}/login?next=/people")
        page.fill('input[name="username"]', "investigator")
        page.fill('input[name="password"]', passwords["investigator"])
        page.click('button[type="submit"]')

        # people by risk: 张伟 (three findings) above 赵敏 (one), as pseudonyms
        expect(page.locator("#people tbody tr")).to_have_count(2)
        first = page.locator("#people tbody tr").first
        expect(first.locator("td").nth(2)).to_have_text("3")
        pseudonym = first.locator("a").inner_text().strip()
        assert pseudonym.startswith("人员-")
        first.locator("a").click()

        # the timeline: three contributions whose points add up to the score shown
        expect(page.locator("#contributions tbody tr")).to_have_count(3)
        points = [float(p) for p in page.locator("#contributions td.points").all_inner_texts()]
        score = float(page.locator("#risk-score").inner_text())
        assert round(sum(points), 2) == score
        assert score > 0
        assert "张伟" not in page.content()
        page.screenshot(path=str(ARTIFACTS / "cases-1-timeline.png"), full_page=True)
        page.fill('#reveal-form input[name="reason"]', "谈话前核实当事人身份")
        page.click("#reveal")
        expect(page.locator("#revealed-name")).to_have_text("张伟")

        # a hold on the case, with a reason; then lifted, with a reason
        page.goto(f"{base}/cases/{case_id}")
        page.click("#custody-link")
        expect(page.locator("#holds td.empty")).to_have_count(1)
        page.fill('#case-hold-form input[name="reason"]', "移送审查调查，证据保全")
        page.click("#place-case-hold")
        expect(page.locator("#holds tr.active")).to_have_count(1)
        expect(page.locator("#holds tr.active")).to_contain_text("移送审查调查，证据保全")
        page.screenshot(path=str(ARTIFACTS / "cases-2-hold.png"), full_page=True)
        # lifting without a reason is refused by the browser (required, 4+ characters)
        page.locator("#holds tr.active button.lift").click()
        expect(page.locator("#holds tr.active")).to_have_count(1)
        page.locator('#holds tr.active input[name="reason"]').fill("审查结束，解除保全")
        page.locator("#holds tr.active button.lift").click()
        expect(page.locator("#holds tr.lifted")).to_contain_text("审查结束，解除保全")

        # the signed evidence package, checked with the public key the page shows
        public_key = page.locator("#public-key").inner_text().strip()
        assert re.fullmatch(r"[0-9a-f]{64}", public_key)
        with page.expect_download() as download_info:
            page.click("#export-package")
        package = tmp_path / "package.zip"
        download_info.value.save_as(package)
        checked = verify_package(package, public_key)
        assert (checked.ok, checked.case, checked.checked) == (True, case_id, 6)
        page.screenshot(path=str(ARTIFACTS / "cases-3-custody.png"), full_page=True)
        browser.close()

    engine = make_engine(url)
    with Session(engine) as session:
        actions = [e.action for e in session.scalars(select(AuditEntry).order_by(AuditEntry.seq))]
    engine.dispose()
    for step in ("people.list", "person.view", "identity.reveal", "hold.place", "hold.lift", "case.export.package"):
        assert step in actions, step
