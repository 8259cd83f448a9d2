"""`redline classify`: score `{"text": ...}` JSON Lines with one shipped classifier.

Adds `score` and `predicted` to every record (and `spans` for span detectors such as
`pii.person_name`: `[{"start","end","label"}]` in characters of the original text). Input is
streamed in batches; a bad line stops the run with its line number (exit 2).
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Annotated, Any, Final

import orjson
import typer
from rich.progress import BarColumn, DownloadColumn, Progress, TimeRemainingColumn

from redline.cli.common import DEFAULT_DB, DbOption
from redline.contracts import BuildContext, Trigger
from redline.detectors.classifiers.base import MessageClassifier
from redline.detectors.classifiers.person_name import ROSTER_PARAM, PersonNameDetector
from redline.errors import ConfigError, InputError, SourceLocation
from redline.registry import TEXT_DETECTORS
from redline.text.normalize import normalize_batch

BATCH: Final = 8192


def read_names(path: Path) -> tuple[str, ...]:
    """Roster names from a people.csv (column `name`) or a text file with one name a line."""
    if not path.is_file():
        raise ConfigError(f"roster file not found: {path}")
    if path.suffix.lower() == ".csv":
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            if reader.fieldnames is None or "name" not in reader.fieldnames:
                raise InputError("no `name` column", SourceLocation(path, 1, None, "name"))
            return tuple(row["name"].strip() for row in reader if (row["name"] or "").strip())
    return tuple(line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip())


def build_classifier(detector: str, threshold: float | None, names: tuple[str, ...]) -> Any:
    """Build a registered classifier with one trigger; reject detectors that do not score."""
    factory = TEXT_DETECTORS.get(detector)
    if factory is None:
        raise ConfigError(f"unknown detector {detector!r}")
    if getattr(factory, "model_name", None) is None:  # only the trained classifiers ship a model
        raise ConfigError(f"{detector!r} is not a classifier (try clf.offensive, clf.promotion, pii.person_name)")
    config = factory.Config.model_validate({} if threshold is None else {"threshold": threshold})
    built = factory.build([Trigger("classify", detector, config)], BuildContext(params={ROSTER_PARAM: names}))
    if not isinstance(built, MessageClassifier | PersonNameDetector):
        raise ConfigError(f"{detector!r} does not produce scores")
    return built


def _records(stream: IO[bytes], path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    for lineno, raw in enumerate(stream, start=1):
        if not raw.strip():
            continue
        try:
            record = orjson.loads(raw)
        except orjson.JSONDecodeError as exc:
            raise InputError(f"invalid JSON ({exc})", SourceLocation(path, lineno)) from exc
        if not isinstance(record, dict) or not isinstance(record.get("text"), str):
            raise InputError("expected an object with a string `text`", SourceLocation(path, lineno, None, "text"))
        yield lineno, record


def annotate(built: Any, records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Add score / predicted (and spans) to a batch of records.

    Texts are normalised as in `redline scan`; spans are mapped back to the original text.
    """
    batch = normalize_batch([r["text"] for r in records])
    if isinstance(built, PersonNameDetector):
        plan = built.plans[0]
        per_row = built.spans(batch.texts, plan.threshold, plan.roster, plan.model,
                              forms=plan.forms, lac=plan.lac, titles=plan.titles)
        for row, (record, spans) in enumerate(zip(records, per_row, strict=True)):
            record["score"] = round(max((s.score for s in spans), default=0.0), 6)
            record["predicted"] = bool(spans)
            record["spans"] = [
                dict(zip(("start", "end"), batch.span(row, s.start, s.end), strict=True), label=s.label)
                for s in spans
            ]
        return records
    threshold = built.triggers[0][1]
    for record, score in zip(records, built.scores(batch.texts).tolist(), strict=True):
        record["score"] = round(score, 6)
        record["predicted"] = score >= threshold
    return records


def register(app: typer.Typer) -> None:
    """Add the command to the root app."""

    @app.command("classify")
    def classify(
        detector: Annotated[str, typer.Option("--detector", help="clf.offensive, clf.promotion or pii.person_name")],
        input_path: Annotated[Path, typer.Option("--input", help="JSON Lines with a `text` field")],
        output: Annotated[Path, typer.Option("--output", help="JSON Lines to write")],
        threshold: Annotated[float | None, typer.Option("--threshold", help="override the model card's threshold")] = None,
        roster: Annotated[Path | None, typer.Option("--roster", help="people.csv or names file (pii.person_name)")] = None,
        db: DbOption = DEFAULT_DB,
    ) -> None:
        """Score every record; the model's threshold decides `predicted`."""
        del db  # classification needs no store
        if not input_path.is_file():
            raise InputError("input file not found", SourceLocation(input_path))
        names = read_names(roster) if roster is not None else ()
        built = build_classifier(detector, threshold, names)
        size = input_path.stat().st_size
        with input_path.open("rb") as src, output.open("wb") as dst, Progress(
            "[progress.description]{task.description}", BarColumn(), DownloadColumn(), TimeRemainingColumn(),
            transient=True,
        ) as progress:
            task = progress.add_task(f"classify {detector}", total=size)
            batch: list[dict[str, Any]] = []
            for _, record in _records(src, input_path):
                batch.append(record)
                if len(batch) >= BATCH:
                    dst.write(b"".join(orjson.dumps(r) + b"\n" for r in annotate(built, batch)))
                    batch = []
                    progress.update(task, completed=src.tell())
            if batch:
                dst.write(b"".join(orjson.dumps(r) + b"\n" for r in annotate(built, batch)))
            progress.update(task, completed=size)
