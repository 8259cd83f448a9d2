"""The queue's pack / rule / category filters find an alert by any of its findings, through the console."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from sqlalchemy import Engine

from redline.contracts import Finding
from redline.review.alerts import build_alerts
from redline.store.findings import save_findings


def test_queue_finds_an_alert_by_its_second_finding(
    console_db: tuple[str, Engine, dict[str, str]], login: Callable[..., Any],
) -> None:
    engine = console_db[1]
    # dm-03 shows ZJ-03 / conduct (medium); its second, lower finding is a gift offer of another pack
    save_findings(engine, [Finding("XY-07", "gifts", "lexicon", "message", "dm-03", "low", "请客吃饭",
                                   person_id="p-zhaomin", pack="xianyang-2015")])
    assert build_alerts(engine) == 0
    client, _ = login("analyst")
    for query in ("category=gifts", "rule_id=XY-07", "pack=xianyang-2015"):
        page = client.get(f"/alerts?{query}").text
        rows = re.findall(r'<tr[^>]*>.*?</tr>', page, re.S)
        assert any("ZJ-03" in r for r in rows), query  # found, and still shown by its top finding
    gifts = client.get("/alerts?category=gifts").text
    assert len(re.findall(r'class="alert-link"', gifts)) == 2  # the packets incident and dm-03
    assert re.search(r"<option\s*>XY-07</option>", client.get("/alerts").text)  # offered in the dropdown
    api = client.get("/api/alerts?rule_id=XY-07").json()["alerts"]
    assert [(a["subject_id"], a["rule_id"], a["category"]) for a in api] == [("dm-03", "ZJ-03", "conduct")]
