"""Redline (红线): leads, not verdicts, for the conduct rules of work messaging.

Python API: `redline.screen(texts)`, `redline.scan(bundle)` (the `redline.scan` package is
callable; `redline.scan_bundle` is the same function under a plain name).
"""

from __future__ import annotations

from redline import scan
from redline.api import scan_bundle, screen
from redline.release import __version__

__all__ = ["__version__", "scan", "scan_bundle", "screen"]
