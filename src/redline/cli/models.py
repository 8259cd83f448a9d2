"""`redline models list|use VERSION`: the versions of the retrainable clf.conduct model.

Retraining (`redline train conduct --with-decisions`) writes a new version beside the old
ones; `use` switches the active one, or rolls back. Findings record the version that raised them.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

models_app = typer.Typer(help="Versions of the retrainable models (clf.conduct, clf.offensive).",
                         no_args_is_help=True)
MODEL = "conduct"
VERSIONED = ("conduct", "offensive")  # models kept as v<version>/ folders with an active.json
ModelOption = Annotated[str, typer.Option("--model", help=f"one of: {', '.join(VERSIONED)}")]


def _model(name: str) -> str:
    from redline.errors import ConfigError

    name = name.removeprefix("clf.")
    if name not in VERSIONED:
        raise ConfigError(f"--model must be one of {', '.join(VERSIONED)}, not {name!r}")
    return name


@models_app.command("list")
def list_versions(model: ModelOption = MODEL) -> None:
    """Every stored version, its held-out figures, and which one is active."""
    import json

    from redline.detectors.classifiers.versions import ModelVersions

    versions = ModelVersions.of(_model(model))
    active = versions.active() if versions.available() else ""
    table = Table("version", "active", "macro recall", "written negatives with a lead", "training rows")
    for version in versions.available():
        meta = json.loads((versions.folder(version) / "model.json").read_text(encoding="utf-8"))
        held = meta.get("held_out", {})
        table.add_row(version, "✓" if version == active else "", str(held.get("macro_recall", "")),
                      str(held.get("hard_negatives_with_lead", "")), str(meta.get("training_rows", "")))
    Console().print(table)


@models_app.command("use")
def use(version: Annotated[str, typer.Argument(help="a stored version, e.g. 1.0.0")],
        model: ModelOption = MODEL) -> None:
    """Make VERSION the active model (clf.conduct unless --model; switch, or roll back)."""
    from redline.detectors.classifiers.versions import ModelVersions

    name = _model(model)
    versions = ModelVersions.of(name)
    before = versions.active() if versions.available() else "none"
    versions.use(version)
    Console().print(f"clf.{name}: {before} → {version} (active)")


def register(app: typer.Typer) -> None:
    """Add the command group to the root app."""
    app.add_typer(models_app, name="models")
