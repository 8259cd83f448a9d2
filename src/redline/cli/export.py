"""`redline export BUNDLE --parquet OUT`: a bundle's tables (and the store's findings) as Parquet."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from redline.cli.common import DEFAULT_DB, DbOption
from redline.errors import ConfigError


def register(app: typer.Typer) -> None:
    """Add the command to the root app."""

    @app.command("export")
    def export(
        bundle: Annotated[Path, typer.Argument(help="Bundle folder or .zip")],
        parquet: Annotated[Path | None, typer.Option("--parquet", help="Folder for <table>.parquet files")] = None,
        findings: Annotated[bool, typer.Option("--findings", help="Also write the store's findings (from --db)")] = False,
        db: DbOption = DEFAULT_DB,
    ) -> None:
        """Export a bundle as Parquet (canonical columns; money in fen, times with time zone)."""
        from redline.bundle.parquet import export_parquet

        if parquet is None:
            raise ConfigError("say where to write: --parquet OUT")
        rows = export_parquet(bundle, parquet)
        if findings:
            rows["findings"] = _findings_parquet(db, parquet / "findings.parquet")
        for table, count in rows.items():
            print(f"{table:<12} {count:>10,} rows → {parquet / (table + '.parquet')}")


def _findings_parquet(db: str, path: Path) -> int:
    """The store's findings table as Parquet (every column; facts and related ids as JSON text)."""
    import orjson
    import pyarrow as pa
    import pyarrow.parquet as pq
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from redline.store.db import make_engine
    from redline.store.tables.findings import FindingRow

    columns = [c.name for c in FindingRow.__table__.columns]
    with Session(make_engine(db)) as session:
        rows = session.execute(select(*FindingRow.__table__.columns).order_by(FindingRow.id)).all()
    data = {name: [row[i] for row in rows] for i, name in enumerate(columns)}
    for name in ("facts", "related_ids"):
        data[name] = [orjson.dumps(v).decode() for v in data[name]]
    pq.write_table(pa.table(data), path, compression="zstd")
    return len(rows)
