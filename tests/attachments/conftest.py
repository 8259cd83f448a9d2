"""The CJK font the rendered specimens need (redline.attachments.specimens)."""

from __future__ import annotations

from pathlib import Path

import pytest

from redline.attachments.specimens import FONT


@pytest.fixture(scope="session")
def font_path() -> Path:
    if not FONT.exists():
        pytest.skip("fonts-wqy-microhei is not installed (make test installs it)")
    return FONT
