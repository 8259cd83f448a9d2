"""A small demo county (scale 0.03), built once per test session and read back with read_bundle."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from redline.bundle import BundleRead, read_bundle
from redline.demo import DemoResult, build_demo

SMALL = 0.03


@dataclass(frozen=True)
class Small:
    result: DemoResult
    read: BundleRead

    @property
    def planted(self) -> dict[str, Any]:
        return self.result.planted

    def rows(self, table: str) -> list[dict[str, Any]]:
        return getattr(self.read.tables, table).to_pylist()

    def table(self, table: str) -> pa.Table:
        return getattr(self.read.tables, table)


@pytest.fixture(scope="session")
def small_demo(tmp_path_factory: pytest.TempPathFactory) -> Small:
    result = build_demo(Path(tmp_path_factory.mktemp("small-demo")), scale=SMALL)
    return Small(result, read_bundle(result.bundle_path))
