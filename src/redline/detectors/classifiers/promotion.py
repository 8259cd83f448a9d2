"""`clf.promotion`: unauthorised selling and promotion (推销、推广; 微商) in chat messages.

Backs Zhejiang rule 5. Trained on QQ group-chat ads, our written work chat and advertising terms
(weak labels); selling cues that carry across groups (`cues.py`) are added to the n-gram score.
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
from redline.detectors.classifiers.cues import CueWeights, cue_weights
from redline.detectors.classifiers.grams import sigmoid
from redline.detectors.classifiers.ngram_gate import GateCurve, lead_logits, load_gate


@dataclass(frozen=True, slots=True)
class PromotionModel(MessageClassifier):
    """The built clf.promotion detector (the registry key as its `name`)."""

    name: ClassVar[str] = "clf.promotion"
    cues: CueWeights | None = None  # 1.3.0+: prices, contact handles … added to the n-gram logit
    gate: GateCurve | None = None  # the model's first stage (ngram_gate.py), when measured for it

    def scores(self, texts: Sequence[str]) -> npt.NDArray[np.float64]:
        if self.cues is None:
            return self.model.scores(texts)
        # below the lowest threshold a rule reads, a score decides nothing: no cue search there
        lowest = min((threshold for _, threshold in self.triggers), default=None)
        return self.cues.scores(texts, self.model.logits(texts), floor=lowest)

    def lead_scores(self, texts: Sequence[str]) -> npt.NDArray[np.float64]:
        thresholds = [t for _, t in self.triggers]
        if self.cues is None:
            logits = lead_logits(self.model, self.gate, texts, thresholds)
            return np.where(np.isneginf(logits), 0.0, sigmoid(logits))
        # the gate allows for the most the cues can add; the rows it stops (-inf) are asked no cue
        logits = lead_logits(self.model, self.gate, texts, thresholds, lift=self.cues.best_case)
        scores = self.cues.scores(texts, logits, floor=min(thresholds, default=None))
        return np.where(np.isneginf(logits), 0.0, scores)


class PromotionClassifier:
    """Factory of the commercial-promotion classifier (one built instance per plan)."""

    name: ClassVar[str] = "clf.promotion"
    model_name: ClassVar[str] = "promotion"
    Config: ClassVar[type[BaseModel]] = ClassifierConfig

    @classmethod
    def build(cls, triggers: Sequence[Trigger], ctx: BuildContext) -> PromotionModel:
        """Load the shipped model; each trigger may override the card's threshold."""
        del ctx  # the model is package data; nothing organisation-specific to add
        built = build_message_classifier(cls.name, cls.model_name, triggers, PromotionModel)
        files = shipped_model(cls.model_name)
        return replace(built, cues=cue_weights(files), gate=load_gate(files))
