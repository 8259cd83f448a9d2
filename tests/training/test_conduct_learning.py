"""Issue 20 item 6 end to end: reviewers' decisions on a real SQLite store retrain clf.conduct.

Real parts throughout: `redline train conduct` as a process, a migrated store, findings from
the real engine, alerts and decisions through the review API, `redline models use` to roll
back. The data folder is a small slice of the shared data sets written to tmp (the real
recipe, less waiting).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from redline.contracts import Finding
from redline.detectors.classifiers import conduct_files
from redline.detectors.classifiers.versions import ModelVersions
from redline.errors import ConfigError
from redline.review.accounts import Actor, Role
from redline.review.alerts import build_alerts
from redline.review.decisions import decide
from redline.rules.compile import compile_plan
from redline.rules.load import load_packs, shipped_pack_paths
from redline.scan.engine import scan_batch
from redline.store.db import migrate
from redline.store.findings import save_findings
from redline.store.tables.messages import Message
from redline.store.tables.review import Alert
from redline.training.conduct import rewrite_card
from redline.training.conduct_data import CATEGORIES
from redline.training.datasets import normalized, resolve_data_dir
from redline.training.decisions import decision_rows

try:
    SHARED = resolve_data_dir()  # REDLINE_DATASETS, which tests/conftest.py defaults to ../shared/datasets
except ConfigError:
    SHARED = Path("/nonexistent")
pytestmark = pytest.mark.skipif(not (SHARED / "conduct_pilot").is_dir(), reason="shared data sets not present")

VIOLATION = "刘科长乔迁之喜，科里统一随礼每人200，直接转我微信"
# a message the reviewers keep dismissing: the organisation's own 慰问金 collection
DISMISSED = "工会慰问金已到账，每人200，请各位在群里接龙确认"


def _slice(src: Path, dst: Path, name: str, n: int) -> None:
    (dst / name).mkdir(parents=True)
    lines = (src / name / "train.jsonl").read_text(encoding="utf-8").splitlines()[:n]
    (dst / name / "train.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")


def _redline(*args: str, models: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "REDLINE_MODELS_DIR": str(models), "PYTHONPATH": os.pathsep.join(sys.path)}
    done = subprocess.run([sys.executable, "-m", "redline", *args], capture_output=True, text=True,
                          timeout=900, check=False, env=env)
    assert done.returncode == 0, done.stderr
    return done


def _json_tail(stdout: str) -> dict[str, object]:
    result: dict[str, object] = json.loads(stdout[stdout.index("{"):])
    return result


def test_decisions_retrain_a_new_version_beside_the_old_and_roll_back(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data, models, corpus = tmp_path / "data", tmp_path / "models", tmp_path / "corpus"
    corpus.mkdir()
    _slice(SHARED, data, "conduct_pilot", 2600)
    for name, n in (("cold", 1500), ("qq_group_ads", 800), ("weibo_ner", 400)):
        _slice(SHARED, data, name, n)
    common = ("--data-dir", str(data), "--corpus-dir", str(corpus))
    first = _json_tail(_redline("train", "conduct", *common, models=models).stdout)
    assert first["version"] == "1.0.0"

    # findings of the conduct-model pack on messages in a real store, with the first version
    monkeypatch.setenv("REDLINE_MODELS_DIR", str(models))
    url = f"sqlite:///{tmp_path / 'store.db'}"
    engine = migrate(url)
    texts = [VIOLATION] * 3 + [DISMISSED] * 6
    t0 = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
    with Session(engine) as session, session.begin():
        # one person and chat each: alerts are incidents, and one chat's messages would make one
        session.add_all(Message(id=f"m{i}", time=t0 + timedelta(minutes=i), conversation=f"g-{i}", sender=f"p-{i}",
                                type="text", text=text, extra={}) for i, text in enumerate(texts))
    # alerts as a rule raises them (a gift-offer hit on each message), reviewed through the API
    save_findings(engine, [
        Finding("TJ-06", "gifts", "lexicon", "message", f"m{i}", "high", "收送红包线索", "gift lead",
                person_id=f"p-{i}", label="TJ-06#lexicon", start=0, end=2, evidence=text[:2], pack="tianjin-2017")
        for i, text in enumerate(texts)
    ])
    build_alerts(engine)
    analyst = Actor("ana", Role.ANALYST)
    with Session(engine) as session:
        alert_of = {a.subject_id: a.id for a in session.query(Alert)}
    confirmed = [alert_of[f"m{i}"] for i in range(3)]
    decide(engine, analyst, confirmed, "escalate", reason="随礼敛财")
    dismissed = [alert_of[f"m{i}"] for i in range(3, 9)]
    decide(engine, analyst, dismissed, "dismiss", reason="工会正常慰问，不是违规")

    rows = decision_rows(engine)
    assert len(rows) == len(confirmed) + len(dismissed)
    gifts = CATEGORIES.index("gifts")
    for text, labels in zip(rows.texts, rows.labels, strict=True):
        assert labels[gifts] == (text == normalized([VIOLATION])[0])

    second = _json_tail(_redline("train", "conduct", *common, "--with-decisions", "--db", url, models=models).stdout)
    assert second["version"] == "1.1.0"
    assert second["decisions_used"] == len(rows)
    assert second["previous"]["version"] == "1.0.0"  # type: ignore[index]
    assert "macro_recall" in second["change"]  # type: ignore[operator]
    versions = ModelVersions.of("conduct", models)
    assert versions.available() == ["1.0.0", "1.1.0"]
    assert versions.active() == "1.1.0"
    old, new = (conduct_files.load(versions.folder(v)) for v in ("1.0.0", "1.1.0"))
    assert (old.path / "model.npz").read_bytes() != (new.path / "model.npz").read_bytes()
    probe = normalized([VIOLATION, DISMISSED])
    before, after = old.model.full_scores(probe)[:, gifts], new.model.full_scores(probe)[:, gifts]
    assert after[1] < before[1]  # dismissed: the model learnt it is not a gift
    assert after[0] >= before[0] - 0.05  # confirmed: still a gift lead

    # findings record the version that raised them; roll back with `redline models use`
    packs = load_packs([p for p in shipped_pack_paths() if p.stem == "conduct-model"]).packs
    new_plan = compile_plan(packs, cache_dir=tmp_path / "cache2")
    assert {f.facts["model_version"] for f in scan_batch(new_plan, [VIOLATION])} == {"1.1.0"}
    _redline("models", "use", "1.0.0", models=models)
    assert versions.active() == "1.0.0"
    rolled = compile_plan(packs, cache_dir=tmp_path / "cache3")
    assert next(d for d in rolled.detectors if d.name == "clf.conduct").version == "1.0.0"
    listing = _redline("models", "list", models=models).stdout
    assert "1.0.0" in listing
    assert "1.1.0" in listing

    # the card of a trained version is rewritten from its files (no refit) exactly as training wrote it
    card = old.path / "MODEL.md"
    written = card.read_text(encoding="utf-8")
    card.unlink()
    rewrite_card(models, "1.0.0", data, corpus_dir=corpus)
    assert card.read_text(encoding="utf-8") == written
