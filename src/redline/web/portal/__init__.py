"""Redline web portal package."""
