"""Redline rules package."""
