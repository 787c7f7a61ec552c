"""The room's pages as served: the state at serving in a data block, the session's text as text."""

from __future__ import annotations

import datetime as dt
import json
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from room_client import START, Room, ServeRoom

from sessiontui import session_file
from sessiontui.web.roles import Role

HOSTILE_TITLE = 'Trust </script><script>alert("x")</script> <!-- <script> & "quotes"'
"""A title that would end a script element, open a comment and start a script of its own."""


class PageParts(HTMLParser):
    """The parts of a page the tests read, found as a browser's tokenizer finds them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        """Each script element: its attributes and its text."""
        self.texts: dict[str, str] = {}
        """The text of the <title> and of each element with an id, by "title" or "#id"."""
        self._open: list[str] = []
        self._script: dict[str, str | None] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "script":
            self._script = attributes
            self.scripts.append((attributes, ""))
        key = "title" if tag == "title" else f"#{attributes['id']}" if attributes.get("id") else ""
        self._open.append(key)
        if key:
            self.texts.setdefault(key, "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._script = None
        if self._open:
            self._open.pop()

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            attributes, text = self.scripts[-1]
            self.scripts[-1] = (attributes, text + data)
        for key in self._open:
            if key:
                self.texts[key] += data


async def served_page(room: Room, page: str, role: Role = "viewer") -> tuple[str, PageParts]:
    response = await room.client.get(page, headers=room.bearer(role))
    assert response.status == 200
    html = await response.text()
    parts = PageParts()
    parts.feed(html)
    parts.close()
    return html, parts


def initial_state(parts: PageParts) -> dict[str, Any]:
    """The state the page came with, checking it is in the one data block and nothing runs."""
    data = [text for attrs, text in parts.scripts if attrs.get("type") == "application/json"]
    assert len(data) == 1
    code = [attrs for attrs, _ in parts.scripts if attrs.get("type") != "application/json"]
    # Every script the page runs is a file of this server (the CSP allows nothing else).
    assert code and all(str(attrs.get("src", "")).startswith("/static/") for attrs in code)
    state: dict[str, Any] = json.loads(data[0])
    return state


@pytest.mark.parametrize(("page", "role"), [("/", "viewer"), ("/remote", "remote")])
async def test_each_page_comes_with_the_state_at_serving(room: Room, page: str, role: Role) -> None:
    assert (await room.control(action="start")).status == 200
    room.clock.advance(minutes=3, seconds=21)  # the hub has not looked at the clock since
    _html, parts = await served_page(room, page, role)
    state = initial_state(parts)
    assert dt.datetime.fromisoformat(state["now"]) == START + dt.timedelta(minutes=3, seconds=21)
    assert state["status"] == "running"
    assert state["current"]["title"] == "Welcome and introduction to the session"
    # The state every stream and `/api/state` now hold, so the page and the stream agree.
    response = await room.client.get("/api/state", headers=room.bearer("viewer"))
    assert state == await response.json()


@pytest.mark.parametrize(("page", "role"), [("/", "viewer"), ("/remote", "remote")])
async def test_a_title_that_closes_a_script_stays_text(
    serve_room: ServeRoom, room_file: Path, page: str, role: Role
) -> None:
    session_file.update(
        room_file, lambda session: session.model_copy(update={"title": HOSTILE_TITLE})
    )
    async with serve_room() as room:
        html, parts = await served_page(room, page, role)
    assert initial_state(parts)["title"] == HOSTILE_TITLE
    assert parts.texts["#title"] == HOSTILE_TITLE
    assert parts.texts["title"].endswith(HOSTILE_TITLE)
    assert "</script><script>alert" not in html and "<!-- <script>" not in html


async def test_before_the_file_is_read_the_page_has_no_state_and_says_so_plainly(
    serve_room: ServeRoom, room_file: Path
) -> None:
    room_file.write_text("this is not TOML [", encoding="utf-8")
    async with serve_room() as room:
        _html, parts = await served_page(room, "/")
    assert not [attrs for attrs, _ in parts.scripts if attrs.get("type") == "application/json"]
    assert parts.texts["#connection"] == "Connecting…"
