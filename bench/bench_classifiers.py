"""Classifier throughput: messages/s per shipped model on one core, batches as the engine sends them.

Messages are real chat-length texts from ../shared/datasets (COLD comments, QQ group chat,
Weibo posts), cycled to the wanted count. Figures: the detector's `scan` on already
normalised batches (what the scan engine calls), and end to end including normalisation;
best of several runs, with the machine's load average, since the build machine is shared.
"""

from __future__ import annotations

import itertools
import os
import time
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from threadpoolctl import threadpool_limits

from redline.contracts import BuildContext, Trigger
from redline.detectors.classifiers.offensive import OffensiveClassifier
from redline.detectors.classifiers.person_name import ROSTER_PARAM, PersonNameFactory
from redline.detectors.classifiers.promotion import PromotionClassifier
from redline.text.normalize import normalize_batch
from redline.training.datasets import read_jsonl, resolve_data_dir

BATCH = 8192
TEXT_MESSAGES = 200_000
NER_MESSAGES = 40_000


def _messages(count: int) -> list[str]:
    data = resolve_data_dir()  # $REDLINE_DATASETS: the Makefile passes ../shared/datasets
    pool: list[str] = []
    for name in ("cold", "qq_group_ads", "weibo_ner"):
        pool.extend(row["text"] for row in itertools.islice(read_jsonl(data, name), 4000))
    return list(itertools.islice(itertools.cycle(pool), count))


def _best_of(runs: int, fn: Callable[[], Any]) -> float:
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - started)
    return best


def _measure(detector: Any, texts: list[str], runs: int) -> dict[str, Any]:
    batches = [texts[i : i + BATCH] for i in range(0, len(texts), BATCH)]
    normalised = [normalize_batch(b).texts for b in batches]
    hits = sum(len(detector.scan(b)) for b in normalised)  # warm-up, and a sanity figure

    def scan_only() -> None:
        for b in normalised:
            detector.scan(b)

    def end_to_end() -> None:
        for b in batches:
            detector.scan(normalize_batch(b).texts)

    scan_s = _best_of(runs, scan_only)
    e2e_s = _best_of(runs, end_to_end)
    return {
        "messages": len(texts),
        "hits": hits,
        "scan_msgs_per_s": round(len(texts) / scan_s),
        "with_normalisation_msgs_per_s": round(len(texts) / e2e_s),
    }


def run() -> dict[str, Any]:
    texts = _messages(TEXT_MESSAGES)
    roster = tuple(f"{s}{g}" for s, g in itertools.product("王李张刘陈杨黄赵吴周", "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚"))
    with threadpool_limits(1):  # one core, as the targets are stated
        figures: dict[str, Any] = {
            "load_average_1min_before": round(os.getloadavg()[0], 2),
            "batch": BATCH,
            "mean_chars": round(float(np.mean([len(t) for t in texts])), 1),
        }
        for name, factory, config, ctx in (
            ("clf.offensive", OffensiveClassifier, {}, BuildContext()),
            ("clf.promotion", PromotionClassifier, {}, BuildContext()),
        ):
            detector = factory.build([Trigger("B", "b", factory.Config.model_validate(config))], ctx)
            figures[name] = _measure(detector, texts, runs=5)
        ner: Sequence[tuple[str, dict[str, Any]]] = (
            ("pii.person_name (CRF alone, lac: false)", {"roster": False, "lac": False}),
            ("pii.person_name (LAC + CRF, the default)", {"roster": False}),
            (f"pii.person_name (LAC + CRF + {len(roster)} roster names)", {}),
        )
        for label, config in ner:
            detector = PersonNameFactory.build(
                [Trigger("B", "b", PersonNameFactory.Config.model_validate(config))],
                BuildContext(params={ROSTER_PARAM: roster}),
            )
            figures[label] = _measure(detector, texts[:NER_MESSAGES], runs=3)
        figures["load_average_1min_after"] = round(os.getloadavg()[0], 2)
    return figures
