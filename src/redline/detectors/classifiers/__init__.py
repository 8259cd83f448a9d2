"""Redline detectors classifiers package."""
