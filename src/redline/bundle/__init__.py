"""Redline bundle package."""
