"""The CLI root: the command→module map is complete, so `redline X` imports only X's module."""

from __future__ import annotations

import importlib

import typer
from typer.main import get_command

from redline.cli import COMMAND_MODULES, COMMANDS


def _commands_of(module_name: str) -> set[str]:
    app = typer.Typer()

    @app.callback()
    def _root() -> None:
        """Root."""

    importlib.import_module(module_name).register(app)
    return set(get_command(app).commands)  # type: ignore[attr-defined]


def test_every_command_is_mapped_to_the_module_that_registers_it() -> None:
    registered = {name: module for module in COMMAND_MODULES for name in _commands_of(module)}
    assert registered == COMMANDS
    assert set(COMMANDS.values()) == set(COMMAND_MODULES)
