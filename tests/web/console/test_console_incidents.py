"""The demo county through the JSON API, as a check outside the browser would count: one alert
per incident, each rule once, no alert for the returned packet, every packet in the case."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from fastapi.testclient import TestClient  # isort: skip

pytestmark = pytest.mark.slow
Demo = tuple[Path, dict[str, str], dict[str, Any]]


def _alerts(client: TestClient) -> list[dict[str, Any]]:
    out, cursor = [], None
    while True:
        page = client.get("/api/alerts", params={"limit": 500, "status": "all", **({"cursor": cursor} if cursor else {})}).json()
        out += page["alerts"]
        cursor = page["next_cursor"]
        if cursor is None:
            return out


def _details(client: TestClient) -> list[dict[str, Any]]:
    return [client.get(f"/api/alerts/{a['id']}").json() for a in _alerts(client)]


def test_the_grain_traders_packets_are_one_alert_with_each_rule_once(demo_county: Demo, demo_client: Callable[[str], TestClient]) -> None:
    grain = demo_county[2]["cases"]["grain_trader_packets"]
    client = demo_client("analyst")
    details = _details(client)
    holding = [d for d in details if set(grain["payment_ids"]) & set(d["payment_ids"])]
    assert len(holding) == 1
    alert = holding[0]
    assert set(alert["payment_ids"]) >= set(grain["payment_ids"])  # all 21 packets
    assert set(alert["message_ids"]) <= set(grain["message_ids"])  # its messages are the trader's
    assert not [d for d in details if d["id"] != alert["id"] and set(d["message_ids"]) & set(grain["message_ids"])]
    rules = [r["rule_id"] for r in alert["rules"]]
    assert len(rules) == len(set(rules))
    assert set(grain["expected"]["rule_ids"]) <= set(rules)
    assert alert["time"][:4] == "2023"  # the event's time, not the scan's
    # the county's ~500 findings are a few dozen incidents (about 25 of the rules, the rest the
    # conduct model's single-message leads, low severity, each its own incident)
    assert len(details) < 60


def test_the_returned_packet_raises_no_alert(demo_county: Demo, demo_client: Callable[[str], TestClient]) -> None:
    returned = demo_county[2]["near_misses"]["returned_packet"]
    details = _details(demo_client("analyst"))
    assert [d["id"] for d in details if set(returned["message_ids"]) & set(d["message_ids"])
            or set(returned["payment_ids"]) & set(d["payment_ids"])] == []


def test_every_alert_carries_its_events_time(demo_client: Callable[[str], TestClient]) -> None:
    assert [a["id"] for a in _alerts(demo_client("analyst")) if not a["time"].startswith(("2023", "2024", "2022", "2021", "2020"))] == []


def test_the_case_and_both_exports_hold_all_21_packets(demo_county: Demo, demo_client: Callable[[str], TestClient]) -> None:
    import io

    import docx
    import openpyxl

    grain = demo_county[2]["cases"]["grain_trader_packets"]
    client = demo_client("investigator")
    alert = next(d for d in _details(client) if set(grain["payment_ids"]) & set(d["payment_ids"]))
    reply = client.post(f"/api/alerts/{alert['id']}/decision", json={"action": "escalate", "reason": "粮贩连续送红包"})
    case_id = reply.json()["case_id"]
    case = client.get(f"/api/cases/{case_id}").json()
    assert {p["id"] for p in case["evidence"]["payments"]} >= set(grain["payment_ids"])
    book = openpyxl.load_workbook(io.BytesIO(client.get(f"/cases/{case_id}/evidence.xlsx").content))
    paid = list(book["支付 Payments"].iter_rows(values_only=True))[1:]
    assert sum(1 for r in paid if r[3] == "200.00") >= 21
    document = docx.Document(io.BytesIO(client.get(f"/cases/{case_id}/report.docx").content))
    assert any(p.text.startswith("涉及支付 Payments (") and int(p.text.split("(")[1].rstrip(")")) >= 21
               for p in document.paragraphs)


def test_a_display_name_alert_shows_the_membership_and_the_shape_of_the_name(
    demo_county: Demo, demo_client: Callable[[str], TestClient],
) -> None:
    client = demo_client("analyst")
    governance = [client.get(f"/api/alerts/{a['id']}").json() for a in _alerts(client)
                  if a["category"] == "governance" and a["rule_id"] == "XY-03"]
    assert governance
    for alert in governance:
        context = alert["context"]
        assert context["payments"] == []  # not the person's red packets
        assert context["memberships"]
        for m in context["memberships"]:
            assert m["group"]
            # 单位 kept, the name part one ＊ per character, or all ＊ when there is no 单位 part
            assert "＊" in m["display_shape"] or m["display_shape"] == ""


def test_related_alerts_point_at_each_other(demo_county: Demo, demo_client: Callable[[str], TestClient]) -> None:
    vote = demo_county[2]["cases"]["vote_buying"]
    client = demo_client("analyst")
    details = [client.get(f"/api/alerts/{a['id']}").json() for a in _alerts(client)]
    about = [d for d in details if set(vote["message_ids"]) & set(d["message_ids"])]
    assert about
    for d in details:
        for r in d["related"]:
            other = next(x for x in details if x["id"] == r["id"])
            assert d["id"] in [x["id"] for x in other["related"]]  # both ways
    # the vote-buying messages and the packets that came with them: linked, if not one alert
    ids = {d["id"] for d in about}
    assert all(ids - {d["id"]} <= {r["id"] for r in d["related"]} for d in about)
