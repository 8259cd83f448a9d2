"""`clf.offensive`: offensive speech (攻击性言论) attacking people or groups, trained on COLD.

Backs Tianjin rules 4 and 9 and Zhejiang rules 4 and 10 (low-taste and insulting content).
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
class OffensiveModel(MessageClassifier):
    """The built clf.offensive detector (the registry key as its `name`)."""

    name: ClassVar[str] = "clf.offensive"

class OffensiveClassifier:
    """Factory of the COLD offensive-speech classifier (one built instance per plan)."""

    name: ClassVar[str] = "clf.offensive"
    model_name: ClassVar[str] = "offensive"
    Config: ClassVar[type[BaseModel]] = ClassifierConfig

    @classmethod
    def build(cls, triggers: Sequence[Trigger], ctx: BuildContext) -> OffensiveModel:
        """Load the shipped model; each trigger may override the card's threshold."""
        del ctx  # the model is package data; nothing organisation-specific to add
        return build_message_classifier(cls.name, cls.model_name, triggers, OffensiveModel)
