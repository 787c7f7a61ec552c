"""Saving the live session, and the warning line shown while a save is failing.

`SaveStatus` owns the screen's `writer.SessionWriter`: `submit` hands it a new version and
starts a thread worker that writes it at once; a failure shows "Not saved: <reason>;
retrying" and tries again on a timer, with the session kept in memory and the file left as
it was. When the widget goes (the screen closes, the app quits) it writes whatever is still
pending, synchronously, so nothing is lost.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Final

from rich.text import Text
from textual import on, work
from textual.message import Message
from textual.reactive import var
from textual.timer import Timer
from textual.widgets import Static

from sessiontui.display import safe_line, user_line

if TYPE_CHECKING:
    from sessiontui.model import Session
    from sessiontui.writer import SessionWriter

RETRY_SECONDS: Final = 5.0
"""How long after a failed save it is tried again (any new change tries at once)."""


class SaveStatus(Static):
    """One line, shown only while the newest version could not be saved."""

    problem: var[str | None] = var(None, init=False)
    """Why the last save failed, while a version is still waiting to be written."""

    class Saved(Message):
        """A save worker wrote the newest version (or found it written)."""

    class Failed(Message):
        """A save worker could not write; the version stays pending."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)
        self.writer: SessionWriter | None = None
        self._retry: Timer | None = None

    def on_mount(self) -> None:
        self.display = False

    def open(self, path: Path) -> None:
        """Write to this file from now on (the first time the session loads)."""
        if self.writer is None:
            from sessiontui.writer import SessionWriter

            self.writer = SessionWriter(path)

    @property
    def pending(self) -> bool:
        """Whether a version has not reached the disk yet."""
        return self.writer is not None and self.writer.pending

    def submit(self, session: Session) -> None:
        """Save this version now, off the UI thread."""
        if self.writer is None:
            return
        self.writer.submit(session)
        self._save()

    @work(thread=True, group="save", exit_on_error=False)
    def _save(self) -> None:
        writer = self.writer
        if writer is None:
            return
        try:
            writer.write_pending()
        except Exception:
            self.post_message(self.Failed())
        else:
            self.post_message(self.Saved())

    @on(Saved)
    def _saved(self) -> None:
        self._show()

    @on(Failed)
    def _failed(self) -> None:
        self._show()
        if self._retry is None:
            self._retry = self.set_timer(RETRY_SECONDS, self.retry, name="retry save")

    def retry(self) -> None:
        """Try the pending save again (the retry timer calls this)."""
        self._retry = None
        if self.pending:
            self._save()

    def flush(self) -> str | None:
        """Write what is pending now, on this thread; returns why it failed, or None."""
        if self.writer is None or not self.writer.pending:
            return None
        try:
            self.writer.flush()
        except Exception as error:
            from sessiontui.writer import describe_error

            self._show()
            return describe_error(error)
        self._show()
        return None

    def _show(self) -> None:
        writer = self.writer
        # The writer's own state, not the message's: an older worker's failure may arrive
        # after a newer worker's success.
        self.problem = writer.last_error if writer is not None and writer.pending else None

    def watch_problem(self, problem: str | None) -> None:
        self.display = problem is not None
        if problem is not None:
            text = Text("Not saved: ", style="bold", end="", no_wrap=True, overflow="ellipsis")
            text.append_text(user_line(problem))
            text.append("; retrying", style="bold")
            self.update(text)

    def on_unmount(self) -> None:
        problem = self.flush()
        if problem is None:
            return
        reason = f"not saved: {problem}"
        if self.app.is_running:
            self.app.notify(safe_line(reason), severity="error", markup=False)
        else:
            # Quitting: the message is printed once the terminal is back to normal.
            self.app.exit(return_code=1, message=user_line(f"sessiontui: {reason}"))
