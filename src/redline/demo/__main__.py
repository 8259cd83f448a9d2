"""`python -m redline.demo [PATH]`: regenerate the committed planted.json (default demo/planted.json).

The planted cases do not depend on scale, so a small build gives the same file as the full one.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from redline.demo.builder import build_demo


def main(argv: list[str]) -> int:
    target = Path(argv[0]) if argv else Path("demo/planted.json")
    with tempfile.TemporaryDirectory() as tmp:
        result = build_demo(Path(tmp), scale=0.02)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(result.planted_path, target)
    sys.stdout.write(f"wrote {target}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
