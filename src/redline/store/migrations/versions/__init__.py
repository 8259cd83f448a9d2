"""Alembic revisions: `0001_core` and one branch per area (`<area>_0001`, …)."""
