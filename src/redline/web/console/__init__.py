"""Redline web console package."""
