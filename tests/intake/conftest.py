"""Fixtures for the reporting portal's domain: a migrated store with one intake officer."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import Engine

from redline.intake.officers import add_officer
from redline.store.db import migrate

PASSPHRASE = "correct horse battery staple"


@pytest.fixture
def intake_db(tmp_path: Path) -> tuple[Engine, Path]:
    engine = migrate(f"sqlite:///{tmp_path / 'intake.db'}")
    add_officer(engine, "officer1", PASSPHRASE)
    return engine, tmp_path / "data"


@pytest.fixture
def passphrase() -> str:
    return PASSPHRASE


@pytest.fixture
def photo() -> bytes:
    return gps_photo()


def gps_photo() -> bytes:
    """A JPEG carrying camera make and GPS coordinates in its EXIF."""
    image = Image.new("RGB", (120, 90), (30, 120, 200))
    exif = image.getexif()
    exif[0x010F] = "RedlineTestCam"  # Make
    exif[0x8825] = {1: "N", 2: (39.0, 54.0, 27.0), 3: "E", 4: (116.0, 23.0, 5.0)}  # GPS IFD
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()
