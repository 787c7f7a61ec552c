"""`sessiontui serve`: a session's present or notes view in a web browser, behind a token.

textual-serve starts the view's own command (`sessiontui notes FILE`...) for every browser
that connects, so the served view is the terminal app itself, saving through the same store.
What this module adds is access control, because textual-serve has none: anyone who could
reach its port could type into the app. Every request must carry the random token printed at
start (or the cookie the first request with it sets), and a websocket opened by a page of
another site is refused even when the browser sends that cookie.
"""

from __future__ import annotations

import asyncio
import hmac
import ipaddress
import logging
import secrets
import shlex
import signal
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
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

if TYPE_CHECKING:
    from aiohttp import web
    from aiohttp.abc import AbstractAccessLogger
    from aiohttp.typedefs import Handler, Middleware
    from aiohttp.web_request import BaseRequest
    from aiohttp.web_response import StreamResponse
    from textual_serve.server import Server

    from sessiontui.web.tab import TabService

log = logging.getLogger("textual-serve")

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
VIEWS = ("present", "notes")
TOKEN_PARAMETER = "token"
WILDCARD_HOSTS = frozenset({"0.0.0.0", "::", ""})


@dataclass(frozen=True)
class ServePlan:
    """What `serve` will do, worked out without binding a port so that tests can check it."""

    command: str
    host: str
    port: int
    token: str
    title: str
    warning: str | None

    @property
    def url(self) -> str:
        """The full URL to open, token included, as Jupyter prints it."""
        shown = self.host
        if shown in WILDCARD_HOSTS:
            # Listening on every address: the machine's name is what others can try to reach.
            import socket

            shown = socket.gethostname()
        if ":" in shown:
            shown = f"[{shown}]"
        return f"http://{shown}:{self.port}/?{TOKEN_PARAMETER}={self.token}"


def plan(
    path: Path,
    *,
    view: str,
    host: str | None = None,
    port: int = DEFAULT_PORT,
    item: str | None = None,
    group: str | None = None,
    token: str | None = None,
) -> ServePlan:
    """The command each browser runs, where to listen, the token and any warning to print."""
    if view not in VIEWS:
        raise ValueError(f"unknown view {view!r}: choose one of {', '.join(VIEWS)}")
    # The venv's own interpreter, so the served view is this very install of sessiontui; the
    # command goes through a shell (textual-serve's choice), hence every part quoted.
    arguments = [sys.executable, "-m", "sessiontui", view, str(path.resolve())]
    if item is not None:
        arguments += ["--item", item]
    if group is not None:
        arguments += ["--group", group]
    warning = None
    if host is not None and not is_loopback(host):
        warning = (
            f"warning: listening on {host}: anyone who can reach that address "
            "and has the token can use this session"
        )
    return ServePlan(
        command=shlex.join(arguments),
        host=host if host is not None else DEFAULT_HOST,
        port=port,
        token=token if token is not None else secrets.token_urlsafe(24),
        title=f"sessiontui {view}: {path.name}",
        warning=warning,
    )


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


def _matches(given: str | None, token: str) -> bool:
    if given is None:
        return False
    # Bytes, because compare_digest refuses non-ASCII text, and a query string can hold any.
    return hmac.compare_digest(given.encode("utf-8"), token.encode("utf-8"))


def _is_websocket(request: web.Request) -> bool:
    return request.headers.get("Upgrade", "").lower() == "websocket"


def _same_origin(request: web.Request) -> bool:
    """Whether the page that opened this request was served from this very host and port."""
    origin = request.headers.get("Origin")
    # Browsers always send Origin on a websocket; one without it is not the served page.
    if origin is None:
        return False
    return origin.lower() == f"{request.scheme}://{request.host}".lower()


def access_guard(token: str, cookie: str) -> Middleware:
    """An aiohttp middleware refusing, with 403, requests without the token and foreign websockets.

    The token may come in the query string (the printed URL) or in the cookie that a request
    with it sets: the page's scripts, styles and websocket are then loaded without the token
    in their URLs, which textual-serve builds without a way to add one.
    """
    from aiohttp import web

    @web.middleware
    async def guard(request: web.Request, handler: Handler) -> web.StreamResponse:
        by_query = _matches(request.query.get(TOKEN_PARAMETER), token)
        by_cookie = _matches(request.cookies.get(cookie), token)
        if not (by_query or by_cookie):
            raise web.HTTPForbidden(
                text="sessiontui serve: open the URL with the token printed at start\n"
            )
        if _is_websocket(request) and not _same_origin(request):
            # The cookie alone would let any site the user visits drive the app (the
            # browser sends it on cross-site websockets), so the Origin must be ours.
            raise web.HTTPForbidden(text="sessiontui serve: websocket from another site\n")
        response = await handler(request)
        if by_query and not by_cookie and not response.prepared:
            # HttpOnly: no script reads it; Strict: no other site's request carries it.
            response.set_cookie(cookie, token, httponly=True, samesite="Strict", path="/")
        return response

    return guard


class OneLineFormatter(logging.Formatter):
    """Log records as one line each: an exception as its type and message, never a traceback.

    textual-serve logs through rich with tracebacks and their local variables, so a client's
    bad message filled the console with the server's internals.
    """

    def __init__(self, hidden: str | None = None) -> None:
        super().__init__()
        # aiohttp's error for a malformed request quotes its request line, token and all.
        self._hidden = hidden

    def format(self, record: logging.LogRecord) -> str:
        line = record.getMessage()
        if record.exc_info and record.exc_info[1] is not None:
            error = record.exc_info[1]
            detail = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
            line = detail if line in ("", str(error)) else f"{line}: {detail}"
        if self._hidden:
            line = line.replace(self._hidden, "REDACTED")
        # A client's text can hold newlines and escapes: one terminal-safe line all the same.
        return safe_line(" ".join(line.split()))


def _access_logger_class() -> type[AbstractAccessLogger]:
    from aiohttp.abc import AbstractAccessLogger

    class Redacting(AbstractAccessLogger):
        """One line a request, the token's value hidden; no Referer, which holds the token."""

        def log(self, request: BaseRequest, response: StreamResponse, time: float) -> None:
            self.logger.info(
                '%s "%s %s" %s',
                request.remote,
                request.method,
                redacted(str(request.rel_url)),
                response.status,
            )

    return Redacting


def redacted(url: str) -> str:
    """A request's path and query with the token's value hidden, for the access log."""
    from yarl import URL

    parsed = URL(url)
    if TOKEN_PARAMETER not in parsed.query:
        return url
    query = [
        (key, "REDACTED" if key == TOKEN_PARAMETER else value)
        for key, value in parsed.query.items()
    ]
    return str(parsed.with_query(query))


def make_server(serve_plan: ServePlan) -> Server:
    """A textual-serve server for the plan, with the access guard in front of every route."""
    import aiohttp_jinja2
    from aiohttp import web
    from textual_serve.server import Server

    from sessiontui.web.tab import TabService

    # The handlers of the open websockets, one per browser tab, to end them on shutdown.
    tabs: set[asyncio.Task[object]] = set()

    class GuardedServer(Server):
        """textual-serve's Server, guarded, and with URLs taken from each request's own host.

        The page's own URLs must name the host the browser used (localhost, 127.0.0.1, a
        LAN name): the cookie is only sent there, and the Origin check compares with it.
        """

        async def _make_app(self) -> web.Application:
            app = await super()._make_app()
            # The app is not frozen until it starts, so a middleware can still be added.
            app.middlewares.append(access_guard(serve_plan.token, cookie_name(serve_plan.port)))
            return app

        async def handle_index(self, request: web.Request) -> web.Response:
            base = f"{request.host}"
            websocket_scheme = "wss" if request.scheme == "https" else "ws"
            context = {
                "font_size": _font_size(request.query.get("fontsize", "16")),
                "app_websocket_url": f"{websocket_scheme}://{base}/ws",
                "config": {"static": {"url": f"{request.scheme}://{base}/static/"}},
                "application": {"name": self.title},
            }
            return aiohttp_jinja2.render_template("app_index.html", request, context)

        async def on_startup(self, app: web.Application) -> None:
            # Not textual-serve's banner: `run` prints the URL with its token once listening.
            pass

        def initialize_logging(self) -> None:
            # textual-serve's rich handler prints tracebacks with their local variables.
            handler = logging.StreamHandler(sys.stdout)
            handler.setFormatter(OneLineFormatter(hidden=serve_plan.token))
            logging.basicConfig(level=logging.INFO, handlers=[handler], force=True)

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
                pass  # serve is stopping: close and end the tab below
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
            # Each tab's handler waits on its browser; cancelled, textual-serve closes the
            # websocket and ends the tab's process at once, instead of after aiohttp's timeout.
            for task in list(tabs):
                task.cancel()

    return GuardedServer(
        serve_plan.command, host=serve_plan.host, port=serve_plan.port, title=serve_plan.title
    )


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


def run(serve_plan: ServePlan) -> None:
    """Serve until Ctrl+C or SIGTERM; OSError when the port cannot be bound."""
    server = make_server(serve_plan)
    server.initialize_logging()
    asyncio.run(_serve(server, serve_plan))


async def _serve(server: Server, serve_plan: ServePlan) -> None:
    """textual-serve's `serve`, but printing the URL only once the port is really listening.

    Its own `serve` announces the address on startup, before binding, so a browser (or a
    test) following the announcement could find nothing there yet.
    """
    from aiohttp import web

    runner = web.AppRunner(
        await server._make_app(),
        handle_signals=False,
        shutdown_timeout=5,
        access_log_class=_access_logger_class(),
    )
    await runner.setup()
    try:
        await web.TCPSite(runner, serve_plan.host, serve_plan.port).start()
        print(f"Serving {serve_plan.title}", flush=True)
        print(f"Open: {serve_plan.url}", flush=True)
        print("Press Ctrl+C to stop.", flush=True)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signal_number in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signal_number, stop.set)
        await stop.wait()
    finally:
        # Closes every websocket, and textual-serve then ends each tab's process.
        await runner.cleanup()
