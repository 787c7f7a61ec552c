"""Saving a live session off the UI thread, newest version last, whatever order threads run in.

The run screen changes its session many times a minute (every control appends to the log) and
must never wait for the disk. It hands each new version to a `SessionWriter` with `submit`,
which takes a private deep copy and numbers it, then starts a worker thread that calls
`write_pending`. Workers may run in any order, or all at once; each writes whatever version is
newest when it gets the lock, so the file only ever moves forward and a slow old worker can
never put an older log back over a newer one. A failed write keeps the version pending (the
session stays in memory, the file keeps its last good version, as `store.save` is atomic) and
says why in `last_error`, so the screen can show it and try again. `flush` does the same
synchronously, for quitting.

No Textual import: this is core code, tested with plain threads.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING

import filelock

from sessiontui import store

if TYPE_CHECKING:
    from sessiontui.model import Session

__all__ = ["SessionWriter", "describe_error"]


def describe_error(error: BaseException) -> str:
    """One line saying why a save failed, for a warning that has to fit on the screen."""
    problems = getattr(error, "problems", None)
    if isinstance(problems, list) and problems:
        return str(problems[0])
    if isinstance(error, OSError) and error.strerror and error.filename is None:
        return error.strerror
    text = str(error).strip().splitlines()
    return text[0] if text else type(error).__name__


class SessionWriter:
    """The one writer of a session file in this process; safe to call from any thread."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._state = threading.Lock()
        """Guards the fields below; held only for a moment, never while writing."""
        self._writing = threading.Lock()
        """Held while a version is written, so writes in this process happen one at a time."""
        self._pending: Session | None = None
        self._generation = 0
        self._saved = 0
        self._last_error: str | None = None

    @property
    def generation(self) -> int:
        """The number of the newest version submitted (0 before the first)."""
        with self._state:
            return self._generation

    @property
    def saved(self) -> int:
        """The number of the newest version known to be on disk (0 before the first)."""
        with self._state:
            return self._saved

    @property
    def pending(self) -> bool:
        """Whether a submitted version has not reached the disk yet."""
        with self._state:
            return self._saved < self._generation

    @property
    def last_error(self) -> str | None:
        """Why the last write failed, or None once a write has succeeded since."""
        with self._state:
            return self._last_error

    def submit(self, session: Session) -> int:
        """Take a private copy of this version to write next; returns its number."""
        # Copied here, on the caller's thread, so later changes to `session` cannot reach a
        # worker that is halfway through serialising it.
        snapshot = session.model_copy(deep=True)
        with self._state:
            self._generation += 1
            self._pending = snapshot
            return self._generation

    def write_pending(self) -> None:
        """Write the newest submitted version, if not already on disk; raises if the save fails.

        Safe to call from several threads at once: they take turns, and each writes the version
        that is newest when its turn comes, so a version never overwrites a newer one. A version
        submitted while a write runs is written before returning.
        """
        with self._writing:
            while True:
                with self._state:
                    if self._saved >= self._generation or self._pending is None:
                        return
                    generation, snapshot = self._generation, self._pending
                try:
                    # The store's lock around the whole write, so no other process can slip in
                    # between; save() takes it again, which the same thread may do.
                    with store.lock_for(self.path).acquire(timeout=store.LOCK_TIMEOUT):
                        store.save(self.path, snapshot)
                except filelock.Timeout as error:
                    message = f"another program kept the lock {error.lock_file} too long"
                    self._failed(message)
                    raise TimeoutError(message) from None
                except Exception as error:
                    self._failed(describe_error(error))
                    raise
                with self._state:
                    self._saved = max(self._saved, generation)
                    self._last_error = None
                    if self._saved >= self._generation:
                        self._pending = None

    def flush(self) -> None:
        """Write what is pending now, on this thread (for quitting); raises if the save fails."""
        self.write_pending()

    def _failed(self, message: str) -> None:
        with self._state:
            self._last_error = message
