"""The base of the screens that edit a session beside the run: notes, commitments and groups.

Each reads the file in a thread worker that posts `Loaded` or `Failed`, keeps a `SaveStatus`
that saves every change at once and merges other instances' saves, saves everything on
`save_now` (quitting, a signal) and goes back only once saved. One base, so the three cannot
drift apart on what "saved before leaving" means.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from textual import work
from textual.message import Message
from textual.screen import Screen

from sessiontui.display import safe_line
from sessiontui.tui.widgets.saving import SaveStatus

if TYPE_CHECKING:
    from sessiontui.core.model import Session


class EditingScreen(Screen[None]):
    """A screen that loads one session file, saves each change and merges others' saves."""

    class Loaded(Message):
        """The worker read the session file."""

        def __init__(self, session: Session) -> None:
            super().__init__()
            self.session = session

    class Failed(Message):
        """The worker could not read the session file (or may not write it)."""

        def __init__(self, problems: list[str], read_only: str | None = None) -> None:
            super().__init__()
            self.problems = problems
            self.read_only = read_only
            """Why a file that reads well must not be written here, or None when it is broken."""

    def __init__(self, path: Path, clock: Callable[[], datetime]) -> None:
        super().__init__()
        self.path = path
        self.clock = clock
        self.session: Session | None = None
        """The session as last changed here or merged in."""
        self.saver = SaveStatus(id="saving")

    @work(thread=True, exclusive=True, group="load", exit_on_error=False)
    def _load(self) -> None:
        from sessiontui import session_file

        try:
            loaded = session_file.open_session(self.path)
        except Exception as error:  # shown on screen, never as a traceback
            from sessiontui.session_file import problems_of

            self.post_message(self.Failed(problems_of(error)))
            return
        if loaded.read_only:
            # A file from a newer sessiontui: editing it here would lose what it holds.
            from sessiontui.core.model import SCHEMA_VERSION

            reason = (
                f"written by a newer sessiontui (schema_version {loaded.session.schema_version};"
                f" this one reads up to {SCHEMA_VERSION})"
            )
            # The problem line, printed when the app exits for it, says the same with the path.
            problem = f"{self.path} is read-only: {reason}"
            self.post_message(self.Failed([problem], read_only=reason))
            return
        self.post_message(self.Loaded(loaded.session))

    def failure_line(self, failed: Failed) -> str:
        """The one line a screen shows for `Failed`, shared so no screen says "could not open"
        of a file that opened well but is read-only."""
        if failed.read_only is not None:
            return f"{self.path.name} is read-only: {failed.read_only}"
        return f"Could not open {self.path.name}: " + "; ".join(failed.problems)

    def save_now(self) -> str | None:
        """Save everything on this thread (quitting, a signal); returns why it failed, or None."""
        return self.saver.flush()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "leave":
            # Pushed over the run screen, there is one to go back to; opened alone, there is not.
            return len(self.app.screen_stack) > 1
        return True

    def action_leave(self) -> None:
        """Back to the screen before, once everything is saved."""
        problem = self.save_now()
        if problem is not None:
            self.notify(
                safe_line(f"Not saved yet ({problem}); staying here."),
                severity="warning",
                markup=False,
            )
            return
        self.dismiss()
