"""The `sessiontui` command line: check, new, templates, import, schema, groups, run, edit...

Textual is imported only by the subcommands that open the app, so `check`, `new`,
`schema` and `groups` start fast and work in scripts and CI.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from sessiontui import __version__

__all__ = ["main", "slugify"]

if TYPE_CHECKING:
    from sessiontui.core.model import Group, Session
    from sessiontui.session_file import SessionFileError

EXIT_OK = 0
EXIT_BAD_INPUT = 2
# 128 + SIGPIPE: what a shell reports for a program its pipe's reader left behind, so a
# script with `set -o pipefail` sees the same status as from `cat` or `grep`.
EXIT_BROKEN_PIPE = 141
DEFAULT_FOLDER = Path("sessions")


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
    handler = getattr(args, "handler", _open_home)
    code: int = handler(args)
    return code


class _CommandParser(argparse.ArgumentParser):
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
        title="subcommands", metavar="COMMAND", parser_class=_CommandParser
    )

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

    templates = commands.add_parser(
        "templates",
        examples=[
            "sessiontui templates",
            "sessiontui templates save sessions/2024-03-01-retro.toml --name our-retro",
        ],
        help="list the session templates, or save a session as your own",
        description="List the templates `new --template` and the home screen's `n` start "
        "from: the built-in ones and your own, with title, length and what each is.",
    )
    templates.set_defaults(handler=_templates)
    template_commands = templates.add_subparsers(title="subcommands", metavar="COMMAND")
    save_template = template_commands.add_parser(
        "save",
        examples=[
            "sessiontui templates save sessions/2024-03-01-retro.toml --name our-retro",
        ],
        help="save a session's plan as your own template",
        description="Save the plan of FILE as your own template NAME, in your user data "
        "folder: its agenda, prompts, ways of working and times, without its run log, "
        "notes, groups, commitments or coming-up list, and without its participants unless "
        "--keep-participants. Never replaces a template of yours unless --replace.",
    )
    save_template.add_argument("file", type=Path, metavar="FILE")
    save_template.add_argument(
        "--name", required=True, help="the template's name: lowercase letters, digits, dashes"
    )
    save_template.add_argument(
        "--keep-participants", action="store_true", help="keep the participants' names"
    )
    save_template.add_argument(
        "--replace", action="store_true", help="replace your template of that name"
    )
    save_template.set_defaults(handler=_save_template)

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

    groups = commands.add_parser(
        "groups",
        examples=[
            "sessiontui groups sessions/2024-03-01-retro.toml coffee-trial --size 3",
            "sessiontui groups FILE ITEM --seed 42",
        ],
        help="draw the groups for a pairing or breakout item",
        description="Draw random groups of the people present (not marked absent) for one "
        "pairing or breakout item of FILE, print them and save them into FILE in place of "
        "that item's earlier groups. Everyone's `avoid` list is always honoured; pairings "
        "from earlier sessions of the same series in FILE's folder are avoided where "
        "possible. Exit 2, leaving FILE untouched, when the groups cannot be drawn.",
    )
    groups.add_argument("file", type=Path, metavar="FILE")
    groups.add_argument("item", metavar="ITEM", help="the agenda item's id, e.g. coffee-trial")
    groups.add_argument(
        "--size",
        type=int,
        metavar="N",
        help="people per group (default: the item's group_size, else 2 for a pairing "
        "and 4 for a breakout); an odd one out makes a group one larger",
    )
    groups.add_argument(
        "--seed", type=int, metavar="S", help="random seed: the same seed draws the same groups"
    )
    groups.set_defaults(handler=_groups)

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

    serve = commands.add_parser(
        "serve",
        examples=[
            "sessiontui serve FILE",
            "sessiontui serve FILE --host 0.0.0.0 --port 8080",
            'sessiontui serve FILE --item coffee-trial --group "Group 2"',
        ],
        help="serve the room's page, the facilitator's remote and the notes view to browsers",
        description="Serve one session to the room from one process: the participants' page "
        "(for phones and a projector), the facilitator's remote, an HTTP API, and the "
        "note-taker's view (each browser tab runs `sessiontui notes FILE`). Prints one URL "
        "per role, each with its own random token, and a QR code of the participants' URL. "
        "Listens on 127.0.0.1 unless --host is given; with --host 0.0.0.0 the URLs use this "
        "machine's address on the local network.",
    )
    serve.add_argument("file", type=Path, metavar="FILE")
    serve.add_argument("--port", type=_port_number, default=8000, help="default: 8000")
    serve.add_argument(
        "--host",
        metavar="H",
        help="address to listen on (default: 127.0.0.1, this machine only; "
        "0.0.0.0 for phones on the local network)",
    )
    serve.add_argument(
        "--max-clients",
        type=_client_count,
        default=500,
        metavar="N",
        help="most pages connected at once (default: 500)",
    )
    serve.add_argument("--item", metavar="ID", help="the notes view's agenda item id")
    serve.add_argument("--group", metavar="NAME", help='the notes view\'s group, e.g. "Group 2"')
    # Gone with the room's pages: refused with a line saying what replaced it.
    serve.add_argument("--view", help=argparse.SUPPRESS)
    serve.set_defaults(handler=_serve)

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
    return parser


def _completion(args: argparse.Namespace) -> int:
    import shtab

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


def _folder(args: argparse.Namespace) -> Path:
    """The folder of sessions: --dir, else ./sessions."""
    folder: Path | None = args.dir
    return DEFAULT_FOLDER if folder is None else folder


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

    targets: list[Path] = args.files or [_folder(args)]
    checked = 0
    failed = False
    for path in _session_files(targets):
        if isinstance(path, str):
            _say(path)
            continue
        checked += 1
        try:
            loaded = session_file.open_session(path)
        except session_file.SessionFileError as error:
            failed = True
            for problem in error.problems:
                _say(problem)
            continue
        _say(f"{path}: ok")
        if loaded.read_only:
            _say(f"{path}: warning: {loaded.read_only}")
        for issue in schedule.plan_issues(loaded.session):
            # Titles come from a hand-edited file: an escape sequence, a bidi override or a
            # newline in one must not reach the terminal or split the line.
            _say(f"{path}: warning: {issue.message}")
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
            return _fail_line(f"sessiontui new: {error}")
        except session_file.SessionFileError as error:
            return _fail_each(error.problems)
        try:
            session = library.from_template(template, args.date, args.title, today=today)
        except ValueError as error:
            return _fail_line(f"sessiontui new: {error}")
        folder = _folder(args)
    else:
        try:
            source = session_file.open_session(args.source).session
        except session_file.SessionFileError as error:
            return _fail_each(error.problems)
        try:
            session = library.next_session(source, args.date, args.title, today=today)
        except ValueError as error:
            return _fail_line(f"sessiontui new: {error}")
        # Beside the earlier session, where its series lives, unless told where.
        folder = args.source.parent if args.dir is None else args.dir
    output = args.output or folder / library.file_name(session.date, session.title)
    return _write_new(output, session)


def _write_new(output: Path, session: Session) -> int:
    """Create a new session file and print its path; exit 2, writing nothing, if it exists."""
    from sessiontui import session_file

    if output.exists() or output.is_symlink():
        return _fail_line(f"{output}: already exists; not overwriting it (choose another -o)")
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        # create, not save: a file that appeared since the check above is never replaced.
        session_file.create(output, session)
    except session_file.SessionFileError as error:
        return _fail_each(error.problems)
    except OSError as error:
        return _fail_line(f"{output}: {error.strerror or error}")
    _say(str(output))
    return EXIT_OK


def _templates(args: argparse.Namespace) -> int:
    from sessiontui.display import safe_line
    from sessiontui.store import templates

    listing = templates.listing()
    width = max(len(info.name) for info in listing)
    for info in listing:
        if info.problem is not None:
            print(safe_line(f"{info.name:<{width}}  ({info.source}) does not load: {info.problem}"))
            continue
        length = (
            f"{info.minutes // 60}h{info.minutes % 60:02d}"
            if info.minutes >= 60
            else (f"{info.minutes} min")
        )
        print(
            safe_line(
                f"{info.name:<{width}}  {info.title} · {length} · {info.items} items "
                f"· {info.source}"
            )
        )
        print(safe_line(f"{'':<{width}}  {info.description}"))
    print("\nStart one: sessiontui new --template NAME --title TITLE --date YYYY-MM-DD")
    print(safe_line(f"Your own templates are kept in {templates.user_folder()}"))
    return EXIT_OK


def _save_template(args: argparse.Namespace) -> int:
    from sessiontui import session_file
    from sessiontui.core import library
    from sessiontui.store import templates

    try:
        session = session_file.open_session(args.file).session
    except session_file.SessionFileError as error:
        return _fail_each(error.problems)
    plan = library.plan_only(session, keep_participants=args.keep_participants)
    try:
        target = templates.save_user_template(args.name, plan, replace=args.replace)
    except ValueError as error:
        return _fail_line(f"sessiontui templates save: {error}")
    except session_file.SessionFileError as error:
        problems = error.problems
        if "already exists" in problems[-1]:
            problems = [*problems[:-1], f"{problems[-1]} (add --replace to replace it)"]
        return _fail_each(problems)
    except OSError as error:
        return _fail_line(f"{templates.user_folder()}: {error.strerror or error}")
    _say(str(target))
    return EXIT_OK


def _import(args: argparse.Namespace) -> int:
    from sessiontui import session_file
    from sessiontui.core import agenda_import, library
    from sessiontui.store.agenda_import import read_rows

    path: Path = args.agenda
    try:
        rows = read_rows(path)
    except session_file.SessionFileError as error:
        return _fail_each(error.problems)
    imported = agenda_import.agenda_from_rows(rows)
    if imported.problems:
        return _fail_each(problem.where(str(path)) for problem in imported.problems)
    for ignored in imported.ignored:
        _say(f"{path}:1: column {ignored!r} is not read; left out", file=sys.stderr)
    title = args.title or " ".join(path.stem.replace("_", " ").replace("-", " ").split())
    title = title if args.title else (title[:1].upper() + title[1:] or "Agenda")
    try:
        session = agenda_import.session_from_items(
            imported.items, title=title, date=args.date or dt.date.today(), start=args.start
        )
    except ValueError as error:
        return _fail_line(f"{path}: {error}")
    output = args.output or _folder(args) / library.file_name(session.date, session.title)
    return _write_new(output, session)


def _schema(args: argparse.Namespace) -> int:
    from sessiontui import session_file

    sys.stdout.write(session_file.schema_json())
    return EXIT_OK


def _groups(args: argparse.Namespace) -> int:
    import filelock

    from sessiontui import session_file
    from sessiontui.core import grouping
    from sessiontui.display import safe_line

    path: Path = args.file
    # Loaded once before locking, so a missing or broken file is reported without leaving
    # a lock file beside it.
    try:
        opened = session_file.open_session(path)
    except session_file.SessionFileError as error:
        return _fail_line(_first_problem(error, path))
    if opened.read_only:
        return _fail_line(_groups_not_drawn_read_only(path))
    earlier = _sessions_beside(path)
    drawn: list[Group] = []
    past: frozenset[frozenset[str]] = frozenset()

    def with_groups_drawn(session: Session) -> Session:
        # Drawn from the file as it is under the lock: a running app may have logged
        # events since the first read, and drawing from that copy would drop them.
        nonlocal past
        past = grouping.past_pairs(earlier, session.series, session.date)
        drawn[:] = grouping.draw_groups(
            session, args.item, size=args.size, seed=args.seed, past=past
        )
        return grouping.replace_groups(session, args.item, drawn)

    try:
        session_file.update(path, with_groups_drawn)
    except session_file.ReadOnlyFileError:
        return _fail_line(_groups_not_drawn_read_only(path))
    except session_file.SessionFileError as error:
        return _fail_line(_first_problem(error, path))
    except grouping.GroupingError as error:
        return _fail_line(f"{path}: {error}")
    except filelock.Timeout:
        return _fail_line(f"{path}: another program kept the file locked; no groups saved")
    except OSError as error:
        message = error.strerror or str(error)
        if not message.startswith(str(path)):
            message = f"{path}: cannot save the groups: {message}"
        return _fail_line(message)

    for group in drawn:
        # Names come from a hand-edited file: no escape sequence or newline reaches the terminal.
        print(safe_line(f"{group.name}: {', '.join(group.members)}"))
    repeats = len(grouping.repeated_pairs(drawn, past))
    if repeats:
        pairs = "pairing" if repeats == 1 else "pairings"
        print(f"{repeats} repeat {pairs} from earlier sessions of the series could not be avoided")
    seed = drawn[0].seed
    print(f"seed {seed}: run again with --seed {seed} to get these groups back")
    return EXIT_OK


def _groups_not_drawn_read_only(path: Path) -> str:
    """One sentence saying why FILE got no groups, as the store's own line ends "not saving it"."""
    from sessiontui import session_file
    from sessiontui.core.model import SCHEMA_VERSION

    why = "no write permission"
    # Read again: the refusal may come from either cause, and only a newer file says which.
    with contextlib.suppress(session_file.SessionFileError, OSError):
        opened = session_file.open_session(path)
        if opened.read_only:
            why = (
                f"written by a newer sessiontui: schema_version {opened.session.schema_version},"
                f" this one reads up to {SCHEMA_VERSION}"
            )
    return f"{path} is read-only ({why}), so no groups were drawn"


def _sessions_beside(path: Path) -> list[Session]:
    """The readable sessions in a file's folder, for their earlier pairings; broken ones skipped."""
    from sessiontui import session_file

    try:
        listings = session_file.scan(path.parent)
    except Exception:
        # Earlier pairings only make the draw better; an unreadable folder must not stop it.
        return []
    return [listing.session for listing in listings if listing.session is not None]


def _fail_line(message: str) -> int:
    """Like _fail, for one line: a name holding a newline must not split the message."""
    from sessiontui.display import safe_line

    return _fail(safe_line(message))


def _first_problem(error: SessionFileError, path: Path) -> str:
    """One line for a file that failed to load: its first problem, and how to see them all."""
    problems = error.problems
    if len(problems) == 1:
        return problems[0]
    return f"{problems[0]} (and {len(problems) - 1} more: sessiontui check {path})"


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
            return _fail_each(error.problems)
        ids = [item.id for item in session.agenda]
        if args.item not in ids:
            return _fail_line(f"{path}: no agenda item has id {args.item!r}: {', '.join(ids)}")
    return _open_session(path, mode="notes", item=args.item, group=args.group)


def _review(args: argparse.Namespace) -> int:
    target: Path = args.target if args.target is not None else _folder(args)
    if target.is_dir():
        if not _has_terminal():
            return _needs_a_terminal("sessiontui review")
        from sessiontui.tui.app import make_app

        make_app(folder=target, mode="review").run()
        return EXIT_OK
    return _open_session(target, mode="review")


def _export(args: argparse.Namespace) -> int:
    from sessiontui import session_file
    from sessiontui.store import atomic

    path: Path = args.file
    output: Path | None = args.output
    clash = _export_clash(args)
    if clash is not None:
        return _fail_line(f"sessiontui export: {clash}")
    try:
        session = session_file.open_session(path).session
    except session_file.SessionFileError as error:
        # The same lines `check` prints for this file.
        return _fail_each(error.problems)
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
        return _fail_line(f"{output}: not writing minutes over a session file")
    refusal = _not_a_place_for_minutes(output)
    if refusal is not None:
        return _fail_line(f"{output}: {refusal}")
    try:
        atomic.write_text(output, text)
    except OSError as error:
        return _fail_line(error.strerror or str(error))
    _say(str(output))
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


def _port_number(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        port = -1
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"not a port number (1 to 65535): {text!r}")
    return port


def _client_count(text: str) -> int:
    try:
        count = int(text)
    except ValueError:
        count = 0
    if not 1 <= count <= 100_000:
        raise argparse.ArgumentTypeError(f"not a number of clients (1 to 100000): {text!r}")
    return count


def _serve(args: argparse.Namespace) -> int:
    from sessiontui import session_file
    from sessiontui.web import serve

    path: Path = args.file
    if args.view is not None:
        return _fail(
            "sessiontui serve: --view is gone: serve prints a URL for the participants' page "
            "(which replaces the present view), the remote and the notes view"
        )
    # The checks `run` and `notes` make, here before any browser connects: each notes tab's
    # own process would otherwise only show the error in the page and end.
    try:
        session = session_file.open_session(path).session
    except session_file.SessionFileError as error:
        return _fail_line(_first_problem(error, path))
    if args.item is not None:
        ids = [item.id for item in session.agenda]
        if args.item not in ids:
            return _fail_line(f"{path}: no agenda item has id {args.item!r}: {', '.join(ids)}")
    plan = serve.plan(
        path,
        host=args.host,
        port=args.port,
        item=args.item,
        group=args.group,
        max_clients=args.max_clients,
    )
    if plan.warning is not None:
        print(_terminal_safe(plan.warning), file=sys.stderr)
    try:
        serve.run(plan)
    except serve.CannotListen as error:
        where = f"{plan.host}:{plan.port}"
        return _fail_line(f"sessiontui serve: cannot listen on {where}: {error}")
    return EXIT_OK


def _open_session(
    path: Path, *, mode: str, item: str | None = None, group: str | None = None
) -> int:
    try:
        os.stat(path)
    except FileNotFoundError:
        pass  # The app (or the check below) reports it as "no such file".
    except OSError as error:
        # A symlink loop or a folder without access: why, in the words `check` uses; the
        # app's own follower would only see that the file cannot be found.
        return _fail_line(f"{path}: cannot read it: {error.strerror or error}")
    if not _has_terminal():
        # No terminal to show the app in: report a bad file the way `check` does, else why
        # the app cannot start.
        from sessiontui import session_file

        try:
            session_file.open_session(path)
        except session_file.SessionFileError as error:
            return _fail_each(error.problems)
        return _needs_a_terminal(f"sessiontui {mode}")
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
        return _fail_each(app.load_problems)
    return app.return_code or EXIT_OK


def _has_terminal() -> bool:
    """Whether the app can run here: keys from stdin, the screen on stderr, or a web driver.

    Without one (stdin from /dev/null, cron, a script's pipe) Textual reads end-of-file
    forever at full CPU. textual-serve runs each tab's app on pipes with its own driver,
    named in TEXTUAL_DRIVER, so that is not refused.
    """
    if os.environ.get("TEXTUAL_DRIVER"):
        return True
    return all(stream.isatty() for stream in (sys.stdin, sys.stdout, sys.stderr))


def _needs_a_terminal(command: str) -> int:
    return _fail_line(
        f"{command} needs a terminal; start it from one (here its input or output is not "
        "a terminal), or use `sessiontui serve` for a browser"
    )


def _open_home(args: argparse.Namespace) -> int:
    folder = _folder(args)
    if folder.exists() and not folder.is_dir():
        return _fail_line(f"{folder}: is not a folder")
    if not _has_terminal():
        return _needs_a_terminal("sessiontui")
    from sessiontui.tui.app import make_app

    make_app(folder=folder).run()
    return EXIT_OK


def slugify(title: str) -> str:
    """A file-name-safe slug of a title (`library.slugify`, imported only when used)."""
    from sessiontui.core.library import slugify as library_slugify

    return library_slugify(title)


def _say(line: str, *, file: TextIO | None = None) -> None:
    """Print one line carrying user text or a file name, made terminal-safe by `display`."""
    from sessiontui.display import safe_line

    print(safe_line(line), file=file)


def _fail_each(problems: Iterable[str]) -> int:
    """Print each problem as one terminal-safe line on stderr (a file name may hold a newline)."""
    for problem in problems:
        _say(problem, file=sys.stderr)
    return EXIT_BAD_INPUT


def _fail(message: str) -> int:
    print(_terminal_safe(message), file=sys.stderr)
    return EXIT_BAD_INPUT


def _terminal_safe(message: str) -> str:
    from sessiontui.display import safe_text

    return safe_text(message)


if __name__ == "__main__":
    sys.exit(main())
