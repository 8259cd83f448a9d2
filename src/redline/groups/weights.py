"""Score weights of the group checks: named config fields a pack can set, listed by `packs show`.

A group check reports a written rule broken (an owner missing, a name not shown, an outsider
in the group): a fact, not a guess, so by default its finding scores 1.0. The score ranks
leads in the review queue, so a pack may rank one check's leads below another's
(`groups.display_name: {weights: {breach: 0.4}}`); a typo in a weight is an error.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class GroupWeights(BaseModel):
    """Base of every group check's weights: frozen, unknown keys are errors."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class BreachWeights(GroupWeights):
    """The score of a check whose finding is a rule broken, with nothing to grade it by."""

    breach: float = Field(1.0, ge=0.0, le=1.0)


class DetectorWeights(GroupWeights):
    """The score of a check built on a text detector: the detector's score times `detector`."""

    detector: float = Field(1.0, ge=0.0, le=1.0)
