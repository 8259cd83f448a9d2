"""Settings, built once at the edge (CLI options, REDLINE_* environment) and passed down."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

DEFAULT_DB_URL = "sqlite:///redline.db"


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything configurable about one Redline process."""

    db_url: str = DEFAULT_DB_URL
    data_dir: Path = field(default_factory=lambda: Path("redline-data"))
    overrides_path: Path | None = None
    synonyms_path: Path | None = None  # the organisation's words for bundle vocabularies (REDLINE_SYNONYMS)
    secret_key: str = ""
    # the Ed25519 key that signs evidence packages (cases.signing); None: data_dir/signing.key
    signing_key_path: Path | None = None
    debug: bool = False

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: object) -> Settings:
        """Build settings from REDLINE_* variables, then explicit keyword overrides."""
        env = os.environ if env is None else env
        base = cls(
            db_url=env.get("REDLINE_DB", DEFAULT_DB_URL),
            data_dir=Path(env.get("REDLINE_DATA", "redline-data")),
            overrides_path=Path(env["REDLINE_OVERRIDES"]) if env.get("REDLINE_OVERRIDES") else None,
            synonyms_path=Path(env["REDLINE_SYNONYMS"]) if env.get("REDLINE_SYNONYMS") else None,
            secret_key=env.get("REDLINE_SECRET_KEY", ""),
            signing_key_path=Path(env["REDLINE_SIGNING_KEY"]) if env.get("REDLINE_SIGNING_KEY") else None,
            debug=env.get("REDLINE_DEBUG", "") not in ("", "0"),
        )
        given = {k: v for k, v in overrides.items() if v is not None}
        return replace(base, **given)  # type: ignore[arg-type]

    @property
    def signing_key_file(self) -> Path:
        """Where the instance's signing key lives (created there on first use, mode 0600)."""
        return self.signing_key_path or self.data_dir / "signing.key"
