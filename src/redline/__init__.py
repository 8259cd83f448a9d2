"""Redline (红线): leads, not verdicts, for the conduct rules of work messaging."""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
