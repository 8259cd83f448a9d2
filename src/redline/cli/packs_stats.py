"""`redline packs stats`: precision per rule and detector from reviewers' decisions."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from redline.cli.common import DEFAULT_DB, DbOption


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"


def register(packs_app: typer.Typer) -> None:
    """Add `redline packs stats` to the packs app."""

    @packs_app.command("stats")
    def stats_cmd(
        db: DbOption = DEFAULT_DB,
        as_json: Annotated[bool, typer.Option("--json", help="print one JSON object")] = False,
    ) -> None:
        """Per rule and detector: confirmed / dismissed / open, precision with a 95 % Wilson
        interval, alerts per 1,000 messages, weekly trend; the noisiest rules first."""
        from redline.review.precision import precision_stats
        from redline.store import make_engine

        stats = precision_stats(make_engine(db))
        if as_json:
            print(json.dumps(stats, ensure_ascii=False))
            return
        table = Table(title=f"precision per rule ({stats['messages']} messages)")
        for col in ("rule", "alerts", "confirmed", "dismissed", "open", "precision", "95 % interval",
                    "per 1,000 msgs", "top dismissal reason"):
            table.add_column(col, justify="left" if col in ("rule", "top dismissal reason") else "right")
        for r in stats["rules"]:
            low, high = r["precision_low"], r["precision_high"]
            top = r["top_dismissal_reasons"][0]["reason"] if r["top_dismissal_reasons"] else ""
            table.add_row(r["rule_id"], str(r["alerts"]), str(r["confirmed"]), str(r["dismissed"]), str(r["open"]),
                          _pct(r["precision"]), "-" if low is None else f"{_pct(low)}–{_pct(high)}",
                          "-" if r["per_1000_messages"] is None else f"{r['per_1000_messages']:.2f}", top)
        Console().print(table)
