"""Guards that keep the codebase's shape: public APIs, module sizes, the plug-in registry."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from pathlib import Path
from types import ModuleType

import pytest
from pydantic import BaseModel

import redline

SRC = Path(redline.__file__).parent
MAX_LINES = 400
# Modules allowed past MAX_LINES, each with the reason it is not split (path relative to src/redline).
LONG_MODULES: dict[str, str] = {}


def _packages_with_all() -> list[str]:
    names = []
    for init in sorted(SRC.rglob("__init__.py")):
        if "__all__" in init.read_text(encoding="utf-8"):
            parts = init.parent.relative_to(SRC.parent).parts
            names.append(".".join(parts))
    return names


@pytest.mark.parametrize("package", _packages_with_all())
def test_public_all_is_sorted_complete_and_real(package: str) -> None:
    module = importlib.import_module(package)
    exported = list(module.__all__)
    assert exported == sorted(exported), "keep __all__ sorted"
    assert len(set(exported)) == len(exported), "a name is listed twice"
    missing = [name for name in exported if not hasattr(module, name)]
    assert missing == [], "listed but not defined"
    public = {
        name for name, value in vars(module).items()
        if not name.startswith("_") and not isinstance(value, ModuleType) and name != "annotations"
    }
    assert sorted(public - set(exported)) == [], "public names missing from __all__"


def test_no_module_is_over_the_size_limit_unless_allowlisted() -> None:
    too_long = {}
    for path in sorted(SRC.rglob("*.py")):
        relative = path.relative_to(SRC).as_posix()
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > MAX_LINES and relative not in LONG_MODULES:
            too_long[relative] = lines
    assert too_long == {}, f"split these modules or allowlist them with a reason (max {MAX_LINES} lines)"
    stale = [p for p in LONG_MODULES if not (SRC / p).exists()]
    assert stale == [], "allowlisted modules that no longer exist"


def _plugin_classes(package: str, method: str) -> dict[str, type]:
    """Concrete classes defined under `package` that look like plug-ins: a non-empty `name`,
    a pydantic `Config`, and the contract's entry point (`build` or `analyze`)."""
    found: dict[str, type] = {}
    root = importlib.import_module(package)
    for info in pkgutil.walk_packages(root.__path__, prefix=f"{package}."):
        module = importlib.import_module(info.name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ != module.__name__ or inspect.isabstract(cls) or getattr(cls, "_is_protocol", False):
                continue
            name = getattr(cls, "name", None)
            config = getattr(cls, "Config", None)
            if (isinstance(name, str) and name and callable(getattr(cls, method, None))
                    and inspect.isclass(config) and issubclass(config, BaseModel)):
                found[f"{cls.__module__}.{cls.__qualname__}"] = cls
    return found


@pytest.mark.parametrize(("packages", "method", "registry_name"), [
    (("redline.detectors",), "build", "TEXT_DETECTORS"),
    (("redline.payments", "redline.groups"), "analyze", "RECORD_ANALYZERS"),
], ids=["text-detectors", "record-analyzers"])
def test_every_plugin_module_is_registered(packages: tuple[str, ...], method: str, registry_name: str) -> None:
    from redline import registry

    registered = set(getattr(registry, registry_name).values())
    plugins = {path: cls for package in packages for path, cls in _plugin_classes(package, method).items()}
    unregistered = sorted(path for path, cls in plugins.items() if cls not in registered)
    assert unregistered == [], f"add these to redline/registry.py {registry_name}"
    # The guard must recognise every registered plug-in, or it could not see an unregistered one.
    unrecognised = sorted(cls.__qualname__ for cls in registered - set(plugins.values()))
    assert unrecognised == []
    keys = {key for key, cls in getattr(registry, registry_name).items() if getattr(cls, "name", key) != key}
    assert keys == set(), "a registry key differs from its plug-in's `name`"


def test_the_plugin_guard_sees_an_unregistered_module(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    package = tmp_path / "fake_plugins"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "shouty.py").write_text(
        "from typing import ClassVar\nfrom pydantic import BaseModel\n\n"
        "class ShoutyDetector:\n    name: ClassVar[str] = 'shouty'\n\n"
        "    class Config(BaseModel):\n        pass\n\n"
        "    @classmethod\n    def build(cls, triggers, ctx):\n        return cls()\n\n"
        "class Helper:\n    name = 'not a plug-in'\n",
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    assert list(_plugin_classes("fake_plugins", "build")) == ["fake_plugins.shouty.ShoutyDetector"]
