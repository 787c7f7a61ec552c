"""Helpers shared by the Pilot tests."""

from __future__ import annotations

from textual.pilot import Pilot


async def settle(pilot: Pilot[None]) -> None:
    """Let the screen's workers (load, scan, save) finish and their messages land."""
    for _ in range(100):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        if not getattr(pilot.app.screen, "loading", False):
            return
    raise AssertionError(f"{pilot.app.screen} never finished loading")
