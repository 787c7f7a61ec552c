"""SVG snapshots of the plan editor on a fixed session, at 120x40 and at 80x24.

One picture of the agenda with a fixed tea break the items before it run into (the warning
and the "!" on its row), the session tab, and a field error. The clock and settings are fixed
and no cursor blinks, so the pictures change only when the editor's look does. Regenerate
after an intended change with `pytest tests/snapshots/test_plan_editor_snapshots.py
--snapshot-update` and look at the report.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from textual.widgets import Input, TextArea

from pilot_helpers import settle
from sessiontui.store.settings import UserConfig
from sessiontui.tui.app import make_app

NOW = dt.datetime(2023, 2, 10, 9, 0, tzinfo=dt.UTC)

SESSION: dict[str, Any] = {
    "schema_version": 1,
    "title": "Workshop 2: Building common purpose",
    "date": dt.date(2023, 2, 16),
    "start": dt.time(13, 0),
    "end": dt.time(15, 0),
    "venue": "Online (Zoom)",
    "timezone": "Europe/London",
    "participants": [
        {"name": "Amira Patel", "avoid": ["Ben Clarke"]},
        "Ben Clarke",
        {"name": "Chloe Evans", "org": "Nottingham CityCare"},
    ],
    "ways_of_working": [{"name": "Presence", "text": "Really listening to each other"}],
    "agenda": [
        {"id": "welcome", "title": "Welcome [bold]and[/] introductions", "kind": "plenary",
         "minutes": 10, "prompts": ["What brought you here today?"]},
        {"id": "coffee", "title": "Randomised Coffee Trial", "kind": "pairing", "minutes": 25,
         "group_size": 2, "turn_minutes": 7},
        {"id": "complexity", "title": "Working in complexity", "kind": "presentation",
         "minutes": 50},
        {"id": "tea", "title": "Tea break", "kind": "break", "minutes": 10,
         "at": dt.time(14, 15)},
        {"id": "empathy", "title": "Breakout groups: empathy mapping", "kind": "breakout",
         "minutes": 30, "group_size": 4, "notes_template": "empathy-map"},
        {"id": "close", "title": "Summing up", "kind": "close", "minutes": 5},
    ],
}  # fmt: skip


def write_session(folder: Path) -> Path:
    path = folder / "2023-02-16-workshop-2.toml"
    path.write_text(tomli_w.dumps(SESSION), encoding="utf-8")
    return path


async def still(pilot: Any) -> None:
    """Settle, then stop every text cursor blinking, so the picture does not depend on timing."""
    await settle(pilot)
    for widget in pilot.app.screen.query(Input):
        widget.cursor_blink = False
    for area in pilot.app.screen.query(TextArea):
        area.cursor_blink = False
    await pilot.pause()


def editor(tmp_path: Path) -> Any:
    return make_app(
        session_path=write_session(tmp_path), clock=lambda: NOW, config=UserConfig(), mode="edit"
    )


@pytest.mark.parametrize("size", [(120, 40), (80, 24)], ids=["120x40", "80x24"])
def test_agenda_with_a_warning(
    snap_compare: Callable[..., bool], tmp_path: Path, size: tuple[int, int]
) -> None:
    async def on_the_tea_break(pilot: Any) -> None:
        await settle(pilot)
        await pilot.press("down", "down", "down")
        await still(pilot)

    assert snap_compare(editor(tmp_path), terminal_size=size, run_before=on_the_tea_break)


def test_a_field_error(snap_compare: Callable[..., bool], tmp_path: Path) -> None:
    async def minutes_ten(pilot: Any) -> None:
        await settle(pilot)
        await pilot.press("enter", "tab", "tab")
        await pilot.pause()
        pilot.app.screen.query_one("#item-minutes", Input).value = "ten"
        await still(pilot)

    assert snap_compare(editor(tmp_path), terminal_size=(120, 40), run_before=minutes_ten)


@pytest.mark.parametrize("size", [(120, 40), (80, 24)], ids=["120x40", "80x24"])
def test_session_tab(
    snap_compare: Callable[..., bool], tmp_path: Path, size: tuple[int, int]
) -> None:
    async def session_tab(pilot: Any) -> None:
        await settle(pilot)
        await pilot.press("f3")
        await still(pilot)

    assert snap_compare(editor(tmp_path), terminal_size=size, run_before=session_tab)
