"""Redline payments package."""
