"""What the watcher asks of a live source (a spool folder, the WeCom archive SDK)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from sqlalchemy import Engine

from redline.bundle import BundleRead


@dataclass(frozen=True, slots=True)
class Loaded:
    """One chunk loaded: its rows (for the concerns), how many messages and payments, and
    when its data reached the source (Unix time)."""

    bundle: BundleRead
    rows: int
    arrived: float


@dataclass(slots=True)
class Pulled:
    """What one pull of a source loaded, what failed, and what it warns of."""

    loaded: list[Loaded] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    more: bool = False  # the source holds more than one pull took: pull again without waiting


class Source(Protocol):
    """A live source: each pull loads what is new, each load committed with its position."""

    name: str

    def pull(self, engine: Engine) -> Pulled: ...
