"""clf.conduct throughput, and `redline screen --packs all` end to end as a user runs it.

The chat is REAL text, mixed (`real_mixed_chat`): ordinary comments and group chat with 5 %
written work chat, drawn with replacement to BENCH_CONDUCT_N messages (default 1,000,000;
~20-40k distinct texts, so repeats are many).

- classifier alone: the built detector's `scan` over normalised batches of 4,096 (13 lead
  triggers, one per category), CPU seconds of this process; next to it the full model with
  no gate, and the gate alone, with the share of messages the gate lets through;
- end to end on ONE core: `python -m redline screen --packs all --jobs 1 -i IN.jsonl -o
  OUT.jsonl` in a child process (start-up, pack compile, JSONL in and out included), timed by
  the child's CPU seconds (user + sys) and by the wall clock. The child gets an empty cache
  directory of its own ($REDLINE_CACHE_DIR): a screen of the first 1,000 messages first, timed
  as the cold run (the first run after installing or changing the packs: folding tables,
  jieba's prefix table and the compiled plan are built and kept), then a one-message screen
  as the warm start-up, then the whole input, as every later run of a user goes;
- end to end on ALL cores, the figure a user sees: the same command without `--jobs` (one
  worker per usable core), timed by the wall clock (`screen_all_cores_*`, with the jobs it
  used, `os.cpu_count()` and the load average before it: other work on the machine takes
  cores from it); its CPU seconds (parent and workers) say what the fork and the hand-offs cost,
  and its output must be byte for byte the one-core run's;
- the recall the gate costs, from the active version's held-out figures (model.json).
"""

from __future__ import annotations

import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import orjson

from redline.contracts import BuildContext, Trigger
from redline.detectors.classifiers.conduct import ConductClassifier, ConductConfig
from redline.text.normalize import normalize_batch
from redline.training.conduct_data import CATEGORIES, CORPUS_DIR, corpus_records
from redline.training.datasets import read_jsonl, resolve_data_dir

N_MESSAGES = int(os.environ.get("BENCH_CONDUCT_N", "1000000"))
BATCH = 4096
_clock = time.process_time


def real_mixed_chat(n: int, seed: int = 20, written_share: float = 0.05) -> list[str]:
    """`n` real messages drawn with replacement: mostly ordinary text, `written_share` work chat.

    Ordinary: COLD comments labelled safe, QQ group chat (ads included), Weibo posts. Work
    chat: the conduct pilot and our corpus, violations and negatives as they come (about half
    are violations), so that about one message in 40 breaks a rule.
    """
    data = resolve_data_dir()  # $REDLINE_DATASETS, which `make bench` sets
    ordinary = [r["text"] for r in read_jsonl(data, "cold") if int(r["label"]) == 0]
    ordinary += [r["text"] for r in read_jsonl(data, "qq_group_ads")]
    ordinary += [r["text"] for r in read_jsonl(data, "weibo_ner")]
    written = [r["text"] for r in read_jsonl(data, "conduct_pilot")]
    for name in ("dev", "train"):
        written += [r["text"] for r in corpus_records(CORPUS_DIR, name)]
    rng = random.Random(seed)
    return [rng.choice(written) if rng.random() < written_share else rng.choice(ordinary) for _ in range(n)]


def _classifier(texts: list[str]) -> dict[str, object]:
    detector = ConductClassifier.build(
        [Trigger(f"CM-{k:02d}", f"L{k}", ConductConfig(category=c)) for k, c in enumerate(CATEGORIES)],
        BuildContext())
    batches = [normalize_batch(texts[i : i + BATCH]).texts for i in range(0, len(texts), BATCH)]
    started = _clock()
    hits = sum(len(detector.scan(b)) for b in batches)
    scan_s = _clock() - started
    model = detector.loaded.model
    started = _clock()
    passed = sum(len(model.passing(b)) for b in batches)
    gate_s = _clock() - started
    sample = batches[: max(1, 100_000 // BATCH)]
    started = _clock()
    for b in sample:
        model.full_scores(b)
    full_s = _clock() - started
    held = detector.loaded.meta.get("held_out", {})
    return {
        "model_version": detector.version,
        "classifier_alone_msgs_per_s": round(len(texts) / scan_s),
        "classifier_alone_cpu_seconds": round(scan_s, 3),
        "leads": hits,
        "gate_alone_msgs_per_s": round(len(texts) / gate_s),
        "gate_pass_share": round(passed / len(texts), 4),
        "full_model_no_gate_msgs_per_s": round(sum(len(b) for b in sample) / full_s),
        "gate_recall_cost_held_out": held.get("gate_recall_cost"),
        "gate_pass_share_held_out_real_text": held.get("gate_pass_real"),
    }


def _child(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """CPU seconds (user + sys) and wall seconds of `python -m redline ARGS` in a child."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "redline", *args], capture_output=True, text=True,
                          check=False, env=env)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise RuntimeError(done.stderr[-2000:])
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), wall


def _usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def _screen(texts: list[str], tmp: Path) -> dict[str, object]:
    src, out = tmp / "messages.jsonl", tmp / "findings.jsonl"
    first, one = tmp / "first.jsonl", tmp / "one.jsonl"
    with src.open("wb") as fh:
        for i, text in enumerate(texts):
            fh.write(orjson.dumps({"id": f"m{i}", "text": text}) + b"\n")
    lines = src.read_bytes().split(b"\n", 1000)
    first.write_bytes(b"\n".join(lines[:1000]) + b"\n")
    one.write_bytes(lines[0] + b"\n")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path), "REDLINE_CACHE_DIR": str(tmp / "cache")}
    screen = ["screen", "--packs", "all", "--jobs", "1", "-o", str(out), "-i"]
    cold, _ = _child([*screen, str(first)], env)
    warm, _ = _child([*screen, str(one)], env)
    load_one_core = os.getloadavg()[0]
    cpu, wall = _child([*screen, str(src)], env)
    load_all_cores = os.getloadavg()[0]
    out_all = tmp / "findings_all_cores.jsonl"
    all_cpu, all_wall = _child(["screen", "--packs", "all", "-o", str(out_all), "-i", str(src)], env)
    identical = out_all.read_bytes() == out.read_bytes()
    findings = 0
    by_detector: dict[str, int] = {}
    with out.open("rb") as fh:
        for line in fh:
            findings += 1
            det = orjson.loads(line)["detector"]
            by_detector[det] = by_detector.get(det, 0) + 1
    return {
        "screen_end_to_end_msgs_per_s_cpu": round(len(texts) / cpu),
        "screen_end_to_end_msgs_per_s_wall": round(len(texts) / wall),
        "screen_cpu_seconds": round(cpu, 2),
        "screen_wall_seconds": round(wall, 2),
        "screen_first_1000_cpu_seconds_cold_cache": round(cold, 2),
        "screen_startup_cpu_seconds_warm_cache": round(warm, 2),
        "screen_per_message_cpu_us": round((cpu - warm) / len(texts) * 1e6, 2),
        "screen_findings": findings,
        "screen_findings_by_detector": dict(sorted(by_detector.items())),
        "input_mb": round(src.stat().st_size / 2**20, 1),
        "load_average_1min_before_one_core_run": round(load_one_core, 2),
        "screen_all_cores_jobs": _usable_cores(),
        "os_cpu_count": os.cpu_count(),
        "screen_all_cores_msgs_per_s_wall": round(len(texts) / all_wall),
        "screen_all_cores_wall_seconds": round(all_wall, 2),
        "screen_all_cores_cpu_seconds_parent_and_workers": round(all_cpu, 2),
        "screen_all_cores_output_identical_to_one_core": identical,
        "load_average_1min_before_all_cores_run": round(load_all_cores, 2),
        "load_average_1min_at_end": round(os.getloadavg()[0], 2),
    }


def run() -> dict[str, object]:
    texts = real_mixed_chat(N_MESSAGES)
    figures: dict[str, object] = {
        "messages": len(texts),
        "chat": ("real text drawn with replacement: 95 % ordinary (COLD safe comments, QQ group chat, Weibo "
                 "posts), 5 % written work chat (conduct_pilot, data/conduct when present)"),
        "mean_chars": round(sum(map(len, texts)) / len(texts), 1),
    }
    figures.update(_classifier(texts))
    with tempfile.TemporaryDirectory() as tmpdir:
        figures.update(_screen(texts, Path(tmpdir)))
    return figures


if __name__ == "__main__":
    print(json.dumps(run(), ensure_ascii=False, indent=2))
