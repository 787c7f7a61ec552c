"""The room's web server: the participants' page, the facilitator's remote and the HTTP API.

One aiohttp application for every phone in the room: a `RoomHub` follows the session file
and works out what the room sees once per change; `GET /api/events` streams it to every page
(the latest state when each client is ready, never a queue); `POST /api/control` appends the
run screen's own event through `session_file.update`, so `run`, `present` and every page
follow a press on the remote. Each request carries a token (`?token=`, the cookie it sets, or
`Authorization: Bearer`) whose role decides what it may do. Bad requests get one line of
JSON and one line in the log, never a traceback and never a token.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any, Final

from aiohttp import web
from aiohttp.abc import AbstractAccessLogger
from aiohttp.typedefs import Handler, Middleware
from aiohttp.web_request import BaseRequest
from aiohttp.web_response import StreamResponse

from sessiontui import session_file
from sessiontui.core.controls import ACTIONS, ControlNotAllowedNow, ControlRefused, control_event
from sessiontui.core.model import Session
from sessiontui.core.room import room_schema
from sessiontui.web.pages import add_page_routes
from sessiontui.web.roles import TOKEN_PARAMETER, Role, Tokens, redacted
from sessiontui.web.room_hub import HubStopped, RoomHub
from sessiontui.web.room_keys import HUB, ROLE

log = logging.getLogger("sessiontui.room")

TOKENS: Final = web.AppKey("room_tokens", Tokens)
"""The app's tokens."""
STREAMS: Final[web.AppKey[Streams]] = web.AppKey("room_streams")
"""The app's open `/api/events` streams (how many, for tests and the load test)."""

MAX_BODY_BYTES: Final = 4096
"""The largest request body: a control is a few dozen bytes, a 500-character message under 2 KB."""
HEARTBEAT_SECONDS: Final = 15.0
"""A comment on every idle stream this often, so proxies and phones keep the connection open."""
SEND_TIMEOUT_SECONDS: Final = 30.0
"""A stream whose client takes longer than this to take one state is closed: it holds a slot."""

_REMOTE_ONLY: Final = frozenset({"/remote", "/api/control"})
_NEEDS_NO_TOKEN: Final = frozenset({"/favicon.ico"})
_JSON: Final = "application/json"


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def make_room_app(
    path: Path,
    tokens: Tokens,
    *,
    clock: Callable[[], dt.datetime] = _utc_now,
    max_clients: int = 500,
    cookie: str = "sessiontui-room",
    hub: RoomHub | None = None,
    heartbeat_seconds: float = HEARTBEAT_SECONDS,
) -> web.Application:
    """The room's application for one session file; serve it with `make_room_runner`.

    The hub starts and stops with the app (a hub passed in is started if it is not yet,
    and left running for its owner).
    """
    app = web.Application(
        client_max_size=MAX_BODY_BYTES, middlewares=[_errors_as_one_line, _guard(tokens, cookie)]
    )
    own_hub = hub is None
    app[HUB] = hub if hub is not None else RoomHub(path, clock)
    app[TOKENS] = tokens
    streams = app[STREAMS] = Streams(max_clients, heartbeat_seconds)
    schema = (json.dumps(room_schema(), indent=2) + "\n").encode("utf-8")

    async def state(request: web.Request) -> web.Response:
        room = request.app[HUB]
        if room.latest is None:
            return _error(503, room.problem or "the session file has not been read yet")
        return web.Response(body=room.latest_json, content_type=_JSON, headers=_NO_STORE)

    async def schema_json(request: web.Request) -> web.Response:
        return web.Response(body=schema, content_type=_JSON)

    async def control(request: web.Request) -> web.Response:
        return await _control(request, path, clock)

    app.router.add_get("/api/state", state)
    app.router.add_get("/api/schema", schema_json)
    app.router.add_get("/api/events", streams.handle)
    app.router.add_post("/api/control", control)
    add_page_routes(app)

    async def start_hub(app: web.Application) -> None:
        await app[HUB].start()

    async def stop_streams(app: web.Application) -> None:
        # Streams wait on the hub forever: released here, or shutdown waits its whole timeout.
        await streams.close_all()
        if own_hub:
            await app[HUB].stop()

    app.on_startup.append(start_hub)
    app.on_shutdown.append(stop_streams)
    return app


_NO_STORE: Final = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}


def _error(status: int, message: str) -> web.Response:
    """A one-line JSON error, as every client of the API gets one."""
    return web.Response(
        status=status,
        text=json.dumps({"error": message}) + "\n",
        content_type=_JSON,
        headers=_NO_STORE,
    )


def _is_api(request: web.Request) -> bool:
    return request.path.startswith("/api/")


@web.middleware
async def _errors_as_one_line(request: web.Request, handler: Handler) -> web.StreamResponse:
    """aiohttp's errors (404, 405, 413...) as one line: JSON for the API, text for pages."""
    try:
        return await handler(request)
    except web.HTTPException as error:
        if error.status < 400:
            raise
        message = _plain(error)
        log.warning(
            "%s %s %s: %s %s", request.remote, request.method, request.path, error.status, message
        )
        if _is_api(request):
            response = _error(error.status, message)
        else:
            response = web.Response(status=error.status, text=message + "\n")
        for name in ("Allow", "WWW-Authenticate"):
            if name in error.headers:
                response.headers[name] = error.headers[name]
        return response
    except Exception as error:  # a bug: one line in the console, not a traceback for each phone
        log.error(
            "%s %s %s: 500 %s: %s",
            request.remote,
            request.method,
            request.path,
            type(error).__name__,
            error,
        )
        return _error(500, "the server failed on this request; its console says why")


def _plain(error: web.HTTPException) -> str:
    text = error.text or error.reason
    # aiohttp's own texts start with the status ("404: Not Found"); ours are sentences.
    head, _, rest = text.partition(": ")
    if head == str(error.status) and rest:
        text = rest
    return " ".join(text.split())


def _token_of(request: web.Request, cookie: str) -> tuple[str | None, str]:
    """The token a request offers, and where: the URL first, then the header, then the cookie.

    The URL wins so that opening the viewer's link on a phone that once had the remote's
    cookie makes it a viewer, as the link says.
    """
    if TOKEN_PARAMETER in request.query:
        return request.query[TOKEN_PARAMETER], "query"
    scheme, _, credentials = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "bearer" and credentials.strip():
        return credentials.strip(), "header"
    return request.cookies.get(cookie), "cookie"


def _guard(tokens: Tokens, cookie: str) -> Middleware:
    """The middleware giving each request its role, refusing those without one with 403."""

    @web.middleware
    async def guard(request: web.Request, handler: Handler) -> web.StreamResponse:
        if request.path in _NEEDS_NO_TOKEN:
            return await handler(request)
        given, source = _token_of(request, cookie)
        role = tokens.role_of(given)
        if role is None:
            raise web.HTTPForbidden(text="open the link with the token printed by sessiontui serve")
        if request.path in _REMOTE_ONLY and role != "remote":
            raise web.HTTPForbidden(text="only the remote's link can control the session")
        if (
            source == "cookie"
            and request.method not in ("GET", "HEAD")
            and not _same_origin(request)
        ):
            # SameSite=Strict keeps the cookie off other sites' requests; this is the belt.
            raise web.HTTPForbidden(text="a request from another site")
        request[ROLE] = role
        by_link = source == "query" and request.method in ("GET", "HEAD")
        if by_link and given is not None and not _is_api(request):
            # Out of the address bar (and so out of screenshots and shared links): the
            # cookie carries the token from now on. API clients (curl) are not redirected.
            response = web.Response(status=303, headers={"Location": _without_token(request)})
            _set_token_cookie(response, cookie, given)
            return response
        return await handler(request)

    return guard


def role_of(request: web.Request) -> Role:
    """The role of a request that passed the guard."""
    return request[ROLE]


def _same_origin(request: web.Request) -> bool:
    origin = request.headers.get("Origin")
    if origin is None or origin == "null":
        return origin is None  # no Origin: not a browser's cross-site request
    return origin.lower() == f"{request.scheme}://{request.host}".lower()


def _without_token(request: web.Request) -> str:
    """The same path and query, without the token; never a `//host` URL, always this site."""
    rest = [(key, value) for key, value in request.query.items() if key != TOKEN_PARAMETER]
    location = str(request.rel_url.with_query(rest))
    # "//evil.example/" would be another site to the browser.
    return "/" + location.lstrip("/")


def _set_token_cookie(response: web.StreamResponse, cookie: str, token: str) -> None:
    # HttpOnly: no script reads it; Strict: no other site's request carries it.
    response.set_cookie(cookie, token, httponly=True, samesite="Strict", path="/")


async def _control(
    request: web.Request, path: Path, clock: Callable[[], dt.datetime]
) -> web.Response:
    """Apply one control from a JSON body to the session file; reply with the new state."""
    if request.content_type != _JSON:
        return _refuse(request, 415, "send the control as JSON (Content-Type: application/json)")
    try:
        body = await request.json()
    except web.HTTPRequestEntityTooLarge:
        return _refuse(request, 413, f"the body is larger than {MAX_BODY_BYTES} bytes")
    except (ValueError, UnicodeDecodeError):
        return _refuse(request, 400, "the body is not JSON")
    try:
        action, parameters = _control_request(body)
    except ControlRefused as refused:
        return _refuse(request, 400, str(refused))

    def change(session: Session) -> Session:
        event = control_event(session, action, clock(), **parameters)
        return session.model_copy(update={"log": [*session.log, event]})

    try:
        opened = await asyncio.to_thread(session_file.update, path, change)
    except ControlNotAllowedNow as refused:
        return _refuse(request, 409, str(refused))
    except ControlRefused as refused:
        return _refuse(request, 400, str(refused))
    except session_file.SessionFileError as error:
        problem = error.problems[0] if error.problems else str(error)
        return _refuse(request, 409, " ".join(problem.split()))
    except TimeoutError:
        return _refuse(request, 503, "the session file is locked by another writer: try again")
    except OSError as error:
        return _refuse(request, 503, f"the session file could not be written: {error.strerror}")
    hub = request.app[HUB]
    hub.publish_session(opened.session)
    log.info("room: %s from %s", action, request.remote)
    return web.Response(body=hub.latest_json, content_type=_JSON, headers=_NO_STORE)


_TYPES: Final[dict[str, type]] = {"minutes": int, "text": str, "seconds": int}


def _control_request(body: object) -> tuple[str, dict[str, Any]]:
    """The action and its parameters from a control's JSON, each of the right JSON type."""
    if not isinstance(body, dict):
        raise ControlRefused('send a JSON object such as {"action": "next"}')
    action = body.get("action")
    if not isinstance(action, str):
        raise ControlRefused(f'"action" is missing: one of {", ".join(ACTIONS)}')
    unknown = sorted(set(body) - {"action", *_TYPES})
    if unknown:
        raise ControlRefused(
            f"unknown field {unknown[0]!r}: a control takes action, " + ", ".join(_TYPES)
        )
    parameters: dict[str, Any] = {}
    for name, kind in _TYPES.items():
        value = body.get(name)
        if value is None:
            continue
        if not isinstance(value, kind) or isinstance(value, bool):
            wanted = "a whole number" if kind is int else "a string"
            raise ControlRefused(f"{name} must be {wanted}")
        parameters[name] = value
    return action, parameters


def _refuse(request: web.Request, status: int, message: str) -> web.Response:
    log.warning("%s %s %s: %s %s", request.remote, request.method, request.path, status, message)
    return _error(status, message)


class Streams:
    """The open `/api/events` streams: at most `limit`, each sent the latest state when ready."""

    def __init__(self, limit: int, heartbeat_seconds: float) -> None:
        self.limit = limit
        self.heartbeat_seconds = heartbeat_seconds
        self.open: set[asyncio.Task[Any]] = set()
        self.sent = 0
        """States sent on every stream so far (each a copy of the hub's one serialisation)."""
        self._framed_from = b""
        self._framed_event = b""

    @property
    def count(self) -> int:
        """How many streams are open now."""
        return len(self.open)

    async def handle(self, request: web.Request) -> web.StreamResponse:
        if len(self.open) >= self.limit:
            return _refuse(request, 503, f"the room is full: {self.limit} pages are connected")
        headers = {
            "Content-Type": "text/event-stream",
            "Cache-Control": "no-store",
            # A proxy in front (nginx) must pass each event on at once.
            "X-Accel-Buffering": "no",
        }
        if request.method == "HEAD":
            return web.Response(headers=headers)
        task = asyncio.current_task()
        assert task is not None
        self.open.add(task)
        response = web.StreamResponse(headers=headers)
        try:
            await response.prepare(request)
            await self._send_until_closed(request.app[HUB], response)
        except (ConnectionError, HubStopped, asyncio.CancelledError):
            pass  # the page went away, or the server is stopping
        except TimeoutError:
            log.warning("%s GET /api/events: closed a stalled stream", request.remote)
            if request.transport is not None:
                request.transport.close()
        finally:
            self.open.discard(task)
        return response

    async def _send_until_closed(self, hub: RoomHub, response: web.StreamResponse) -> None:
        sent_version = -1
        sent_problem: str | None = None
        while True:
            version = hub.version
            if version > sent_version:
                sent_version = version
                if hub.problem != sent_problem and (hub.problem or sent_problem) is not None:
                    # A null error says the file reads again, so the remote drops its warning.
                    await self._send(response, _event("problem", {"error": hub.problem}))
                sent_problem = hub.problem
                if hub.latest is not None:
                    # The latest, read now: a client slow to take the last one skips versions.
                    await self._send(response, self._framed(hub.latest_json))
                    self.sent += 1
            try:
                await asyncio.wait_for(hub.wait_newer(sent_version), self.heartbeat_seconds)
            except TimeoutError:
                await self._send(response, b": ping\n\n")

    def _framed(self, state_json: bytes) -> bytes:
        """The state as one event, framed once for every stream rather than once for each."""
        if self._framed_from is not state_json:
            self._framed_from = state_json
            self._framed_event = b"event: state\ndata: " + state_json + b"\n\n"
        return self._framed_event

    async def _send(self, response: web.StreamResponse, data: bytes) -> None:
        # A client that stops reading fills its socket's buffer and this write waits: bounded
        # (TimeoutError), so it cannot hold its slot and its buffer's memory for ever.
        await asyncio.wait_for(response.write(data), SEND_TIMEOUT_SECONDS)

    async def close_all(self) -> None:
        for task in list(self.open):
            task.cancel()


def _event(name: str, data: object) -> bytes:
    return f"event: {name}\ndata: {json.dumps(data)}\n\n".encode()


def make_room_runner(app: web.Application, **options: Any) -> web.AppRunner:
    """A runner for the room's app with what it needs to behave under load.

    `handler_cancellation`: a page that closes ends its stream at once (without it, at the
    stream's next heartbeat, 15 s later); the access log redacts the token.
    """
    settings: dict[str, Any] = {
        "handler_cancellation": True,
        "access_log_class": RoomAccessLogger,
        "shutdown_timeout": 5,
    }
    settings.update(options)
    return web.AppRunner(app, **settings)


class RoomAccessLogger(AbstractAccessLogger):
    """One line a request: who, what (token redacted), status and milliseconds."""

    def log(self, request: BaseRequest, response: StreamResponse, time: float) -> None:
        self.logger.info(
            '%s "%s %s" %s %.0fms',
            request.remote,
            request.method,
            redacted(str(request.rel_url)),
            response.status,
            time * 1000,
        )
