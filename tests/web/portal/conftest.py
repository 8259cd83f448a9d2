"""Fixtures for the portal: the app in-process, and the real server on a loopback port."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import time
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from PIL import Image
from tests.web.serving import free_port as serving_free_port

from redline.intake.officers import add_officer
from redline.settings import Settings
from redline.store.db import migrate
from redline.web.portal.app import PortalConfig, create_portal_app
from redline.web.portal.guard import Limits

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

PASSPHRASE = "correct horse battery staple"


def gps_jpeg() -> bytes:
    image = Image.new("RGB", (320, 240), (200, 60, 40))
    exif = image.getexif()
    exif[0x010F] = "RedlineTestCam"
    exif[0x8825] = {1: "N", 2: (39.0, 54.0, 27.0), 3: "E", 4: (116.0, 23.0, 5.0)}
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


@pytest.fixture
def portal(tmp_path: Path) -> tuple[TestClient, object, Path]:
    url = f"sqlite:///{tmp_path / 'portal.db'}"
    engine = migrate(url)
    add_officer(engine, "officer1", PASSPHRASE)
    data = tmp_path / "data"
    app = create_portal_app(Settings(db_url=url), PortalConfig(
        data_dir=data, limits=Limits(submit_per_client="5/minute", guesses_per_client="4/hour")), engine)
    return TestClient(app), engine, data


SERVER_HOST = "127.0.0.2"  # clients come from 127.0.0.3, so their address is told apart from the server's


def free_port() -> int:
    return serving_free_port(SERVER_HOST)


@dataclass
class RunningPortal:
    url: str
    db_url: str
    data: Path
    log: Path
    folder: Path


@pytest.fixture
def portal_server(tmp_path: Path) -> Iterator[RunningPortal]:
    """`redline portal` as a user runs it (two worker processes), on a free loopback port, output captured."""
    db_url = f"sqlite:///{tmp_path / 'portal.db'}"
    add_officer(migrate(db_url), "officer1", PASSPHRASE)
    port = free_port()
    log = tmp_path / "server.log"
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "redline", "portal", "--db", db_url, "--data", str(tmp_path / "data"),
             "--host", SERVER_HOST, "--port", str(port), "--submit-limit", "1000/minute",
             "--workers", "2"], stdout=out, stderr=subprocess.STDOUT, env=env)
    url = f"http://{SERVER_HOST}:{port}"
    try:
        for _ in range(100):
            try:
                httpx.get(url + "/", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        else:
            pytest.fail(f"portal did not start: {log.read_text()}")
        yield RunningPortal(url, db_url, tmp_path / "data", log, tmp_path)
    finally:
        process.terminate()
        process.wait(timeout=10)
