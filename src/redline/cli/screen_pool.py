"""`redline screen --jobs N`: the input's chunks screened by N forked worker processes.

The parent loads the plan once, warms it (the lazy tables a first batch builds), then forks
the workers, which inherit it: no worker reloads packs or models. The parent only reads raw
chunks of BATCH whole lines (no parsing), hands each to the pool with its first line number,
and writes each chunk's output bytes in input order; each worker parses, screens and
serialises its chunk with the very function `--jobs 1` uses (`screen.screen_chunk`), so the
output is byte for byte the same for any N. Bad lines are collected by the workers and
reported by the parent, in input order, as one process would print them.

The workers are forked before the progress bar starts its refresh thread: a fork copies only
the forking thread, and a lock that another thread held at that moment would stay locked in
the child forever. Ctrl-C, a worker's error and a worker that dies stop the pool and end the
command with a message (the workers ignore SIGINT: the parent alone decides).
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from multiprocessing.context import BaseContext
from typing import Final

from redline.cli.screen import BadLines, Chunk, screen_chunk
from redline.errors import RedlineError
from redline.rules.plan import ScanPlan

# A smaller input is screened in the parent: it holds at most a few batches, and forking the
# workers would cost more than they save. Tests set it to 0 to run the pool on small files.
POOL_MIN_BYTES = 1 << 20
IN_FLIGHT_PER_JOB: Final = 2  # chunks handed out per worker: one running, one waiting

Result = tuple[bytes, int, int, int, list[str]]  # output, messages, findings, bad lines, first bad lines shown


@dataclass(slots=True)
class _Inherited:
    """What a forked worker inherits from the parent (set just before the fork; never pickled)."""

    plan: ScanPlan | None = None
    path: str = ""


_INHERITED: Final = _Inherited()


def usable_cores() -> int:
    """The cores this process may run on (its affinity mask, not the machine's count)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # no affinity call on this platform
        return os.cpu_count() or 1


def fork_context() -> BaseContext | None:
    """The fork start method, or None where the platform has none (then one job)."""
    try:
        return multiprocessing.get_context("fork")
    except ValueError:
        return None


_PR_SET_PDEATHSIG: Final = 1  # linux/prctl.h


def _start_worker(parent: int) -> None:
    # Ctrl-C reaches the whole process group; the parent alone decides, and stops the workers
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _die_with(parent)


def _die_with(parent: int) -> None:
    """Linux: the kernel kills this worker when its parent dies (SIGKILL, a crash). A worker
    whose parent is gone would wait for chunks for ever, holding its stdout and stderr open."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # not Linux: the parent's normal exit still ends the workers
        return
    if os.getppid() != parent:  # the parent died before the call above
        os._exit(1)


def _work(chunk: Chunk) -> Result:
    plan = _INHERITED.plan
    if plan is None:
        raise RuntimeError("a screen worker started without the parent's plan (not forked?)")
    bad = BadLines(_INHERITED.path, echo=False)
    out, n_msgs, n_findings = screen_chunk(plan, chunk, bad)
    return out, n_msgs, n_findings, bad.count, bad.shown


class ScreenPool:
    """N forked workers that screen chunks; `run` writes their output in input order."""

    def __init__(self, plan: ScanPlan, path: str, jobs: int, context: BaseContext) -> None:
        from redline.scan.engine import scan_batch_records

        scan_batch_records(plan, ["预热 warm-up"], ["-"])  # lazy tables built once, here, not per worker
        _INHERITED.plan, _INHERITED.path = plan, path
        self.jobs = jobs
        self._pool = ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=_start_worker,
                                         initargs=(os.getpid(),))
        # with fork, the executor starts every worker at its first task: do it now, before
        # any other thread (the progress bar's) exists
        self._pool.submit(int).result()

    def run(self, chunks: Iterable[Chunk], bad: BadLines, write: Callable[[bytes], object]) -> tuple[int, int]:
        """Screen every chunk; (messages, findings). Output and bad lines in input order."""
        inflight: deque[tuple[int, Future[Result]]] = deque()
        n_msgs = n_findings = 0

        def drain_one() -> None:
            nonlocal n_msgs, n_findings
            first_line, future = inflight.popleft()
            try:
                out, msgs, findings, bad_count, bad_shown = future.result()
            except BrokenProcessPool as exc:
                raise RedlineError(
                    f"a screening worker process died (killed, or out of memory?) on the lines from {first_line}; "
                    f"the output holds the findings of the lines before them only") from exc
            bad.merge(bad_count, bad_shown)
            write(out)
            n_msgs += msgs
            n_findings += findings

        for chunk in chunks:
            inflight.append((chunk[2], self._pool.submit(_work, chunk)))
            if len(inflight) >= self.jobs * IN_FLIGHT_PER_JOB:
                drain_one()
        while inflight:
            drain_one()
        return n_msgs, n_findings

    def close(self) -> None:
        """Wait for the workers to exit (after a normal run)."""
        self._pool.shutdown(wait=True)
        _INHERITED.plan = None

    def stop(self) -> None:
        """End the pool early (Ctrl-C, a failed chunk, a closed output pipe): chunks not yet
        started are dropped; the few a worker has already taken (at most two per worker, a
        fraction of a second) are finished, and their output discarded.

        The workers are not killed mid-chunk on purpose: a worker killed while it writes its
        result to the pipe leaves half a message there, and the executor's reader thread then
        waits for the rest forever (the command hangs at exit). A worker that dies by itself
        is the executor's to clean up (BrokenProcessPool, above)."""
        self._pool.shutdown(wait=True, cancel_futures=True)
        _INHERITED.plan = None


def open_pool(plan: ScanPlan, path: str, jobs: int, input_bytes: int) -> ScreenPool | None:
    """A pool of `jobs` workers, or None when one process screens (one job, no fork, a small input)."""
    if jobs <= 1 or input_bytes < POOL_MIN_BYTES:
        return None
    context = fork_context()
    if context is None:
        return None
    return ScreenPool(plan, path, jobs, context)
