"""Building a plan from command-line style inputs: `--packs all`, `--overrides FILE`.

One place for what every entry point does (screen, scan, packs, payments, groups):
resolve packs, load with overrides (errors collected), then compile.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from redline.errors import PackError
from redline.rules.compile import compile_plan
from redline.rules.load import LoadResult, PackSet, Registry, load_packs, resolve_pack_paths
from redline.rules.plan import ScanPlan

EXAMPLE_OVERRIDES: Final = Path(__file__).resolve().parent.parent / "packs" / "overrides" / "examples.yaml"


@dataclass(frozen=True, slots=True)
class Built:
    """A loaded pack set and the plan compiled from it."""

    packset: PackSet
    plan: ScanPlan


def load(
    packs: str | Sequence[str | Path] = "all",
    overrides: Path | str | None = None,
    *,
    with_example_terms: bool = False,
    registry: Registry | None = None,
) -> LoadResult:
    """Load packs; `with_example_terms` layers the placeholder terms of the packs' examples."""
    layers: list[Path | str] = [overrides] if overrides else []
    if with_example_terms:
        layers.append(EXAMPLE_OVERRIDES)
    return load_packs(resolve_pack_paths(packs), layers, registry=registry)


def build_plan(
    packs: str | Sequence[str | Path] = "all",
    overrides: Path | str | None = None,
    *,
    with_example_terms: bool = False,
    registry: Registry | None = None,
    cache_dir: Path | None = None,
) -> Built:
    """Load and compile; the first load error (with the count of others) raises PackError."""
    result = load(packs, overrides, with_example_terms=with_example_terms, registry=registry)
    packset = result.raise_on_error()
    return Built(packset, compile_plan(packset, registry=registry, cache_dir=cache_dir))


def errors_of(result: LoadResult) -> list[PackError]:
    """All load errors, in the order met."""
    return list(result.errors)
