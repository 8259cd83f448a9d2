"""The `redline` command line: one root command; each sub-command lives in its own module.

Errors are translated only here: a RedlineError becomes one line on stderr and exit code 2
(`--debug` shows the traceback).
"""

from __future__ import annotations

import importlib
import sys
from typing import Final

import typer

from redline.errors import RedlineError

# Each module defines `register(app: typer.Typer) -> None`. Add a command by adding its module.
COMMAND_MODULES: Final[tuple[str, ...]] = (
    "redline.cli.version",
    "redline.cli.packs",
    "redline.cli.screen",
    "redline.cli.scan",
    "redline.cli.ingest",
    "redline.cli.portal",
    "redline.cli.export",
    "redline.cli.screen_files",
    "redline.cli.demo",
    "redline.cli.load",
    "redline.cli.stats",
    "redline.cli.serve",
    "redline.cli.users",
    "redline.cli.audit",
    "redline.cli.report",
    "redline.cli.payments",
    "redline.cli.groups",
    "redline.cli.train",
    "redline.cli.classify",
    "redline.cli.models",
    "redline.cli.evidence",
    "redline.cli.retention",
    "redline.cli.watch",
)

# Top-level command → the module that registers it, so that `redline ingest …` imports one
# module instead of every analysis (start-up in a fraction of a second). A command missing
# here still works: the root then imports every module. tests/cli/test_root.py keeps it true.
COMMANDS: Final[dict[str, str]] = {
    "version": "redline.cli.version", "packs": "redline.cli.packs", "screen": "redline.cli.screen",
    "scan": "redline.cli.scan", "ingest": "redline.cli.ingest", "portal": "redline.cli.portal",
    "officers": "redline.cli.portal", "portal-purge": "redline.cli.portal", "export": "redline.cli.export",
    "screen-files": "redline.cli.screen_files", "demo": "redline.cli.demo", "load": "redline.cli.load",
    "stats": "redline.cli.stats", "serve": "redline.cli.serve", "users": "redline.cli.users",
    "audit": "redline.cli.audit", "report": "redline.cli.report", "payments": "redline.cli.payments",
    "groups": "redline.cli.groups", "train": "redline.cli.train", "classify": "redline.cli.classify",
    "models": "redline.cli.models",
    "evidence": "redline.cli.evidence", "retention": "redline.cli.retention", "hold": "redline.cli.retention",
    "watch": "redline.cli.watch",
}

app = typer.Typer(
    name="redline",
    help="Redline (红线): leads, not verdicts — screening of work messaging, red packets and work groups.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


@app.callback()
def _root() -> None:
    """Redline (红线): leads, not verdicts — screening of work messaging, red packets and work groups."""


def _build(args: list[str] | None = None) -> typer.Typer:
    """The root app with the command `args` names, or with every command."""
    command = next((a for a in args or [] if not a.startswith("-")), None)
    wanted = [COMMANDS[command]] if command in COMMANDS else list(COMMAND_MODULES)
    for module_name in dict.fromkeys(wanted):
        importlib.import_module(module_name).register(app)
    return app


def main(argv: list[str] | None = None) -> None:
    """Entry point of the `redline` script."""
    args = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args
    if debug:
        args.remove("--debug")
    cli = _build(args)
    try:
        code = cli(args=args, standalone_mode=False)
        # without standalone mode click returns the code of typer.Exit instead of exiting
        if isinstance(code, int) and code:
            if code == 130:  # typer turns Ctrl-C (KeyboardInterrupt) into a bare exit code 130
                print("redline: aborted", file=sys.stderr)
            sys.exit(code)
    except RedlineError as exc:
        if debug:
            raise
        print(f"redline: error: {exc}", file=sys.stderr)
        sys.exit(2)
    except (typer.Abort, KeyboardInterrupt):
        print("redline: aborted", file=sys.stderr)
        sys.exit(130)
    except SystemExit:
        raise
    except Exception as exc:  # click usage errors and friends
        # usage errors (typer ships its own copy of click, so test the shape, not the class)
        if hasattr(exc, "format_message") and hasattr(exc, "exit_code"):
            print(f"redline: error: {exc.format_message()} (see `redline --help`)", file=sys.stderr)
            sys.exit(2)
        if debug:
            raise
        print(f"redline: error: {type(exc).__name__}: {exc} (run with --debug for details)", file=sys.stderr)
        sys.exit(1)
