"""The subcommands that open the app: run, edit, notes, review, present, and the home screen.

Textual is imported only once a terminal is known to be there, so a bad file or a missing
terminal is reported as quickly as `check` would.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from sessiontui.cli.common import (
    EXIT_OK,
    fail_each,
    fail_line,
    folder_of,
    has_terminal,
    needs_a_terminal,
)

if TYPE_CHECKING:
    import argparse

    from sessiontui.cli.common import Commands


def add_parsers(commands: Commands) -> None:
    """Add run, edit, notes, review and present; the home screen needs no subcommand."""
    run = commands.add_parser(
        "run",
        examples=[
            "sessiontui run sessions/2024-03-01-retro.toml",
        ],
        help="open a session in the app",
        description="Open one session file in the app.",
    )
    run.add_argument("file", type=Path, metavar="FILE")
    run.set_defaults(handler=_run)

    edit = commands.add_parser(
        "edit",
        examples=[
            "sessiontui edit sessions/2024-03-01-retro.toml",
        ],
        help="plan a session in the app: its fields and agenda",
        description="Open one session file in the plan editor: title, date, times, "
        "participants, ways of working and the agenda, saved as you go.",
    )
    edit.add_argument("file", type=Path, metavar="FILE")
    edit.set_defaults(handler=_edit)

    notes = commands.add_parser(
        "notes",
        examples=[
            "sessiontui notes FILE",
            'sessiontui notes FILE --item coffee-trial --group "Group 2"',
        ],
        help="take notes for a breakout group",
        description="The note-taker's view of one session file: a group picker, the room's "
        "current item and its time left, and the notes pane shaped by the item's template. "
        "Several can run on one file beside the facilitator's `run`; saves are merged.",
    )
    notes.add_argument("file", type=Path, metavar="FILE")
    notes.add_argument("--item", metavar="ID", help="agenda item id (default: the room's current)")
    notes.add_argument("--group", metavar="NAME", help='group name, e.g. "Group 2"')
    notes.set_defaults(handler=_notes)

    review = commands.add_parser(
        "review",
        examples=[
            "sessiontui review sessions/2024-03-01-retro.toml",
            "sessiontui review --dir sessions",
        ],
        help="review a past session: timing, notes, commitments",
        description="A read-only review of one session file: planned against actual "
        "timing, the log, the notes of every breakout by template, the commitments and "
        "the coming-up list. Given a folder (default: --dir), opens its home screen, "
        "where Enter reviews the highlighted session.",
    )
    review.add_argument("target", type=Path, nargs="?", metavar="FILE|DIR")
    review.set_defaults(handler=_review)

    present = commands.add_parser(
        "present",
        examples=[
            "sessiontui present sessions/2024-03-01-retro.toml",
        ],
        help="the shared screen for the room, following a session live",
        description="A read-only view of one session file for a projector or a shared "
        "screen: the current item, its countdown, prompts, ways of working and the "
        "facilitator's broadcast. It follows the facilitator's `run` within a second and "
        "never writes the file; any number can follow one file.",
    )
    present.add_argument("file", type=Path, metavar="FILE")
    present.set_defaults(handler=_present)


def _run(args: argparse.Namespace) -> int:
    return _open_session(args.file, mode="run")


def _edit(args: argparse.Namespace) -> int:
    return _open_session(args.file, mode="edit")


def _present(args: argparse.Namespace) -> int:
    return _open_session(args.file, mode="present")


def _notes(args: argparse.Namespace) -> int:
    path: Path = args.file
    if args.item is not None:
        from sessiontui import session_file

        try:
            session = session_file.open_session(path).session
        except session_file.SessionFileError as error:
            return fail_each(error.problems)
        ids = [item.id for item in session.agenda]
        if args.item not in ids:
            return fail_line(f"{path}: no agenda item has id {args.item!r}: {', '.join(ids)}")
    return _open_session(path, mode="notes", item=args.item, group=args.group)


def _review(args: argparse.Namespace) -> int:
    target: Path = args.target if args.target is not None else folder_of(args)
    if target.is_dir():
        if not has_terminal():
            return needs_a_terminal("sessiontui review")
        from sessiontui.tui.app import make_app

        make_app(folder=target, mode="review").run()
        return EXIT_OK
    return _open_session(target, mode="review")


def _open_session(
    path: Path, *, mode: str, item: str | None = None, group: str | None = None
) -> int:
    """Open one session file in the app in `mode`; a bad file exits 2 with the lines `check` prints.

    The app checks the file itself, so the file is read here only when there is no terminal.
    """
    try:
        os.stat(path)
    except FileNotFoundError:
        pass  # The app (or the check below) reports it as "no such file".
    except OSError as error:
        # A symlink loop or a folder without access: why, in the words `check` uses; the
        # app's own follower would only see that the file cannot be found.
        return fail_line(f"{path}: cannot read it: {error.strerror or error}")
    if not has_terminal():
        # No terminal to show the app in: report a bad file the way `check` does, else why
        # the app cannot start.
        from sessiontui import session_file

        try:
            session_file.open_session(path)
        except session_file.SessionFileError as error:
            return fail_each(error.problems)
        return needs_a_terminal(f"sessiontui {mode}")
    from sessiontui.tui.app import make_app

    # The app checks the file itself, after its first frame: checking here first would
    # import pydantic before anything is on screen. It exits with code 2 if the file is bad.
    app = make_app(
        session_path=path,
        folder=path.parent,
        exit_on_load_error=True,
        mode=mode,
        item=item,
        group=group,
    )
    app.run()
    if app.load_problems:
        return fail_each(app.load_problems)
    return app.return_code or EXIT_OK


def open_home(args: argparse.Namespace) -> int:
    """The home screen, listing the sessions in --dir: what `sessiontui` alone opens."""
    folder = folder_of(args)
    if folder.exists() and not folder.is_dir():
        return fail_line(f"{folder}: is not a folder")
    if not has_terminal():
        return needs_a_terminal("sessiontui")
    from sessiontui.tui.app import make_app

    make_app(folder=folder).run()
    return EXIT_OK
