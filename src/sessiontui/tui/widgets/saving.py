"""Saving a screen's session, merging in other screens' saves, and the line shown when it fails.

`SaveStatus` owns the screen's `writer.SessionWriter` and its `writer.SyncedSession`: `submit`
hands over a new version and starts a thread worker that merges it into the file and writes
it at once; a failure shows "Not saved: <reason>; retrying" and tries again on a timer, with
the session kept in memory and the file left as it was. Every `writer.POLL_SECONDS` a worker
looks at the file (one stat) and reads it only when another instance saved. Whatever comes
in (another instance's save, or this screen's own save with theirs merged into it) is merged
into the screen's session on the UI thread, and when that changes it the screen hears of it
by `SaveStatus.Merged`, with a sentence per notes entry two screens edited at once. When the
widget goes (the screen closes, the app quits) it writes whatever is still pending,
synchronously, so nothing is lost.
"""

from __future__ import annotations

from collections.abc import Callable
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
    from sessiontui.core.model import Session
    from sessiontui.session_file import Follower
    from sessiontui.session_file.writer import DiskVersion, SessionWriter, SyncedSession

RETRY_SECONDS: Final = 5.0
"""How long after a failed save it is tried again (any new change tries at once)."""

HAND_OVER_AFTER: Final = 0.01
"""Seconds from a change to copying it for the writer. Textual writes a painted frame from
a thread of its own; copying a megabyte on the UI thread right after the refresh held the
interpreter lock while that frame waited to go out (a key's p95 on screen: 12 ms, 9 ms with
the wait). A hundredth of a second is too short for anyone to quit in, and quitting flushes."""


class SaveStatus(Static):
    """One line, shown while the newest version could not be saved or the file is read-only."""

    problem: var[str | None] = var(None, init=False)
    """Why the last save failed, while a version is still waiting to be written."""

    class Saved(Message):
        """A save worker wrote the newest version (or found it written)."""

    class Failed(Message):
        """A save worker could not write; the version stays pending."""

    class Arrived(Message):
        """A worker found a new version of the file: one this screen saved, or another's."""

        def __init__(self, version: DiskVersion) -> None:
            super().__init__()
            self.version = version

    class Merged(Message):
        """The screen's session changed because another screen's save was merged into it."""

        def __init__(self, session: Session, conflicts: tuple[str, ...]) -> None:
            super().__init__()
            self.session = session
            self.conflicts = conflicts

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)
        self.writer: SessionWriter | None = None
        self.sync: SyncedSession | None = None
        self.before_merge: Callable[[], None] | None = None
        """Called on the UI thread just before a merge, to put unsaved typing into the session."""
        self.after_merge: Callable[[Session, tuple[str, ...]], None] | None = None
        """Called instead of posting `Merged`, in the same call as the merge: a screen showing
        typing needs no keystroke to land between the merge and showing its result."""
        self._retry: Timer | None = None
        self._waiting: Session | None = None
        """A version submitted since the last refresh, not yet handed to the writer."""
        self._follower: Follower | None = None
        """Says when the file changed since the last look, so an unchanged file is not read."""
        self._read_only: str | None = None
        """Why nothing here is saved (the file comes from a newer sessiontui), shown always."""

    def on_mount(self) -> None:
        self.watch_problem(self.problem)

    def open(self, path: Path, session: Session | None = None) -> None:
        """Save to this file from now on, merging with others from `session`, as loaded."""
        from sessiontui.core.model import SCHEMA_VERSION

        if session is not None and session.schema_version > SCHEMA_VERSION:
            # Shown here, on the line that stays on the smallest terminal, as otherwise the
            # screen's keys just do nothing with no word why (the summary line is hidden).
            # The words that matter first: the line is cut at the terminal's width.
            self._read_only = (
                f"written by a newer sessiontui (schema_version {session.schema_version});"
                f" nothing is saved. This one reads up to {SCHEMA_VERSION}: {path.name}"
            )
            self.watch_problem(self.problem)
        if self.writer is None:
            from sessiontui.session_file import Follower
            from sessiontui.session_file.writer import POLL_SECONDS, SessionWriter, SyncedSession

            self.writer = SessionWriter(path)
            self._follower = Follower(path)
            if session is not None:
                self.sync = SyncedSession(self.writer.adopt(session))
                self.set_interval(POLL_SECONDS, self._poll, name="poll file")

    @property
    def pending(self) -> bool:
        """Whether a version has not reached the disk yet."""
        return self._waiting is not None or (self.writer is not None and self.writer.pending)

    def submit(self, session: Session) -> None:
        """Save this version, off the UI thread, once the screen has painted the change.

        Handing it over copies the session (a megabyte after a long day), so that waits
        until the painted frame has been written out: a key shows its effect first. `flush`
        and an arriving merge hand over what still waits.
        """
        if self.writer is None:
            return
        if self._waiting is None:
            self.set_timer(HAND_OVER_AFTER, self._hand_over, name="hand over to writer")
        self._waiting = session

    def _hand_over(self) -> None:
        """Give the waiting version to the writer and start a save worker."""
        if self._give_waiting_to_writer():
            self._save()

    def _give_waiting_to_writer(self) -> bool:
        """Submit the waiting version, if any, on this thread; True when there was one."""
        session, self._waiting = self._waiting, None
        if session is None or self.writer is None:
            return False
        if self.sync is not None:
            self.sync.change(session)
            self.sync.submit(self.writer)
        else:
            self.writer.submit(session)
        return True

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
        outcome = writer.take_outcome()
        if outcome is not None:
            self.post_message(self.Arrived(outcome))

    def _poll(self) -> None:
        if self.writer is None or self.sync is None or self._follower is None:
            return
        # One stat here, on the UI thread, and a worker only when the file changed: starting
        # a thread twice a second would cost more idle CPU than everything else on screen.
        if self._follower.due() is not None:
            self._look()

    @work(thread=True, exclusive=True, group="poll", exit_on_error=False)
    def _look(self) -> None:
        writer = self.writer
        version = writer.poll() if writer is not None else None
        if version is not None:
            self.post_message(self.Arrived(version))

    @on(Arrived)
    def _arrived(self, message: Arrived) -> None:
        self.receive(message.version)

    def receive(self, version: DiskVersion | None) -> None:
        """Merge a version of the file into the screen's session; say so if that changed it."""
        sync = self.sync
        if sync is None or version is None:
            return
        if self.before_merge is not None:
            self.before_merge()
        # A change still waiting for its refresh goes in first, or the merge would miss it.
        self._hand_over()
        before = sync.session
        conflicts = sync.receive(version)
        if sync.session is not before or conflicts:
            if self.after_merge is not None:
                self.after_merge(sync.session, conflicts)
            else:
                self.post_message(self.Merged(sync.session, conflicts))

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
        self._give_waiting_to_writer()
        if self.writer is None or not self.writer.pending:
            return None
        try:
            self.writer.flush()
        except Exception as error:
            from sessiontui.session_file import describe_error

            self._show()
            return describe_error(error)
        self._show()
        outcome = self.writer.take_outcome()
        if self.is_attached and self.app.is_running:
            self.receive(outcome)  # the screen shows what the merge brought in
        elif self.sync is not None:
            self.sync.receive(outcome)  # closing: nothing left on screen to show it
        return None

    def _show(self) -> None:
        writer = self.writer
        # The writer's own state, not the message's: an older worker's failure may arrive
        # after a newer worker's success.
        self.problem = writer.last_error if writer is not None and writer.pending else None

    def watch_problem(self, problem: str | None) -> None:
        self.display = problem is not None or self._read_only is not None
        if problem is None and self._read_only is not None:
            text = Text("Read-only: ", style="bold", end="", no_wrap=True, overflow="ellipsis")
            self.update(text.append_text(user_line(self._read_only)))
        if problem is not None:
            text = Text("Not saved: ", style="bold", end="", no_wrap=True, overflow="ellipsis")
            # The store says "not saving it" of a read-only file; here it is retried, so that
            # line would contradict itself ("not saving it; retrying"): making the file
            # writable again is enough for the typing to be saved.
            text.append_text(user_line(problem.removesuffix("; not saving it")))
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
