"""`redline version`: print the installed version."""

from __future__ import annotations

import typer

from redline import __version__


def register(app: typer.Typer) -> None:
    """Add the command to the root app."""

    @app.command("version")
    def version() -> None:
        """Print Redline's version."""
        print(__version__)
