"""`completion`: the shell completion script, generated from the command line's own parser."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from sessiontui.cli.common import EXIT_OK

if TYPE_CHECKING:
    from sessiontui.cli.common import Commands


def add_parsers(commands: Commands) -> None:
    """Add completion."""
    completion = commands.add_parser(
        "completion",
        examples=[
            "sessiontui completion bash > ~/.local/share/bash-completion/completions/sessiontui",
            "sessiontui completion zsh > ~/.zfunc/_sessiontui",
            "sessiontui completion fish > ~/.config/fish/completions/sessiontui.fish",
        ],
        help="print the shell completion script for bash, zsh or fish",
        description="Print a script that completes sessiontui's subcommands, options and "
        "file names in SHELL, generated from this command line's own parser (with shtab). "
        "Save it where your shell loads completions, as in the examples, or source it.",
    )
    completion.add_argument(
        "shell", choices=("bash", "zsh", "fish"), metavar="SHELL", help="bash, zsh or fish"
    )
    completion.set_defaults(handler=_completion)


def _completion(args: argparse.Namespace) -> int:
    import shtab

    # Imported here: the package imports this module to build that parser. A parser of its
    # own, as the loop below changes it for printing.
    from sessiontui.cli import _build_parser

    parser = _build_parser()
    # Paths complete as file names, --dir as folders: read from each argument's type, so a
    # new subcommand's FILE completes without anyone remembering to mark it.
    parsers = [parser]
    while parsers:
        for action in parsers.pop()._actions:
            if isinstance(action, argparse._SubParsersAction):
                parsers.extend(action.choices.values())
                # shtab lists a subcommand with its description, a paragraph here: the one-line
                # help reads better in zsh's and fish's menus (this parser is only printed).
                for choice in action._choices_actions:
                    action.choices[choice.dest].description = choice.help
            elif action.type is Path:
                folder_only = action.dest == "dir"
                action.complete = shtab.DIRECTORY if folder_only else shtab.FILE  # type: ignore[attr-defined]
    sys.stdout.write(shtab.complete(parser, shell=args.shell))
    return EXIT_OK
