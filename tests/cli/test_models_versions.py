"""`redline models use|list --model offensive`, and loading the active version of a versioned model."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from redline.cli import main
from redline.detectors.classifiers.base import LinearTextModel, load_model_files, model_dir
from redline.detectors.classifiers.hashing import NgramHasher
from redline.detectors.classifiers.versions import ModelVersions
from redline.training.linear import save_linear

HASHER = NgramHasher(n_min=1, n_max=2, bits=4, fold_digits=True, markers=True)


def _version(root: Path, version: str, bias: float) -> None:
    folder = ModelVersions.of("offensive", root).folder(version)
    folder.mkdir(parents=True)
    sha = save_linear(LinearTextModel(HASHER, np.zeros(16, dtype=np.float32), bias), folder / "model.npz")
    meta = {"version": version, "threshold": 0.5, "sha256": sha,
            "hasher": {"n_min": 1, "n_max": 2, "bits": 4, "fold_digits": True, "markers": True}}
    (folder / "model.json").write_text(json.dumps(meta), encoding="utf-8")


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    _version(tmp_path, "1.3.0", -1.0)
    _version(tmp_path, "1.4.0", 1.0)
    monkeypatch.setenv("REDLINE_MODELS_DIR", str(tmp_path))
    return tmp_path


def _loaded(root: Path) -> tuple[str, float]:
    files = load_model_files(model_dir("offensive", root))
    return files.version, float(LinearTextModel.from_files(files).scores(["x"])[0])


def test_newest_version_without_a_pointer_then_use_rolls_back_and_forward(root: Path) -> None:
    version, score = _loaded(root)
    assert (version, score > 0.5) == ("1.4.0", True)
    main(["models", "use", "1.3.0", "--model", "offensive"])
    assert json.loads((root / "offensive" / "active.json").read_text()) == {"version": "1.3.0"}
    version, score = _loaded(root)
    assert (version, score < 0.5) == ("1.3.0", True)
    main(["models", "use", "1.4.0", "--model", "clf.offensive"])
    assert _loaded(root)[0] == "1.4.0"


@pytest.mark.parametrize(("args", "message"), [
    (["models", "use", "1.2.0", "--model", "offensive"], "no offensive model version"),
    (["models", "use", "1.3.0", "--model", "promotion"], "--model must be one of"),
], ids=["unknown-version", "unversioned-model"])
def test_use_refuses_what_does_not_exist(root: Path, args: list[str], message: str,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(args)
    assert exited.value.code == 2
    assert message in capsys.readouterr().err
    assert not (root / "offensive" / "active.json").exists()


def test_a_flat_model_folder_is_used_as_it_is(tmp_path: Path) -> None:
    (tmp_path / "promotion").mkdir()
    (tmp_path / "promotion" / "model.json").write_text("{}", encoding="utf-8")
    assert model_dir("promotion", tmp_path) == tmp_path / "promotion"
