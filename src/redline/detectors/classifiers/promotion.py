"""`clf.promotion`: unauthorised selling and promotion (推销、推广; 微商) in chat messages.

Backs Zhejiang rule 5. Trained on QQ group-chat ads plus advertising terms as weak labels.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from pydantic import BaseModel

from redline.contracts import BuildContext, Trigger
from redline.detectors.classifiers.base import (
    ClassifierConfig,
    MessageClassifier,
    build_message_classifier,
)


@dataclass(frozen=True, slots=True)
class PromotionModel(MessageClassifier):
    """The built clf.promotion detector (the registry key as its `name`)."""

    name: ClassVar[str] = "clf.promotion"

class PromotionClassifier:
    """Factory of the commercial-promotion classifier (one built instance per plan)."""

    name: ClassVar[str] = "clf.promotion"
    model_name: ClassVar[str] = "promotion"
    Config: ClassVar[type[BaseModel]] = ClassifierConfig

    @classmethod
    def build(cls, triggers: Sequence[Trigger], ctx: BuildContext) -> PromotionModel:
        """Load the shipped model; each trigger may override the card's threshold."""
        del ctx  # the model is package data; nothing organisation-specific to add
        return build_message_classifier(cls.name, cls.model_name, triggers, PromotionModel)
