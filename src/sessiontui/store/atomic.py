"""Atomic, locked writes: a temporary file, flushed, renamed over the old one, under a lock file.

A crash or a rival writer leaves either the old file or the new one, never half of one.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
import tempfile
import tomllib
from pathlib import Path

import filelock

from sessiontui.core import model
from sessiontui.core.model import Session
from sessiontui.store.errors import SessionFileError, _newer
from sessiontui.store.toml_writer import _dumps, schema_json
from sessiontui.store.versions import _remember_version, _version_on_disk

SCHEMA_FILENAME = "session.schema.json"
"""Written beside saved sessions so the `#:schema` header line resolves in editors."""


LOCK_TIMEOUT = 10.0
"""Seconds save() waits for another saver; long enough for a big save, short enough to report."""


_LOCK_WAIT = 10.0


def save(path: str | Path, session: Session) -> None:
    """Write a session atomically under its lock, so a crash or a rival never leaves half a file."""
    name = os.fspath(path)
    current = model.SCHEMA_VERSION
    if session.schema_version > current:
        raise SessionFileError(_newer(name, session.schema_version, "not saving it"))
    if session.schema_version < current:
        # Only migrated sessions reach the disk; writing an old number would migrate them twice.
        raise SessionFileError(
            f"{name}: schema_version: the session says {session.schema_version}"
            f" but this sessiontui writes {current}"
        )
    # Everything that can fail on the content happens before the lock and the first byte.
    text, data = _dumps(session, name)
    if tomllib.loads(text) != data:
        raise SessionFileError(
            f"{name}: the saved text would not read back the same (a sessiontui bug);"
            " file not changed"
        )
    try:
        payload = text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise SessionFileError(
            f"{name}: contains text that cannot be saved as UTF-8 ({exc.object[exc.start]!r})"
        ) from None

    target = Path(os.path.realpath(path))
    lock = lock_for(target)
    try:
        with lock.acquire(timeout=LOCK_TIMEOUT):
            _remove_stale_temporaries(target)
            refused = write_refused(target, name)
            if refused is not None:
                raise SessionFileError(refused)
            version = _version_on_disk(target, name)
            if version is not None and version > current:
                raise SessionFileError(_newer(name, version, "not overwriting it"))
            if version is not None and version < current:
                backup = target.with_name(f"{target.name}.v{version}.bak")
                _create_once(backup, target.read_bytes(), _mode_of(target))
            _replace_atomically(target, payload)
            _remember_version(target, os.stat(target), current)
    except filelock.Timeout:
        raise TimeoutError(
            f"{name}: another program kept the lock {lock.lock_file} for {LOCK_TIMEOUT:g} s;"
            " not saved"
        ) from None
    except OSError as exc:
        if exc.errno is None:
            raise OSError(f"{name}: cannot save: {exc}") from exc
        raise OSError(exc.errno, f"{name}: cannot save: {exc.strerror or exc}") from exc
    _write_schema_beside(target.parent)


def write_refused(path: str | Path, name: str | None = None) -> str | None:
    """Why the file must not be replaced (its permissions say read-only), or None.

    A save renames a new file over the old one, which the folder's permissions allow even
    when the file's own forbid writing, so a 0444 file was silently replaced; it is asked
    here instead. No write bit at all counts too, as root may write anything but a file
    someone made read-only is meant to stay as it is. A missing file is not refused.
    """
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return None
    if os.access(path, os.W_OK) and stat.S_IMODE(mode) & 0o222:
        return None
    shown = os.fspath(path) if name is None else name
    return f"{shown}: the file is read-only (no write permission); not saving it"


def create(path: str | Path, session: Session) -> None:
    """Write a new session file, whole or not at all; never replaces a file already there.

    Raises SessionFileError when the name is taken (or the session is invalid) and OSError
    with a one-line message when the disk refuses.
    """
    name = os.fspath(path)
    if session.schema_version > model.SCHEMA_VERSION:
        raise SessionFileError(_newer(name, session.schema_version, "not saving it"))
    text, data = _dumps(session, name)
    if tomllib.loads(text) != data:
        raise SessionFileError(f"{name}: the saved text would not read back the same; not saved")
    target = Path(path)
    taken = SessionFileError(f"{name}: already exists; not overwriting it")
    if os.path.lexists(target):
        raise taken
    try:
        temporary = _write_temporary(target, text.encode("utf-8"), 0o666 & ~_umask())
        try:
            # link() fails when the name exists, where a rename would replace the file.
            os.link(temporary, target)
        except FileExistsError:
            raise taken from None
        except OSError:
            # A file system without hard links: exclusive creation, still never overwriting.
            with open(target, "xb") as f:
                f.write(text.encode("utf-8"))
                f.flush()
                os.fsync(f.fileno())
        finally:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
    except FileExistsError:
        raise taken from None
    except OSError as exc:
        raise OSError(exc.errno, f"{name}: cannot save: {exc.strerror or exc}") from exc
    _sync_folder(target.parent)
    _write_schema_beside(target.parent)


def write_text(path: str | Path, text: str) -> None:
    """Write an exported file (minutes) atomically, so a reader never sees half of it."""
    target = Path(path)
    if target.is_dir():
        raise OSError(errno.EISDIR, f"{os.fspath(path)}: is a folder")
    if os.path.lexists(target) and not os.path.islink(target):
        refused = write_refused(target)
        if refused is not None:
            # The rename would replace a file its owner made read-only, as save() would.
            raise OSError(errno.EACCES, refused.replace("not saving it", "not writing it"))
    try:
        _replace_atomically(target, text.encode("utf-8"))
    except OSError as exc:
        raise OSError(exc.errno, f"{os.fspath(path)}: cannot write: {exc.strerror or exc}") from exc


def lock_for(path: str | Path) -> filelock.FileLock:
    """The lock guarding a session file: a separate file beside it, as the data file gets replaced.

    One instance per path in this process (filelock singleton), so code that already holds it
    can call save() without waiting on itself; other threads and processes still wait.
    """
    target = Path(os.path.realpath(path))
    # A fixed timeout: filelock refuses a second singleton with different arguments, and
    # save() passes LOCK_TIMEOUT to acquire() instead.
    return filelock.FileLock(
        os.fspath(target.with_name(f".{target.name}.lock")), timeout=_LOCK_WAIT, is_singleton=True
    )


def _mode_of(target: Path) -> int:
    try:
        return stat.S_IMODE(os.stat(target).st_mode)
    except FileNotFoundError:
        return 0o666 & ~_umask()


def _umask() -> int:
    # Reading it from /proc avoids briefly changing the process-wide umask under other threads.
    with contextlib.suppress(OSError, ValueError), open("/proc/self/status", encoding="ascii") as f:
        for line in f:
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    current = os.umask(0o022)
    os.umask(current)
    return current


def _write_temporary(target: Path, payload: bytes, mode: int) -> str:
    """Write payload to a synced temporary file beside target, so only a rename is left to do."""
    fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with open(fd, "wb") as f:
            with contextlib.suppress(OSError):
                os.fchmod(f.fileno(), mode)
            f.write(payload)
            f.flush()
            os.fsync(f.fileno())
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    return temporary


def _replace_atomically(target: Path, payload: bytes) -> None:
    temporary = _write_temporary(target, payload, _mode_of(target))
    try:
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    _sync_folder(target.parent)


def _create_once(target: Path, payload: bytes, mode: int) -> None:
    """Create a file only if absent, complete or not at all, so a backup is never overwritten."""
    if os.path.lexists(target):
        return
    temporary = _write_temporary(target, payload, mode)
    try:
        # link() fails if the name exists, which replace() would silently overwrite.
        os.link(temporary, target)
    except FileExistsError:
        pass
    except OSError:
        if not os.path.lexists(target):
            os.replace(temporary, target)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
    _sync_folder(target.parent)


def _remove_stale_temporaries(target: Path) -> None:
    # Called under the lock: every writer of this file holds it, so any temporary file left
    # now belongs to a saver that was killed mid-write. The exact mkstemp shape (8 random
    # characters) keeps "x.toml" from matching the temporaries of "x.toml.y.toml".
    ours = re.compile(re.escape(f".{target.name}.") + r"(?:v\d+\.bak\.)?[a-z0-9_]{8}\.tmp")
    with contextlib.suppress(OSError), os.scandir(target.parent) as entries:
        for entry in entries:
            if ours.fullmatch(entry.name):
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)


def _sync_folder(folder: Path) -> None:
    # The rename is only durable once the folder entry is on disk; not every OS allows it.
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _write_schema_beside(folder: Path) -> None:
    # Best effort: the session is already saved, and editors work without the schema.
    target = folder / SCHEMA_FILENAME
    if os.path.lexists(target):
        return
    with contextlib.suppress(OSError):
        _create_once(target, schema_json().encode("utf-8"), 0o666 & ~_umask())
