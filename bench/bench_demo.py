"""Demo county: time to build the full county (200,000 messages) and to load it into SQLite,
and what its planted attachments cost: rendering them in the build, screening them (OCR) in
`redline scan --files`.

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
from redline.demo import attachment_cases as ac, build_demo
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
        files = sorted(p for p in bundle.rglob("*") if p.is_file())
        size = sum(p.stat().st_size for p in files)
        started = time.perf_counter()
        read = read_bundle(bundle)
        read_s = time.perf_counter() - started
        engine = migrate(make_engine(f"sqlite:///{Path(tmp) / 'demo.db'}"))
        started = time.perf_counter()
        report = load_bundle(engine, read)
        load_s = time.perf_counter() - started
        engine.dispose()
        same_files = all((Path(tmp) / "b0" / "bundle" / p.relative_to(bundle)).read_bytes() == p.read_bytes()
                         for p in files)
        attachments = _attachments(bundle, result.planted)
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
        "attachments": attachments,
    }


def _attachments(bundle: Path, planted: dict[str, Any]) -> dict[str, Any]:
    """Render the planted files again (CPU seconds), then screen them as `scan --files` does."""
    from redline.attachments.screen import screen_files
    from redline.rules.build import build_plan

    cpu = time.process_time()
    ac._phone_photo(ac.PERSONNEL_PLAN, angle=-2.5)
    ac._phone_photo(ac.PUBLIC_NOTICE, angle=2.0)
    ac._scanned_pdf(ac.COMPENSATION)
    ac._holiday_photo()
    render_cpu = time.process_time() - cpu
    plan = build_plan("all").plan
    paths = sorted((bundle / ac.FOLDER).iterdir())
    started, cpu = time.perf_counter(), time.process_time()
    reports = screen_files(plan, paths)
    screen_wall, screen_cpu = time.perf_counter() - started, time.process_time() - cpu
    by_file = {r.extracted.path.name: sorted({f"{x['rule_id']}:{x['detector']}" for x in r.records}) for r in reports}
    expected = {Path(c["file"]["path"]).name: c["expected"]["rule_ids"] for c in planted["cases"].values() if "file" in c}
    misses = [Path(m["file"]["path"]).name for m in planted["near_misses"].values() if "file" in m]
    return {
        "files": len(paths), "bytes": sum(p.stat().st_size for p in paths),
        "render_cpu_seconds": round(render_cpu, 2),
        "screen_wall_seconds": round(screen_wall, 2), "screen_cpu_seconds": round(screen_cpu, 2),
        "ocr_pages": sum(r.extracted.ocr_pages for r in reports),
        "findings_by_file": by_file,
        "planted_found": all(set(rules) <= {k.split(":")[0] for k in by_file[name]} for name, rules in expected.items()),
        "near_misses_clean": all(by_file[name] == [] for name in misses),
    }
