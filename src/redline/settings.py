"""Settings, built once at the edge (CLI options, REDLINE_* environment) and passed down.

This is the only module that reads the environment: web apps in uvicorn's factory mode
(`--workers N`) get their settings from `Settings.from_env()` and `to_env()` writes them.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from redline.errors import ConfigError

DEFAULT_DB_URL = "sqlite:///redline.db"
DEFAULT_DATA_DIR = "redline-data"

# field → environment variable; `to_env` and `from_env` read the same table
_ENV: dict[str, str] = {
    "db_url": "REDLINE_DB", "data_dir": "REDLINE_DATA", "overrides_path": "REDLINE_OVERRIDES",
    "secret_key": "REDLINE_SECRET_KEY", "debug": "REDLINE_DEBUG", "cookie_secure": "REDLINE_SECURE_COOKIES",
    "session_idle_minutes": "REDLINE_SESSION_IDLE_MINUTES", "forwarded_allow_ips": "REDLINE_FORWARDED_ALLOW_IPS",
    "audit_anchor": "REDLINE_AUDIT_ANCHOR", "synonyms_path": "REDLINE_SYNONYMS",
    "signing_key_path": "REDLINE_SIGNING_KEY", "letter_template_path": "REDLINE_LETTER_TEMPLATE",
}


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything configurable about one Redline process."""

    db_url: str = DEFAULT_DB_URL
    # sealed portal uploads: the portal writes here and the console's intake page reads here
    data_dir: Path = field(default_factory=lambda: Path(DEFAULT_DATA_DIR))
    overrides_path: Path | None = None
    synonyms_path: Path | None = None  # the organisation's words for bundle vocabularies (REDLINE_SYNONYMS)
    secret_key: str = ""
    # the Ed25519 key that signs evidence packages (cases.signing); None: data_dir/signing.key
    signing_key_path: Path | None = None
    debug: bool = False
    cookie_secure: bool = False  # mark cookies Secure: behind an HTTPS proxy
    session_idle_minutes: int = 30  # a console session unused this long ends
    # addresses whose X-Forwarded-For / X-Forwarded-Proto are believed ("" = none: no proxy)
    forwarded_allow_ips: str = ""
    # the append-only file that audit checkpoints go to ("" = none: only the database chain)
    audit_anchor: Path | None = None
    # the organisation's 谈话函询 letter template (.docx with {{placeholders}}); None: the shipped one
    letter_template_path: Path | None = None

    def __post_init__(self) -> None:
        if not 1 <= self.session_idle_minutes <= 24 * 60:
            raise ConfigError(f"session idle timeout of {self.session_idle_minutes} minutes: give 1 to 1440")

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
        """Build settings from REDLINE_* variables, then explicit keyword overrides."""
        env = os.environ if env is None else env
        values: dict[str, Any] = {}
        for f in fields(cls):
            raw = env.get(_ENV.get(f.name, ""), "")
            if raw == "":
                continue
            if f.name in ("data_dir", "overrides_path", "synonyms_path", "audit_anchor", "signing_key_path",
                          "letter_template_path"):
                values[f.name] = Path(raw)
            elif f.name in ("debug", "cookie_secure"):
                values[f.name] = raw not in ("0", "false", "no")
            elif f.name == "session_idle_minutes":
                try:
                    values[f.name] = int(raw)
                except ValueError as exc:
                    raise ConfigError(f"REDLINE_SESSION_IDLE_MINUTES={raw!r} is not a number of minutes (session idle timeout)") from exc
            else:
                values[f.name] = raw
        given = {k: v for k, v in overrides.items() if v is not None}
        return replace(cls(**values), **given)

    def to_env(self) -> dict[str, str]:
        """The REDLINE_* variables that make `from_env` build these settings again (worker processes)."""
        out: dict[str, str] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name not in _ENV or value is None:
                continue
            out[_ENV[f.name]] = ("1" if value else "0") if isinstance(value, bool) else str(value)
        return out

    @property
    def signing_key_file(self) -> Path:
        """Where the instance's signing key lives (created there on first use, mode 0600)."""
        return self.signing_key_path or self.data_dir / "signing.key"
