"""`--source wecom:CONFIG.toml`: the WeCom archive (会话内容存档) pulled through the finance SDK.

Each pull asks for up to `limit` (≤ 1,000) records after the stored `seq`, opens each with the
private key of its `publickey_ver`, and loads the messages with the last `seq` in one
transaction. A record that cannot be opened (a key version not configured yet, a corrupt
record) stops the pull there: the cursor never moves past a message Redline did not read.
Files (images, voice, documents) are queued in that same transaction and fetched by
`MediaWorker` on a thread of its own. WeCom keeps archive data only for a few days: a pull
that finds itself `warn_days` behind says so before messages fall out of the window.

CONFIG.toml (paths relative to it; the secret comes from the environment, never the file):

    corpid = "ww0123456789"
    secret_env = "REDLINE_WECOM_SECRET"
    sdk = "/opt/wework/libWeWorkFinanceSdk_C.so"   # or "python:package.module:factory"
    limit = 1000
    timeout = 10
    retention_days = 5
    warn_days = 3
    media_dir = "media"
    [keys]
    "1" = "keys/wecom-v1.pem"
    "2" = "keys/wecom-v2.pem"
"""

from __future__ import annotations

import importlib
import os
import threading
import time
import tomllib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final

import orjson
from sqlalchemy import Connection, Engine, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from redline.errors import ConfigError, RedlineError, SourceLocation
from redline.pipeline.positions import read_positions, save_position
from redline.pipeline.source import Loaded, Pulled
from redline.pipeline.spool import bundle_of, without_placeholders
from redline.pipeline.wecom_sdk import MAX_LIMIT, CtypesSdk, FinanceSdk, KeyRing, SdkError
from redline.store.load import load_tables
from redline.store.tables.live import MediaItem

SECRET_ENV: Final = "REDLINE_WECOM_SECRET"  # noqa: S105 (the variable's name, not a secret)
MEDIA_TYPES: Final = frozenset({"image", "voice", "video", "file", "emotion", "meeting_voice_call", "voip_doc_share"})


@dataclass(frozen=True, slots=True)
class WecomConfig:
    """The parsed configuration file."""

    path: Path
    corpid: str
    sdk: str
    secret_env: str = SECRET_ENV
    limit: int = MAX_LIMIT
    timeout: int = 10
    retention_days: float = 5.0
    warn_days: float = 3.0
    media_dir: Path = Path("media")
    media_attempts: int = 5
    keys: dict[int, Path] = field(default_factory=dict)

    @classmethod
    def read(cls, path: Path) -> WecomConfig:
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"cannot read the WeCom configuration: {exc}", SourceLocation(path)) from exc
        base = path.parent
        try:
            limit = int(data.get("limit", MAX_LIMIT))
            if not 1 <= limit <= MAX_LIMIT:
                raise ValueError(f"limit must be 1..{MAX_LIMIT}")
            keys = {int(v): base / str(p) for v, p in (data.get("keys") or {}).items()}
            return cls(path=path, corpid=str(data["corpid"]), sdk=str(data["sdk"]),
                       secret_env=str(data.get("secret_env", SECRET_ENV)), limit=limit,
                       timeout=int(data.get("timeout", 10)), retention_days=float(data.get("retention_days", 5)),
                       warn_days=float(data.get("warn_days", 3)), media_dir=base / str(data.get("media_dir", "media")),
                       media_attempts=int(data.get("media_attempts", 5)), keys=keys)
        except (KeyError, ValueError, TypeError) as exc:
            raise ConfigError(f"bad WeCom configuration: {exc}", SourceLocation(path)) from exc

    def open_sdk(self) -> FinanceSdk:
        """The SDK the configuration names: a Python factory, or the C library through ctypes."""
        if self.sdk.startswith("python:"):
            module, _, attr = self.sdk.removeprefix("python:").partition(":")
            factory = getattr(importlib.import_module(module), attr)
            sdk: FinanceSdk = factory(self)
            return sdk
        secret = os.environ.get(self.secret_env, "")
        if not secret:
            raise ConfigError(f"set the archive secret in ${self.secret_env}", SourceLocation(self.path))
        library = Path(self.sdk) if Path(self.sdk).is_absolute() else self.path.parent / self.sdk
        return CtypesSdk(library, self.corpid, secret)


def _sdkfileid(message: dict[str, Any]) -> str:
    body = message.get(str(message.get("msgtype", "")))
    return str(body.get("sdkfileid") or "") if isinstance(body, dict) else ""


class WecomSource:
    """The archive of one corporation as a live source."""

    name = "wecom"

    def __init__(self, config: WecomConfig, sdk: FinanceSdk) -> None:
        self.config, self.sdk = config, sdk
        self.keys = KeyRing(config.keys)
        self._config_mtime = config.path.stat().st_mtime
        self.media = MediaWorker(sdk, config.media_dir, config.timeout, config.media_attempts)

    @classmethod
    def from_config(cls, path: Path) -> WecomSource:
        config = WecomConfig.read(path)
        return cls(config, config.open_sdk())

    @property
    def source(self) -> str:
        return f"wecom:{self.config.corpid}"

    def _reload_keys(self) -> None:
        """A key added to the configuration is used from the next pull on, without a restart."""
        mtime = self.config.path.stat().st_mtime
        if mtime != self._config_mtime:
            self._config_mtime = mtime
            self.keys.update(WecomConfig.read(self.config.path).keys)

    def pull(self, engine: Engine) -> Pulled:
        self._reload_keys()
        stored = read_positions(engine, self.source).get(self.source)
        seq = stored.position if stored else 0
        records = self.sdk.get_chat_data(seq, self.config.limit, self.config.timeout)
        pulled = Pulled(more=len(records) >= self.config.limit)
        lines: list[bytes] = []
        media: list[tuple[str, str, str]] = []
        oldest: int | None = None
        last = seq
        for record in records:
            try:
                random_key = self.keys.random_key(int(record["publickey_ver"]), str(record["encrypt_random_key"]))
                plain = self.sdk.decrypt_data(random_key, str(record["encrypt_chat_msg"]))
                message = orjson.loads(plain)
            except (SdkError, KeyError, ValueError, orjson.JSONDecodeError) as exc:
                pulled.errors.append(f"seq {record.get('seq')}: {exc} (the cursor waits here)")
                pulled.more = False
                break
            lines.append(orjson.dumps(message) + b"\n")
            last = int(record["seq"])
            if isinstance(message.get("msgtime"), int):
                oldest = message["msgtime"] if oldest is None else min(oldest, message["msgtime"])
            if message.get("msgtype") in MEDIA_TYPES and _sdkfileid(message):
                body = message[str(message["msgtype"])]
                media.append((str(message["msgid"]), _sdkfileid(message), str(body.get("filename") or "")))
        self._warn_retention(oldest, pulled)
        if lines:
            bundle = without_placeholders(engine, bundle_of(b"".join(lines), "archive.jsonl", where=self.source))

            def commit(conn: Connection) -> None:
                save_position(conn, self.source, last, self.config.corpid)
                queue_media(conn, media)

            load_tables(engine, bundle, source_name=f"{self.source}@{seq}", also=commit)
            rows = bundle.tables.messages.num_rows + bundle.tables.payments.num_rows
            pulled.loaded.append(Loaded(bundle, rows, time.time()))
        return pulled

    def _warn_retention(self, oldest_ms: int | None, pulled: Pulled) -> None:
        if oldest_ms is None:
            return
        behind = (time.time() - oldest_ms / 1000) / 86_400
        if behind >= self.config.warn_days:
            pulled.warnings.append(
                f"the pull is {behind:.1f} days behind; the archive keeps messages {self.config.retention_days:g} days: "
                "messages older than that are lost (raise the limit, poll more often, or add watchers' capacity)")


def queue_media(conn: Connection, items: list[tuple[str, str, str]]) -> None:
    """Queue files for the media worker (in the caller's transaction; a re-queue is a no-op)."""
    if not items:
        return
    now = datetime.now(UTC)
    insert = pg_insert if conn.dialect.name == "postgresql" else sqlite_insert
    rows = [{"msgid": m, "sdkfileid": f, "name": n[:300], "status": "pending", "attempts": 0, "path": "", "error": "",
             "updated_at": now} for m, f, n in items]
    conn.execute(insert(MediaItem.__table__).on_conflict_do_nothing(index_elements=["msgid"]), rows)  # type: ignore[arg-type]


class MediaWorker:
    """Fetches queued files into `media_dir/<msgid>/`, apart from the text; failures retry a few times."""

    def __init__(self, sdk: FinanceSdk, media_dir: Path, timeout: int, attempts: int) -> None:
        self.sdk, self.media_dir, self.timeout, self.attempts = sdk, media_dir, timeout, attempts

    def fetch_one(self, engine: Engine) -> bool:
        """Fetch the next pending file; False when none waits."""
        table = MediaItem.__table__
        with engine.connect() as conn:
            row = conn.execute(select(table.c.msgid, table.c.sdkfileid, table.c.name, table.c.attempts)
                               .where(table.c.status == "pending").order_by(table.c.attempts, table.c.updated_at)
                               .limit(1)).first()
        if row is None:
            return False
        msgid, sdkfileid, name, attempts = row
        values: dict[str, Any] = {"updated_at": datetime.now(UTC), "attempts": attempts + 1}
        try:
            target = self.media_dir / msgid.replace("/", "_") / (Path(name).name or "file")
            target.parent.mkdir(parents=True, exist_ok=True)
            index, finished = "", False
            with target.open("wb") as out:
                while not finished:
                    data, index, finished = self.sdk.get_media_data(sdkfileid, index, self.timeout)
                    out.write(data)
            values.update(status="done", path=str(target), error="")
        except (RedlineError, OSError) as exc:
            values.update(status="failed" if attempts + 1 >= self.attempts else "pending", error=str(exc)[:2000])
        with engine.begin() as conn:
            conn.execute(update(MediaItem).where(MediaItem.msgid == msgid).values(**values))
        return True

    def run(self, engine: Engine, stop: threading.Event, idle: float = 1.0) -> None:
        """Fetch until stopped; waits `idle` seconds when the queue is empty."""
        while not stop.is_set():
            if not self.fetch_one(engine):
                stop.wait(idle)
