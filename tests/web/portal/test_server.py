"""The real server on loopback: nothing the portal writes contains the client's address."""

from __future__ import annotations

import httpx
from tests.web.portal.conftest import RunningPortal, gps_jpeg

CLIENT_HOST = "127.0.0.3"


def test_no_ip_address_anywhere_the_portal_writes(portal_server: RunningPortal) -> None:
    transport = httpx.HTTPTransport(local_address=CLIENT_HOST)
    with httpx.Client(base_url=portal_server.url, transport=transport,
                      headers={"User-Agent": "RedlineProbe/1.0", "Referer": "http://referrer.invalid/page",
                               "X-Forwarded-For": "203.0.113.9"}) as client:
        answer = client.post("/api/reports", data={"text": "县住建局某科长多次在工作群收红包", "category": "gifts"},
                             files=[("files", ("p.jpg", gps_jpeg(), "image/jpeg"))])
        assert answer.status_code == 201, answer.text
        client.post("/api/follow", data={"receipt": answer.json()["receipt"]})
        client.post("/api/follow", data={"receipt": "AAAA-BBBB-CCCC-DDDD-EEEE"})
        client.get("/nope")
    written = [p for p in portal_server.folder.rglob("*") if p.is_file()]
    assert any(p.name.startswith("portal.db") for p in written)
    for path in written:
        blob = path.read_bytes()
        for needle in (CLIENT_HOST.encode(), b"203.0.113.9", b"RedlineProbe", b"referrer.invalid"):
            assert needle not in blob, (path, needle)
