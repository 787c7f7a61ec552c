"""What every subcommand shares: exit codes, --dir, one-line failures and the terminal check.

Only the standard library at import time: `display` and `session_file` are imported where a
line is printed or a file read, so `sessiontui --help` starts without them.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO, TypeAlias

if TYPE_CHECKING:
    from sessiontui.session_file import SessionFileError

EXIT_OK = 0
EXIT_BAD_INPUT = 2
DEFAULT_FOLDER = Path("sessions")


class CommandParser(argparse.ArgumentParser):
    """A subcommand's parser: takes --dir after the subcommand too (`new ... --dir x`)."""

    def __init__(self, *, examples: Sequence[str] = (), **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.examples = tuple(examples)
        # SUPPRESS: when not given here, the value given before the subcommand (or None)
        # stays, so `new --from` can still tell that no --dir was given at all.
        self.add_argument(
            "--dir", type=Path, default=argparse.SUPPRESS, help="folder of session files"
        )

    def format_help(self) -> str:
        """The help, then the examples as typed: an epilog would be re-wrapped into one line."""
        text = super().format_help()
        if not self.examples:
            return text
        return text + "\nexamples:\n" + "".join(f"  {example}\n" for example in self.examples)


# What each command module's `add_parsers` adds its subcommands to.
Commands: TypeAlias = "argparse._SubParsersAction[CommandParser]"


def folder_of(args: argparse.Namespace) -> Path:
    """The folder of sessions: --dir, else ./sessions."""
    folder: Path | None = args.dir
    return DEFAULT_FOLDER if folder is None else folder


def say(line: str, *, file: TextIO | None = None) -> None:
    """Print one line carrying user text or a file name, made terminal-safe by `display`."""
    from sessiontui.display import safe_line

    print(safe_line(line), file=file)


def fail(message: str) -> int:
    """Print a message on stderr, terminal-safe, and return the bad-input exit code."""
    print(terminal_safe(message), file=sys.stderr)
    return EXIT_BAD_INPUT


def fail_line(message: str) -> int:
    """Like `fail`, for one line: a name holding a newline must not split the message."""
    from sessiontui.display import safe_line

    return fail(safe_line(message))


def fail_each(problems: Iterable[str]) -> int:
    """Print each problem as one terminal-safe line on stderr (a file name may hold a newline)."""
    for problem in problems:
        say(problem, file=sys.stderr)
    return EXIT_BAD_INPUT


def terminal_safe(message: str) -> str:
    """The message without escape sequences, so a file's text cannot drive the terminal."""
    from sessiontui.display import safe_text

    return safe_text(message)


def first_problem(error: SessionFileError, path: Path) -> str:
    """One line for a file that failed to load: its first problem, and how to see them all."""
    problems = error.problems
    if len(problems) == 1:
        return problems[0]
    return f"{problems[0]} (and {len(problems) - 1} more: sessiontui check {path})"


def has_terminal() -> bool:
    """Whether the app can run here: keys from stdin, the screen on stderr, or a web driver.

    Without one (stdin from /dev/null, cron, a script's pipe) Textual reads end-of-file
    forever at full CPU. textual-serve runs each tab's app on pipes with its own driver,
    named in TEXTUAL_DRIVER, so that is not refused.
    """
    if os.environ.get("TEXTUAL_DRIVER"):
        return True
    return all(stream.isatty() for stream in (sys.stdin, sys.stdout, sys.stderr))


def needs_a_terminal(command: str) -> int:
    """Refuse to start the app without a terminal, saying what to do instead; exit 2."""
    return fail_line(
        f"{command} needs a terminal; start it from one (here its input or output is not "
        "a terminal), or use `sessiontui serve` for a browser"
    )
