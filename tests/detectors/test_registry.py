"""Guards: every text detector module is registered, and every registered one has its table."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from pathlib import Path

import redline.detectors
from redline.registry import TEXT_DETECTORS

TESTS = Path(__file__).parent


def _detector_classes() -> dict[str, type]:
    found: dict[str, type] = {}
    for info in pkgutil.iter_modules(redline.detectors.__path__):
        module = importlib.import_module(f"redline.detectors.{info.name}")
        for _, obj in inspect.getmembers(module, inspect.isclass):
            name = getattr(obj, "name", "")
            if obj.__module__ == module.__name__ and name and hasattr(obj, "build") and hasattr(obj, "Config"):
                found[name] = obj
    return found


def test_every_detector_module_is_registered() -> None:
    classes = _detector_classes()
    assert classes, "no detector classes found"
    assert {k: TEXT_DETECTORS.get(k) for k in classes} == classes


def test_every_registered_builtin_detector_has_a_test_table() -> None:
    builtin = {k: f for k, f in TEXT_DETECTORS.items() if f.__module__.count(".") == 2}
    missing = [k for k, f in builtin.items() if not (TESTS / f"test_{f.__module__.rsplit('.', 1)[1]}.py").exists()]
    assert missing == []
    assert set(builtin) >= {"lexicon", "regex", "pii", "secret_marks", "doc_number", "gambling",
                            "canvassing", "gift_offer", "flattery", "near"}
