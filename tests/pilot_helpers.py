"""Helpers shared by the Pilot tests."""

from __future__ import annotations

import datetime as dt

from textual.pilot import Pilot

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
