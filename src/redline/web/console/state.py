"""The console's per-process state: engine, keys, session codec, throttle, masker cache."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any, Final, TypeVar

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from redline.review.alerts import filter_options
from redline.review.identity import load_masker
from redline.review.keys import console_key
from redline.review.pseudonyms import Masker
from redline.settings import Settings
from redline.web.common.security import LoginThrottle, SessionCodec

HERE: Final = Path(__file__).parent
LOCALE_DIR: Final = HERE / "locale"
MASKER_TTL: Final = 60.0  # seconds; imports call refresh_masker() at once
OPTIONS_TTL: Final = 300.0
T = TypeVar("T")


@dataclass
class Console:
    """Built once by create_console_app and reached through request.app.state.console."""

    settings: Settings
    engine: Engine
    codec: SessionCodec
    pseudonym_key: bytes
    throttle: LoginThrottle = field(default_factory=LoginThrottle)
    _masker: Masker | None = None
    _masker_at: float = 0.0
    _options: dict[str, list[str]] | None = None
    _options_at: float = 0.0
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _cache: dict[str, tuple[float, Any]] = field(default_factory=dict)

    @classmethod
    def build(cls, settings: Settings, engine: Engine) -> Console:
        session_key = settings.secret_key.encode() if settings.secret_key else console_key(engine, "session")
        return cls(
            settings=settings, engine=engine,
            codec=SessionCodec(session_key, "redline.console"),
            pseudonym_key=console_key(engine, "pseudonym"),
        )

    @property
    def cookie_secure(self) -> bool:
        return self.settings.cookie_secure

    @property
    def idle(self) -> timedelta:
        """How long an unused console session lives."""
        return timedelta(minutes=self.settings.session_idle_minutes)

    def masker(self) -> Masker:
        """The organisation's masker, rebuilt at most once a minute."""
        now = time.monotonic()
        with self._lock:
            if self._masker is None or now - self._masker_at > MASKER_TTL:
                self._masker = load_masker(self.engine, self.pseudonym_key)
                self._masker_at = now
            return self._masker

    def refresh_masker(self) -> None:
        with self._lock:
            self._masker = None
            self._options = None

    def cached(self, name: str, ttl: float, compute: Callable[[], T]) -> T:
        """`compute()` at most once per `ttl` seconds (dashboards: GROUP BY over a million rows)."""
        now = time.monotonic()
        hit = self._cache.get(name)
        if hit is not None and now - hit[0] <= ttl:
            return hit[1]  # type: ignore[no-any-return]
        value = compute()
        with self._lock:
            self._cache[name] = (now, value)
        return value

    def forget(self, name: str) -> None:
        with self._lock:
            self._cache.pop(name, None)

    def filter_options(self) -> dict[str, list[str]]:
        """Values for the queue's select boxes, cached: DISTINCT over a million alerts is not free."""
        now = time.monotonic()
        if self._options is None or now - self._options_at > OPTIONS_TTL:
            with Session(self.engine) as session:
                options = filter_options(session)
            with self._lock:
                self._options, self._options_at = options, now
        return self._options
