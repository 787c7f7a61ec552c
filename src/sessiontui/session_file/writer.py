"""Saving a live session off the UI thread, merged with what other instances saved meanwhile.

The run screen changes its session many times a minute (every control appends to the log) and
must never wait for the disk. It hands each new version to a `SessionWriter` with `submit`,
which takes a private deep copy and numbers it, then starts a worker thread that calls
`write_pending`. Workers may run in any order, or all at once; each writes whatever version is
newest when it gets the lock, so a slow old worker can never put an older log back over a
newer one. A failed write keeps the version pending (the session stays in memory, the file
keeps its last good version, as every save is atomic) and says why in `last_error`, so the
screen can show it and try again. `flush` does the same synchronously, for quitting.

Several instances save one file at once: the facilitator's `run` and a `notes` per breakout
group, each in its own process. So every write, under the file's lock, looks at the file (one
stat; it is read only when another instance saved since) and merges this instance's changes
into it with `merge.merge`, instead of writing over it. A file someone broke by hand is never
written over: the write fails, says why, and stays pending. `poll` is the other direction:
one stat per call, and a read only when another instance saved, so the screen shows their
changes within a second.

A three-way merge needs the version both sides started from, and it must be the newest such
version: merging from an older one makes this screen's own earlier typing look like a clash
with itself. The screens use `SyncedSession`, which keeps track of it, on the UI thread:

    sync = SyncedSession(writer.adopt(loaded_session))     # once the file is loaded
    sync.change(new_session); sync.submit(writer)          # on every change, then in a
                                                           # worker: writer.write_pending()
    conflicts = sync.receive(writer.take_outcome())        # after each write, and
    conflicts = sync.receive(writer.poll())                # every POLL_SECONDS (poll in a
                                                           # worker, receive on the UI thread)

then shows `sync.session` (a new object whenever it changed) and, if `conflicts` is not
empty, says on screen that two screens edited the same notes. Underneath, `receive(V)` does
`session = merge(base, session, V.session)` and `base = V`, with `base` replaced by the
version the screen last submitted when V already includes that save; `submit` hands the
writer the same information, for the same reason.

No Textual import: this is core code, tested with plain threads and processes.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Final

import filelock

from sessiontui.core.merge import merge
from sessiontui.session_file.service import (
    Identity,
    Opened,
    file_identity,
    open_session,
    update,
)
from sessiontui.store.atomic import lock_for
from sessiontui.store.errors import SessionFileError, describe_error

if TYPE_CHECKING:
    from sessiontui.core.model import Session

__all__ = [
    "POLL_SECONDS",
    "Ancestry",
    "DiskVersion",
    "Identity",
    "SessionWriter",
    "SyncedSession",
]

POLL_SECONDS: Final = 0.5
"""How often a screen should call `poll`: others' changes show within a second, for one stat."""

POLL_LOCK_TIMEOUT: Final = 1.0
"""Seconds `poll` waits for another instance's save; it simply tries again at the next poll."""

IN_FLIGHT_LIMIT: Final = 8
"""Unconfirmed versions a `SyncedSession` keeps; more only pile up while saves keep failing."""


@dataclass(frozen=True)
class DiskVersion:
    """A version of the file as this writer read or wrote it; treat `session` as read-only."""

    session: Session
    serial: int
    """Counts up with every version this writer sees, so an older one arriving late is ignored."""
    generation: int
    """The newest of this writer's submitted versions that is merged into it (0 for none)."""
    conflicts: tuple[str, ...] = ()
    """For a version this writer saved: where its merge kept two texts, one sentence each."""


@dataclass(frozen=True)
class Ancestry:
    """What a submitted version grew from, so the writer can merge it from the right base."""

    version: DiskVersion
    """The newest file version the screen had merged in when it submitted."""
    in_flight: Mapping[int, Session] = field(default_factory=dict)
    """The screen's earlier submitted versions, by generation, each with `version` merged in."""


@dataclass(frozen=True)
class _Submission:
    generation: int
    snapshot: Session
    ancestry: Ancestry | None


class SessionWriter:
    """The one writer of a session file in this process; safe to call from any thread."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._state = threading.Lock()
        """Guards the fields below; held only for a moment, never while writing."""
        self._writing = threading.Lock()
        """Held while the file is written or polled, so this process does one at a time."""
        self._pending: _Submission | None = None
        self._generation = 0
        self._saved = 0
        self._last_error: str | None = None
        self._poll_error: str | None = None
        self._serial = 0
        self._disk: DiskVersion | None = None
        """What the file held when this writer last read or wrote it."""
        self._identity: Identity | None = None
        """The file's identity then; None when unknown, so the file is read at the next look."""
        self._broken: Identity | None = None
        """A file poll could not load; not read again until it changes."""
        self._adopted: DiskVersion | None = None
        self._last_written: _Submission | None = None
        self._outcome: DiskVersion | None = None

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

    @property
    def poll_error(self) -> str | None:
        """Why the last poll could not read the file, or None once one has since."""
        with self._state:
            return self._poll_error

    def adopt(self, session: Session, identity: Identity | None = None) -> DiskVersion:
        """Start from this version, as loaded from the file; returns it for `SyncedSession`.

        Without the `identity` the file had when it was read, the next `poll` or write reads
        the file once more: stat-ing it now could pair the session with a newer file another
        instance saved since, whose changes would then never be merged.
        """
        copy = session.model_copy(deep=True)
        with self._writing, self._state:
            self._serial += 1
            version = DiskVersion(copy, self._serial, self._saved)
            self._disk, self._identity, self._adopted = version, identity, version
            return version

    def submit(self, session: Session, base: DiskVersion | Ancestry | None = None) -> int:
        """Take a private copy of this version to write next; returns its number.

        `base` is the file version `session` grew from (what `adopt`, `poll` or
        `take_outcome` returned and the caller merged in); None means the adopted one, with
        this writer's own saves since, which is right for a caller that never merges. Before
        anything is adopted, None writes the version as it is, newest wins.
        """
        # Copied here, on the caller's thread, so later changes to `session` cannot reach a
        # worker that is halfway through serialising it.
        return self._enqueue(session.model_copy(deep=True), base)

    def _enqueue(self, snapshot: Session, base: DiskVersion | Ancestry | None) -> int:
        with self._state:
            if base is None:
                ancestry = None if self._adopted is None else Ancestry(self._adopted)
            else:
                ancestry = Ancestry(base) if isinstance(base, DiskVersion) else base
            self._generation += 1
            self._pending = _Submission(self._generation, snapshot, ancestry)
            return self._generation

    def write_pending(self) -> None:
        """Merge the newest submitted version into the file and write it; raises if that fails.

        Safe to call from several threads at once: they take turns, and each writes the version
        that is newest when its turn comes, so a version never overwrites a newer one. A version
        submitted while a write runs is written before returning.
        """
        with self._writing:
            while True:
                with self._state:
                    if self._saved >= self._generation or self._pending is None:
                        return
                    submission = self._pending
                conflicts: tuple[str, ...] = ()

                def merged_into(theirs: Session, submission: _Submission = submission) -> Session:
                    nonlocal conflicts
                    ancestor = self._ancestor(submission)
                    if ancestor is None:
                        return submission.snapshot
                    result = merge(ancestor, submission.snapshot, theirs)
                    conflicts = result.conflicts
                    return result.session

                try:
                    # One transaction: under the lock, what others saved since is merged in.
                    written = update(
                        self.path,
                        merged_into,
                        known=self._known(),
                        if_missing=submission.snapshot,
                    )
                except filelock.Timeout as error:
                    message = f"another program kept the lock {error.lock_file} too long"
                    self._failed(message)
                    raise TimeoutError(message) from None
                except Exception as error:
                    self._failed(describe_error(error))
                    raise
                merged, identity = written.session, written.identity
                with self._state:
                    self._serial += 1
                    version = DiskVersion(merged, self._serial, submission.generation, conflicts)
                    self._disk, self._identity, self._broken = version, identity, None
                    self._poll_error = None  # the file loaded for the merge, and is ours now
                    self._last_written, self._outcome = submission, version
                    self._saved = max(self._saved, submission.generation)
                    self._last_error = None
                    if self._saved >= self._generation:
                        self._pending = None

    def flush(self) -> None:
        """Write what is pending now, on this thread (for quitting); raises if the save fails."""
        self.write_pending()

    def take_outcome(self) -> DiskVersion | None:
        """The version the newest write put on disk, once; None if nothing was written since.

        Every write is reported, not only merged ones: the screen's base must move on to its
        own saves too, or its next merge would start from before them.
        """
        with self._state:
            outcome, self._outcome = self._outcome, None
            return outcome

    def poll(self) -> DiskVersion | None:
        """The file's version if another instance saved it since this writer last looked.

        One stat when nothing changed. None also while this writer is writing (its outcome
        will carry the change), while another instance holds the lock, and when the file does
        not load (then `poll_error` says why, and it is not read again until it changes).
        """
        try:
            seen = file_identity(os.stat(self.path))
        except OSError as error:
            with self._state:
                self._poll_error = f"{self.path}: {error.strerror or error}"
            return None
        with self._state:
            if seen in (self._identity, self._broken):
                return None
        if not self._writing.acquire(blocking=False):
            return None
        try:
            try:
                # Under the lock, so no save of another instance is half-way (only a program
                # that ignores the lock can change the file meanwhile; then the identity is
                # unknown and the next poll reads it again).
                with lock_for(self.path).acquire(timeout=POLL_LOCK_TIMEOUT):
                    loaded = open_session(self.path)
                if loaded.read_only is not None:
                    raise SessionFileError(loaded.read_only)
                identity = loaded.identity
            except filelock.Timeout:
                return None
            except (SessionFileError, OSError) as error:
                with self._state:
                    self._broken = seen
                    self._poll_error = describe_error(error)
                return None
            with self._state:
                self._poll_error = self._broken = None
                if self._disk is not None and loaded.session == self._disk.session:
                    self._identity = identity
                    return None
                self._serial += 1
                version = DiskVersion(loaded.session, self._serial, self._saved)
                self._disk, self._identity = version, identity
                return version
        finally:
            self._writing.release()

    def _known(self) -> Opened | None:
        """The version this writer last read or wrote, with the identity the file had then."""
        with self._state:
            if self._disk is None:
                return None
            return Opened(path=self.path, session=self._disk.session, identity=self._identity)

    def _ancestor(self, submission: _Submission) -> Session | None:
        """The newest version both the submitted one and the file grew from."""
        ancestry = submission.ancestry
        if ancestry is None:
            return None
        base = ancestry.version
        last = self._last_written
        if last is None or last.generation <= base.generation:
            return base.session
        # Our own last save is in the file but not in `base`: start from that save instead,
        # or the typing it carried would look like a clash with itself.
        if last.generation in ancestry.in_flight:
            return ancestry.in_flight[last.generation]
        if last.ancestry is not None and last.ancestry.version.serial == base.serial:
            return last.snapshot
        return base.session

    def _failed(self, message: str) -> None:
        with self._state:
            self._last_error = message


class SyncedSession:
    """A screen's session kept in step with the file: its changes out, others' changes in.

    Pure bookkeeping for the UI thread, no threads of its own: `session` is what the screen
    shows, `base` the newest file version merged into it. It also keeps each submitted
    version that the file may not include yet, with every newer file version merged in, as
    that is exactly where the file and the screen last agreed once a save lands.
    """

    def __init__(self, version: DiskVersion) -> None:
        # The screen's own copy: the writer keeps using the version's objects to merge with,
        # so a screen changing a note in place must not reach them.
        self.session: Session = version.session.model_copy(deep=True)
        self.base: DiskVersion = version
        self._in_flight: dict[int, Session] = {}

    def change(self, session: Session) -> None:
        """The screen changed its session (a new object; the old one is kept unchanged)."""
        self.session = session

    def submit(self, writer: SessionWriter) -> int:
        """Hand the current session to the writer, with what it grew from; returns its number."""
        snapshot = self.session.model_copy(deep=True)
        generation = writer._enqueue(snapshot, Ancestry(self.base, dict(self._in_flight)))
        saved = writer.saved
        # Older versions the writer skipped or saved can only come back in a late, stale
        # poll result; dropping them then costs a rougher merge, never lost work.
        kept = [g for g in self._in_flight if g >= saved][-(IN_FLIGHT_LIMIT - 1) :]
        self._in_flight = {g: self._in_flight[g] for g in kept}
        self._in_flight[generation] = snapshot
        return generation

    def receive(self, version: DiskVersion | None) -> tuple[str, ...]:
        """Merge a file version from `poll` or `take_outcome` in; returns its conflict sentences.

        Versions older than `base` (results that arrived late) change nothing. After a
        change, `session` is a new object.
        """
        if version is None:
            return ()
        if version.serial <= self.base.serial:
            return version.conflicts
        ancestor = self.base.session
        if version.generation > self.base.generation:
            # The file has our save `generation` in it: we last agreed at that version.
            if version.generation in self._in_flight:
                ancestor = self._in_flight[version.generation]
            elif self._in_flight and min(self._in_flight) > version.generation:
                # Its snapshot was let go because a later save of ours landed: this version
                # is older than that save, whose own result carries all it has. Merging it
                # from the older base would show this screen's rewrite as a clash with itself.
                return ()
        result = merge(ancestor, self.session, version.session)
        self._in_flight = {
            g: merge(ancestor, snapshot, version.session).session
            for g, snapshot in self._in_flight.items()
            if g > version.generation
        }
        if result.session is not self.session:
            # Merged rows are shared with the writer's versions; see __init__.
            self.session = result.session.model_copy(deep=True)
        self.base = version
        return tuple(dict.fromkeys((*version.conflicts, *result.conflicts)))
