"""Redline text package."""
