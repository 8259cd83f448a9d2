"""Benchmarks: each `bench/bench_<name>.py` defines `run() -> dict`, written to results/<name>.json."""
