"""Redline scan package: the batch engine that executes a compiled plan (`redline.rules.plan`), findings and reasons.

`redline.scan` is also callable, as DESIGN.md promises (`redline.scan(bundle, packs=...)`):
a package and a function cannot share the name, so the package's module object forwards a
call to `redline.api.scan_bundle`.
"""

from __future__ import annotations

import sys
import types
from pathlib import Path
from typing import Any


class _CallablePackage(types.ModuleType):
    def __call__(self, bundle: Path | str, **options: Any) -> Any:
        from redline.api import scan_bundle

        return scan_bundle(bundle, **options)


sys.modules[__name__].__class__ = _CallablePackage
