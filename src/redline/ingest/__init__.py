"""Redline ingest package."""
