"""The room's HTTP API: tokens by role, every control through the session file, one-line errors."""

from __future__ import annotations

import asyncio
import json
import logging
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from aiohttp import ClientResponse
from check_jsonschema.formats import FormatOptions, make_format_checker
from check_jsonschema.regex_variants import RegexImplementation, RegexVariantName
from room_client import Clock, Room, ServeRoom

from sessiontui import session_file
from sessiontui.core.model import Event
from sessiontui.core.room import RoomState, room_schema

REPO = Path(__file__).resolve().parents[2]


async def one_line_error(response: ClientResponse, status: int) -> str:
    """The error's sentence, checking it is one line of JSON with nothing else in it."""
    assert response.status == status, await response.text()
    assert response.content_type == "application/json"
    text = await response.text()
    assert text.endswith("\n") and text.count("\n") == 1
    body = json.loads(text)
    assert list(body) == ["error"] and body["error"] and "\n" not in body["error"]
    message: str = body["error"]
    return message


def logged(path: Path) -> list[Event]:
    return session_file.open_session(path).session.log


# ---------------------------------------------------------------------------- tokens and roles


async def test_no_token_or_a_wrong_one_is_refused(room: Room) -> None:
    assert "token" in await one_line_error(await room.client.get("/api/state"), 403)
    wrong = {"Authorization": "Bearer not-the-token"}
    await one_line_error(await room.client.get("/api/events", headers=wrong), 403)
    page = await room.client.get("/?token=guess")
    assert page.status == 403 and page.content_type == "text/plain"
    assert (await page.text()).count("\n") == 1


async def test_every_role_reads_the_state_and_only_the_remote_controls(room: Room) -> None:
    for role in ("viewer", "notes", "remote"):
        response = await room.client.get("/api/state", headers=room.bearer(role))
        assert response.status == 200
        RoomState.model_validate_json(await response.read())
    for role in ("viewer", "notes"):
        refused = await room.control(role, action="start")
        assert "remote" in await one_line_error(refused, 403)
    assert logged(room.path) == []
    assert (await room.control("remote", action="start")).status == 200
    assert [event.kind for event in logged(room.path)] == ["start"]


async def test_the_remote_page_is_the_remote_token_s_alone(room: Room) -> None:
    page = await room.client.get("/remote", headers=room.bearer("viewer"))
    assert page.status == 403 and page.content_type == "text/plain"
    page = await room.client.get("/remote", headers=room.bearer("remote"))
    assert page.status != 403


async def test_the_link_s_token_moves_into_a_cookie_and_out_of_the_address_bar(room: Room) -> None:
    response = await room.client.get(
        f"/remote?lang=en&token={room.tokens.remote}", allow_redirects=False
    )
    assert response.status == 303
    assert response.headers["Location"] == "/remote?lang=en"
    cookie = response.cookies["sessiontui-room"]
    assert cookie.value == room.tokens.remote
    assert cookie["httponly"] and cookie["samesite"] == "Strict" and cookie["path"] == "/"
    # The test client keeps the cookie, as a browser does: no token in any later URL.
    assert (await room.client.get("/api/state")).status == 200
    assert (await room.client.post("/api/control", json={"action": "start"})).status == 200


async def test_a_viewer_s_link_on_a_phone_that_had_the_remote_makes_it_a_viewer(
    room: Room,
) -> None:
    await room.client.get(f"/?token={room.tokens.remote}", allow_redirects=False)
    await room.client.get(f"/?token={room.tokens.viewer}", allow_redirects=False)
    await one_line_error(await room.client.post("/api/control", json={"action": "start"}), 403)


async def test_the_redirect_never_leaves_the_site(room: Room) -> None:
    # Sent by hand: aiohttp's client makes "//evil.example/" another host, as a browser would.
    server = room.client.server
    reader, writer = await asyncio.open_connection(server.host, server.port)
    writer.write(
        f"GET //evil.example/?token={room.tokens.viewer} HTTP/1.1\r\n"
        f"Host: {server.host}:{server.port}\r\nConnection: close\r\n\r\n".encode()
    )
    head = (await reader.read()).decode().split("\r\n\r\n")[0].split("\r\n")
    writer.close()
    assert head[0].startswith("HTTP/1.1 303")
    location = next(line for line in head if line.lower().startswith("location:"))
    assert location.split(":", 1)[1].strip() == "/evil.example/"


async def test_api_clients_use_the_token_in_the_url_without_a_redirect(room: Room) -> None:
    response = await room.client.get(f"/api/state?token={room.tokens.viewer}")
    assert response.status == 200 and not response.history


async def test_a_page_of_another_site_cannot_post_with_the_cookie(room: Room) -> None:
    await room.client.get(f"/?token={room.tokens.remote}", allow_redirects=False)
    refused = await room.client.post(
        "/api/control", json={"action": "start"}, headers={"Origin": "http://evil.example"}
    )
    await one_line_error(refused, 403)
    assert logged(room.path) == []


# ---------------------------------------------------------------------------- every control


async def test_every_action_round_trips_through_the_session_file(room: Room) -> None:
    """Each action is appended to the file's log as the run screen's own event, at the clock."""
    clock: Clock = room.clock
    steps: list[tuple[dict[str, Any], dict[str, Any], str]] = [
        ({"action": "start"}, {"kind": "start"}, "running"),
        ({"action": "extend", "minutes": 5}, {"kind": "extend", "minutes": 5}, "running"),
        ({"action": "extend", "minutes": -1}, {"kind": "extend", "minutes": -1}, "running"),
        (
            {"action": "broadcast", "text": "Back at 14:40", "seconds": 120},
            {"kind": "broadcast", "text": "Back at 14:40", "seconds": 120},
            "running",
        ),
        ({"action": "clear_broadcast"}, {"kind": "broadcast", "text": ""}, "running"),
        (
            {"action": "broadcast", "text": "Mics off"},
            {"kind": "broadcast", "seconds": None},
            "running",
        ),
        ({"action": "pause"}, {"kind": "pause"}, "paused"),
        ({"action": "resume"}, {"kind": "resume"}, "running"),
        ({"action": "next"}, {"kind": "next"}, "running"),
        ({"action": "back"}, {"kind": "back"}, "running"),
    ]
    for number, (body, expected, status) in enumerate(steps, start=1):
        clock.advance(seconds=30)
        response = await room.control(**body)
        assert response.status == 200, await response.text()
        state = RoomState.model_validate_json(await response.read())
        assert state.status == status
        log = logged(room.path)
        assert len(log) == number
        event = log[-1]
        assert event.at == clock.now
        for field, value in expected.items():
            assert getattr(event, field) == value, (body, field)
    final = RoomState.model_validate_json(await response.read())
    assert final.current is not None and final.current.id == "welcome"
    assert final.broadcast is not None and final.broadcast.text == "Mics off"


async def test_the_reply_is_what_every_page_now_sees(room: Room) -> None:
    reply = await room.control(action="start")
    state = await room.client.get("/api/state", headers=room.bearer("viewer"))
    assert await reply.read() == await state.read()


async def test_a_control_merges_with_a_save_made_meanwhile(room: Room) -> None:
    """The control re-reads the file under its lock: another writer's event is kept."""
    await room.control(action="start")
    room.clock.advance(minutes=1)

    def pause(session: Any) -> Any:
        event = Event(at=room.clock.now, kind="pause")
        return session.model_copy(update={"log": [*session.log, event]})

    session_file.update(room.path, pause)
    # The hub may not have looked yet: the control is checked against the file, not it.
    assert "already paused" in await one_line_error(await room.control(action="pause"), 409)
    assert (await room.control(action="resume")).status == 200
    assert [event.kind for event in logged(room.path)] == ["start", "pause", "resume"]


# ---------------------------------------------------------------------------- refusals


@pytest.mark.parametrize(
    ("body", "status", "words"),
    [
        ({"action": "dance"}, 400, "unknown action 'dance'"),
        ({}, 400, '"action" is missing'),
        ({"action": 3}, 400, '"action" is missing'),
        ({"action": "extend"}, 400, "extend needs minutes"),
        ({"action": "extend", "minutes": 0}, 400, "not 0"),
        ({"action": "extend", "minutes": 241}, 400, "-240 to 240"),
        ({"action": "extend", "minutes": "5"}, 400, "minutes must be a whole number"),
        ({"action": "extend", "minutes": 2.5}, 400, "minutes must be a whole number"),
        ({"action": "extend", "minutes": True}, 400, "minutes must be a whole number"),
        ({"action": "next", "minutes": 5}, 400, "next takes no minutes"),
        ({"action": "broadcast"}, 400, "broadcast needs text"),
        ({"action": "broadcast", "text": "   "}, 400, "broadcast needs text"),
        ({"action": "broadcast", "text": "x" * 501}, 400, "501 characters: at most 500"),
        ({"action": "broadcast", "text": "Hi", "seconds": 0}, 400, "from 1 to 86400"),
        ({"action": "broadcast", "text": "Hi", "seconds": 86_401}, 400, "from 1 to 86400"),
        ({"action": "next", "colour": "red"}, 400, "unknown field 'colour'"),
        (["next"], 400, "a JSON object"),
        ({"action": "next"}, 409, "next: the session has not started"),
        ({"action": "pause"}, 409, "pause: the session has not started"),
        ({"action": "clear_broadcast"}, 409, "no message is showing"),
    ],
)
async def test_a_bad_control_gets_one_line_and_changes_nothing(
    room: Room, body: Any, status: int, words: str
) -> None:
    response = await room.client.post("/api/control", json=body, headers=room.bearer("remote"))
    assert words in await one_line_error(response, status)
    assert logged(room.path) == []


async def test_not_json_or_not_said_to_be_json_or_too_big_gets_one_line(room: Room) -> None:
    remote = room.bearer("remote")
    as_json = {**remote, "Content-Type": "application/json"}
    response = await room.client.post("/api/control", data="{not json", headers=as_json)
    assert "not JSON" in await one_line_error(response, 400)
    # A form, as another site could post: refused before it is read.
    response = await room.client.post("/api/control", data={"action": "start"}, headers=remote)
    assert "application/json" in await one_line_error(response, 415)
    big = json.dumps({"action": "broadcast", "text": "x" * 5000})
    response = await room.client.post("/api/control", data=big, headers=as_json)
    assert "4096 bytes" in await one_line_error(response, 413)
    assert logged(room.path) == []


async def test_unknown_paths_and_methods_get_one_line(room: Room) -> None:
    viewer = room.bearer("viewer")
    await one_line_error(await room.client.get("/api/nothing", headers=viewer), 404)
    response = await room.client.delete("/api/state", headers=viewer)
    await one_line_error(response, 405)
    assert "GET" in response.headers["Allow"]


async def test_a_file_that_does_not_load_refuses_controls_in_one_line(room: Room) -> None:
    await room.control(action="start")
    room.path.write_text(room.path.read_text() + "\nbroken = [\n")
    message = await one_line_error(await room.control(action="next"), 409)
    assert "not overwriting" in message or "workshop.toml" in message


# ---------------------------------------------------------------------------- the schema


def test_the_published_schema_file_is_the_model_s() -> None:
    published = (REPO / "docs" / "room-state.schema.json").read_text(encoding="utf-8")
    assert published == json.dumps(room_schema(), indent=2) + "\n", (
        "regenerate docs/room-state.schema.json from room_schema() (see docs/api.md)"
    )


async def test_the_state_validates_against_the_schema_the_api_serves(
    serve_room: ServeRoom,
) -> None:
    checker = make_format_checker(
        FormatOptions(regex_impl=RegexImplementation(RegexVariantName.default))
    )
    async with serve_room() as room:
        served = await room.client.get("/api/schema", headers=room.bearer("viewer"))
        schema = await served.json()
        assert schema == room_schema()
        validator = jsonschema.Draft202012Validator(schema, format_checker=checker)
        actions: list[dict[str, Any]] = [
            {},
            {"action": "start"},
            {"action": "broadcast", "text": "Back at 14:40", "seconds": 60},
            {"action": "next"},
            {"action": "pause"},
        ]
        for body in actions:
            if body:
                room.clock.advance(minutes=7)
                assert (await room.control(**body)).status == 200
            state = await (
                await room.client.get("/api/state", headers=room.bearer("viewer"))
            ).json()
            validator.validate(state)
        # The format is really checked: a local time without its offset is refused.
        state["now"] = "2023-02-16 13:00"
        with pytest.raises(jsonschema.ValidationError):
            validator.validate(state)


# ---------------------------------------------------------------------------- the log


async def test_no_token_in_any_log_line_and_one_line_per_bad_request(
    room: Room, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    tokens = (room.tokens.viewer, room.tokens.remote, room.tokens.notes)
    await room.client.get(f"/?token={room.tokens.viewer}", allow_redirects=False)
    await room.client.get(f"/api/state?token={room.tokens.notes}")
    await room.client.get(f"/api/state?token={room.tokens.viewer}x")
    await room.control(action="start")
    await room.control("viewer", action="next")
    await room.client.post(
        f"/api/control?token={room.tokens.remote}",
        data="{",
        headers={"Content-Type": "application/json"},
    )
    await room.client.get("/remote", headers={"Authorization": f"Bearer {room.tokens.remote}z"})
    lines = [record.getMessage() for record in caplog.records]
    assert any("REDACTED" in line for line in lines), lines  # the access log was there
    for record, line in zip(caplog.records, lines, strict=True):
        assert not any(token in line for token in tokens), line
        assert "\n" not in line and record.exc_info is None, line
    refusals = [line for line in lines if line.startswith("127.0.0.1 ") and ": 4" in line]
    assert len(refusals) == 4, lines


async def test_a_failure_in_the_server_is_one_line_too(
    room: Room, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(session: object) -> None:
        raise RuntimeError("the hub is broken")

    monkeypatch.setattr(room.hub, "publish_session", broken)
    assert "console" in await one_line_error(await room.control(action="start"), 500)
    # The server's own line, not aiohttp's access line for the same request (which the
    # capture holds too when an earlier test in this worker left access logging on).
    failures = [
        record
        for record in caplog.records
        if record.name == "sessiontui.room" and " 500 " in record.getMessage()
    ]
    assert [record.getMessage().split(": ", 1)[1] for record in failures] == [
        "500 RuntimeError: the hub is broken"
    ]
    assert all(record.exc_info is None for record in failures)


async def test_a_head_of_the_stream_does_not_open_one(room: Room) -> None:
    response = await room.client.head("/api/events", headers=room.bearer("viewer"))
    assert response.status == 200
    assert response.headers["Content-Type"] == "text/event-stream"
    assert room.streams.count == 0
