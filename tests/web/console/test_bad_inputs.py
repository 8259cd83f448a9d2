"""Issue 15 item 8: inputs that gave a 500 give a clear 4xx (or work), on the API and the pages."""

from __future__ import annotations

import base64
from collections.abc import Callable

import pytest

from fastapi.testclient import TestClient  # isort: skip


def _cursor(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


@pytest.mark.parametrize("query", [
    {"cursor": _cursor("99999999999999999999999|1")},
    {"cursor": _cursor("1|99999999999999999999999")},
    {"cursor": _cursor("-99999999999999999999999|-1")},
    {"cursor": _cursor("99999-01-01|1"), "sort": "oldest"},
    {"cursor": "%%%"},
])
@pytest.mark.parametrize("path", ["/api/alerts", "/alerts"])
def test_bad_cursors_are_400(login: Callable[[str], tuple[TestClient, str]], query: dict[str, str], path: str) -> None:
    client, _ = login("analyst")
    assert client.get(path, params=query).status_code == 400


@pytest.mark.parametrize("query", [
    {"date_to": "9999-12-31"}, {"date_from": "0001-01-01"}, {"date_from": "9999-12-31"},
    {"date_to": "0001-01-01"}, {"date_from": "0001-01-01", "date_to": "9999-12-31"},
])
@pytest.mark.parametrize("path", ["/api/alerts", "/alerts"])
def test_dates_at_the_ends_of_the_calendar_work(login: Callable[[str], tuple[TestClient, str]],
                                                query: dict[str, str], path: str) -> None:
    client, _ = login("analyst")
    everything = client.get("/api/alerts", params={"status": "all", "limit": 500}).json()["alerts"]
    answer = client.get(path, params={**query, "status": "all", "limit": 500})
    assert answer.status_code == 200
    if path == "/api/alerts":
        got = answer.json()["alerts"]
        # a range that holds every real date keeps every alert; one beyond them keeps none
        open_ended = query.get("date_from", "0001-01-01") == "0001-01-01" and query.get("date_to", "9999-12-31") == "9999-12-31"
        assert len(got) == (len(everything) if open_ended else 0)


def test_a_cursor_at_the_end_of_time_is_a_cursor(login: Callable[[str], tuple[TestClient, str]]) -> None:
    client, _ = login("analyst")
    answer = client.get("/api/alerts", params={"cursor": _cursor("9999-12-31T23:59:59|1"), "sort": "newest"})
    assert answer.status_code == 200
    assert answer.json()["alerts"]  # every alert is older than that
