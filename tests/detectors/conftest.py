"""Fixtures for detector tables: build a real detector, scan through the real normaliser."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import pytest

from redline.contracts import BuildContext, Hit, TextDetectorFactory, Trigger
from redline.scan.engine import scan_hits

Detect = Callable[..., list[tuple[str, str]]]


def build(
    factory: type[TextDetectorFactory], configs: Sequence[Mapping[str, Any]] = ({},),
    lexicons: Mapping[str, tuple[str, ...]] | None = None,
) -> Any:
    """A detector with one trigger per config, labelled T#0, T#1, …"""
    triggers = [
        Trigger("T", f"T#{i}", factory.Config.model_validate(dict(c))) for i, c in enumerate(configs)
    ]
    return factory.build(triggers, BuildContext(lexicons=dict(lexicons or {})))


@pytest.fixture
def detect() -> Detect:
    """detect(Factory, text, config={}, lexicons=None) → [(evidence in the original, why)]."""

    def run(
        factory: type[TextDetectorFactory], text: str, config: Mapping[str, Any] | None = None,
        lexicons: Mapping[str, tuple[str, ...]] | None = None,
    ) -> list[tuple[str, str]]:
        detector = build(factory, [config or {}], lexicons)
        hits: list[Hit] = scan_hits([detector], [text])
        return [(text[h.start : h.end], h.why) for h in hits]

    return run
