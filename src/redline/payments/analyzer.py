"""The shared shape of a payment typology: one frame per bundle, one pass per trigger.

Each typology module subclasses `PaymentAnalyzer`, declares its `name` (the registry key)
and `Config` (the tunable parameters of a rule's `when:` entry), and turns a validated
`PaymentFrame` into `Lead`s with a few columnar queries.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from pydantic import BaseModel, ConfigDict

from redline.contracts import BundleTables, Finding, Trigger, config_as
from redline.payments.frame import PaymentFrame, frame_of
from redline.payments.lead import Lead, sorted_leads


class TypologyConfig(BaseModel):
    """Base of every typology's Config: frozen, and unknown keys are errors, not ignored."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class Weights(BaseModel):
    """Score weights of a typology: named parts that add up (clamped to 0..1) to a lead's score.

    A pack sets them like any parameter (`payments.large_sums: {weights: {lucky: 0.05}}`), and
    `redline packs show` lists them, so a score can be traced to the numbers that made it.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")


def fen(yuan: float) -> int:
    """Yuan from a rule's parameters as integer fen."""
    return round(yuan * 100)


class PaymentAnalyzer:
    """RecordAnalyzer over payments: subclasses implement `leads(frame, config)`."""

    name: ClassVar[str]
    Config: ClassVar[type[BaseModel]]

    def analyze(self, tables: BundleTables, triggers: Sequence[Trigger]) -> list[Finding]:
        """Findings for every trigger (one rule's `when:` entry each), highest score first."""
        frame = frame_of(tables)
        out: list[Finding] = []
        for trigger in triggers:
            config = self.config_of(trigger)
            out.extend(lead.to_finding(trigger, self.name) for lead in sorted_leads(self.leads(frame, config)))
        return out

    def config_of(self, trigger: Trigger) -> BaseModel:
        """The trigger's config as this typology's Config (validated again if it is not)."""
        return config_as(trigger, self.Config)

    def leads(self, frame: PaymentFrame, config: BaseModel) -> list[Lead]:
        """The typology's leads in this frame under this config."""
        raise NotImplementedError
