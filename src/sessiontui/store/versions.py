"""The schema_version of files this process last read or wrote, so a save need not parse them again.

Kept apart from reading and writing because both consult it.
"""

from __future__ import annotations

import os
import re
import stat
import tomllib
from pathlib import Path

from sessiontui.store.errors import SessionFileError

_VERSIONS: dict[str, tuple[tuple[int, int, int, int], int]] = {}
"""schema_version of files this process last read or wrote, so save() need not parse them again."""


def _version_on_disk(target: Path, name: str) -> int | None:
    """The schema_version of the file about to be replaced, or None when there is none yet."""
    try:
        info = os.stat(target)
    except FileNotFoundError:
        return None
    if stat.S_ISDIR(info.st_mode):
        raise SessionFileError(f"{name}: is a directory, not a session file")
    if not stat.S_ISREG(info.st_mode):
        raise SessionFileError(f"{name}: is not a regular file; not overwriting it")
    known = _VERSIONS.get(os.fspath(target))
    if known is not None and known[0] == _identity(info):
        return known[1]
    return _version_of(target.read_bytes())


def _remember_version(target: Path, info: os.stat_result, version: int) -> None:
    _VERSIONS[os.fspath(target)] = (_identity(info), version)


def _identity(info: os.stat_result) -> tuple[int, int, int, int]:
    # A changed inode, size or mtime means someone else wrote the file since we last saw it.
    return (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns)


def _version_of(raw: bytes) -> int | None:
    text = raw.decode("utf-8", errors="replace")
    try:
        version = tomllib.loads(text.removeprefix("\ufeff")).get("schema_version")
    except (tomllib.TOMLDecodeError, RecursionError):
        # Someone broke the file since it was loaded; a newer version must still not be clobbered.
        match = re.search(r"(?m)^[ \t]*schema_version[ \t]*=[ \t]*(\d+)", text)
        return int(match.group(1)) if match else None
    return version if type(version) is int else None
