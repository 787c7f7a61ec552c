"""The subcommands about session files themselves: check, new, import and schema.

Each reads or writes files through `session_file`, imported when the command runs so that
`check` and `schema` start without Textual and fast enough for scripts and CI.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from sessiontui.cli.common import (
    EXIT_BAD_INPUT,
    EXIT_OK,
    fail_each,
    fail_line,
    folder_of,
    say,
)

if TYPE_CHECKING:
    from sessiontui.cli.common import Commands
    from sessiontui.core.model import Session


def add_parsers(commands: Commands) -> None:
    """Add check, new, import and schema."""
    check = commands.add_parser(
        "check",
        examples=[
            "sessiontui check sessions/2024-03-01-retro.toml",
            "sessiontui check sessions",
            "sessiontui check sessions/*",
        ],
        help="validate session files",
        description="Validate session files: prints 'FILE: ok' or one line per problem. "
        "A folder means every session (*.toml) in it; with no FILE, the --dir folder "
        "(default ./sessions). Other files, such as session.schema.json, are skipped with a "
        "line saying so. Exit 0 when all are valid, 2 when any is not. Plan warnings do not "
        "fail.",
    )
    check.add_argument("files", nargs="*", type=Path, metavar="FILE|DIR")
    check.set_defaults(handler=_check)

    new = commands.add_parser(
        "new",
        examples=[
            'sessiontui new --template retro --title "Team retro" --date 2024-03-01',
            "sessiontui new --from sessions/2024-03-01-retro.toml",
            "sessiontui new --from FILE --date 2024-04-05 -o sessions/april.toml",
        ],
        help="start a new session from a template or an earlier session",
        description="Write a new session from a template (see `sessiontui templates`) or "
        "from the plan of an earlier session FILE; groups, notes, commitments and the run log "
        "are left behind. From FILE without --date, its first [[upcoming]] entry gives the "
        "date and title; with --date and no --title, a date in the old title becomes the new "
        "one. Written to --dir (default ./sessions) for a template, beside FILE for --from, "
        "unless -o or --dir says where. Never overwrites a file.",
    )
    source = new.add_mutually_exclusive_group(required=True)
    source.add_argument("--from", dest="source", type=Path, metavar="FILE")
    source.add_argument("--template", metavar="NAME", help="a template's name, e.g. retro")
    new.add_argument("--date", type=_iso_date, help="date of the new session (YYYY-MM-DD)")
    new.add_argument("--title", help="title of the new session")
    new.add_argument(
        "-o",
        "--output",
        type=Path,
        help="where to write it (default: <folder>/<date>-<slug-of-title>.toml)",
    )
    new.set_defaults(handler=_new)

    import_agenda = commands.add_parser(
        "import",
        examples=[
            'sessiontui import agenda.csv --title "Away day" --date 2024-05-02 --start 13:30',
            "sessiontui import plan.xlsx -o sessions/plan.toml",
        ],
        help="make a session from an agenda kept in a spreadsheet (.csv or .xlsx)",
        description="Write a new session whose agenda is the rows of AGENDA, a .csv file or "
        "the first sheet of an .xlsx workbook. The first row names the columns: title and "
        "minutes (needed), kind, at (a fixed start time), prompts (several in one cell, one "
        "per line or separated by |), notes template, group size, turn minutes, facilitator "
        "notes, id; in any case, with synonyms such as duration, length, type, start. "
        "Every bad cell is reported as FILE:LINE: field: reason and nothing is written.",
    )
    import_agenda.add_argument("agenda", type=Path, metavar="AGENDA")
    import_agenda.add_argument("--title", help="title of the session (default: from the file name)")
    import_agenda.add_argument(
        "--date", type=_iso_date, help="date of the session (YYYY-MM-DD; default: today)"
    )
    import_agenda.add_argument(
        "--start",
        type=_clock_time,
        help="start time, e.g. 13:30 (default: the first item's fixed time, else 09:00)",
    )
    import_agenda.add_argument(
        "-o",
        "--output",
        type=Path,
        help="where to write it (default: <--dir>/<date>-<slug-of-title>.toml)",
    )
    import_agenda.set_defaults(handler=_import)

    schema = commands.add_parser(
        "schema",
        examples=[
            "sessiontui schema > sessions/session.schema.json",
        ],
        help="print the JSON Schema of session files",
        description="Print the JSON Schema generated from the session models. Editors "
        "such as taplo or Even Better TOML use it through the '#:schema' line.",
    )
    schema.set_defaults(handler=_schema)


def _clock_time(text: str) -> dt.time:
    try:
        return dt.time.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a time in the form HH:MM: {text!r}") from None


def _iso_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date in the form YYYY-MM-DD: {text!r}") from None


def _check(args: argparse.Namespace) -> int:
    from sessiontui import session_file
    from sessiontui.core import schedule

    targets: list[Path] = args.files or [folder_of(args)]
    checked = 0
    failed = False
    for path in _session_files(targets):
        if isinstance(path, str):
            say(path)
            continue
        checked += 1
        try:
            loaded = session_file.open_session(path)
        except session_file.SessionFileError as error:
            failed = True
            for problem in error.problems:
                say(problem)
            continue
        say(f"{path}: ok")
        if loaded.read_only:
            # The reason names the file for the app's own message; the line names it already.
            reason = loaded.read_only.removeprefix(f"{path}: ").removeprefix(f"{path.name}: ")
            say(f"{path}: warning: {reason}")
        for issue in schedule.plan_issues(loaded.session):
            # Titles come from a hand-edited file: an escape sequence, a bidi override or a
            # newline in one must not reach the terminal or split the line.
            say(f"{path}: warning: {issue.message}")
    # Nothing checked at all (only skipped files, an empty folder) is not a pass.
    return EXIT_BAD_INPUT if failed or not checked else EXIT_OK


def _session_files(targets: Sequence[Path]) -> list[Path | str]:
    """The session files to check among files and folders, in order; a line for each skipped.

    A folder stands for its *.toml files, as the home screen lists them, so `check sessions`
    and `check sessions/*` both pass the schema file kept beside the sessions.
    """
    found: list[Path | str] = []
    for target in targets:
        if target.is_dir():
            inside = sorted(
                entry
                for entry in target.iterdir()
                if entry.suffix == ".toml" and not entry.name.startswith(".") and entry.is_file()
            )
            found.extend(inside or [f"{target}: no session files (*.toml) in this folder"])
        elif target.suffix != ".toml" and target.is_file():
            found.append(f"{target}: skipped: not a session file (expected .toml)")
        else:
            # Missing, or a .toml that may be anything: open_session says what is wrong.
            found.append(target)
    return found


def _new(args: argparse.Namespace) -> int:
    from sessiontui import session_file
    from sessiontui.core import library
    from sessiontui.store import templates

    today = dt.date.today()
    if args.template is not None:
        try:
            template = templates.load(args.template)
        except templates.UnknownTemplateError as error:
            return fail_line(f"sessiontui new: {error}")
        except session_file.SessionFileError as error:
            return fail_each(error.problems)
        try:
            session = library.from_template(template, args.date, args.title, today=today)
        except ValueError as error:
            return fail_line(f"sessiontui new: {error}")
        folder = folder_of(args)
    else:
        try:
            source = session_file.open_session(args.source).session
        except session_file.SessionFileError as error:
            return fail_each(error.problems)
        try:
            session = library.next_session(source, args.date, args.title, today=today)
        except ValueError as error:
            return fail_line(f"sessiontui new: {error}")
        # Beside the earlier session, where its series lives, unless told where.
        folder = args.source.parent if args.dir is None else args.dir
    output = args.output or folder / library.file_name(session.date, session.title)
    return _write_new(output, session)


def _write_new(output: Path, session: Session) -> int:
    """Create a new session file and print its path; exit 2, writing nothing, if it exists."""
    from sessiontui import session_file

    if output.exists() or output.is_symlink():
        return fail_line(f"{output}: already exists; not overwriting it (choose another -o)")
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        # create, not save: a file that appeared since the check above is never replaced.
        session_file.create(output, session)
    except session_file.SessionFileError as error:
        return fail_each(error.problems)
    except OSError as error:
        return fail_line(f"{output}: {error.strerror or error}")
    say(str(output))
    return EXIT_OK


def _import(args: argparse.Namespace) -> int:
    from sessiontui import session_file
    from sessiontui.core import agenda_import, library
    from sessiontui.store.agenda_import import read_rows

    path: Path = args.agenda
    try:
        rows = read_rows(path)
    except session_file.SessionFileError as error:
        return fail_each(error.problems)
    imported = agenda_import.agenda_from_rows(rows)
    if imported.problems:
        return fail_each(problem.where(str(path)) for problem in imported.problems)
    for ignored in imported.ignored:
        say(f"{path}:1: column {ignored!r} is not read; left out", file=sys.stderr)
    title = args.title or " ".join(path.stem.replace("_", " ").replace("-", " ").split())
    title = title if args.title else (title[:1].upper() + title[1:] or "Agenda")
    try:
        session = agenda_import.session_from_items(
            imported.items, title=title, date=args.date or dt.date.today(), start=args.start
        )
    except ValueError as error:
        return fail_line(f"{path}: {error}")
    output = args.output or folder_of(args) / library.file_name(session.date, session.title)
    return _write_new(output, session)


def _schema(args: argparse.Namespace) -> int:
    from sessiontui import session_file

    sys.stdout.write(session_file.schema_json())
    return EXIT_OK
