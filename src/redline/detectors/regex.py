"""The regex detector: organisation patterns, run through RE2 so no pattern can hang a scan.

Each pattern must compile in RE2 (linear time, no backreferences or lookaround); one that
does not is a PackError at build time. All patterns of the plan go into one hyperscan
prefilter database (one pass per batch); RE2 then finds the exact spans in candidate rows.
Patterns see the NORMALISED text: simplified characters, half width, lower case.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

import re2
from pydantic import BaseModel, ConfigDict, Field, field_validator

from redline.contracts import BuildContext, Hit, Trigger
from redline.detectors.matchers import PatternPrefilter
from redline.errors import PackError
from redline.text.joined import joined_view


class RegexConfig(BaseModel):
    """`- regex: "项目.{0,4}回扣"` or `- regex: {pattern: [a, b], score: 0.8}`."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    pattern: list[str] = Field(min_length=1)
    ignore_case: bool = True
    score: float = Field(default=0.7, ge=0.0, le=1.0)

    @field_validator("pattern", mode="before")
    @classmethod
    def _one_or_many(cls, value: object) -> object:
        return [value] if isinstance(value, str) else value


def compile_re2(pattern: str, ignore_case: bool) -> Any:
    """RE2-compile one pattern; PackError (naming the pattern) if RE2 rejects it."""
    try:
        return re2.compile(("(?i)" if ignore_case else "") + pattern)
    except re2.error as exc:
        raise PackError(f"pattern {pattern!r} is not valid RE2 syntax: {exc}") from exc


class RegexDetector:
    """All regex triggers of a plan: one hyperscan prefilter pass, RE2 for exact spans."""

    name: ClassVar[str] = "regex"
    Config: ClassVar[type[BaseModel]] = RegexConfig

    def __init__(self, entries: list[tuple[str, str, bool, float]]) -> None:
        self._entries = entries  # (label, pattern, ignore_case, score)
        self._setup()

    def _setup(self) -> None:
        self._compiled = [compile_re2(p, ic) for _, p, ic, _ in self._entries]
        self._prefilter = PatternPrefilter(
            [("(?i)" if ic else "") + p for _, p, ic, _ in self._entries], caseless=False
        )

    def __getstate__(self) -> list[tuple[str, str, bool, float]]:
        return self._entries  # RE2 objects do not pickle: rebuild them on the other side

    def __setstate__(self, state: list[tuple[str, str, bool, float]]) -> None:
        self._entries = state
        self._setup()

    @classmethod
    def build(cls, triggers: Sequence[Trigger], ctx: BuildContext) -> RegexDetector:
        """Validate every pattern with RE2 (PackError names the trigger) and build one detector."""
        entries: list[tuple[str, str, bool, float]] = []
        for trigger in triggers:
            config = trigger.config
            if not isinstance(config, RegexConfig):
                raise PackError(f"{trigger.label}: regex trigger with a {type(config).__name__}")
            for pattern in config.pattern:
                try:
                    compile_re2(pattern, config.ignore_case)
                except PackError as exc:
                    raise PackError(f"{trigger.label}: {exc.message}") from exc
                entries.append((trigger.label, pattern, config.ignore_case, config.score))
        return cls(entries)

    def scan(self, texts: Sequence[str]) -> list[Hit]:
        """Hits per pattern match; offsets in the normalised texts."""
        hits: list[Hit] = []
        for pid, row in self._prefilter.candidates(joined_view(texts)):
            label, pattern, _, score = self._entries[pid]
            hits.extend(
                Hit(row, self.name, label, m.start(), m.end(), score, f"pattern {pattern}")
                for m in self._compiled[pid].finditer(texts[row])
                if m.end() > m.start()
            )
        return hits
