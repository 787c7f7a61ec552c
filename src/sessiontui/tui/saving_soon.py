"""An editing screen that saves a moment after each change, and everything when it must.

The plan editor changes the session on every key; saving each at once put the hand-over to
the writer on the frame's way to the terminal. Here a change goes to the writer `SAVE_AFTER`
after the first change not yet saved (the frame has gone out; keys typed meanwhile go into
the same save), and at once when a merge comes in, another screen goes on top, or the app
saves before quitting or on a signal, after taking in typing whose messages are still on
their way.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Final

from textual.timer import Timer

from sessiontui.tui.editing import EditingScreen

SAVE_AFTER: Final = 0.1
"""Seconds from a change to handing it to the writer: after its frame, one save per burst."""


class SavingSoonScreen(EditingScreen):
    """`EditingScreen` with changes handed to the writer a moment after them."""

    def __init__(self, path: Path, clock: Callable[[], datetime]) -> None:
        super().__init__(path, clock)
        self._save_timer: Timer | None = None
        """Set while a change waits for `SAVE_AFTER` before it goes to the writer."""

    def save_soon(self) -> None:
        """Save the session `SAVE_AFTER` from the first change not saved yet.

        Not reset by later keys, so typing never holds saves off.
        """
        if self._save_timer is None:
            self._save_timer = self.set_timer(SAVE_AFTER, self.hand_to_saver, name="save soon")

    def hand_to_saver(self) -> None:
        """Give the writer the session now if a change waits (a merge must start from it)."""
        if self._save_timer is not None:
            self._save_timer.stop()
            self._save_timer = None
            if self.session is not None:
                self.saver.submit(self.session)

    def on_screen_suspend(self) -> None:
        self.hand_to_saver()  # another screen goes on top: nothing waits behind it

    def take_typing(self) -> None:
        """Put what the fields show into the session, for edits whose messages are on the way."""

    def unsaved_fields(self) -> list[str]:
        """What is typed but not saved because it does not check (none by default)."""
        return []

    def save_now(self) -> str | None:
        """Save everything on this thread; typing that does not check counts as not saved."""
        self.take_typing()
        self.hand_to_saver()
        problem = super().save_now()
        unsaved = self.unsaved_fields()
        if problem is None and unsaved:
            return f"{'; '.join(unsaved)} do not check yet"
        return problem
