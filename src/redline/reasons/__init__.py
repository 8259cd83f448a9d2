"""Reasons: the plain-language sentences (Chinese, English) of findings, rendered from facts."""

from redline.reasons.render import render
from redline.reasons.template import ReasonError

__all__ = ["ReasonError", "render"]
