"""A bundle uploaded through the console is screened like any other load: its alerts reach the queue."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from redline.bundle import write_bundle

VIOLATING = "王老板发来一个红包：以后多关照"
ORDINARY = "明天上午九点开会"


def _bundle(path: Path, texts: list[str]) -> Path:
    when = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
    messages = [{"id": f"upload-{i}", "time": when, "conversation": "dm:p-a|p-b", "sender": "p-a", "type": "text",
                 "text": t} for i, t in enumerate(texts)]
    return write_bundle(path, {"messages": messages})


def _alerts_on(client: Any, ids: set[str]) -> list[dict[str, Any]]:
    page = client.get("/api/alerts", params={"limit": 500, "sort": "newest"}).json()
    return [a for a in page["alerts"] if a["subject_id"] in ids]


@pytest.mark.parametrize(("texts", "alerted"), [
    ([VIOLATING, ORDINARY], {"upload-0"}),
    ([ORDINARY, ORDINARY], set()),
])
def test_an_uploaded_bundle_ends_with_its_alerts_in_the_queue(
    login: Callable[..., Any], tmp_path: Path, texts: list[str], alerted: set[str],
) -> None:
    admin, token = login("admin")
    reviewer, _ = login("analyst")
    ids = {f"upload-{i}" for i in range(len(texts))}
    assert _alerts_on(reviewer, ids) == []
    bundle = _bundle(tmp_path / "upload.zip", texts)
    reply = admin.post("/import", data={"csrf_token": token},
                       files={"bundle": ("upload.zip", bundle.read_bytes(), "application/zip")})
    assert reply.status_code == 200, reply.text[:500]
    found = _alerts_on(reviewer, ids)
    assert {a["subject_id"] for a in found} == alerted
    assert all(a["category"] == "gifts" for a in found)
    # the same upload again is idempotent: no second alert
    admin.post("/import", data={"csrf_token": token},
               files={"bundle": ("upload.zip", bundle.read_bytes(), "application/zip")})
    assert len(_alerts_on(reviewer, ids)) == len(alerted)
