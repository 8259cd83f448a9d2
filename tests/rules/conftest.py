"""Fixtures of the rules tests: small real implementations of the detector contracts (a
substring lexicon detector, a keyword detector per registry key, a record analyzer), so
that loader and compiler tests do not depend on the text engine's detectors."""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

import pytest
from pydantic import BaseModel, ConfigDict, Field

from redline.contracts import BuildContext, BundleTables, Finding, Hit, Trigger
from redline.rules.load import Registry


@dataclass(frozen=True)
class TermScanner:
    """Finds each (label, term) by substring search: slow, obviously correct."""

    name: ClassVar[str] = "lexicon"
    key: str
    terms: tuple[tuple[str, str], ...]

    def scan(self, texts: Sequence[str]) -> list[Hit]:
        hits = []
        for row, text in enumerate(texts):
            for label, term in self.terms:
                start = text.find(term)
                if start >= 0:
                    hits.append(Hit(row, self.key, label, start, start + len(term), 1.0))
        return hits


class LexiconConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    lexicon: str | list[str]  # a list as the real detector takes it (the group checks' probes use lists)
    min_count: int = Field(default=1, ge=1)
    official_prose: bool = True  # as the real detector's (a chat-only list is no hit in official prose)


class SubstringLexicon:
    name: ClassVar[str] = "lexicon"
    Config: ClassVar[type[BaseModel]] = LexiconConfig

    @classmethod
    def build(cls, triggers: Sequence[Trigger], ctx: BuildContext) -> TermScanner:
        pairs = []
        for t in triggers:
            assert isinstance(t.config, LexiconConfig)
            names = [t.config.lexicon] if isinstance(t.config.lexicon, str) else t.config.lexicon
            pairs += [(t.label, term.split("|")[0]) for name in names for term in ctx.lexicons[name]]
        return TermScanner("lexicon", tuple(pairs))


class EmptyConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def keyword_factory(key: str, words: tuple[str, ...], config: type[BaseModel] = EmptyConfig) -> type:
    """A detector kind that fires on fixed words (stands in for gift_offer, pii, ...)."""

    class Keyword:
        name: ClassVar[str] = key
        Config: ClassVar[type[BaseModel]] = config
        BUILDS: ClassVar[list[int]] = []

        @classmethod
        def build(cls, triggers: Sequence[Trigger], ctx: BuildContext) -> TermScanner:
            cls.BUILDS.append(len(triggers))
            return TermScanner(key, tuple((t.label, w) for t in triggers for w in words))

    Keyword.__name__ = f"Keyword_{key}"
    return Keyword


class LargeSumsConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    min_yuan: int = Field(default=5000, gt=0)
    grace_days: int = 0


class NoopLargeSums:
    name: ClassVar[str] = "payments.large_sums"
    Config: ClassVar[type[BaseModel]] = LargeSumsConfig

    def analyze(self, tables: BundleTables, triggers: Sequence[Trigger]) -> list[Finding]:
        return []


TEXT_KEYS = ("gift_offer", "secret_marks", "doc_number", "gambling", "canvassing", "flattery", "pii", "near")


def make_registry() -> Registry:
    # Every real text key gets a keyword stand-in (shipped packs may name any of them); the real
    # record analyzers stay: their owners add `payments.*` / `groups.*` triggers to the packs,
    # and those must keep validating here.
    from redline.registry import RECORD_ANALYZERS, TEXT_DETECTORS

    text: dict[str, type] = {"lexicon": SubstringLexicon}
    for key in sorted({*TEXT_KEYS, *TEXT_DETECTORS} - {"lexicon"}):
        real = TEXT_DETECTORS.get(key)  # validate `when` configs exactly as production does
        text[key] = keyword_factory(key, (f"<{key}>",), real.Config if real is not None else EmptyConfig)

    return Registry(text=text, record={**RECORD_ANALYZERS, "payments.large_sums": NoopLargeSums})


@pytest.fixture
def registry() -> Registry:
    """Every registry key the shipped packs use, each a fresh keyword detector."""
    return make_registry()


@pytest.fixture
def write_pack(tmp_path: Path) -> Callable[..., Path]:
    """Write a pack YAML (text) to a temp file and return its path."""

    def write(text: str, name: str = "pack.yaml") -> Path:
        path = tmp_path / name
        path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
        return path

    return write
