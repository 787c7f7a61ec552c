"""`sessiontui serve`: the whole room from one process, behind a token per role.

One aiohttp application on one port and one event loop: the participants' page, the
facilitator's remote and the HTTP API (web/room_app.py, one follower of the file for every
phone), and under `/notes/` the note-taker's view, still the terminal app itself: textual-serve
starts `sessiontui notes FILE` for each browser tab that opens it, so it saves through the same
store. The notes view is mounted in the same application (not on a second port) so that one
cookie, one Origin and one printed host serve every role; textual-serve's page only needs its
websocket and static URLs, which `handle_index` builds with the prefix.

textual-serve has no access control: the room's guard gives every request its role from the
token, the notes view then admits only the notes role, and refuses a websocket opened by a page
of another site even when the browser sends the cookie.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import ipaddress
import logging
import re
import resource
import shlex
import signal
import sys
import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from sessiontui.display import safe_line
from sessiontui.web.client_input import (
    MAX_HEIGHT,
    MAX_MESSAGE_BYTES,
    MAX_WIDTH,
    BadInput,
    Focus,
    Ping,
    Resize,
    Stdin,
    StdinBudget,
    cells,
    read_client_message,
)
from sessiontui.web.lan import reachable_host
from sessiontui.web.roles import TOKEN_PARAMETER, Role, Tokens

if TYPE_CHECKING:
    from aiohttp import web
    from aiohttp.typedefs import Handler, Middleware
    from textual_serve.server import Server

    from sessiontui.web.tab import TabService

_ELSEWHERE_FONT = re.compile(r"<link\s[^>]*fonts\.googleapis\.com[^>]*>\s*")
"""textual-serve's (pinned) page template's stylesheet link to Google Fonts."""

log = logging.getLogger("textual-serve")

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
DEFAULT_MAX_CLIENTS = 500
NOTES_PREFIX = "/notes"
"""Where the note-taker's view is mounted in the room's application."""
LISTEN_BACKLOG = 1024
"""Connections the kernel queues before they are accepted: a room scanning the QR code at once
overflows the default 128, and a dropped SYN costs a phone a one-second retry."""


@dataclass(frozen=True)
class ServePlan:
    """What `serve` will do, worked out without binding a port so that tests can check it."""

    path: Path
    notes_command: str
    """The command textual-serve runs for each note-taker's browser tab."""
    host: str
    """The address to listen on."""
    port: int
    tokens: Tokens
    max_clients: int
    warning: str | None
    shown_host: str = field(default="")
    """The host in the printed URLs: the one phones reach (the LAN address for 0.0.0.0)."""

    def url(self, role: Role) -> str:
        """The full URL for a role, its token included, as Jupyter prints it."""
        page = {"viewer": "/", "remote": "/remote", "notes": f"{NOTES_PREFIX}/"}[role]
        token = dict(self.tokens.by_role())[role]
        return f"http://{self.shown_host}:{self.port}{page}?{TOKEN_PARAMETER}={token}"

    @property
    def title(self) -> str:
        return f"sessiontui: {self.path.name}"


def plan(
    path: Path,
    *,
    host: str | None = None,
    port: int = DEFAULT_PORT,
    item: str | None = None,
    group: str | None = None,
    max_clients: int = DEFAULT_MAX_CLIENTS,
    tokens: Tokens | None = None,
) -> ServePlan:
    """Where to listen and what to print, the tokens, the notes view's command and any warning."""
    listen = host if host is not None else DEFAULT_HOST
    warning = None
    if not is_loopback(listen):
        warning = (
            f"warning: listening on {listen}: anyone who can reach that address "
            "and has a token can use this session"
        )
    return ServePlan(
        path=path,
        notes_command=tab_command(path, "notes", item=item, group=group),
        host=listen,
        port=port,
        tokens=tokens if tokens is not None else Tokens.new(),
        max_clients=max_clients,
        warning=warning,
        shown_host=reachable_host(listen),
    )


def tab_command(path: Path, view: str, *, item: str | None = None, group: str | None = None) -> str:
    """The shell command a textual-serve tab runs: this interpreter, every part quoted.

    The venv's own interpreter, so the served view is this very install of sessiontui; the
    command goes through shlex (textual-serve's format), hence every part quoted.
    """
    arguments = [sys.executable, "-m", "sessiontui", view, str(path.resolve())]
    if item is not None:
        arguments += ["--item", item]
    if group is not None:
        arguments += ["--group", group]
    return shlex.join(arguments)


def banner(serve_plan: ServePlan, *, qr_code: bool) -> str:
    """What `serve` prints once listening: a URL per role, the participants' QR code, how to stop.

    The QR code only on a terminal: in a log file or a pipe its blocks are noise, and the
    participants' URL is on the line above it anyway.
    """
    lines = [
        f"Serving {serve_plan.title}",
        f"Participants: {serve_plan.url('viewer')}",
        f"Remote (facilitator): {serve_plan.url('remote')}",
        f"Notes: {serve_plan.url('notes')}",
    ]
    if qr_code:
        lines.append(qr_text(serve_plan.url("viewer")))
    lines.append("Press Ctrl+C to stop.")
    return "\n".join(lines)


def qr_text(url: str) -> str:
    """The URL as a QR code of Unicode half blocks (two modules a character cell, no colours).

    Small enough for the whole banner to fit an 80x24 terminal: the lowest error correction
    (segno raises it when that costs no size; a screen is not a crumpled flyer) and a quiet
    zone of two modules, which phone cameras read, instead of four.
    """
    import segno

    out = io.StringIO()
    segno.make(url, error="l").terminal(out=out, compact=True, border=2)
    return out.getvalue().rstrip("\n")


def is_loopback(host: str) -> bool:
    """Whether host is this machine only (127.0.0.0/8, ::1, localhost): no one else can connect."""
    if host.lower().rstrip(".") == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a name: it may resolve to an address others can reach


def cookie_name(port: int) -> str:
    """The token cookie's name: cookies ignore the port, so two servers need two names."""
    return f"sessiontui-token-{port}"


def _is_websocket(request: web.Request) -> bool:
    return request.headers.get("Upgrade", "").lower() == "websocket"


def _same_origin(request: web.Request) -> bool:
    """Whether the page that opened this request was served from this very host and port."""
    origin = request.headers.get("Origin")
    # Browsers always send Origin on a websocket; one without it is not the served page.
    if origin is None:
        return False
    return origin.lower() == f"{request.scheme}://{request.host}".lower()


def notes_guard() -> Middleware:
    """The notes view's middleware: the notes role only, and no websocket from another site.

    The room's guard (an outer middleware) has already given the request its role from the
    token; a viewer's or the remote's token does not open a Textual process.
    """
    from aiohttp import web

    from sessiontui.web.room_keys import ROLE

    @web.middleware
    async def guard(request: web.Request, handler: Handler) -> web.StreamResponse:
        if request.get(ROLE) != "notes":
            raise web.HTTPForbidden(text="only the notes link opens the note-taker's view")
        if _is_websocket(request) and not _same_origin(request):
            # The cookie alone would let any site the user visits drive the app (the
            # browser sends it on cross-site websockets), so the Origin must be ours.
            raise web.HTTPForbidden(text="a websocket from another site")
        return await handler(request)

    return guard


class OneLineFormatter(logging.Formatter):
    """Log records as one line each: an exception as its type and message, never a traceback.

    textual-serve logs through rich with tracebacks and their local variables, so a client's
    bad message filled the console with the server's internals.
    """

    def __init__(self, hidden: str | Iterable[str] | None = None) -> None:
        super().__init__()
        # aiohttp's error for a malformed request quotes its request line, token and all.
        if hidden is None:
            hidden = ()
        self._hidden = (hidden,) if isinstance(hidden, str) else tuple(hidden)

    def format(self, record: logging.LogRecord) -> str:
        line = record.getMessage()
        if record.exc_info and record.exc_info[1] is not None:
            error = record.exc_info[1]
            detail = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
            line = detail if line in ("", str(error)) else f"{line}: {detail}"
        for secret in self._hidden:
            if secret:
                line = line.replace(secret, "REDACTED")
        # A client's text can hold newlines and escapes: one terminal-safe line all the same.
        return safe_line(" ".join(line.split()))


def make_tab_server(
    command: str, *, title: str, prefix: str = "", guard: Middleware | None = None
) -> Server:
    """A textual-serve server running `command` for each browser tab, its URLs under `prefix`.

    `serve` mounts it at NOTES_PREFIX behind `notes_guard`; the bench serves the present view
    through it alone, as `serve` did before the room's pages (its baseline).
    """
    import aiohttp_jinja2
    from aiohttp import web
    from textual_serve.server import Server

    from sessiontui.web.tab import TabService

    # The handlers of the open websockets, one per browser tab, to end them on shutdown.
    tabs: set[asyncio.Task[object]] = set()

    class GuardedServer(Server):
        """textual-serve's Server, guarded, and with URLs taken from each request's own host.

        The page's own URLs must name the host the browser used (localhost, 127.0.0.1, a
        LAN address): the cookie is only sent there, and the Origin check compares with it.
        """

        async def _make_app(self) -> web.Application:
            app = await super()._make_app()
            if guard is not None:
                # The app is not frozen until it starts, so a middleware can still be added.
                app.middlewares.append(guard)
            return app

        async def handle_index(self, request: web.Request) -> web.Response:
            base = f"{request.host}{prefix}"
            websocket_scheme = "wss" if request.scheme == "https" else "ws"
            context = {
                "font_size": _font_size(request.query.get("fontsize", "16")),
                "app_websocket_url": f"{websocket_scheme}://{base}/ws",
                "config": {"static": {"url": f"{request.scheme}://{base}/static/"}},
                "application": {"name": self.title},
            }
            page = aiohttp_jinja2.render_string("app_index.html", request, context)
            # textual-serve's page asks Google for its font: a note-taker's browser would tell
            # a third party about the session, and a room without internet waits for it. The
            # page falls back to the browser's own monospace font.
            page = _ELSEWHERE_FONT.sub("", page)
            return web.Response(text=page, content_type="text/html")

        async def on_startup(self, app: web.Application) -> None:
            # Not textual-serve's banner: `serve` prints its own once listening.
            pass

        async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
            """textual-serve's handler, reading the page's messages within bounds.

            Its own passes any size and any amount of text on to the app, and logs a bad
            message with a traceback; here the app's process also ends with the socket.
            """
            task = asyncio.current_task()
            assert task is not None
            # aiohttp itself refuses (closing with 1009) a message too long to be one of ours.
            websocket = web.WebSocketResponse(heartbeat=15, max_msg_size=MAX_MESSAGE_BYTES)
            # A bad handshake is aiohttp's own 400, before there is a tab to end.
            await websocket.prepare(request)
            tabs.add(task)
            width = cells(_integer(request.query.get("width")), MAX_WIDTH) or 80
            height = cells(_integer(request.query.get("height")), MAX_HEIGHT) or 24
            tab = TabService(
                self.command,
                write_bytes=websocket.send_bytes,
                write_str=websocket.send_str,
                close=_closer(websocket),
                download_manager=self.download_manager,
                debug=self.debug,
            )
            try:
                await tab.start(width, height)
                await _pass_messages(websocket, tab, request.remote)
            except asyncio.CancelledError:
                pass  # the page went away or serve is stopping: end the tab below
            except OSError as error:
                log.warning("a tab could not start or talk to its app: %s", error)
            finally:
                tabs.discard(task)
                # The app first: closing waits for the client's answer, which a hostile
                # client need never send.
                await tab.stop()
                await websocket.close()
            return websocket

        async def on_shutdown(self, app: web.Application) -> None:
            # Each tab's handler waits on its browser; cancelled, it closes the websocket
            # and ends the tab's process at once, instead of after aiohttp's timeout.
            for task in list(tabs):
                task.cancel()

    return GuardedServer(command, title=title)


async def _pass_messages(
    websocket: web.WebSocketResponse, tab: TabService, remote: str | None
) -> None:
    """Hand the page's messages to its app until the socket closes or the client misbehaves."""
    from aiohttp import WSCloseCode, WSMsgType

    budget = StdinBudget(time.monotonic)
    async for message in websocket:
        if message.type == WSMsgType.ERROR:
            # Too long a message, or broken framing: aiohttp has already closed the socket.
            log.warning("closed a tab from %s: %s", remote, message.data)
            return
        if message.type != WSMsgType.TEXT:
            continue
        try:
            request = read_client_message(message.data)
            if isinstance(request, Stdin) and not budget.spend(len(request.text)):
                raise BadInput("more stdin than anyone types or pastes")
        except BadInput as refused:
            log.warning("closed a tab from %s: it sent %s", remote, refused)
            await websocket.close(code=WSCloseCode.POLICY_VIOLATION, message=b"bad input")
            return
        if isinstance(request, Stdin):
            await tab.send_bytes(request.text.encode("utf-8"))
        elif isinstance(request, Resize):
            await tab.set_terminal_size(request.width, request.height)
        elif isinstance(request, Ping):
            await websocket.send_json(["pong", request.text])
        elif isinstance(request, Focus):
            await (tab.focus() if request.focused else tab.blur())


def _closer(websocket: web.WebSocketResponse) -> Callable[[], Awaitable[None]]:
    """What AppService calls when the app exits: close the page's socket."""

    async def close() -> None:
        await websocket.close()

    return close


def _integer(text: str | None) -> int | None:
    try:
        return None if text is None else int(text)
    except ValueError:
        return None


def _font_size(text: str) -> int:
    try:
        return max(6, min(int(text), 64))
    except ValueError:
        return 16


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


async def make_serve_app(
    serve_plan: ServePlan, *, clock: Callable[[], dt.datetime] = _utc_now
) -> web.Application:
    """The room's application with the note-taker's view mounted under NOTES_PREFIX."""
    from sessiontui.web.room_app import make_room_app

    app = make_room_app(
        serve_plan.path,
        serve_plan.tokens,
        clock=clock,
        max_clients=serve_plan.max_clients,
        cookie=cookie_name(serve_plan.port),
    )
    notes = make_tab_server(
        serve_plan.notes_command,
        title=f"sessiontui notes: {serve_plan.path.name}",
        prefix=NOTES_PREFIX,
        guard=notes_guard(),
    )
    app.add_subapp(NOTES_PREFIX, await notes._make_app())
    return app


def log_one_line(hidden: Iterable[str]) -> None:
    """Every log line of this process on stdout as one terminal-safe line, these texts hidden."""
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(OneLineFormatter(hidden=list(hidden)))
    logging.basicConfig(level=logging.INFO, handlers=[handler], force=True)


class CannotListen(Exception):
    """The port could not be bound (in use, not allowed, no such address); str() says why."""


def run(serve_plan: ServePlan) -> None:
    """Serve until Ctrl+C or SIGTERM; CannotListen when the port cannot be bound."""
    log_one_line(token for _, token in serve_plan.tokens.by_role())
    asyncio.run(_serve(serve_plan, qr_code=sys.stdout.isatty()))


async def _serve(serve_plan: ServePlan, *, qr_code: bool) -> None:
    """Listen, print the banner once the port really is listening, and stop on a signal.

    textual-serve's own `serve` announced the address before binding, so a browser (or a
    test) following the announcement could find nothing there yet.
    """
    from aiohttp import web

    from sessiontui.web.room_app import make_room_runner

    _allow_open_files(serve_plan.max_clients)
    runner = make_room_runner(await make_serve_app(serve_plan), handle_signals=False)
    await runner.setup()
    try:
        site = web.TCPSite(runner, serve_plan.host, serve_plan.port, backlog=LISTEN_BACKLOG)
        try:
            await site.start()
        except OSError as error:
            raise CannotListen(error.strerror or str(error)) from error
        print(banner(serve_plan, qr_code=qr_code), flush=True)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        # SIGHUP too: a closed terminal must not leave the notes tabs' processes (each in
        # its own session, out of the terminal's reach) running without their server.
        for signal_number in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            loop.add_signal_handler(signal_number, stop.set)
        await stop.wait()
    finally:
        # Ends every stream and every notes tab (and its process), then the hub.
        await runner.cleanup()


def _allow_open_files(clients: int) -> None:
    """Raise this process's open-file limit to fit every client, within the hard limit.

    Each phone holds a socket; the usual soft limit of 1024 would refuse connections below a
    `--max-clients` the machine can otherwise serve.
    """
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = clients + 256  # the session file, the notes tabs' pipes, the listening socket
    if soft != resource.RLIM_INFINITY and soft < wanted:
        new = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
        resource.setrlimit(resource.RLIMIT_NOFILE, (new, hard))
