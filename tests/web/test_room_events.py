"""The room's stream: the state at once, every change to every page, limits, and the hub."""

from __future__ import annotations

import asyncio
import json
import socket
from pathlib import Path
from typing import Any

from aiohttp import web
from room_client import Clock, Room, ServeRoom, eventually, next_event, next_state

from sessiontui import session_file
from sessiontui.core.model import Event, Session
from sessiontui.core.room import RoomState
from sessiontui.web.room_hub import RoomHub


async def test_a_page_gets_the_state_at_once(room: Room) -> None:
    response = await room.events()
    assert response.status == 200
    assert response.headers["Content-Type"] == "text/event-stream"
    assert response.headers["Cache-Control"] == "no-store"
    state = await next_state(response)
    assert RoomState.model_validate(state) == room.hub.latest
    assert state["status"] == "planned"


async def test_a_control_reaches_every_connected_page(room: Room) -> None:
    pages = [await room.events(role) for role in ("viewer", "viewer", "notes", "remote")]
    for page in pages:
        await next_state(page)
    assert (await room.control(action="start")).status == 200
    for page in pages:
        assert (await next_state(page))["status"] == "running"
    room.clock.advance(minutes=3)
    await room.control(action="broadcast", text="Cameras on, please", seconds=60)
    for page in pages:
        state = await next_state(page)
        assert state["broadcast"]["text"] == "Cameras on, please"


async def test_a_save_by_another_program_reaches_the_pages(room: Room) -> None:
    """`run` in a terminal writes the file; the hub's follower sees it, the pages get it."""
    page = await room.events()
    await next_state(page)

    def start(session: Session) -> Session:
        event = Event(at=room.clock.now, kind="start")
        return session.model_copy(update={"log": [*session.log, event]})

    await asyncio.to_thread(session_file.update, room.path, start)
    assert (await next_state(page))["status"] == "running"


def small_send_buffers(app: web.Application) -> None:
    """Make the server's socket of each stream hold a few KB, so a phone that stops reading
    blocks the server's writes after a few states (the kernel's default holds megabytes)."""

    async def shrink(request: web.Request, response: web.StreamResponse) -> None:
        if request.path == "/api/events" and request.transport is not None:
            connection = request.transport.get_extra_info("socket")
            connection.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4096)

    app.on_response_prepare.append(shrink)


async def test_a_stalled_page_does_not_hold_up_the_others_and_then_gets_the_latest(
    serve_room: ServeRoom,
) -> None:
    """A phone that stops reading blocks only its own stream; once it reads again it gets the
    latest state, having skipped the ones in between (no queue grew for it meanwhile)."""
    async with serve_room(before_start=small_send_buffers) as room:
        server = room.client.server
        stalled = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        stalled.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        stalled.setblocking(False)
        loop = asyncio.get_running_loop()
        await loop.sock_connect(stalled, (server.host, server.port))
        await loop.sock_sendall(
            stalled,
            f"GET /api/events HTTP/1.1\r\nHost: {server.host}\r\n"
            f"Authorization: Bearer {room.tokens.viewer}\r\n\r\n".encode(),
        )
        try:
            page = await room.events()
            await next_state(page)
            await eventually(lambda: room.streams.count == 2)
            await room.control(action="start")
            assert (await next_state(page))["status"] == "running"
            controls = 60
            for number in range(1, controls + 1):
                room.clock.advance(seconds=1)
                text = f"Message {number}: " + "x" * 400
                assert (await room.control(action="broadcast", text=text)).status == 200
                # The hub may publish what the clock alone changed first: skipped here.
                while (await next_state(page))["broadcast"]["text"] != text:
                    pass
            sent = room.streams.sent
            assert sent < 2 * (controls + 2)  # the stalled stream sent fewer: it is blocked
            received = b""
            async with asyncio.timeout(20):
                while f"Message {controls}: ".encode() not in received:
                    received += await loop.sock_recv(stalled, 65536)
        finally:
            stalled.close()
        states = [
            json.loads(line[len(b"data: ") :])
            for line in received.split(b"\n")
            if line.startswith(b"data: {")
        ]
        assert states[-1]["broadcast"]["text"].startswith(f"Message {controls}: ")
        assert len(states) < controls + 2  # versions were skipped, not queued
        await eventually(lambda: room.streams.count == 1)


async def test_an_idle_stream_gets_a_heartbeat(serve_room: ServeRoom) -> None:
    async with serve_room(heartbeat_seconds=0.05) as room:
        page = await room.events()
        assert (await next_event(page))[0] == "state"
        assert await next_event(page) == ("comment", "ping")
        assert await next_event(page) == ("comment", "ping")


async def test_past_the_cap_a_page_is_told_the_room_is_full(serve_room: ServeRoom) -> None:
    # No heartbeat meanwhile: the slot is freed by the close itself, not by a failed write.
    async with serve_room(max_clients=2, heartbeat_seconds=3600) as room:
        pages = [await room.events(), await room.events()]
        for page in pages:
            await next_state(page)
        full = await room.events()
        assert full.status == 503
        body = await full.text()
        assert body.count("\n") == 1 and "full" in json.loads(body)["error"]
        pages[0].close()
        await eventually(lambda: room.streams.count == 1)
        again = await room.events()
        assert again.status == 200
        await next_state(again)


async def test_closing_the_pages_frees_their_streams(serve_room: ServeRoom) -> None:
    async with serve_room(heartbeat_seconds=3600) as room:
        pages = [await room.events() for _ in range(20)]
        for page in pages:
            await next_state(page)
        assert room.streams.count == 20
        for page in pages:
            page.close()
        # At once, not at the next heartbeat: the runner cancels a closed page's handler.
        await eventually(lambda: room.streams.count == 0)


async def test_a_broken_file_is_said_on_the_stream_and_the_last_state_kept(room: Room) -> None:
    page = await room.events()
    before = await next_state(page)
    good = room.path.read_text(encoding="utf-8")
    room.path.write_text(good.replace("schema_version = 1", "schema_version = 'x'"))
    name, data = await next_event(page)
    problem = json.loads(data)["error"]
    assert name == "problem" and problem.startswith("workshop.toml:5: schema_version")
    assert str(room.path.parent) not in problem
    assert room.hub.latest is not None and room.hub.problem is not None
    assert await next_state(page) == before  # the last good one, kept
    state = await room.client.get("/api/state", headers=room.bearer("viewer"))
    assert await state.json() == before
    room.path.write_text(good)
    # First the all-clear (the remote drops its warning), then the state read again.
    assert await next_event(page) == ("problem", '{"error": null}')
    assert (await next_state(page))["title"] == before["title"]
    assert room.hub.problem is None


# ---------------------------------------------------------------------------- the hub alone


async def started_hub(path: Path, clock: Clock, session: Session | None = None) -> RoomHub:
    if session is not None:
        session_file.save(path, session)
    hub = RoomHub(path, clock, follow_seconds=3600)  # the test looks and ticks by hand
    await hub.start()
    return hub


def with_log(path: Path, *events: dict[str, Any]) -> Session:
    session = session_file.open_session(path).session
    log = [Event.model_validate(event) for event in events]
    return session.model_copy(update={"log": log})


async def test_a_quiet_second_sends_nothing(room_file: Path, clock: Clock) -> None:
    session = with_log(room_file, {"at": clock.now, "kind": "start"})
    hub = await started_hub(room_file, clock, session)
    try:
        version = hub.version
        for _ in range(5):
            clock.advance(seconds=1)
            hub.tick()
        assert hub.version == version
        assert hub.latest is not None and hub.latest.now == clock.now  # fresh all the same
        assert hub.latest_json == hub.latest.model_dump_json().encode()
    finally:
        await hub.stop()


async def test_what_the_clock_alone_changes_is_published(room_file: Path, clock: Clock) -> None:
    """An expiring message, the warning, time up: each reaches the pages without a save."""
    session = with_log(
        room_file,
        {"at": clock.now, "kind": "start"},
        {"at": clock.now, "kind": "broadcast", "text": "Welcome!", "seconds": 90},
    )
    hub = await started_hub(room_file, clock, session)
    try:
        assert hub.latest is not None and hub.latest.broadcast is not None
        version = hub.version
        clock.advance(seconds=89)
        hub.tick()
        assert hub.version == version
        clock.advance(seconds=2)
        hub.tick()
        assert hub.version == version + 1 and hub.latest.broadcast is None
        phases = []
        for _ in range(6 * 20):  # the welcome's ten minutes, and ten more
            before = hub.version
            clock.advance(seconds=10)
            hub.tick()
            assert hub.latest.clock is not None
            if hub.version != before:
                phases.append(hub.latest.clock.phase)
        assert {"warning", "time-up", "overtime"} <= set(phases)
        # Overtime counts up by the second on the page; the server sends it once a minute at most.
        version = hub.version
        for _ in range(59):
            clock.advance(seconds=1)
            hub.tick()
        assert hub.version - version <= 1
    finally:
        await hub.stop()


async def test_a_waiting_stream_wakes_on_a_change_and_when_the_hub_stops(
    room_file: Path, clock: Clock
) -> None:
    hub = await started_hub(room_file, clock)
    waiting = asyncio.create_task(hub.wait_newer(hub.version))
    await asyncio.sleep(0)
    assert not waiting.done()
    hub.publish_session(with_log(room_file, {"at": clock.now, "kind": "start"}))
    assert await waiting == hub.version
    stopped = asyncio.create_task(hub.wait_newer(hub.version))
    await asyncio.sleep(0)
    await hub.stop()
    try:
        await stopped
    except Exception as error:
        assert type(error).__name__ == "HubStopped"
    else:
        raise AssertionError("wait_newer returned after the hub stopped")


async def test_a_file_missing_at_the_start_is_said_and_followed_once_it_appears(
    serve_room: ServeRoom, room_file: Path
) -> None:
    content = room_file.read_bytes()
    room_file.unlink()
    async with serve_room() as room:
        missing = await room.client.get("/api/state", headers=room.bearer("viewer"))
        assert missing.status == 503
        assert "workshop.toml" in (await missing.json())["error"]
        page = await room.events()
        name, data = await next_event(page)
        assert name == "problem" and "missing" in json.loads(data)["error"]
        room_file.write_bytes(content)
        assert (await next_state(page))["status"] == "planned"
        assert room.hub.problem is None
