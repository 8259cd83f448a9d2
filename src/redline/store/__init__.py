"""Redline store package."""
