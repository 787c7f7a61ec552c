"""`serve`: the room's page, the facilitator's remote and the notes view, to browsers."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from sessiontui.cli.common import EXIT_OK, fail, fail_line, first_problem, terminal_safe

if TYPE_CHECKING:
    from sessiontui.cli.common import Commands


def add_parsers(commands: Commands) -> None:
    """Add serve."""
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
        return fail(
            "sessiontui serve: --view is gone: serve prints a URL for the participants' page "
            "(which replaces the present view), the remote and the notes view"
        )
    # The checks `run` and `notes` make, here before any browser connects: each notes tab's
    # own process would otherwise only show the error in the page and end.
    try:
        session = session_file.open_session(path).session
    except session_file.SessionFileError as error:
        return fail_line(first_problem(error, path))
    if args.item is not None:
        ids = [item.id for item in session.agenda]
        if args.item not in ids:
            return fail_line(f"{path}: no agenda item has id {args.item!r}: {', '.join(ids)}")
    plan = serve.plan(
        path,
        host=args.host,
        port=args.port,
        item=args.item,
        group=args.group,
        max_clients=args.max_clients,
    )
    if plan.warning is not None:
        print(terminal_safe(plan.warning), file=sys.stderr)
    try:
        serve.run(plan)
    except serve.CannotListen as error:
        where = f"{plan.host}:{plan.port}"
        return fail_line(f"sessiontui serve: cannot listen on {where}: {error}")
    return EXIT_OK
