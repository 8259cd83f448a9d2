"""`redline users add` reads the password from stdin; the account can log in."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from redline.review.accounts import Actor, Role, authenticate
from redline.store.db import make_engine


def _redline(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "redline", *args], input=stdin, capture_output=True, text=True,
                          timeout=120, check=False)


def test_users_add_from_stdin(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'users.db'}"
    added = _redline("users", "add", "zhao", "--role", "investigator", "--password-stdin", "--db", url,
                     stdin="s3cret-enough\n")
    assert (added.returncode, added.stdout.strip()) == (0, "added zhao (investigator)")
    assert authenticate(make_engine(url), "zhao", "s3cret-enough") == Actor("zhao", Role.INVESTIGATOR)
    again = _redline("users", "add", "zhao", "--role", "admin", "--password-stdin", "--db", url, stdin="another-one\n")
    assert again.returncode == 2
    assert "already exists" in again.stderr
    no_stdin = _redline("users", "add", "qian", "--role", "admin", "--db", url)
    assert no_stdin.returncode == 2
