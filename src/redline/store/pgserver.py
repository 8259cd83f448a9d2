"""A throw-away PostgreSQL server (initdb + pg_ctl in a temp dir) for tests and benchmarks.

It listens on a free loopback port with its unix socket inside its own temp dir, trusts
local connections, and is removed by `stop()`. Run as root, the server runs as the
`postgres` OS user (PostgreSQL refuses to run as root); otherwise as the current user.
Nothing is installed: Debian's `postgresql` package provides the binaries.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from redline.errors import ConfigError

PG_ROOT = Path("/usr/lib/postgresql")
USER = "redline"


def find_bin_dir() -> Path | None:
    """The newest PostgreSQL bin dir with initdb and pg_ctl, or None."""
    if not PG_ROOT.is_dir():
        return None
    candidates = [p / "bin" for p in PG_ROOT.iterdir() if (p / "bin" / "initdb").exists() and (p / "bin" / "pg_ctl").exists()]
    return max(candidates, key=lambda p: float(p.parent.name) if p.parent.name.replace(".", "").isdigit() else 0.0, default=None)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass(slots=True)
class PgServer:
    """A running throw-away server; `url()` gives SQLAlchemy-ready URLs."""

    root: Path
    bin_dir: Path
    port: int
    run_as: str | None  # OS user the server runs as (None: the current user)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://{USER}@127.0.0.1:{self.port}/{database}"

    def _run(self, *args: str) -> subprocess.CompletedProcess[str]:
        command = list(args)
        if self.run_as:
            command = ["runuser", "-u", self.run_as, "--", *command]
        return subprocess.run(command, capture_output=True, text=True, check=False, timeout=120)  # noqa: S603

    def create_database(self, name: str) -> str:
        """CREATE DATABASE `name` (a fresh, empty database); returns its URL."""
        import psycopg

        if not name.replace("_", "").isalnum():
            raise ConfigError(f"bad database name '{name}'")
        with psycopg.connect(host="127.0.0.1", port=self.port, user=USER, dbname="postgres", autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def cpu_seconds(self) -> float:
        """CPU time used so far by the server's processes (postmaster, reaped and live children).

        Benchmarks subtract two readings to see the server's share of a load (Linux /proc).
        """
        tick = os.sysconf("SC_CLK_TCK")
        postmaster = int((self.root / "data" / "postmaster.pid").read_text().split()[0])
        total = 0
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue  # the process ended while we looked
            pid, ppid = int(stat.parent.name), int(fields[1])
            if pid == postmaster:
                total += sum(int(v) for v in fields[11:15])  # utime, stime, cutime, cstime
            elif ppid == postmaster:
                total += int(fields[11]) + int(fields[12])
        return total / tick

    def stop(self) -> None:
        """Stop the server at once and delete its files."""
        self._run(str(self.bin_dir / "pg_ctl"), "-D", str(self.root / "data"), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.root, ignore_errors=True)


def start_server(*, durable: bool = False, attempts: int = 3) -> PgServer:
    """initdb and start a server on a free loopback port; raises ConfigError if impossible.

    `durable=False` turns fsync off (tests); benchmarks pass True to measure honest commits.
    """
    bin_dir = find_bin_dir()
    if bin_dir is None:
        raise ConfigError(f"PostgreSQL binaries not found under {PG_ROOT} (Debian package 'postgresql')")
    run_as = None
    root = Path(tempfile.mkdtemp(prefix="redline-pg-"))
    if os.geteuid() == 0:
        run_as = "postgres"
        entry = pwd.getpwnam(run_as)
        os.chown(root, entry.pw_uid, entry.pw_gid)
    server = PgServer(root, bin_dir, 0, run_as)
    done = server._run(str(bin_dir / "initdb"), "-D", str(root / "data"), "-U", USER, "-A", "trust",
                       "-E", "UTF8", "--locale=C.UTF-8", "--no-sync")
    if done.returncode != 0:
        shutil.rmtree(root, ignore_errors=True)
        raise ConfigError(f"initdb failed: {done.stderr.strip() or done.stdout.strip()}")
    # Room for many engines: a test suite rarely disposes every pool before the server stops.
    options = f"-c listen_addresses=127.0.0.1 -c unix_socket_directories={root} -c max_connections=200"
    if not durable:
        options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    for _ in range(attempts):  # another process may take the port between probe and start
        server.port = _free_port()
        started = server._run(str(bin_dir / "pg_ctl"), "-D", str(root / "data"), "-l", str(root / "log"),
                              "-o", f"-p {server.port} {options}", "-w", "-t", "60", "start")
        if started.returncode == 0:
            return server
    log = (root / "log").read_text(errors="replace")[-2000:] if (root / "log").exists() else ""
    shutil.rmtree(root, ignore_errors=True)
    raise ConfigError(f"pg_ctl start failed: {started.stderr.strip()} {log}")
