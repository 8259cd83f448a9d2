"""Redline review package."""
