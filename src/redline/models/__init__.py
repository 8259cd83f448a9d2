"""Redline models package."""
