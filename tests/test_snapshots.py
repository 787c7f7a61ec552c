"""SVG snapshots of the run screen on a fixed session, at a roomy and at a small terminal.

Regenerate after an intended change with `pytest tests/test_snapshots.py --snapshot-update`
and look at the report. The session and the clock are fixed here, and nothing on the screen
blinks or animates, so the pictures only change when the app's look changes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from textual.pilot import Pilot

from sessiontui.app import make_app

NOW = dt.datetime(2023, 2, 16, 11, 30, tzinfo=dt.UTC)

SESSION: dict[str, Any] = {
    "schema_version": 1,
    "title": "Workshop 2: Building common understanding and common purpose",
    "series": "Systems Leadership Workshops",
    "date": dt.date(2023, 2, 16),
    "start": dt.time(13, 0),
    "end": dt.time(15, 0),
    "venue": "Online (Zoom, with breakout rooms)",
    "timezone": "Europe/London",
    "facilitators": ["Debbie Sorkin", "Katie Crockett", "James Cook"],
    "participants": [
        {"name": "Amira Patel", "org": "Active Notts"},
        {"name": "Ben Clarke", "org": "Derbyshire County Council"},
        {"name": "Chloe Evans", "org": "Nottingham CityCare", "absent": True},
        "Dev Sharma",
    ],
    "ways_of_working": [
        {"name": "Presence", "text": "Really listening to each other; giving people time"},
        {"name": "Curiosity", "text": "Retaining an open and curious mind"},
        {"name": "Chatham", "text": "What's in the room stays in the room"},
    ],
    "agenda": [
        {
            "id": "welcome",
            "title": "Welcome and introduction to the session",
            "kind": "plenary",
            "minutes": 10,
            "prompts": ["What brought you here today?", "One word for how you arrive"],
            "facilitator_notes": "Introduce Debbie, Katie and James.\nOutline the afternoon.",
        },
        {
            "id": "coffee",
            "title": "Randomised Coffee Trial",
            "kind": "pairing",
            "minutes": 15,
            "group_size": 2,
            "turn_minutes": 7,
            "prompts": ["Who you are, where you're from"],
        },
        {
            "id": "complexity",
            "title": "Working in complexity and systems leadership",
            "kind": "presentation",
            "minutes": 20,
        },
        {
            "id": "empathy",
            "title": "Breakout groups: empathy mapping",
            "kind": "breakout",
            "minutes": 20,
            "group_size": 4,
            "notes_template": "empathy-map",
            "prompts": ["What do they SEE?", "What do they HEAR?"],
        },
        {"id": "tea", "title": "Tea break", "kind": "break", "minutes": 10, "at": dt.time(14, 15)},
        {"id": "reflect", "title": "Where might we use this?", "kind": "reflection", "minutes": 25},
        {"id": "close", "title": "Summing up and next steps", "kind": "close", "minutes": 5},
    ],
}


@pytest.fixture
def session_path(tmp_path: Path) -> Path:
    path = tmp_path / "2023-02-16-workshop-2.toml"
    path.write_text(tomli_w.dumps(SESSION), encoding="utf-8")
    return path


async def loaded(pilot: Pilot[None]) -> None:
    """Wait for the load worker, so the picture is of the session and not of "Opening…"."""
    for _ in range(100):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        if not getattr(pilot.app.screen, "loading", False):
            return
    raise AssertionError("the session never loaded")


def fixed_clock() -> dt.datetime:
    return NOW


def test_run_screen_120x40(snap_compare: Callable[..., bool], session_path: Path) -> None:
    app = make_app(session_path=session_path, clock=fixed_clock)
    assert snap_compare(app, terminal_size=(120, 40), run_before=loaded)


def test_run_screen_80x24(snap_compare: Callable[..., bool], session_path: Path) -> None:
    app = make_app(session_path=session_path, clock=fixed_clock)
    assert snap_compare(app, terminal_size=(80, 24), run_before=loaded)
