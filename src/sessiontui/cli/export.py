"""`export`: a session's minutes, its plan handout or its calendar file."""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from sessiontui.cli.common import EXIT_OK, fail_each, fail_line, say

if TYPE_CHECKING:
    import argparse

    from sessiontui.cli.common import Commands
    from sessiontui.core.model import Session


def add_parsers(commands: Commands) -> None:
    """Add export."""
    export = commands.add_parser(
        "export",
        examples=[
            "sessiontui export FILE > minutes.md",
            "sessiontui export FILE -o minutes.html",
            "sessiontui export FILE --for participants -o minutes.html",
            "sessiontui export FILE --plan -o handout.html",
            "sessiontui export FILE --ics --series -o workshops.ics",
        ],
        help="write a session's minutes, its plan handout or its calendar file",
        description="Write minutes a facilitator can send as they are: the header, the "
        "agenda planned against actual, the notes of every breakout in their template "
        "layout, the commitments and the coming-up list; empty sections are left out. "
        "--for participants leaves out the run log and, under the Chatham House Rule "
        "(the session's chatham_house), every name and organisation. --plan writes the "
        "handout before the session: times, agenda with prompts, ways of working. --ics "
        "writes an iCalendar file of the session (with --series, also the series' later "
        "sessions). HTML is one self-contained page. Exit 2 if FILE does not load or the "
        "options do not go together.",
    )
    export.add_argument("file", type=Path, metavar="FILE")
    export.add_argument(
        "--format", choices=("md", "html"), help="default: from -o's extension, else md"
    )
    export.add_argument(
        "-o", "--output", type=Path, metavar="OUT", help="file to write (default: print it)"
    )
    export.add_argument(
        "--for",
        dest="audience",
        choices=("facilitators", "participants"),
        help="whose minutes (default: facilitators)",
    )
    export.add_argument(
        "--plan", action="store_true", help="the plan handout for before the session"
    )
    export.add_argument(
        "--ics", action="store_true", help="an iCalendar file of the session (-o x.ics)"
    )
    export.add_argument(
        "--series",
        action="store_true",
        help="with --ics: also the series' later sessions in FILE's folder and its upcoming list",
    )
    export.set_defaults(handler=_export)


def _export(args: argparse.Namespace) -> int:
    from sessiontui import session_file
    from sessiontui.store import atomic

    path: Path = args.file
    output: Path | None = args.output
    clash = _export_clash(args)
    if clash is not None:
        return fail_line(f"sessiontui export: {clash}")
    try:
        session = session_file.open_session(path).session
    except session_file.SessionFileError as error:
        # The same lines `check` prints for this file.
        return fail_each(error.problems)
    if args.ics:
        text = _calendar(path, session, series=args.series)
    else:
        from sessiontui.minutes import formats

        html_name = output is not None and output.suffix in (".html", ".htm")
        fmt: str = args.format or ("html" if html_name else "md")
        if args.plan:
            text = formats.render_plan(session, fmt)
        else:
            text = formats.render(session, fmt, args.audience or "facilitators")
    if output is None:
        sys.stdout.write(text)
        return EXIT_OK
    if output.suffix == ".toml" or (output.exists() and os.path.samefile(output, path)):
        return fail_line(f"{output}: not writing minutes over a session file")
    refusal = _not_a_place_for_minutes(output)
    if refusal is not None:
        return fail_line(f"{output}: {refusal}")
    try:
        atomic.write_text(output, text)
    except OSError as error:
        return fail_line(error.strerror or str(error))
    say(str(output))
    return EXIT_OK


def _export_clash(args: argparse.Namespace) -> str | None:
    """Why export's options do not go together, in one sentence, or None when they do."""
    if args.ics and args.plan:
        return "--ics and --plan write different files; choose one"
    if args.ics and args.audience:
        return "--for chooses whose minutes; a calendar file (--ics) is the same for everyone"
    if args.ics and args.format:
        return "--format is md or html; --ics always writes an iCalendar file"
    if args.plan and args.audience:
        return "--plan is the handout for everyone; --for chooses whose minutes"
    if args.series and not args.ics:
        return "--series adds the series' sessions to a calendar file: use it with --ics"
    output: Path | None = args.output
    if output is not None and output.suffix == ".ics" and not args.ics:
        return f"{output} is a calendar file's name: add --ics, or name the output .md or .html"
    return None


def _calendar(path: Path, session: Session, *, series: bool) -> str:
    """The session's iCalendar file; with `series`, its folder's later sessions of the series."""
    from sessiontui import session_file
    from sessiontui.minutes import calendar

    others: list[calendar.SessionFile] = []
    if series and session.series:
        for other_path, other in session_file.open_series(path.parent, session.series):
            if Path(other_path).resolve() != path.resolve():
                others.append(calendar.SessionFile(Path(other_path).name, other))
    return calendar.calendar_of(
        calendar.SessionFile(path.name, session),
        others,
        series=series,
        stamp=dt.datetime.now(dt.UTC),
    )


def _not_a_place_for_minutes(output: Path) -> str | None:
    """Why `export -o` must not write at `output`, or None when it may (absent or a plain file).

    The atomic writer renames a new file over the path: through a symlink that would silently
    turn the link into a file, and a FIFO or a device node is someone else's, not a file to
    replace. lstat, so the link itself is looked at, not what it points to.
    """
    import stat

    try:
        mode = os.lstat(output).st_mode
    except FileNotFoundError:
        return None
    except OSError as error:
        return f"cannot write: {error.strerror or error}"
    if stat.S_ISLNK(mode):
        return "is a symbolic link; not writing minutes through it"
    if stat.S_ISDIR(mode):
        return "is a folder"
    if not stat.S_ISREG(mode):
        return "is not a regular file (a FIFO, socket or device); not writing minutes onto it"
    return None
