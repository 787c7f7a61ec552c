"""Open, update and follow a session file: the three things every screen and command does.

`open` reads a file and says what it read (its identity), so a later write can tell whether
someone else saved in between. `update` is the one write transaction: under the file's lock
it re-reads the file (or trusts the version it was given, when the file has not changed
since), applies a change, validates and writes atomically; the run screen's keys, notes,
commitments, groups, new sessions and the command line all go through it, and the writer
of a live screen passes a change that merges its version into whatever is on disk. A
`Follower` is how a view keeps up with other people's saves: one stat per look, a read only
when the file changed, results numbered so a late read never replaces a newer one.

Nothing here imports Textual; the screens run these calls in thread workers.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Final

from sessiontui.store import atomic, parse
from sessiontui.store.errors import SessionFileError

if TYPE_CHECKING:
    from sessiontui.core.model import Session

Identity = tuple[int, int, int, int, int]
"""What `os.stat` says about a file that changes whenever anyone saves it."""


def file_identity(info: os.stat_result) -> Identity:
    """The stat fields that change with every save: saves replace the file, so the inode does."""
    return (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)


def identity_or_none(path: str | Path) -> Identity | None:
    """The file's identity now, or None when it cannot be stat-ed (missing mid-save, say).

    Callers treat None as unknown, so the next look reads the file again: slower, never wrong.
    """
    try:
        return file_identity(os.stat(path))
    except OSError:
        return None


@dataclass(frozen=True)
class Opened:
    """A session as read from (or written to) its file, with the file's identity at that moment."""

    path: Path
    session: Session
    identity: Identity | None
    """The file's stat when it held exactly `session`; None when that is not known for sure."""
    read_only: str | None = None
    """Why the file must not be written (it comes from a newer sessiontui), or None."""
    migrated_from: int | None = None
    """The file's schema_version when it was upgraded in memory, or None."""


class BrokenFileError(SessionFileError):
    """The file on disk does not load, so a save would destroy what someone is fixing by hand."""


class ReadOnlyFileError(SessionFileError):
    """The file must not be written: it comes from a newer sessiontui, or its permissions say so."""


def open_session(path: str | Path) -> Opened:
    """Read, check and (if older) migrate a session file, and note which version of it was read.

    The identity is taken before and after the read: if they differ, someone saved meanwhile
    and the identity is left unknown, so whoever compares it next reads the file again.
    """
    before = identity_or_none(path)
    loaded = parse.load(path)
    after = identity_or_none(path)
    return Opened(
        path=Path(path),
        session=loaded.session,
        identity=after if after == before else None,
        read_only=loaded.read_only,
        migrated_from=loaded.migrated_from,
    )


def update(
    path: str | Path,
    change: Callable[[Session], Session],
    *,
    known: Opened | None = None,
    if_missing: Session | None = None,
) -> Opened:
    """Apply one change to a session file as a transaction: lock, re-read, change, write.

    `known` is a version the caller already holds; it stands for the file when the file's
    identity still matches, which saves a read of a big file on every keystroke's save.
    `if_missing` is written when the file is gone (a live screen's file deleted under it);
    without it a missing file is an error. A change that returns its argument itself writes
    nothing. A file that does not load is never written over, and one from a newer sessiontui
    neither; both raise SessionFileError.
    """
    lock = atomic.lock_for(path)
    with lock.acquire(timeout=atomic.LOCK_TIMEOUT):
        current = _current(path, known, if_missing)
        if current.read_only is not None:
            raise ReadOnlyFileError(current.read_only)
        refused = atomic.write_refused(path)
        if refused is not None:
            # Before the change runs, so a command reports the refusal, not its own work.
            raise ReadOnlyFileError(refused)
        changed = change(current.session)
        if changed is current.session and current.identity is not None:
            return current
        atomic.save(path, changed)
        return Opened(path=Path(path), session=changed, identity=identity_or_none(path))


def _current(path: str | Path, known: Opened | None, if_missing: Session | None) -> Opened:
    """What the file holds now, under the lock: `known` if unchanged, else a fresh read."""
    identity = identity_or_none(path)
    if identity is None and if_missing is not None and not os.path.lexists(path):
        return Opened(path=Path(path), session=if_missing, identity=None)
    if known is not None and known.identity is not None and identity == known.identity:
        return known
    try:
        return open_session(path)
    except SessionFileError as error:
        if known is None and if_missing is None:
            raise
        raise BrokenFileError(
            f"not overwriting the file, as it does not load: {error.problems[0]}"
        ) from None


UNSEEN: Final = ("unseen",)
"""The identity a follower starts from, equal to no real one, so its first look reads."""


class Follower:
    """Keeps a view up with a file others save: one stat per look, a read only on a change.

    Never takes the file's lock (saves replace the file whole, so a read sees one version or
    the other), which is what lets any number of views follow one file without slowing the
    people writing it. Use `due` on the UI thread (one stat), `read` in a worker, and
    `is_newest` on the UI thread again before showing what it read.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._seen: Identity | tuple[str] | None = UNSEEN
        self._requested = 0
        self._applied = 0

    def due(self, *, force: bool = False) -> int | None:
        """A number for a read to start now, if the file changed since the last look; else None."""
        seen = identity_or_none(self.path)
        if seen == self._seen and not force:
            return None
        self._seen = seen
        self._requested += 1
        return self._requested

    @property
    def missing(self) -> bool:
        """Whether the last look found no file (deleted, or a save's rename under way)."""
        return self._seen is None

    def read(self) -> Opened:
        """Read the file (in a worker); raises SessionFileError with lines to show if it fails."""
        return open_session(self.path)

    def is_newest(self, serial: int) -> bool:
        """Whether the read numbered `serial` is newer than any shown yet (reads may overtake)."""
        if serial < self._applied:
            return False
        self._applied = serial
        return True

    def forget(self) -> None:
        """Read the file at the next look even if its stat did not change (a reload)."""
        self._seen = UNSEEN
