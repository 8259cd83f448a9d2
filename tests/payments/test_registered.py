"""Guard: every payment typology module is in the registry under its own name, with a test."""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

import redline.payments
from redline.payments.analyzer import PaymentAnalyzer
from redline.registry import RECORD_ANALYZERS


def _typologies() -> dict[str, type[PaymentAnalyzer]]:
    found = {}
    for info in pkgutil.iter_modules(redline.payments.__path__):
        module = importlib.import_module(f"redline.payments.{info.name}")
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, PaymentAnalyzer) and value is not PaymentAnalyzer:
                found[value.name] = value
    return found


def test_every_typology_is_registered_and_tested() -> None:
    found = _typologies()
    assert sorted(found) == sorted(k for k in RECORD_ANALYZERS if k.startswith("payments."))
    assert all(RECORD_ANALYZERS[k] is v for k, v in found.items())
    here = Path(__file__).parent
    assert [k for k in found if not (here / f"test_{k.removeprefix('payments.')}.py").exists()] == []
