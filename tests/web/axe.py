"""axe-core in the browser tests: the accessibility rules a page breaks, serious and critical only.

axe.min.js comes from the npm registry at build time (`make assets`, src/redline/web/assets.mk)
into build/vendor; the console never serves it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Final

import pytest

AXE: Final = Path(__file__).resolve().parents[2] / "build/vendor/axe.min.js"
BLOCKING: Final = ("serious", "critical")


def violations(page: Any) -> list[str]:
    """'rule-id: target, …' for each serious or critical violation on the page as it is now."""
    if not AXE.exists():
        pytest.fail("build/vendor/axe.min.js is missing: run `make assets` (it installs axe-core from npm)")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [f"{v['id']}: {', '.join(str(n['target']) for n in v['nodes'][:3])}"
            for v in result["violations"] if v.get("impact") in BLOCKING]
