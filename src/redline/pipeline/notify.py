"""Telling reviewers of new high and critical alerts, and intake officers of the statutory
deadlines of real-name reports falling due: e-mail (SMTP) or a WeCom application message.

A notice carries the alert's number, category, severity and link, never a name or a word of
evidence: it leaves Redline for a mail server or WeCom's cloud, which are not places for
leads. Each alert is announced once however many watchers run: a notifier claims the alerts
after the last one announced by moving a watermark (compare-and-set in `console_keys`), and
only the notifier whose move succeeded sends. A failing channel is logged and does not stop
the watcher (the reviewer still finds the alert in the queue). Deadline reminders go out once a
calendar day (+08:00) however many watchers run (the same compare-and-set on the day), with the
report numbers and dates only: never the report's text or anything about the reporter.

CONFIG.toml:

    console_url = "https://redline.example.org"
    min_severity = "high"
    [email]
    host = "smtp.example.org"
    port = 25
    sender = "redline@example.org"
    to = ["reviewers@example.org"]
    starttls = true
    username = ""              # optional; the password from $REDLINE_SMTP_PASSWORD
    [wecom]
    api = "https://qyapi.weixin.qq.com"
    corpid = "ww0123456789"
    agentid = 1000002
    touser = "zhangsan|lisi"   # or "@all"
    secret_env = "REDLINE_WECOM_APP_SECRET"
"""

from __future__ import annotations

import logging
import os
import smtplib
import time
import tomllib
from dataclasses import dataclass
from datetime import date
from email.message import EmailMessage
from pathlib import Path
from typing import Any, Final, Protocol

import httpx
from sqlalchemy import Connection, Engine, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from redline.errors import ConfigError, SourceLocation
from redline.reasons.words import CATEGORY_ZH
from redline.review.workload import remind
from redline.store.tables.accounts import ConsoleKey
from redline.store.tables.review import Alert

log = logging.getLogger("redline.notify")
WATERMARK: Final = "notify.last_alert"
REMINDER_DAY: Final = "notify.reminder_day"  # the last day whose deadline reminders were sent
RANKS: Final = {"low": 1, "medium": 2, "high": 3, "critical": 4}
SEVERITY_ZH: Final = {"low": "低", "medium": "中", "high": "高", "critical": "严重"}
DIGEST_FROM: Final = 20  # more new alerts at once than this: one notice for all of them


@dataclass(frozen=True, slots=True)
class Notice:
    """What a reviewer is told: a subject line and a body; both free of names and evidence."""

    subject: str
    body: str


class Channel(Protocol):
    """A way to reach reviewers."""

    name: str

    def send(self, notice: Notice) -> None: ...


def notices(rows: list[tuple[int, str, str]], console_url: str) -> list[Notice]:
    """Notices for (alert id, category, severity) rows: one each, or one digest for many."""
    base = console_url.rstrip("/")
    if len(rows) > DIGEST_FROM:
        return [Notice(f"[红线 Redline] {len(rows)} 条新预警 / new alerts",
                       f"{len(rows)} 条高或严重预警待核查 / high or critical alerts to review:\n{base}/alerts")]
    out = []
    for alert_id, category, severity in rows:
        zh = CATEGORY_ZH.get(category, category)
        out.append(Notice(
            f"[红线 Redline] 新预警 #{alert_id}：{zh}",
            f"新预警 #{alert_id} / new alert — 类别 category：{zh} ({category})；"
            f"严重程度 severity：{SEVERITY_ZH.get(severity, severity)} ({severity})\n{base}/alerts/{alert_id}"))
    return out


def reminder_notice(due: list[dict[str, Any]], console_url: str) -> Notice:
    """One notice for the day's deadline reminders (`workload.remind` rows)."""
    base = console_url.rstrip("/")
    which = {"accept": "受理 acceptance", "result": "办结 result"}
    lines = [f"举报 report #{r['report_id']}：{which.get(str(r['deadline']), r['deadline'])} {r['due']}"
             f"{'（已逾期 overdue）' if r['overdue'] else '（即将到期 due soon）'}\n{base}/intake/{r['report_id']}"
             for r in due]
    overdue = sum(1 for r in due if r["overdue"])
    return Notice(f"[红线 Redline] 实名举报期限提醒：{len(due)} 件（逾期 {overdue} 件）/ report deadlines",
                  "\n".join(lines))


def _move_key(conn: Connection, name: str, seen: str | None, value: str) -> bool:
    """Set console key `name` from `seen` (None: absent) to `value`, unless another caller moved it
    first: the compare-and-set that lets only one of several watchers act."""
    try:
        if seen is None:
            conn.execute(insert(ConsoleKey).values(name=name, value=value))
            return True
        moved = conn.execute(update(ConsoleKey).where(ConsoleKey.name == name, ConsoleKey.value == seen)
                             .values(value=value))
        return moved.rowcount == 1
    except IntegrityError:
        return False


def _key(conn: Connection, name: str) -> str | None:
    value = conn.execute(select(ConsoleKey.value).where(ConsoleKey.name == name)).scalar()
    return None if value is None else str(value)


def claim_day(engine: Engine, day: date) -> bool:
    """Whether this caller, and no other, sends the reminders of `day` (compare-and-set)."""
    with engine.begin() as conn:
        last = _key(conn, REMINDER_DAY)
        if last is not None and last >= day.isoformat():
            return False
        return _move_key(conn, REMINDER_DAY, last, day.isoformat())


def claim(engine: Engine, min_rank: int, created: int) -> list[tuple[int, str, str]]:
    """The new alerts at or above `min_rank` that this caller, and no other, announces."""
    with engine.begin() as conn:
        top = int(conn.execute(select(func.max(Alert.id))).scalar() or 0)
        mark_text = _key(conn, WATERMARK)
        # first run: what existed before is not news
        mark = max(top - created, 0) if mark_text is None else int(mark_text)
        if not _move_key(conn, WATERMARK, mark_text, str(max(top, mark))):
            return []  # another notifier claimed them
        rows = conn.execute(select(Alert.id, Alert.category, Alert.severity)
                            .where(Alert.id > mark, Alert.id <= top, Alert.severity_rank >= min_rank)
                            .order_by(Alert.id)).all()
    return [(int(i), str(c), str(s)) for i, c, s in rows]


class EmailChannel:
    """Plain-text mail through an SMTP server (STARTTLS and login optional)."""

    name = "email"

    def __init__(self, host: str, port: int, sender: str, to: list[str], *, starttls: bool = False,
                 username: str = "", password: str = "") -> None:
        self.host, self.port, self.sender, self.to = host, port, sender, to
        self.starttls, self.username, self.password = starttls, username, password

    def send(self, notice: Notice) -> None:
        message = EmailMessage()
        message["From"], message["To"], message["Subject"] = self.sender, ", ".join(self.to), notice.subject
        message.set_content(notice.body)
        with smtplib.SMTP(self.host, self.port, timeout=15) as smtp:
            if self.starttls:
                smtp.starttls()
            if self.username:
                smtp.login(self.username, self.password)
            smtp.send_message(message)


class WecomAppChannel:
    """A WeCom application text message (`message/send`), with the access token cached."""

    name = "wecom"

    def __init__(self, api: str, corpid: str, secret: str, agentid: int, touser: str) -> None:
        self.client = httpx.Client(base_url=api.rstrip("/"), timeout=15)
        self.corpid, self.secret, self.agentid, self.touser = corpid, secret, agentid, touser
        self._token: tuple[str, float] | None = None

    def _access_token(self, fresh: bool = False) -> str:
        if self._token is None or fresh or time.monotonic() >= self._token[1]:
            reply = self.client.get("/cgi-bin/gettoken", params={"corpid": self.corpid, "corpsecret": self.secret})
            data = reply.json()
            if data.get("errcode", 0) != 0:
                raise ConfigError(f"WeCom gettoken: {data.get('errcode')} {data.get('errmsg', '')}")
            # renewed five minutes early: a token expiring mid-send costs a retry
            self._token = (str(data["access_token"]), time.monotonic() + int(data.get("expires_in", 7200)) - 300)
        return self._token[0]

    def send(self, notice: Notice) -> None:
        body: dict[str, Any] = {"touser": self.touser, "msgtype": "text", "agentid": self.agentid,
                                "text": {"content": f"{notice.subject}\n{notice.body}"}, "safe": 0}
        for fresh in (False, True):
            reply = self.client.post("/cgi-bin/message/send", params={"access_token": self._access_token(fresh)},
                                     json=body)
            data = reply.json()
            if data.get("errcode", 0) in (40014, 42001) and not fresh:  # token invalid or expired: once more
                continue
            if data.get("errcode", 0) != 0:
                raise ConfigError(f"WeCom message/send: {data.get('errcode')} {data.get('errmsg', '')}")
            return


class Notifier:
    """The configured channels and what to announce; `on_alerts` is the pipeline's hook."""

    def __init__(self, console_url: str, channels: list[Channel], min_severity: str = "high") -> None:
        if min_severity not in RANKS:
            raise ConfigError(f"min_severity must be one of {', '.join(RANKS)}")
        self.console_url, self.channels, self.min_rank = console_url, channels, RANKS[min_severity]

    @classmethod
    def from_config(cls, path: Path) -> Notifier:
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
            channels: list[Channel] = []
            if "email" in data:
                mail = data["email"]
                channels.append(EmailChannel(str(mail["host"]), int(mail.get("port", 25)), str(mail["sender"]),
                                             [str(t) for t in mail["to"]], starttls=bool(mail.get("starttls", False)),
                                             username=str(mail.get("username", "")),
                                             password=os.environ.get(str(mail.get("password_env", "REDLINE_SMTP_PASSWORD")), "")))
            if "wecom" in data:
                app = data["wecom"]
                secret = os.environ.get(str(app.get("secret_env", "REDLINE_WECOM_APP_SECRET")), "")
                channels.append(WecomAppChannel(str(app.get("api", "https://qyapi.weixin.qq.com")), str(app["corpid"]),
                                                secret, int(app["agentid"]), str(app.get("touser", "@all"))))
            return cls(str(data["console_url"]), channels, str(data.get("min_severity", "high")))
        except (OSError, tomllib.TOMLDecodeError, KeyError, ValueError, TypeError) as exc:
            raise ConfigError(f"bad notifier configuration: {exc}", SourceLocation(path)) from exc

    def on_day(self, engine: Engine, today: date) -> int:
        """Send today's deadline reminders unless another notifier did; returns notices sent."""
        if not claim_day(engine, today):
            return 0
        due = remind(engine, today)  # audited there, sent or not
        return self._send([reminder_notice(due, self.console_url)]) if due else 0

    def on_alerts(self, engine: Engine, created: int) -> int:
        """Announce the alerts this notifier claims; returns how many notices went out."""
        return self._send(notices(claim(engine, self.min_rank, created), self.console_url))

    def _send(self, outgoing: list[Notice]) -> int:
        sent = 0
        for notice in outgoing:
            for channel in self.channels:
                try:
                    channel.send(notice)
                    sent += 1
                except (OSError, smtplib.SMTPException, httpx.HTTPError, ConfigError, ValueError) as exc:
                    log.error("notice by %s failed: %s", channel.name, exc)
        return sent
