"""Redline web common package."""
