"""`redline screen --jobs N`: the same bytes as one process, and a clean end on Ctrl-C or a dead worker.

Every test runs the real plan (packs `all`, the shipped models) in forked workers: a detector
that did not survive the fork (hyperscan scratch, a model's session, a thread pool) would hang
or fail here.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from tests.cli.run import run_cli as run_shared

import redline.cli.screen as screen
import redline.cli.screen_pool as screen_pool
from redline.cli import main

# texts that draw findings from many detectors (gifts, pii, secrets, rumours, promotion, off-topic)
TEXTS = [
    "王老板发来一个红包:节日快乐,以后多关照", "明天上午九点召开全体干部大会", "這是內部資料，不 得 外 傳",
    "他的身份证是440304198506151237", "网传明天停水，速转", "正品代购，私聊下单", "有没有人知道哪家的奶茶好喝，推荐一下",
    "", "\x00\x07控制字符", "今晚一起打麻将，一把五百", "领导辛苦了，您英明", "a" * 50,
]
BAD = ["", " ", "{not json", "[1]", '{"id": "x"}', '{"id": "y", "text": 5}', '{"id": "z", "text": "x", "group_type": 3}',
       '{"text": "没有编号"}', "\xff"]
WHERE = [{}, {"group_type": "工作群"}, {"group_type": "家庭群"}, {"conversation": "dm:a|b"}, {"conversation": "weibo:1"},
         {"group_type": "专项工作群", "conversation": "g1"}]
_SECONDS = re.compile(r" in \d+\.\d s:")


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code, _, err = run_shared(capsys, *args)
    return code, _SECONDS.sub(" in _ s:", err)  # the only part of stderr that may differ


def _body(lines: list[str], final_newline: bool) -> bytes:
    return "\n".join(lines).encode("utf-8", "surrogateescape") + (b"\n" if final_newline else b"")


def _line(k: int, text: str, where: dict[str, str]) -> str:
    return json.dumps({"id": f"m{k}", "text": text, **where}, ensure_ascii=False)


def _screen_both(capsys: pytest.CaptureFixture[str], tmp_path: Path, body: bytes, jobs: int) -> None:
    """Screen `body` with one job and with `jobs`; output bytes, exit code and stderr must be equal."""
    src = tmp_path / "in.jsonl"
    src.write_bytes(body)
    results = []
    for j in (1, jobs):
        out = tmp_path / f"out{j}.jsonl"
        code, err = run_cli(capsys, "screen", "--packs", "all", "-i", str(src), "-o", str(out), "--jobs", str(j))
        results.append((code, out.read_bytes(), err))
    assert results[0][0] == 0, results[0][2]
    assert results[1] == results[0]


@pytest.fixture
def pool_always(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(screen_pool, "POOL_MIN_BYTES", 0)  # small files through the pool too


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=st.lists(st.one_of(
    st.builds(_line, st.integers(0, 999), st.sampled_from(TEXTS), st.sampled_from(WHERE)),
    st.sampled_from(BAD)), max_size=40), final_newline=st.booleans(), batch=st.integers(1, 7), jobs=st.integers(2, 3))
def test_any_input_screens_to_the_same_bytes_with_more_jobs(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pool_always: None,
    lines: list[str], final_newline: bool, batch: int, jobs: int,
) -> None:
    monkeypatch.setattr(screen, "BATCH", batch)  # many small batches; the workers inherit it
    _screen_both(capsys, tmp_path, _body(lines, final_newline), jobs)


@pytest.mark.parametrize(("n_lines", "final_newline"), [
    (10, True),  # less than one batch
    (4096, True),  # exactly one
    (3 * 4096 + 17, False),  # several, the last line without its newline
])
def test_real_batches_screen_to_the_same_bytes(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, pool_always: None, n_lines: int, final_newline: bool,
) -> None:
    lines = []
    for k in range(n_lines):
        if k % 97 == 5:
            lines.append(BAD[k % len(BAD)])  # more than the 20 bad lines shown, spread over the batches
        else:
            lines.append(_line(k, f"{TEXTS[k % len(TEXTS)]}{k}", WHERE[k % len(WHERE)] if k % 3 else {}))
    _screen_both(capsys, tmp_path, _body(lines, final_newline), 2)


def test_a_small_input_is_screened_without_forking(tmp_path: Path) -> None:
    from redline.cli.packs import load_text_plan

    assert screen_pool.open_pool(load_text_plan("all", None), "in.jsonl", 4, 1000) is None
    assert screen_pool.open_pool(load_text_plan("all", None), "in.jsonl", 1, 10 << 20) is None


def test_bad_jobs_is_a_usage_error(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_bytes(_body([_line(1, "你好", {})], True))
    code, err = run_cli(capsys, "screen", "-i", str(src), "--jobs", "0")
    assert code == 2
    assert "--jobs must be at least 1" in err


def test_help_explains_jobs(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "1000")  # one help line per option, not wrapped inside a box
    with contextlib.suppress(SystemExit):  # --help exits
        main(["screen", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert "--jobs" in out
    assert "byte for byte" in out


def _boom_on(marker: str, action: str) -> object:
    """A screen that fails (raises, or kills its own process) on a batch holding `marker`:
    the fault is injected; the pool, the fork and the real plan around it are not."""
    real = screen.screen_chunk

    def screen_chunk(plan: object, chunk: tuple[bytes, int, int], bad: screen.BadLines) -> tuple[bytes, int, int]:
        if marker.encode() in chunk[0]:
            if action == "kill":
                os.kill(os.getpid(), signal.SIGKILL)
            raise ValueError(f"detector broke on {marker}")
        return real(plan, chunk, bad)  # type: ignore[arg-type]

    return screen_chunk


@pytest.mark.parametrize(("action", "code", "message"), [
    ("raise", 1, "redline: error: ValueError: detector broke on BOOM"),  # as one job says it
    ("kill", 2, "a screening worker process died"),
])
def test_a_failing_worker_ends_the_command_with_a_message(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pool_always: None,
    action: str, code: int, message: str,
) -> None:
    import multiprocessing

    monkeypatch.setattr(screen, "BATCH", 2)
    monkeypatch.setattr(screen_pool, "screen_chunk", _boom_on("BOOM", action))
    src = tmp_path / "in.jsonl"
    src.write_bytes(_body([_line(k, "BOOM" if k == 7 else TEXTS[k % len(TEXTS)], {}) for k in range(30)], True))
    started = time.monotonic()
    got, err = run_cli(capsys, "screen", "-i", str(src), "-o", str(tmp_path / "out.jsonl"), "--jobs", "2")
    assert (got, message in err) == (code, True), err
    assert time.monotonic() - started < 60
    assert multiprocessing.active_children() == []  # no worker left behind


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads the process table from /proc")
def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_ctrl_c_stops_the_workers_and_the_command(tmp_path: Path) -> None:
    src, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    # a few seconds of work in chunks of a few dozen ms (the workers finish the chunks they hold)
    src.write_bytes(_body([_line(k, TEXTS[k % len(TEXTS)] * 2, {}) for k in range(300_000)], True))
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    # a terminal's default SIGINT: a pytest-xdist worker ignores SIGINT, a child would inherit
    # that, and Python then never turns Ctrl-C into KeyboardInterrupt (the command ran on to 0)
    proc = subprocess.Popen([sys.executable, "-m", "redline", "screen", "-i", str(src), "-o", str(out), "--jobs", "2"],
                            env=env, stderr=subprocess.PIPE, start_new_session=True,
                            preexec_fn=_default_sigint)
    deadline = time.monotonic() + 120
    while (not out.exists() or out.stat().st_size == 0) and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)  # the workers are screening once findings come out
    workers = _children(proc.pid)
    assert proc.poll() is None, "the screen ended before it could be interrupted"
    assert len(workers) >= 2
    os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C in a terminal does: the whole group
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert b"redline: aborted" in err
    time.sleep(0.5)
    assert [w for w in workers if _alive(w)] == []


def test_the_progress_bar_runs_beside_the_workers(tmp_path: Path) -> None:
    """With the bar on (its refresh thread running), the forked workers neither hang nor change the output."""
    src = tmp_path / "in.jsonl"
    src.write_bytes(_body([_line(k, TEXTS[k % len(TEXTS)] * 3, WHERE[k % len(WHERE)]) for k in range(12_000)], True))
    assert src.stat().st_size >= screen_pool.POOL_MIN_BYTES  # through the pool, as a user's file goes
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path), "TTY_COMPATIBLE": "1"}  # rich: draw the bar
    outputs = []
    for jobs in ("1", "2"):
        out = tmp_path / f"out{jobs}.jsonl"
        done = subprocess.run([sys.executable, "-m", "redline", "screen", "-i", str(src), "-o", str(out), "--jobs", jobs],
                              env=env, capture_output=True, timeout=120, check=False)
        assert done.returncode == 0, done.stderr[-2000:]
        assert b"screening" in done.stderr  # the bar was drawn
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
    assert outputs[0].count(b"\n") > 1000


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the kernel's parent-death signal is Linux's")
def test_the_workers_die_with_a_killed_parent(tmp_path: Path) -> None:
    src, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    src.write_bytes(_body([_line(k, TEXTS[k % len(TEXTS)] * 2, {}) for k in range(300_000)], True))
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    proc = subprocess.Popen([sys.executable, "-m", "redline", "screen", "-i", str(src), "-o", str(out), "--jobs", "2"],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 120
    while (not out.exists() or out.stat().st_size == 0) and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
    workers = _children(proc.pid)
    assert proc.poll() is None, "the screen ended before it could be killed"
    assert len(workers) >= 2
    proc.kill()  # SIGKILL: no Python code of the parent runs
    proc.wait(timeout=30)
    deadline = time.monotonic() + 10
    while [w for w in workers if _alive(w)] and time.monotonic() < deadline:
        time.sleep(0.1)
    left = [w for w in workers if _alive(w)]
    for w in left:  # a failing run must not leave them screening
        os.kill(w, signal.SIGKILL)
    assert left == []
