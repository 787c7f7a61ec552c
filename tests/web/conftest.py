"""The room's server in-process: aiohttp's test server on a copy of the reference workshop."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient
from room_client import Clock, Room, RoomTestServer, ServeRoom

from sessiontui.web.roles import Tokens
from sessiontui.web.room_app import make_room_app


@pytest.fixture
def room_file(workshop_copy: Path) -> Path:
    """A copy of the reference workshop, not yet started."""
    return workshop_copy


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def serve_room(room_file: Path, clock: Clock) -> ServeRoom:
    """Start the room's server on the copy; keyword arguments go to make_room_app."""

    @asynccontextmanager
    async def serve(
        before_start: Callable[[web.Application], None] | None = None, **options: Any
    ) -> AsyncIterator[Room]:
        tokens = Tokens.new()
        app = make_room_app(room_file, tokens, clock=clock, **options)
        if before_start is not None:
            before_start(app)
        async with TestClient(RoomTestServer(app)) as client:
            yield Room(client, tokens, room_file, clock)

    return serve


@pytest.fixture
async def room(serve_room: ServeRoom) -> AsyncIterator[Room]:
    async with serve_room() as served:
        yield served
