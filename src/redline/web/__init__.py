"""Redline web package."""
