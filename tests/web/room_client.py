"""Talking to the room's server in tests: its clock, the served room, its event stream.

Every test gets a fresh copy of the bundled example, three fresh tokens and a clock it moves
by hand; nothing here reads the real time. Waits on the network have a deadline, so a broken
server fails a test instead of hanging it, and no test asserts how long anything took.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aiohttp import ClientResponse, web
from aiohttp.test_utils import TestClient, TestServer
from aiohttp.web import BaseRunner

from sessiontui.web.roles import Role, Tokens
from sessiontui.web.room_app import STREAMS, Streams, make_room_runner
from sessiontui.web.room_hub import RoomHub
from sessiontui.web.room_keys import HUB

DEADLINE = 20.0
"""Seconds a test waits for something the server should do at once, before failing."""

START = dt.datetime(2023, 2, 16, 13, 0, tzinfo=dt.UTC)
"""The reference workshop's planned start (13:00 in London, which is UTC in February)."""


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: dt.datetime = START) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)


@dataclass
class Room:
    """One running room server and what a test needs to talk to it."""

    client: TestClient[web.Request, web.Application]
    tokens: Tokens
    path: Path
    clock: Clock

    @property
    def app(self) -> web.Application:
        return self.client.server.app

    @property
    def hub(self) -> RoomHub:
        return self.app[HUB]

    @property
    def streams(self) -> Streams:
        return self.app[STREAMS]

    def bearer(self, role: Role) -> dict[str, str]:
        return {"Authorization": f"Bearer {getattr(self.tokens, role)}"}

    async def control(self, role: Role = "remote", **body: Any) -> ClientResponse:
        return await self.client.post("/api/control", json=body, headers=self.bearer(role))

    async def events(self, role: Role = "viewer") -> ClientResponse:
        response = await self.client.get("/api/events", headers=self.bearer(role))
        return response


class RoomTestServer(TestServer):
    """aiohttp's test server with the runner `serve` uses: the access log redacts the token."""

    async def _make_runner(self, **options: Any) -> BaseRunner:
        # aiohttp's test server asks for handler cancellation itself: left to the room's own
        # runner here, so the tests show what `serve` does.
        options.pop("handler_cancellation", None)
        return make_room_runner(self.app, **options)


ServeRoom = Callable[..., AbstractAsyncContextManager[Room]]


async def next_event(response: ClientResponse) -> tuple[str, str]:
    """The next server-sent event as (name, data), or ("comment", text) for a comment line."""
    name, data, comment = "message", list[str](), None
    async with asyncio.timeout(DEADLINE):
        while True:
            line = (await response.content.readline()).decode("utf-8")
            if line == "":
                raise ConnectionError("the stream ended")
            line = line.rstrip("\n")
            if line.startswith(":"):
                comment = line[1:].strip()
            elif line == "" and data:
                return name, "\n".join(data)
            elif line == "" and comment is not None:
                return "comment", comment
            field, _, value = line.partition(": ")
            if field == "event":
                name = value
            elif field == "data":
                data.append(value)


async def next_state(response: ClientResponse) -> dict[str, Any]:
    """The next `state` event's RoomState as JSON, skipping heartbeats."""
    while True:
        name, data = await next_event(response)
        if name == "state":
            state: dict[str, Any] = json.loads(data)
            return state


async def eventually(check: Callable[[], bool]) -> None:
    """Wait (up to the deadline) for something the server does by itself, like freeing a slot."""
    async with asyncio.timeout(DEADLINE):
        while not check():
            await asyncio.sleep(0.01)
