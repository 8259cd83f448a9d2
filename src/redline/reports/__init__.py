"""Redline reports package."""
