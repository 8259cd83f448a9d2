"""`clf.offensive`: offensive speech (攻击性言论) attacking people or groups, trained on COLD.

Backs Tianjin rules 4 and 9 and Zhejiang rules 4 and 10 (low-taste and insulting content).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import ClassVar

import numpy as np
import numpy.typing as npt
from pydantic import BaseModel

from redline.contracts import BuildContext, Trigger
from redline.detectors.classifiers.base import (
    ClassifierConfig,
    MessageClassifier,
    build_message_classifier,
    shipped_model,
)
from redline.detectors.classifiers.grams import sigmoid
from redline.detectors.classifiers.ngram_gate import GateCurve, lead_logits, load_gate
from redline.detectors.classifiers.offensive_cascade import CnnStage


@dataclass(frozen=True, slots=True)
class OffensiveModel(MessageClassifier):
    """The built clf.offensive detector (the registry key as its `name`)."""

    name: ClassVar[str] = "clf.offensive"
    gate: GateCurve | None = None  # the model's first stage (ngram_gate.py), when measured for it
    stage: CnnStage | None = None  # a CNN asked where the n-gram score is unsure (no shipped model has one)

    def scores(self, texts: Sequence[str]) -> npt.NDArray[np.float64]:
        first = self.model.scores(texts)
        return first if self.stage is None else self.stage.rescore(texts, first)

    def lead_scores(self, texts: Sequence[str]) -> npt.NDArray[np.float64]:
        if self.stage is not None:  # the gate was measured on the n-gram scores, not the cascade's
            return self.scores(texts)
        logits = lead_logits(self.model, self.gate, texts, [t for _, t in self.triggers])
        return np.where(np.isneginf(logits), 0.0, sigmoid(logits))


class OffensiveClassifier:
    """Factory of the COLD offensive-speech classifier (one built instance per plan)."""

    name: ClassVar[str] = "clf.offensive"
    model_name: ClassVar[str] = "offensive"
    Config: ClassVar[type[BaseModel]] = ClassifierConfig

    @classmethod
    def build(cls, triggers: Sequence[Trigger], ctx: BuildContext) -> OffensiveModel:
        """Load the shipped model; each trigger may override the card's threshold."""
        del ctx  # the model is package data; nothing organisation-specific to add
        built = build_message_classifier(cls.name, cls.model_name, triggers, OffensiveModel)
        files = shipped_model(cls.model_name)
        return replace(built, gate=load_gate(files), stage=CnnStage.from_files(files.meta, files.arrays))
