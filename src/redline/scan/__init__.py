"""Redline scan package."""
