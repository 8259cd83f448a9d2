"""Fixtures for the importers: the real sample exports in ../shared/samples (never copied)."""

from __future__ import annotations

from pathlib import Path

import pytest

SAMPLES = Path(__file__).resolve().parents[2].parent / "shared" / "samples"


@pytest.fixture(scope="session")
def samples() -> Path:
    if not SAMPLES.is_dir():
        pytest.skip(f"sample exports not found at {SAMPLES}")
    return SAMPLES
