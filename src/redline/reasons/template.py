"""A reason template: the (zh, en) sentences of one reason key, rendered from named facts.

An analyzer never writes a sentence: it names a reason key ("payments.large_sums") and hands
over the facts the sentence needs (ids, names, amounts in fen, ISO dates, counts, flags).
A template declares those facts by example, so a missing one is an error that names the key
and the field, and every key can be rendered in tests from its own example.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from redline.errors import RedlineError

Facts = Mapping[str, Any]
Render = Callable[[Facts], tuple[str, str]]


class ReasonError(RedlineError):
    """A reason cannot be rendered: its key is unknown or a fact it reads is missing."""

    def __init__(self, message: str, *, key: str, field: str | None = None) -> None:
        super().__init__(message)
        self.key = key
        self.field = field


@dataclass(frozen=True, slots=True)
class Template:
    """The sentences of one reason key; `example` lists every fact they read, with a sample value."""

    key: str
    example: Facts
    render_facts: Render

    def render(self, facts: Facts) -> tuple[str, str]:
        """(zh, en) for these facts; a fact the template reads but `facts` lacks is a ReasonError."""
        for name in self.example:
            if name not in facts:
                raise ReasonError(f"reason {self.key!r} needs the fact {name!r}, which the analyzer did not give",
                                  key=self.key, field=name)
        return self.render_facts(facts)


class TemplateTable(Mapping[str, Template]):
    """One domain's templates by key; `add` registers a render function as a template."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix  # every key of the table starts with it: "payments."
        self._by_key: dict[str, Template] = {}

    def add(self, key: str, example: Facts) -> Callable[[Render], Render]:
        """Decorator: `fn(facts) -> (zh, en)` becomes the template of `key`."""
        if not key.startswith(self.prefix) or key in self._by_key:
            raise ValueError(f"reason key {key!r} is not new under {self.prefix!r}")

        def register(fn: Render) -> Render:
            self._by_key[key] = Template(key, dict(example), fn)
            return fn

        return register

    def __getitem__(self, key: str) -> Template:
        return self._by_key[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._by_key)

    def __len__(self) -> int:
        return len(self._by_key)
