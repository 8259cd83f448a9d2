"""Demo county: time to build the full county (200,000 messages) and to load it into SQLite.

Also checks what the tests check at small scale, here at full scale: the bundle reads back
with zero quarantine, and planted.json equals the committed demo/planted.json.
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path
from typing import Any

from redline.bundle import read_bundle
from redline.demo import build_demo
from redline.store import load_bundle, make_engine, migrate

REPO = Path(__file__).resolve().parents[1]


def run() -> dict[str, Any]:
    builds: list[float] = []
    phases: list[dict[str, float]] = []
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(2):  # the second build shows the steady state (imports and caches warm)
            started = time.perf_counter()
            result = build_demo(Path(tmp) / f"b{i}", scale=1.0)
            builds.append(time.perf_counter() - started)
            phases.append(result.timings)
        bundle = result.bundle_path
        size = sum(p.stat().st_size for p in bundle.iterdir())
        started = time.perf_counter()
        read = read_bundle(bundle)
        read_s = time.perf_counter() - started
        engine = migrate(make_engine(f"sqlite:///{Path(tmp) / 'demo.db'}"))
        started = time.perf_counter()
        report = load_bundle(engine, read)
        load_s = time.perf_counter() - started
        engine.dispose()
        same_files = all((Path(tmp) / "b0" / "bundle" / p.name).read_bytes() == p.read_bytes()
                         for p in bundle.iterdir())
        planted_current = result.planted_path.read_bytes() == (REPO / "demo" / "planted.json").read_bytes()
    return {
        "scale": 1.0,
        "counts": result.counts,
        "bundle_mb": round(size / 1e6, 1),
        "build_seconds": [round(b, 2) for b in builds],
        "build_phases_seconds": phases,  # generate = the demo's own code; write = redline.bundle.write_bundle
        "load_average_1min": round(os.getloadavg()[0], 2),  # other work on the machine slows every figure
        "messages_per_second_built": round(result.counts["messages"] / min(builds)),
        "read_seconds": round(read_s, 2),
        "quarantined": len(read.quarantined),
        "sqlite_load_seconds": round(load_s, 2),
        "rows_loaded": sum(t.rows_loaded for t in report.tables),
        "two_builds_identical": same_files,
        "planted_json_matches_committed": planted_current,
        "planted_cases": len(result.planted["cases"]),
        "near_misses": len(result.planted["near_misses"]),
    }
