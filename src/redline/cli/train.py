"""`redline train MODEL`: train a shipped classifier from ../shared/datasets and write its card."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from redline.cli.common import DEFAULT_DB, DbOption
from redline.errors import ConfigError
from redline.training.datasets import resolve_data_dir
from redline.training.recipes import RECIPES

DEFAULT_OUT = Path(__file__).resolve().parents[1] / "models"


def register(app: typer.Typer) -> None:
    """Add the command to the root app."""

    @app.command("train")
    def train(
        model: Annotated[str, typer.Argument(help=f"one of: {', '.join(RECIPES)}")],
        data_dir: Annotated[
            Path | None, typer.Option("--data-dir", help="datasets folder (default: $REDLINE_DATASETS)")
        ] = None,
        out: Annotated[Path, typer.Option("--out", help="models folder to write into")] = DEFAULT_OUT,
        db: DbOption = DEFAULT_DB,
    ) -> None:
        """Train MODEL, choose its threshold, write model.npz, model.json, MODEL.md and the PR curve."""
        del db  # training reads data sets, not the store
        recipe = RECIPES.get(model)
        if recipe is None:
            raise ConfigError(f"unknown model {model!r}; choose one of: {', '.join(RECIPES)}")
        data = resolve_data_dir(data_dir)
        out.mkdir(parents=True, exist_ok=True)
        with Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
                      transient=True) as progress:
            progress.add_task(f"training {model} from {data}", total=None)
            result = recipe(data, out)
        Console().print_json(data=result)
