"""Options shared by every command (`--db`) and settings built from them."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:
    from sqlalchemy import Engine

    # a type only: importing redline.bundle at run time pulls duckdb and pyarrow (~1 s of
    # process start) into every command, `redline screen` included
    from redline.bundle.quarantine import QuarantineRecord
from redline.settings import DEFAULT_DATA_DIR, DEFAULT_DB_URL, Settings

DbOption = Annotated[
    str,
    typer.Option("--db", envvar="REDLINE_DB", help="Database URL: sqlite:///redline.db or postgresql://user@host/db"),
]
DEFAULT_DB = DEFAULT_DB_URL
# one data folder for the portal (writes sealed uploads) and the console (reads them on the
# intake page): `redline portal --data X` and `redline serve --data X` must name the same X
DataOption = Annotated[Path, typer.Option(
    "--data", envvar="REDLINE_DATA",
    help="Data folder shared by `redline portal` and `redline serve`: sealed report uploads live under it "
         "(ciphertext only). Give both the same folder.")]
DEFAULT_DATA = Path(DEFAULT_DATA_DIR)


def settings_for(db: str, **extra: Any) -> Settings:
    """Settings for one CLI invocation: environment first, then the flags given."""
    return Settings.from_env(db_url=db, **extra)


StrictOption = Annotated[bool, typer.Option("--strict", help="fail (exit 2) if any row of the bundle was rejected")]


def rejected_summary(quarantined: Sequence[QuarantineRecord]) -> str:
    """One line that says how many bundle rows were rejected, per file, with the commonest reasons."""
    if not quarantined:
        return "bundle rows rejected: 0"
    files = Counter(q.file.rsplit("/", 1)[-1] for q in quarantined)
    reasons = Counter(f"{q.field}: {q.reason.split(' is not one of')[0].split(':')[0]}" if q.field else q.reason[:60]
                      for q in quarantined)
    top = "; ".join(f"{reason} ×{n}" for reason, n in reasons.most_common(3))
    per_file = ", ".join(f"{name} {n}" for name, n in sorted(files.items()))
    return f"bundle rows rejected: {len(quarantined)} ({per_file}) — {top}"
def audited_store(db: str) -> Engine:
    """The migrated store of `db`; its audit entries also go to REDLINE_AUDIT_ANCHOR when set."""
    from redline.review import audit_log
    from redline.store.db import migrate

    settings = settings_for(db)
    engine = migrate(settings.db_url)
    audit_log.anchor_to(engine, settings.audit_anchor)
    return engine
