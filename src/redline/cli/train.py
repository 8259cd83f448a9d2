"""`redline train MODEL`: train a shipped classifier from ../shared/datasets and write its card.

For `clf.conduct` (`redline train conduct`) also: `--with-decisions --db URL` adds the
reviewers' decisions of a store to the training rows and writes a new version beside the old
one; `--evaluate PATH.jsonl` scores a labelled file instead of training (classifier alone, and
the full `screen --packs all`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from redline.cli.common import DEFAULT_DB, DbOption
from redline.errors import ConfigError
from redline.training.datasets import resolve_data_dir
from redline.training.recipes import RECIPES, recipe_for

DEFAULT_OUT = Path(__file__).resolve().parents[1] / "models"
CONDUCT = "clf.conduct"


def register(app: typer.Typer) -> None:
    """Add the command to the root app."""

    @app.command("train")
    def train(
        model: Annotated[str, typer.Argument(help=f"one of: {', '.join(RECIPES)} (`clf.` may be left out)")],
        data_dir: Annotated[
            Path | None, typer.Option("--data-dir", help="datasets folder (default: $REDLINE_DATASETS)")
        ] = None,
        out: Annotated[Path | None, typer.Option("--out", help="models folder to write into")] = None,
        db: DbOption = DEFAULT_DB,
        with_decisions: Annotated[bool, typer.Option(
            "--with-decisions", help="clf.conduct: add the reviewers' decisions in --db to the training rows")] = False,
        evaluate: Annotated[Path | None, typer.Option(
            "--evaluate", help="clf.conduct: score a {text, labels} JSONL file instead of training")] = None,
        corpus_dir: Annotated[Path | None, typer.Option(
            "--corpus-dir", help="clf.conduct: the labelled corpus folder (default data/conduct)")] = None,
    ) -> None:
        """Train MODEL, choose its threshold(s), write the model files, MODEL.md (and the PR curve)."""
        recipe = recipe_for(model)
        if recipe is None:
            raise ConfigError(f"unknown model {model!r}; choose one of: {', '.join(RECIPES)}")
        name = model if model in RECIPES else f"clf.{model}"
        if name != CONDUCT and (with_decisions or evaluate is not None or corpus_dir is not None):
            raise ConfigError("--with-decisions, --evaluate and --corpus-dir are for clf.conduct only")
        if evaluate is not None:
            from redline.training.conduct_eval import evaluate_file, print_report

            print_report(evaluate_file(evaluate, models_root=out), Console())
            return
        data = resolve_data_dir(data_dir)
        root = out or _default_out(name)
        root.mkdir(parents=True, exist_ok=True)
        with Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
                      transient=True) as progress:
            progress.add_task(f"training {name} from {data}", total=None)
            if name == CONDUCT:
                result = _train_conduct(data, root, db if with_decisions else None, corpus_dir)
            else:
                result = recipe(data, root)
        Console().print_json(data=result)


def _default_out(name: str) -> Path:
    if name == CONDUCT:
        from redline.detectors.classifiers.versions import models_root

        return models_root()  # honours REDLINE_MODELS_DIR
    return DEFAULT_OUT


def _train_conduct(data: Path, root: Path, db: str | None, corpus_dir: Path | None) -> dict[str, object]:
    from redline.training import conduct
    from redline.training.conduct_data import CORPUS_DIR
    from redline.training.decisions import decision_rows

    decisions = None
    if db is not None:
        from redline.store.db import make_engine

        decisions = decision_rows(make_engine(db))
    result = conduct.train(data, root, decisions=decisions, corpus_dir=corpus_dir or CORPUS_DIR)
    if decisions is not None:
        result["decisions_used"] = len(decisions)
    return result
