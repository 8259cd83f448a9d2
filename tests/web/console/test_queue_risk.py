"""The queue sorted by person risk and grouped by conversation, through the app (no browser):
plain links page it without gaps, each row's risk is the person's timeline score."""

from __future__ import annotations

import html
import re
import warnings
from collections.abc import Callable

import pytest
from sqlalchemy import Engine

from redline.contracts import Finding
from redline.review.alerts import build_alerts
from redline.review.sample import REAL_SECRETS
from redline.store.findings import save_findings

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

Login = Callable[[str], tuple[TestClient, str]]
ROW = re.compile(r'<tr class="sev-[a-z]+[^"]*" data-id="(\d+)"')
RISK = re.compile(r'<a href="/people/([^"]+)" class="risk-link"[^>]*>([0-9.]+)</a>')


def _pages(client: TestClient, url: str) -> list[str]:
    """Every page of the queue, following its own "next page" links (what a browser without JavaScript does)."""
    pages = []
    while url:
        reply = client.get(url)
        assert reply.status_code == 200, reply.text
        pages.append(reply.text)
        found = re.search(r'href="([^"]+)" id="next-page"', reply.text)
        url = html.unescape(found.group(1)) if found else ""
    return pages


@pytest.mark.parametrize("limit", [1, 2, 3, 50])
def test_risk_pages_of_the_queue_follow_the_api_without_gaps(login: Login, limit: int) -> None:
    client, _ = login("analyst")
    pages = _pages(client, f"/alerts?sort=risk&status=all&limit={limit}")
    ids = [int(i) for page in pages for i in ROW.findall(page)]
    api = client.get("/api/alerts", params={"sort": "risk", "status": "all", "limit": 500}).json()["alerts"]
    assert ids == [a["id"] for a in api]
    assert len(ids) == len(set(ids)) >= 4
    risks = [a["risk"] if a["risk"] is not None else -1 for a in api]
    assert risks == sorted(risks, reverse=True)
    # API pages by cursor too
    seen, cursor = [], None
    while True:
        page = client.get("/api/alerts", params={"sort": "risk", "status": "all", "limit": limit,
                                                 **({"cursor": cursor} if cursor else {})}).json()
        seen += [a["id"] for a in page["alerts"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == ids


def test_each_rows_risk_is_its_persons_timeline_score_under_a_pseudonym(login: Login) -> None:
    client, _ = login("analyst")
    page = client.get("/alerts?sort=risk&status=all").text
    links = RISK.findall(page)
    assert len(links) >= 3
    assert links[0][1] == max(links, key=lambda pr: float(pr[1]))[1]
    for pseudonym, shown in set(links):
        assert pseudonym.startswith("人员-")
        timeline = client.get(f"/people/{pseudonym}").text
        score = re.search(r'id="risk-score"[^>]*>([0-9.]+)<', timeline)
        assert score is not None
        assert score.group(1) == shown
    for secret in REAL_SECRETS:
        assert secret not in page


def test_a_dismissal_moves_the_persons_alerts_down(login: Login) -> None:
    client, csrf = login("analyst")
    top = client.get("/api/alerts", params={"sort": "risk"}).json()["alerts"]
    first = top[0]
    same = [a for a in top if a["person"] == first["person"]]
    for alert in same:
        reply = client.post(f"/api/alerts/{alert['id']}/decision", json={"action": "dismiss", "reason": "核实无误"},
                            headers={"X-CSRF-Token": csrf})
        assert reply.status_code == 200, reply.text
    after = client.get("/api/alerts", params={"sort": "risk", "status": "all"}).json()["alerts"]
    mine = [a for a in after if a["person"] == first["person"]]
    assert all(a["risk"] < first["risk"] for a in mine)


@pytest.fixture
def with_payment_only(console_db: tuple[str, Engine, dict[str, str]]) -> None:
    """An alert about a transfer with no conversation (pay-90: a payment outside any chat)."""
    _, engine, _ = console_db
    save_findings(engine, [Finding("TJ-05", "conduct", "payments.large_transfer", "payment", "pay-90", "medium",
                                   "向管理服务对象转账", "Transfer to a managed party", person_id="p-liuyang",
                                   pack="tianjin-2017")])
    build_alerts(engine)


def test_grouped_by_conversation(login: Login, with_payment_only: None) -> None:
    client, _ = login("analyst")
    page = client.get("/alerts?group=conversation&status=all").text
    heads = [html.unescape(h) for h in re.findall(r'<tr class="group-head"><th[^>]*>([^<]+)</th>', page)]
    assert "财政局预算群" in heads  # a work group by its name
    pairs = [h for h in heads if "↔" in h]
    assert len(pairs) == 2  # two private chats, each as the pseudonymised pair
    assert all(re.fullmatch(r"人员-[0-9A-F]{8} ↔ 人员-[0-9A-F]{8}", h) for h in pairs)
    assert "Payments, no conversation" in heads or "支付（无会话）" in heads
    assert len(heads) == len(set(heads))  # each conversation's alerts are together
    for secret in REAL_SECRETS:
        assert secret not in page
    # the grouping stays in the form and in the page links
    assert '<option value="conversation" selected' in page
    assert "group=conversation" in page
