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
)

app = typer.Typer(
    name="redline",
    help="Redline (红线): leads, not verdicts — screening of work messaging, red packets and work groups.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


def _build() -> typer.Typer:
    for module_name in COMMAND_MODULES:
        importlib.import_module(module_name).register(app)
    return app


def main(argv: list[str] | None = None) -> None:
    """Entry point of the `redline` script."""
    args = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args
    if debug:
        args.remove("--debug")
    cli = _build()
    try:
        code = cli(args=args, standalone_mode=False)
        # without standalone mode click returns the code of typer.Exit instead of exiting
        if isinstance(code, int) and code:
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
        import click

        if isinstance(exc, click.ClickException):
            exc.show()
            sys.exit(2)
        if debug:
            raise
        print(f"redline: error: {type(exc).__name__}: {exc} (run with --debug for details)", file=sys.stderr)
        sys.exit(1)
