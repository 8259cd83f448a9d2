"""YAML sources: safe parsing that remembers the line and column of every node.

Packs and overrides are parsed with ruamel.yaml (round-trip mode, which keeps positions and
rejects duplicate keys), then turned into plain Python data plus a position table keyed by
field path (`rules[5].when[1].lexicon`), so that a validation error anywhere can name
`file:line:col: field`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from redline.errors import PackError, SourceLocation

PathKey = tuple[str | int, ...]


def field_path(loc: Sequence[str | int]) -> str:
    """Dotted field path from a key tuple: ("rules", 5, "when", 1) → "rules[5].when[1]"."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


@dataclass(frozen=True, slots=True)
class YamlDoc:
    """A parsed YAML file: plain data and the 1-based (line, column) of every node."""

    path: Path
    data: Any
    positions: Mapping[PathKey, tuple[int, int]] = field(default_factory=dict)

    def location(self, loc: Sequence[str | int], fld: str | None = None) -> SourceLocation:
        """Where `loc` (or its nearest ancestor that has a position) sits in the file."""
        key: PathKey = tuple(loc)
        while key and key not in self.positions:
            key = key[:-1]
        line, col = self.positions.get(key, (None, None))
        return SourceLocation(self.path, line, col, fld if fld is not None else field_path(loc) or None)

    def error(self, loc: Sequence[str | int], message: str, fld: str | None = None) -> PackError:
        """A PackError located at `loc`."""
        return PackError(message, self.location(loc, fld))


def _plain(node: Any, here: PathKey, positions: dict[PathKey, tuple[int, int]]) -> Any:
    """Convert ruamel nodes to dict/list/scalars, recording positions (1-based) on the way."""
    if isinstance(node, CommentedMap):
        out: dict[Any, Any] = {}
        for key, value in node.items():
            child = (*here, str(key))
            try:
                line, col = node.lc.key(key)
                positions[child] = (line + 1, col + 1)
            except (KeyError, TypeError):  # keys merged from anchors have no position
                pass
            out[str(key) if not isinstance(key, (int, float, bool)) else key] = _plain(
                value, child, positions
            )
        return out
    if isinstance(node, CommentedSeq):
        items: list[Any] = []
        for i, value in enumerate(node):
            child = (*here, i)
            try:
                line, col = node.lc.item(i)
                positions[child] = (line + 1, col + 1)
            except (KeyError, TypeError):
                pass
            items.append(_plain(value, child, positions))
        return items
    if isinstance(node, str):
        return str(node)  # drop ruamel's scalar-string subclasses
    return node


def parse_yaml_text(text: str, path: Path | str) -> YamlDoc:
    """Parse YAML text; a syntax error or a duplicate key raises PackError with its line."""
    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = False
    try:
        root = yaml.load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        col = mark.column + 1 if mark is not None else None
        problem = exc.problem or exc.context or "invalid YAML"
        if "duplicate key" in str(exc):
            problem = f"duplicate key: {problem}"
        raise PackError(problem.strip(), SourceLocation(path, line, col)) from exc
    except YAMLError as exc:
        raise PackError(f"invalid YAML: {exc}", SourceLocation(path)) from exc
    positions: dict[PathKey, tuple[int, int]] = {}
    if isinstance(root, (CommentedMap, CommentedSeq)):
        positions[()] = (root.lc.line + 1, root.lc.col + 1)
    return YamlDoc(Path(path), _plain(root, (), positions), positions)


def display_path(path: Path | str) -> Path:
    """The path as a user would type it: relative to the working folder when inside it."""
    p = Path(path)
    try:
        return p.resolve().relative_to(Path.cwd())
    except ValueError:
        return p


def load_yaml(path: Path | str) -> YamlDoc:
    """Read and parse a YAML file (UTF-8); unreadable files raise PackError."""
    p = display_path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PackError(f"cannot read: {exc}", SourceLocation(p)) from exc
    return parse_yaml_text(text, p)
