"""Rule packs: load (YAML + lexicons + organisation overrides) → check → compile to a ScanPlan."""

from __future__ import annotations

from redline.rules.build import Built, build_plan
from redline.rules.compile import compile_plan
from redline.rules.coverage import CoverageRow, coverage
from redline.rules.examples import ExamplesReport, run_examples
from redline.rules.load import (
    LoadResult,
    PackSet,
    Registry,
    load_packs,
    resolve_pack_paths,
    shipped_pack_paths,
)

__all__ = [
    "Built",
    "CoverageRow",
    "ExamplesReport",
    "LoadResult",
    "PackSet",
    "Registry",
    "build_plan",
    "compile_plan",
    "coverage",
    "load_packs",
    "resolve_pack_paths",
    "run_examples",
    "shipped_pack_paths",
]
