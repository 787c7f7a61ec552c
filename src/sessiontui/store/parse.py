"""Reading a session file: bytes off the disk without blocking, TOML, migration, validation.

Every reader goes through `load`, so a broken file is reported the same way everywhere.
"""

from __future__ import annotations

import os
import stat
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from sessiontui.core import model
from sessiontui.core.model import Session
from sessiontui.store.errors import (
    SessionFileError,
    _bom_problem,
    _KeyLines,
    _os_problem,
    _problem,
    _schema_problems,
    _size,
    _toml_problem,
)
from sessiontui.store.versions import _remember_version

MAX_BYTES = 16 * 1024 * 1024
"""Largest session file we read; a bigger one is almost certainly the wrong file."""


MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {}
"""Upgrade steps from schema_version N to N + 1, applied in memory when an older file loads."""


_EMPTY = "the file is empty; a session needs at least schema_version, title, date, start and end"


_BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class Loaded:
    """A session read from disk, with what the app must know before it may write it back."""

    path: Path
    session: Session
    read_only: str | None
    """Why the file must not be written (it comes from a newer sessiontui), or None."""
    migrated_from: int | None
    """The file's schema_version when it was upgraded in memory, or None."""


def load(path: str | Path) -> Loaded:
    """Read, check and (if older) migrate a session file; never blocks on FIFOs or devices."""
    name = os.fspath(path)
    raw, info = _read_bytes(Path(path), name)
    session, read_only, migrated_from = _parse(_decode(raw, name), name)
    on_disk = session.schema_version if migrated_from is None else migrated_from
    _remember_version(Path(os.path.realpath(path)), info, on_disk)
    return Loaded(
        path=Path(path), session=session, read_only=read_only, migrated_from=migrated_from
    )


def parse(text: str, name: str = "<string>") -> Session:
    """Parse session TOML text; `name` starts every problem line so people know which file it is."""
    return _parse(text, name)[0]


def _read_bytes(path: Path, name: str, what: str = "session file") -> tuple[bytes, os.stat_result]:
    # stat first and open with O_NONBLOCK: opening a FIFO for reading would otherwise wait
    # for a writer forever, and a socket cannot be opened at all.
    try:
        info = os.stat(path)
    except FileNotFoundError:
        if os.path.islink(path):
            raise SessionFileError(
                f"{name}: is a symbolic link to a file that does not exist"
            ) from None
        raise SessionFileError(f"{name}: no such file") from None
    except OSError as exc:
        raise SessionFileError(_os_problem(name, exc, "read", what)) from None
    _require_regular(info, name, what)
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise SessionFileError(_os_problem(name, exc, "read", what)) from None
    try:
        info = os.fstat(fd)
        # Checked again on the open file: it may have been swapped since the stat above.
        _require_regular(info, name, what)
        if info.st_size > MAX_BYTES:
            raise SessionFileError(_too_big(name, info.st_size, what))
        chunks: list[bytes] = []
        size = 0
        while chunk := os.read(fd, 1 << 20):
            chunks.append(chunk)
            size += len(chunk)
            # The file may grow while we read; never hold more than the cap in memory.
            if size > MAX_BYTES:
                raise SessionFileError(_too_big(name, size, what))
    except OSError as exc:
        raise SessionFileError(_os_problem(name, exc, "read", what)) from None
    finally:
        os.close(fd)
    return b"".join(chunks), info


def _require_regular(info: os.stat_result, name: str, what: str = "session file") -> None:
    if stat.S_ISDIR(info.st_mode):
        raise SessionFileError(f"{name}: is a directory, not a {what}")
    if not stat.S_ISREG(info.st_mode):
        raise SessionFileError(f"{name}: is not a regular file")


def _decode(data: bytes, name: str) -> str:
    if data.startswith(_BOM):
        raise SessionFileError(_bom_problem(name))
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        line_start = data.rfind(b"\n", 0, exc.start) + 1
        # Everything before exc.start decoded, so this slice is valid UTF-8.
        column = len(data[line_start : exc.start].decode("utf-8")) + 1
        bad = data[exc.start]
        raise SessionFileError(
            f"{name}:{line}:{column}: not valid UTF-8 (byte 0x{bad:02x})"
        ) from None


def _parse(text: str, name: str) -> tuple[Session, str | None, int | None]:
    if text.startswith("\ufeff"):
        raise SessionFileError(_bom_problem(name))
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SessionFileError(_toml_problem(exc, text, name)) from None
    except RecursionError:
        raise SessionFileError(f"{name}: arrays or tables are nested too deeply to read") from None
    if not data:
        raise SessionFileError(f"{name}: {_EMPTY}")

    current = model.SCHEMA_VERSION
    version = data.get("schema_version")
    read_only: str | None = None
    migrated_from: int | None = None
    if "schema_version" in data and (type(version) is not int):
        raise SessionFileError(
            _problem(name, _KeyLines.line_in(text, ("schema_version",)), "schema_version")
            + "must be a whole number such as 1"
        )
    if isinstance(version, int) and version > current:
        read_only = (
            f"{name}: written by a newer sessiontui (schema_version {version};"
            f" this one reads up to {current}); opened read-only"
        )
    elif isinstance(version, int) and version < current:
        data = _migrate(data, version, current, name)
        migrated_from = version

    # Line numbers are only looked up in text whose layout still matches the data.
    located = text if migrated_from is None else None
    session = _validate(data, name, text=located, drop_unknown=read_only is not None)
    return session, read_only, migrated_from


def _migrate(data: dict[str, Any], version: int, current: int, name: str) -> dict[str, Any]:
    if version < 1:
        raise SessionFileError(f"{name}: schema_version: must be 1 or more")
    for step in range(version, current):
        upgrade = MIGRATIONS.get(step)
        if upgrade is None:
            raise SessionFileError(
                f"{name}: schema_version: this sessiontui cannot upgrade a file from version {step}"
            )
        try:
            data = upgrade(data)
        except Exception as exc:
            # A migration sees unvalidated data, so a hand-broken file can trip it; say where.
            raise SessionFileError(
                f"{name}: could not upgrade it from schema_version {step} to {step + 1}: {exc}"
            ) from None
        # Set here rather than trusting each step, so a forgetful migration cannot loop forever.
        data["schema_version"] = step + 1
    return data


def _validate(data: dict[str, Any], name: str, *, text: str | None, drop_unknown: bool) -> Session:
    while True:
        try:
            # Strict: TOML has real types, so "30" or true for minutes is a mistake to report,
            # not something to coerce silently (and the JSON Schema says the same).
            return Session.model_validate(data, strict=True)
        except ValidationError as exc:
            errors = exc.errors()
        extras = [error["loc"] for error in errors if error["type"] == "extra_forbidden"]
        # A newer version may add keys; skipping them is what lets it open read-only.
        if drop_unknown and extras and all([_delete(data, loc) for loc in extras]):
            continue
        raise SessionFileError(_schema_problems(errors, name, text))


def _delete(data: Any, loc: tuple[int | str, ...]) -> bool:
    """Remove the key at loc; False when it is not there, so the retry loop cannot spin."""
    try:
        for part in loc[:-1]:
            data = data[part]
        del data[loc[-1]]
    except (KeyError, IndexError, TypeError):
        return False
    return True


def _too_big(name: str, size: int, what: str = "session file") -> str:
    return f"{name}: is {_size(size)}, larger than the {_size(MAX_BYTES)} limit for a {what}"
