"""The compiled plan in the user's cache: reused while its inputs stand, rebuilt when one changes."""

from __future__ import annotations

import os
import pickle
from pathlib import Path

import pytest

from redline.cli.packs import load_built, load_text_plan
from redline.rules import plan_cache
from redline.scan.engine import scan_batch


@pytest.fixture
def cache_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    where = tmp_path / "cache"
    monkeypatch.setenv("REDLINE_CACHE_DIR", str(where))
    return where


def test_built_once_then_read(cache_dir: Path) -> None:
    calls: list[int] = []

    def build() -> dict[str, int]:
        calls.append(1)
        return {"plan": len(calls)}

    assert plan_cache.cached_plan("k", build) == {"plan": 1}
    assert plan_cache.cached_plan("k", build) == {"plan": 1}
    assert calls == [1]
    assert plan_cache.cached_plan(None, build) == {"plan": 2}  # no key: never cached


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="file ownership is POSIX")
def test_an_entry_others_may_write_is_not_read(cache_dir: Path) -> None:
    cache_dir.mkdir()
    planted = cache_dir / "plan-k.pickle"
    planted.write_bytes(pickle.dumps({"plan": "planted"}))
    planted.chmod(0o666)  # anyone could have put it there
    assert plan_cache.cached_plan("k", lambda: {"plan": "built"}) == {"plan": "built"}
    assert planted.stat().st_mode & 0o077 == 0  # replaced by our own entry


def test_a_changed_input_gives_another_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pack = tmp_path / "pack.yaml"
    pack.write_text("a: 1\n")
    overrides = tmp_path / "org" / "overrides.yaml"
    overrides.parent.mkdir()
    overrides.write_text("rules: {}\n")
    terms = overrides.parent / "terms.txt"
    terms.write_text("甲\n")
    key = plan_cache.plan_key("x", [pack], overrides)
    assert key == plan_cache.plan_key("x", [pack], overrides)
    assert key != plan_cache.plan_key("y", [pack], overrides)
    assert key != plan_cache.plan_key("x", [pack], None)
    terms.write_text("甲\n乙\n")  # a term list the overrides file names, beside it
    changed = plan_cache.plan_key("x", [pack], overrides)
    assert changed != key
    pack.write_text("a: 22\n")
    assert plan_cache.plan_key("x", [pack], overrides) not in (key, changed)
    monkeypatch.setattr(plan_cache, "MAX_OVERRIDE_FILES", 1)
    assert plan_cache.plan_key("x", [pack], overrides) is None  # too big a folder to watch: no cache


def test_the_cached_text_plan_screens_like_a_fresh_one(cache_dir: Path) -> None:
    texts = ["王老板发来一个红包:节日快乐,以后多关照", "这个红头文件还没正式印发，我先拍照发群里", "收到"]
    fresh = load_built("all", None).plan
    first = load_text_plan("all", None)  # built and written
    assert len(list(cache_dir.glob("plan-*.pickle"))) == 1
    again = load_text_plan("all", None)  # read back
    assert again.version == fresh.version
    assert not again.record_triggers
    expected = scan_batch(fresh, texts)
    assert expected  # the texts do raise findings
    assert scan_batch(first, texts) == expected
    assert scan_batch(again, texts) == expected


def test_only_the_newest_entries_are_kept(cache_dir: Path) -> None:
    for k in range(plan_cache.KEEP_PLANS + 2):
        plan_cache.cached_plan(f"k{k}", lambda k=k: k)
        written = cache_dir / f"plan-k{k}.pickle"
        os.utime(written, ns=(k * 10**9, k * 10**9))  # an order the file system cannot blur
    kept = sorted(p.name for p in cache_dir.glob("plan-*.pickle"))
    assert kept == [f"plan-k{k}.pickle" for k in range(2, plan_cache.KEEP_PLANS + 2)]
