"""Helpers shared by the Pilot tests."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from textual import events
from textual.keys import REPLACED_KEYS, _character_to_key, _get_unicode_name_from_key
from textual.pilot import Pilot

from sessiontui.store.settings import UserConfig
from sessiontui.tui.app import SessionApp, make_app
from sessiontui.tui.screens.run import RunScreen

START = dt.datetime(2023, 2, 16, 13, 0, tzinfo=dt.UTC)
"""The reference workshop's planned start (Europe/London in February is UTC)."""


class FakeClock:
    """A clock the test moves on by hand, so nothing waits on real time."""

    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now

    def set(self, **delta: float) -> None:
        """Move to START plus this much."""
        self.now = START + dt.timedelta(**delta)

    def advance(self, **delta: float) -> None:
        """Move on by this much."""
        self.now += dt.timedelta(**delta)


async def settle(pilot: Pilot[None]) -> None:
    """Let the screen's workers (load, scan, save) finish and their messages land."""
    for _ in range(100):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        if not getattr(pilot.app.screen, "loading", False):
            return
    raise AssertionError(f"{pilot.app.screen} never finished loading")


def key_event(key: str) -> events.Key:
    """The Key event Pilot.press sends for this key name or character, by Textual's own mapping."""
    if len(key) == 1 and not key.isalnum():
        key = _character_to_key(key)
    try:
        character: str | None = unicodedata.lookup(
            _get_unicode_name_from_key(REPLACED_KEYS.get(key, key))
        )
    except KeyError:
        character = key if len(key) == 1 else None
    return events.Key(key, character)


def keys_for(text: str) -> list[str]:
    """The keys that type this text: its characters, a newline as Enter."""
    return ["enter" if character == "\n" else character for character in text]


async def type_at_once(pilot: Pilot[None], *keys: str) -> None:
    """Queue every key before the app handles the first, as a fast typist, tmux or a paste does.

    Each is the event Pilot.press sends, handled in order by whatever has the focus then; but
    Pilot.press waits for the app to go idle after every key (40 ms or more), which makes long
    texts slow and hides the races of keys arriving together.
    """
    for key in keys:
        pilot.app.post_message(key_event(key))
    await settle(pilot)


async def started_run(pilot: Pilot[None]) -> RunScreen:
    """The run screen once loaded, started with s at the clock's now: where most run tests begin."""
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, RunScreen), screen
    await pilot.press("s")
    await settle(pilot)
    return screen


@asynccontextmanager
async def running(
    path: Path,
    clock: FakeClock,
    *,
    size: tuple[int, int] = (120, 40),
    config: UserConfig | None = None,
) -> AsyncIterator[tuple[SessionApp, Pilot[None], RunScreen]]:
    """The app on the run screen of `path`, loaded, with default settings unless given."""
    app = make_app(session_path=path, clock=clock, config=config or UserConfig())
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, RunScreen)
        yield app, pilot, screen
