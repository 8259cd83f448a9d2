"""Reasons: the plain-language sentences (Chinese, English) of analyzer findings, from facts."""

from redline.reasons.render import TEMPLATES, render
from redline.reasons.template import ReasonError

__all__ = ["ReasonError", "TEMPLATES", "render"]
