"""With CI=true a skip for a missing PostgreSQL, Chromium or Java fails; other skips stay skips."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PROBE = '''
import pytest

def test_needs_postgres():
    pytest.skip("PostgreSQL binaries absent (/usr/lib/postgresql/*/bin)")

@pytest.mark.skipif(True, reason="no Java runtime for Spark")
def test_needs_java():
    pass

def test_optional():
    pytest.skip("shared datasets absent")
'''


@pytest.mark.parametrize(("ci", "failed", "skipped"), [("true", 2, 1), ("", 0, 3)], ids=["ci", "local"])
def test_missing_parts_fail_only_in_ci(tmp_path: Path, ci: str, failed: int, skipped: int) -> None:
    tests = tmp_path / "tests"
    tests.mkdir()
    shutil.copy(REPO / "tests" / "conftest.py", tests / "conftest.py")
    (tests / "test_probe.py").write_text(PROBE, encoding="utf-8")
    env = {**os.environ, "CI": ci, "PYTHONPATH": str(REPO / "src")}
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:randomly", str(tests)],
                         cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120, check=False)
    summary = run.stdout.strip().splitlines()[-1]
    counts = {word: int(n) for n, word in re.findall(r"(\d+) (failed|errors?|skipped)", summary)}
    # a skip raised in setup (a skipif mark, a fixture) becomes an error, one in the test a failure
    assert counts.get("failed", 0) + counts.get("error", 0) + counts.get("errors", 0) == failed, run.stdout
    assert counts.get("skipped", 0) == skipped, run.stdout
