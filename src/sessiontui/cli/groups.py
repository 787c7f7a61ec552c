"""`groups`: draw the groups for a pairing or breakout item and save them into the file."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import TYPE_CHECKING

from sessiontui.cli.common import EXIT_OK, fail_line, first_problem

if TYPE_CHECKING:
    import argparse

    from sessiontui.cli.common import Commands
    from sessiontui.core.model import Group, Session


def add_parsers(commands: Commands) -> None:
    """Add groups."""
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
        return fail_line(first_problem(error, path))
    if opened.read_only:
        return fail_line(_groups_not_drawn_read_only(path))
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
        return fail_line(_groups_not_drawn_read_only(path))
    except session_file.SessionFileError as error:
        return fail_line(first_problem(error, path))
    except grouping.GroupingError as error:
        return fail_line(f"{path}: {error}")
    except filelock.Timeout:
        return fail_line(f"{path}: another program kept the file locked; no groups saved")
    except OSError as error:
        message = error.strerror or str(error)
        if not message.startswith(str(path)):
            message = f"{path}: cannot save the groups: {message}"
        return fail_line(message)

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
