"""Alembic migrations of the store, shipped as package data (see store.db.migrate)."""
