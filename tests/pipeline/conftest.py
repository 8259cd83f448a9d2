"""Fixtures of the live pipeline tests: the compiled plan (once: compiling every pack takes seconds)."""

from __future__ import annotations

import pytest

from redline.rules.build import build_plan
from redline.rules.plan import ScanPlan


@pytest.fixture(scope="session")
def plan() -> ScanPlan:
    return build_plan("all").plan
