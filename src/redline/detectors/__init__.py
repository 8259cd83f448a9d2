"""Redline detectors package."""
