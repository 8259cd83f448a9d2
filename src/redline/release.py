"""The release of Redline (one place, read by the package, the CLI and pack versions)."""

from __future__ import annotations

from typing import Final

VERSION: Final = "0.1.0"
__version__: Final = VERSION
