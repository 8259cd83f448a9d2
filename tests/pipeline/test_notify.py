"""Reviewers hear of high and critical alerts by e-mail (a local SMTP sink) and WeCom app
messages (a local HTTP stand-in of the API); a notice names no one and quotes no evidence."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from datetime import date, timedelta
from email import message_from_bytes, policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import parse_qs, urlparse

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import Engine

from redline.contracts import Finding
from redline.pipeline.alerting import refresh_alerts
from redline.pipeline.notify import DIGEST_FROM, EmailChannel, Notifier, WecomAppChannel
from redline.store import make_engine, migrate, save_findings

NAME, EVIDENCE = "王某某", "以后多关照"


class Sink:
    """aiosmtpd handler keeping what arrives."""

    def __init__(self) -> None:
        self.messages: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 (aiosmtpd's name)
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"


@pytest.fixture
def smtp() -> Iterator[tuple[Sink, int]]:
    sink = Sink()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    yield sink, port
    controller.stop()


class WecomApi(BaseHTTPRequestHandler):
    """gettoken and message/send as WeCom's API answers them; the first token expires at once."""

    sent: ClassVar[list[dict[str, Any]]] = []
    tokens = 0

    def log_message(self, *args: Any) -> None:
        pass

    def _reply(self, data: dict[str, Any]) -> None:
        body = json.dumps(data).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        url = urlparse(self.path)
        query = parse_qs(url.query)
        if url.path == "/cgi-bin/gettoken" and query.get("corpsecret") == ["app-secret"]:
            type(self).tokens += 1
            self._reply({"errcode": 0, "errmsg": "ok", "access_token": f"tok{self.tokens}", "expires_in": 7200})
        else:
            self._reply({"errcode": 40001, "errmsg": "invalid credential"})

    def do_POST(self) -> None:
        url = urlparse(self.path)
        token = parse_qs(url.query).get("access_token", [""])[0]
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        if token == "tok1":  # expired: the client must fetch a new token and send again
            self._reply({"errcode": 42001, "errmsg": "access_token expired"})
            return
        type(self).sent.append(body)
        self._reply({"errcode": 0, "errmsg": "ok", "msgid": "x"})


@pytest.fixture
def wecom() -> Iterator[str]:
    WecomApi.sent, WecomApi.tokens = [], 0
    server = ThreadingHTTPServer(("127.0.0.1", 0), WecomApi)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    engine = migrate(make_engine(db_url))
    yield engine
    engine.dispose()


def _alerts(engine: Engine, severities: list[str], prefix: str = "m") -> int:
    """One finding per severity, each about another person: separate incidents, separate alerts."""
    findings = [Finding(rule_id="TJ-06", category="gifts", detector="lexicon", subject="message",
                        subject_id=f"{prefix}{i}", severity=s, reason=f"{NAME}说“{EVIDENCE}”", evidence=EVIDENCE,
                        person_id=f"p-wang-{prefix}{i}", pack="tianjin-2017") for i, s in enumerate(severities)]
    save_findings(engine, findings)
    return refresh_alerts(engine)


def test_high_and_critical_alerts_reach_reviewers_by_mail_and_wecom_without_names_or_evidence(
    engine: Engine, smtp: tuple[Sink, int], wecom: str,
) -> None:
    sink, port = smtp
    channels = [EmailChannel("127.0.0.1", port, "redline@example.org", ["reviewers@example.org"]),
                WecomAppChannel(wecom, "ww-test", "app-secret", 1000002, "reviewer1")]
    notifier = Notifier("https://redline.example.org", channels)
    created = _alerts(engine, ["high", "medium", "critical", "low"])
    assert created == 4
    assert notifier.on_alerts(engine, created) == 4  # two alerts, two channels
    assert len(sink.messages) == 2
    assert len(WecomApi.sent) == 2
    texts = [m.get_content() + str(m["Subject"]) for m in sink.messages]
    assert all("新预警" in str(m["Subject"]) for m in sink.messages)
    texts += [m["text"]["content"] for m in WecomApi.sent]
    for text in texts:
        assert "https://redline.example.org/alerts/" in text
        assert "gifts" in text
        assert NAME not in text
        assert EVIDENCE not in text
        assert "p-wang" not in text
    assert WecomApi.tokens == 2  # the expired token was renewed once
    assert all(m["agentid"] == 1000002 and m["touser"] == "reviewer1" for m in WecomApi.sent)
    # nothing new: nothing sent again
    assert notifier.on_alerts(engine, 0) == 0


def test_two_watchers_announce_each_alert_once(engine: Engine, smtp: tuple[Sink, int]) -> None:
    sink, port = smtp
    first, second = (Notifier("http://c", [EmailChannel("127.0.0.1", port, "r@x", ["a@x"])]) for _ in range(2))
    first.on_alerts(engine, 0)  # sets the watermark: what existed before is not news
    created = _alerts(engine, ["high"] * 3)
    results: list[int] = []
    threads = [threading.Thread(target=lambda n=n: results.append(n.on_alerts(engine, created))) for n in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [0, 3]
    assert len(sink.messages) == 3


def test_many_alerts_at_once_are_one_digest(engine: Engine, smtp: tuple[Sink, int]) -> None:
    sink, port = smtp
    notifier = Notifier("http://c", [EmailChannel("127.0.0.1", port, "r@x", ["a@x"])])
    created = _alerts(engine, ["critical"] * (DIGEST_FROM + 5))
    assert notifier.on_alerts(engine, created) == 1
    assert f"{DIGEST_FROM + 5} 条新预警" in sink.messages[0]["Subject"]


def test_a_failing_channel_does_not_stop_the_others(engine: Engine, smtp: tuple[Sink, int]) -> None:
    sink, port = smtp
    dead = EmailChannel("127.0.0.1", 1, "r@x", ["a@x"])  # nothing listens on port 1
    notifier = Notifier("http://c", [dead, EmailChannel("127.0.0.1", port, "r@x", ["a@x"])])
    assert notifier.on_alerts(engine, _alerts(engine, ["high"])) == 1
    assert len(sink.messages) == 1


def test_the_configuration_file_builds_the_channels(tmp_path: Path) -> None:
    path = tmp_path / "notify.toml"
    path.write_text('console_url = "https://c"\nmin_severity = "critical"\n[email]\nhost = "h"\nsender = "s@x"\n'
                    'to = ["a@x"]\n[wecom]\ncorpid = "ww"\nagentid = 7\n', encoding="utf-8")
    notifier = Notifier.from_config(path)
    assert [c.name for c in notifier.channels] == ["email", "wecom"]
    assert notifier.min_rank == 4


def _reports(engine: Engine, today: date) -> list[int]:
    """Real-name reports: one overdue for acceptance, one due in two days, one far off, one anonymous."""
    from sqlalchemy.orm import Session

    from redline.store.tables.intake import PublicReport

    common = {"lookup": "x", "receipt_hash": "secret-hash", "code_salt": b"x", "key_for_code": b"x", "kdf_alg": 1,
              "kdf_ops": 1, "kdf_mem": 1, "category": "gifts", "received_on": today - timedelta(days=20)}
    rows = [PublicReport(real_name=True, status="received", accept_due=today - timedelta(days=1), **common),
            PublicReport(real_name=True, status="accepted", result_due=today + timedelta(days=2), **common),
            PublicReport(real_name=True, status="received", accept_due=today + timedelta(days=30), **common),
            PublicReport(real_name=False, status="received", accept_due=today - timedelta(days=3), **common)]
    with Session(engine) as session, session.begin():
        session.add_all(rows)
        session.flush()
        return [r.id for r in rows]


def test_deadline_reminders_go_out_once_a_day_with_numbers_only(engine: Engine, smtp: tuple[Sink, int]) -> None:
    from sqlalchemy import func, select

    from redline.store.tables.audit import AuditEntry

    sink, port = smtp
    today = date(2026, 11, 20)
    overdue, soon, _far, _anonymous = _reports(engine, today)
    first, second = (Notifier("http://c", [EmailChannel("127.0.0.1", port, "r@x", ["a@x"])]) for _ in range(2))
    assert first.on_day(engine, today) == 1
    assert second.on_day(engine, today) == 0  # another watcher's notifier: the day is claimed
    assert first.on_day(engine, today) == 0  # and once is enough
    (mail,) = sink.messages
    assert "实名举报期限提醒：2 件（逾期 1 件）" in str(mail["Subject"])
    body = mail.get_content()
    assert f"http://c/intake/{overdue}" in body
    assert f"http://c/intake/{soon}" in body
    assert "已逾期" in body
    assert "即将到期" in body
    assert "secret-hash" not in body
    assert second.on_day(engine, today + timedelta(days=1)) == 1  # the next day: again, by whoever comes first
    with engine.connect() as conn:
        audited = conn.execute(select(func.count()).select_from(AuditEntry)
                               .where(AuditEntry.action == "intake.reminder")).scalar_one()
    assert audited == 2  # one audit entry a day, never one per watcher
