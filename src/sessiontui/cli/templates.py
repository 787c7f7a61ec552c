"""`templates`: list the session templates, and `templates save` one of your own."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sessiontui.cli.common import EXIT_OK, fail_each, fail_line, say

if TYPE_CHECKING:
    import argparse

    from sessiontui.cli.common import Commands


def add_parsers(commands: Commands) -> None:
    """Add templates and its save subcommand."""
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
        return fail_each(error.problems)
    plan = library.plan_only(session, keep_participants=args.keep_participants)
    try:
        target = templates.save_user_template(args.name, plan, replace=args.replace)
    except ValueError as error:
        return fail_line(f"sessiontui templates save: {error}")
    except session_file.SessionFileError as error:
        problems = error.problems
        if "already exists" in problems[-1]:
            problems = [*problems[:-1], f"{problems[-1]} (add --replace to replace it)"]
        return fail_each(problems)
    except OSError as error:
        return fail_line(f"{templates.user_folder()}: {error.strerror or error}")
    say(str(target))
    return EXIT_OK
