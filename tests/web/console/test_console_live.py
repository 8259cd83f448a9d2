"""The queue hears of new alerts: server-sent events, the page updating itself, and the
plain page without JavaScript. Real server (`redline serve`), real chromium."""

from __future__ import annotations

import asyncio
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, text
from tests.web.serving import serving

from redline.contracts import Finding
from redline.pipeline.alerting import refresh_alerts
from redline.store import make_engine, save_findings
from redline.web.console.routes.live import _events

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


def _new_alert(engine: Engine, subject_id: str) -> int:
    """A message arriving now (the alert's time is its event's) and a finding on it."""
    from datetime import UTC, datetime

    from sqlalchemy.orm import Session

    from redline.store.tables.messages import Message

    with Session(engine) as session, session.begin():
        session.add(Message(id=subject_id, time=datetime.now(UTC), conversation=f"live:{subject_id}",
                            sender=f"live-{subject_id}", text="这是一点心意，收下吧"))
    finding = Finding(rule_id="TJ-06", category="gifts", detector="lexicon", subject="message", subject_id=subject_id,
                      severity="high", reason="示例：礼金用语", reason_en="example: gift words", pack="tianjin-2017")
    save_findings(engine, [finding])
    return refresh_alerts(engine)


def test_the_event_stream_names_only_the_newest_alert(console_db: tuple[str, Engine, dict[str, str]]) -> None:
    _, engine, _ = console_db

    async def collect() -> list[str]:
        start = 10**9  # newer than any alert: the first checks are idle
        return [event async for event in _events(engine, start, 0.05, 1.0)]

    idle = asyncio.run(collect())
    assert idle[0].startswith("retry:")
    assert all(e.startswith(": idle") for e in idle[1:])

    async def with_arrival() -> list[str]:
        from sqlalchemy import func, select

        from redline.store.tables.review import Alert

        with engine.connect() as conn:
            newest = conn.execute(select(func.max(Alert.id))).scalar() or 0
        out: list[str] = []
        async for event in _events(engine, newest, 0.05, 1.5):
            out.append(event)
            if len(out) == 3:
                await asyncio.to_thread(_new_alert, engine, "live-sse-1")
        return out

    events = [e for e in asyncio.run(with_arrival()) if e.startswith("id:")]
    assert len(events) == 1
    assert "event: alerts" in events[0]
    assert "live-sse-1" not in events[0]  # no subject, no name, no text: only ids and counts


@pytest.mark.parametrize("path", ["/events/alerts", "/api/health"])
def test_live_endpoints_need_a_login(console_app: Any, path: str) -> None:
    from fastapi.testclient import TestClient

    reply = TestClient(console_app).get(path, follow_redirects=False)
    assert reply.status_code in (401, 303)


@pytest.fixture
def server(console_template: tuple[Path, dict[str, str]], tmp_path: Path) -> Iterator[tuple[str, dict[str, str], str]]:
    template, passwords = console_template
    shutil.copyfile(template, tmp_path / "console.db")
    url = f"sqlite:///{tmp_path / 'console.db'}"
    with serving(url) as base:
        yield base, passwords, url


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize("javascript", [True, False])
def test_the_queue_shows_a_new_alert_without_reload(server: tuple[str, dict[str, str], str], javascript: bool) -> None:
    if not CHROMIUM.exists():
        pytest.skip("chromium absent; `make test` installs it")
    from playwright.sync_api import expect, sync_playwright

    base, passwords, url = server
    engine = make_engine(url)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = browser.new_context(java_script_enabled=javascript, locale="zh-CN").new_page()
        page.set_default_timeout(30_000)
        page.goto(f"{base}/login?next=/alerts?sort=newest")
        page.fill('input[name="username"]', "analyst")
        page.fill('input[name="password"]', passwords["analyst"])
        page.click('button[type="submit"]')
        expect(page.locator("#queue")).to_be_visible()
        rows_before = page.locator("#queue tbody tr").count()
        assert _new_alert(engine, "live-browser-1") == 1
        with engine.connect() as conn:
            newest = conn.execute(text("SELECT max(id) FROM alerts")).scalar()
        new_row = page.locator(f'#queue tbody tr[data-id="{newest}"]')
        if javascript:
            expect(new_row).to_have_count(1, timeout=20_000)  # no reload: the event brought it
            expect(page.locator("#live-status")).to_contain_text("队列已更新")
        else:
            time.sleep(5)
            expect(new_row).to_have_count(0)  # the page stays as it was…
            assert page.locator("#queue tbody tr").count() == rows_before
            page.reload()  # …and the plain page shows the alert
            expect(new_row).to_have_count(1)
            expect(page.locator("#live-status")).to_be_hidden()
        browser.close()
    engine.dispose()
