"""The demo organisation: a deterministic county with ordinary work chat and payments, and planted cases.

`build_demo(out_dir, seed=2017, scale=1.0)` writes a canonical bundle and its planted.json.
"""

from __future__ import annotations

from redline.demo.builder import DemoResult, build_demo

__all__ = ["DemoResult", "build_demo"]
