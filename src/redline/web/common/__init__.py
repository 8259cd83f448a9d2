"""Pieces every Redline web app shares: sessions and CSRF, translations, error mapping."""
