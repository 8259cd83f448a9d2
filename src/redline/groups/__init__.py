"""Redline groups package."""
