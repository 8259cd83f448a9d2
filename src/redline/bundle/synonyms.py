"""The organisation's words for the bundle's closed vocabularies (synonyms.yaml, REDLINE_SYNONYMS).

A groups.csv that says `work` or 工作群 for a department group is right in the organisation's
own words; rejecting its rows (and then reporting "0 findings" for groups that were never read)
would punish the reader for our vocabulary. Synonyms map to the canonical value before the
vocabulary check; a group type still unknown becomes `other` with a note.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Final

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from redline.bundle.schema import ENUMS
from redline.errors import ConfigError, SourceLocation
from redline.settings import Settings

SHIPPED: Final = Path(__file__).with_name("synonyms.yaml")
# a value of these columns nobody maps is kept as this value (with a note), not rejected
FALLBACK: Final[dict[tuple[str, str], str]] = {("groups", "type"): "other"}


def _read(path: Path) -> dict[tuple[str, str], dict[str, str]]:
    try:
        data = YAML(typ="safe").load(path.read_text(encoding="utf-8")) or {}
    except (OSError, YAMLError) as exc:
        raise ConfigError(f"cannot read synonyms: {exc}", SourceLocation(path)) from exc
    if not isinstance(data, Mapping):
        raise ConfigError("synonyms must be a mapping of table.column → canonical value → words", SourceLocation(path))
    table: dict[tuple[str, str], dict[str, str]] = {}
    for column, values in data.items():
        key = tuple(str(column).split(".", 1))
        if len(key) != 2 or key not in ENUMS:
            known = ", ".join(sorted(".".join(k) for k in ENUMS))
            raise ConfigError(f"unknown column {column!r} (known: {known})", SourceLocation(path, field=str(column)))
        allowed = ENUMS[key]
        words: dict[str, str] = {}
        for canonical, synonyms in (values or {}).items():
            if canonical not in allowed:
                raise ConfigError(f"{column}: {canonical!r} is not one of {', '.join(sorted(allowed))}",
                                  SourceLocation(path, field=f"{column}.{canonical}"))
            for word in synonyms or []:
                words[str(word).strip().lower()] = str(canonical)
        table[key] = words
    return table


@cache
def _load(extra: str | None) -> dict[tuple[str, str], dict[str, str]]:
    merged = _read(SHIPPED)
    if extra:
        for key, words in _read(Path(extra)).items():
            merged.setdefault(key, {}).update(words)  # the organisation's words win
    return merged


def synonyms(table: str, column: str) -> dict[str, str]:
    """Word (lower case) → canonical value for one closed column; the organisation's file included."""
    extra = Settings.from_env().synonyms_path
    words = {value.lower(): value for value in ENUMS.get((table, column), ())}  # `Department` is department
    words.update(_load(str(extra) if extra else None).get((table, column), {}))
    return words
