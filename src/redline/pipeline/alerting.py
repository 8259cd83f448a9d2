"""Grouping new findings into alerts, one builder at a time.

`review.alerts.build_alerts` is one INSERT … SELECT guarded by a watermark; two builders at
once (the console's refresh thread, an import, one or two watchers) would both see the same
findings as new. The alerts' unique (subject, subject_id) turns that into an error rather than
a duplicate; here it becomes a wait: a PostgreSQL advisory lock across processes, a lock
within the process, and a retry when SQLite reports the database busy.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Final

from sqlalchemy import Engine, text
from sqlalchemy.exc import IntegrityError, OperationalError

from redline.review.alerts import build_alerts

LOCK_KEY: Final = 0x5245_444C  # "REDL": the advisory lock every alert builder takes
ATTEMPTS: Final = 6
_LOCAL = threading.Lock()


@contextmanager
def _exclusive(engine: Engine) -> Iterator[None]:
    with _LOCAL:
        if engine.dialect.name != "postgresql":
            yield
            return
        with engine.connect() as conn:
            conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": LOCK_KEY})
            conn.commit()
            try:
                yield
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": LOCK_KEY})
                conn.commit()


def refresh_alerts(engine: Engine) -> int:
    """`build_alerts` under the builders' lock; returns how many alerts were created."""
    for attempt in range(ATTEMPTS):
        try:
            with _exclusive(engine):
                return build_alerts(engine)
        except (IntegrityError, OperationalError):
            # another process built the same alerts first (or held SQLite's write lock)
            if attempt == ATTEMPTS - 1:
                raise
            time.sleep(0.1 * 2**attempt)
    return 0
