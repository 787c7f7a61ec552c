"""The `sessiontui` command line: check, new, templates, import, schema, groups, run, edit...

One module per group of subcommands, each adding its own parsers and handlers, so a new
command is one new module listed in COMMAND_MODULES. Textual is imported only by the
subcommands that open the app, so `check`, `new`, `schema` and `groups` start fast and work
in scripts and CI.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from sessiontui import __version__
from sessiontui.cli import (
    completion,
    export,
    files,
    groups,
    screens,
    serve,
    templates,
)
from sessiontui.cli.common import CommandParser

__all__ = ["main", "slugify"]

# 128 + SIGPIPE: what a shell reports for a program its pipe's reader left behind, so a
# script with `set -o pipefail` sees the same status as from `cat` or `grep`.
EXIT_BROKEN_PIPE = 141

COMMAND_MODULES = (files, templates, groups, screens, serve, export, completion)
"""Each adds its subcommands; --help lists them in this order: the file commands, the
groups, the app's views, then serving and exporting."""


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the arguments and run one subcommand; returns the process exit code.

    Output into a pipe whose reader has gone (`sessiontui check ... | head -1`) ends quietly
    with EXIT_BROKEN_PIPE, as the Python docs advise for BrokenPipeError, not a traceback.
    """
    try:
        try:
            code = _parse_and_run(argv)
        except SystemExit:
            # --help or a usage error into a closed pipe: flushed here, not at exit.
            sys.stdout.flush()
            raise
        # Flushed here so a closed pipe shows up while it can still be handled.
        sys.stdout.flush()
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # Python would flush stdout again at exit and print the error: point it at devnull.
        with contextlib.suppress(OSError):  # stdout without a file descriptor (a test's)
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
    return code


def _parse_and_run(argv: Sequence[str] | None) -> int:
    parser = _build_parser()
    args = parser.parse_args(argv)
    handler = getattr(args, "handler", screens.open_home)
    code: int = handler(args)
    return code


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sessiontui",
        description="A terminal companion for live facilitated workshops. "
        "With no subcommand, opens the home screen listing the sessions in --dir.",
    )
    parser.add_argument("--version", action="version", version=f"sessiontui {__version__}")
    parser.add_argument(
        "--dir",
        type=Path,
        # None when not given, so `new --from` can tell "write beside the source" apart.
        default=None,
        help="folder of session files (default: ./sessions)",
    )
    commands = parser.add_subparsers(
        title="subcommands", metavar="COMMAND", parser_class=CommandParser
    )
    for module in COMMAND_MODULES:
        module.add_parsers(commands)
    return parser


def slugify(title: str) -> str:
    """A file-name-safe slug of a title (`library.slugify`, imported only when used)."""
    from sessiontui.core.library import slugify as library_slugify

    return library_slugify(title)
