"""SVG snapshots of the run screen on a fixed session, at a roomy and at a small terminal.

One picture per moment the room must be able to read: before the start, mid-item, the warning,
overtime, paused, overtime in the high-contrast theme, and a pairing round at 80x24.
Regenerate after an intended change with `pytest tests/test_snapshots.py --snapshot-update`
and look at the report. The session and the clock are fixed here (the clock stopped, the
settings given, so nothing is read from the user's files), and nothing on the screen blinks
or animates, so the pictures only change when the app's look changes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import tomli_w

from pilot_helpers import settle
from sessiontui.store.settings import UserConfig
from sessiontui.tui.app import make_app

NOW = dt.datetime(2023, 2, 16, 11, 30, tzinfo=dt.UTC)
START = dt.datetime(2023, 2, 16, 13, 0, tzinfo=dt.UTC)

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


def write_session(folder: Path, log: list[dict[str, Any]]) -> Path:
    path = folder / "2023-02-16-workshop-2.toml"
    path.write_text(tomli_w.dumps({**SESSION, "log": log}), encoding="utf-8")
    return path


def at(moment: dt.datetime) -> Callable[[], dt.datetime]:
    """A clock stopped at `moment`, so every frame of a picture shows the same second."""
    return lambda: moment


STARTED = [{"at": START, "kind": "start"}]
COFFEE = [*STARTED, {"at": START + dt.timedelta(minutes=10), "kind": "next"}]

# (name, log, clock, theme): each a moment of the run the room should be able to read.
STATES: dict[str, tuple[list[dict[str, Any]], dt.datetime, str]] = {
    "before_start": ([], NOW, "textual-dark"),
    "mid_item": (STARTED, START + dt.timedelta(minutes=4, seconds=12), "textual-dark"),
    "warning": (STARTED, START + dt.timedelta(minutes=8, seconds=30), "textual-dark"),
    "overtime": (STARTED, START + dt.timedelta(minutes=13, seconds=12), "textual-dark"),
    "paused": (
        [*STARTED, {"at": START + dt.timedelta(minutes=3), "kind": "pause"}],
        START + dt.timedelta(minutes=5),
        "textual-dark",
    ),
    "overtime_high_contrast": (
        STARTED,
        START + dt.timedelta(minutes=13, seconds=12),
        "sessiontui-high-contrast",
    ),
}


@pytest.mark.parametrize("state", list(STATES))
def test_run_screen_120x40(snap_compare: Callable[..., bool], tmp_path: Path, state: str) -> None:
    log, now, theme = STATES[state]
    app = make_app(
        session_path=write_session(tmp_path, log), clock=at(now), config=UserConfig(theme=theme)
    )
    assert snap_compare(app, terminal_size=(120, 40), run_before=settle)


@pytest.mark.parametrize(
    ("state", "log", "now"),
    [
        ("before_start", [], NOW),
        ("pairing_turn", COFFEE, START + dt.timedelta(minutes=12, seconds=48)),
    ],
    ids=["before_start", "pairing_turn"],
)
def test_run_screen_80x24(
    snap_compare: Callable[..., bool],
    tmp_path: Path,
    state: str,
    log: list[dict[str, Any]],
    now: dt.datetime,
) -> None:
    app = make_app(session_path=write_session(tmp_path, log), clock=at(now), config=UserConfig())
    assert snap_compare(app, terminal_size=(80, 24), run_before=settle)


EMPATHY = [
    *COFFEE,
    {"at": START + dt.timedelta(minutes=25), "kind": "next"},
    {"at": START + dt.timedelta(minutes=45), "kind": "next"},
]
NOTES_SESSION: dict[str, Any] = {
    "groups": [
        {"item": "empathy", "name": "Group 1", "members": ["Amira Patel", "Ben Clarke"]},
        {"item": "empathy", "name": "Group 2", "members": ["Dev Sharma"]},
    ],
    "notes": [
        {
            "item": "empathy",
            "group": "Group 1",
            "edited": START + dt.timedelta(minutes=50),
            "see": "Leaflets about services [bold]nobody[/] reads\nLong queues",
            "hear": "Jargon; 'you're not eligible'",
            "think_feel": "Passed from pillar to post",
        }
    ],
}


async def _still_cursor(pilot: Any) -> None:
    """Settle, then stop the text cursor blinking, so the picture does not depend on timing."""
    from textual.widgets import TextArea

    await settle(pilot)
    for area in pilot.app.screen.query(TextArea):
        area.cursor_blink = False
    await pilot.pause()


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_notes_screen_empathy_map(
    snap_compare: Callable[..., bool], tmp_path: Path, size: tuple[int, int]
) -> None:
    path = tmp_path / "2023-02-16-workshop-2.toml"
    session = {**SESSION, **NOTES_SESSION, "log": EMPATHY}
    path.write_text(tomli_w.dumps(session), encoding="utf-8")
    app = make_app(
        session_path=path,
        clock=at(START + dt.timedelta(minutes=52, seconds=30)),
        config=UserConfig(),
        mode="notes",
        group="Group 1",
    )
    assert snap_compare(app, terminal_size=size, run_before=_still_cursor)
