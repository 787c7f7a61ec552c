"""Reading and writing session files and settings, the only code that touches TOML and the disk.

Keeping parsing, error wording and saving in one module means every screen reports a broken
file the same way and no code path can leave a half-written session behind.
"""

from __future__ import annotations

import collections
import contextlib
import dataclasses
import datetime as dt
import difflib
import errno
import json
import os
import re
import secrets
import stat
import tempfile
import threading
import tomllib
import types
import typing
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import filelock
import tomli_w
from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from sessiontui import library, model
from sessiontui.config import UserConfig, config_path
from sessiontui.model import Session

MAX_BYTES = 16 * 1024 * 1024
"""Largest session file we read; a bigger one is almost certainly the wrong file."""

SCHEMA_FILENAME = "session.schema.json"
"""Written beside saved sessions so the `#:schema` header line resolves in editors."""

LOCK_TIMEOUT = 10.0
"""Seconds save() waits for another saver; long enough for a big save, short enough to report."""

MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {}
"""Upgrade steps from schema_version N to N + 1, applied in memory when an older file loads."""

_VERSIONS: dict[str, tuple[tuple[int, int, int, int], int]] = {}
"""schema_version of files this process last read or wrote, so save() need not parse them again."""

CONFIG_HEADER = (
    "# sessiontui settings, written by the app when they change in it; comments are not kept.\n\n"
)
"""First lines of the settings file, so people editing it by hand know what they are looking at."""

HEADER = (
    "#:schema ./session.schema.json\n"
    "# Written by sessiontui. Comments are not kept when the app saves this file;"
    " put lasting notes in facilitator_notes.\n"
    "\n"
)
"""First lines of every saved file: the schema link for editors and a warning for people."""

_EMPTY = "the file is empty; a session needs at least schema_version, title, date, start and end"
_MAX_PROBLEMS = 100
_LONG_STRING = 80
_LOCK_WAIT = 10.0
_BOM = b"\xef\xbb\xbf"
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+\Z")
# Characters a TOML multi-line literal string cannot hold; a plain class is 5x faster than
# adding "'''" as an alternative, which is checked with `in` instead.
_NOT_LITERAL_SAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_TOML_AT = re.compile(r"\s*\(at line (\d+), column (\d+)\)\s*\Z")
_TOML_AT_END = re.compile(r"\s*\(at end of document\)\s*\Z")
_PATH_PREFIX = re.compile(r"([A-Za-z_]\w*(?:\[\d+\])*(?:\.[A-Za-z_]\w*(?:\[\d+\])*)*): ")
_PATH_PART = re.compile(r"([A-Za-z_]\w*)|\[(\d+)\]")


class SessionFileError(Exception):
    """A session file that cannot be read or written, as one line per problem people can act on."""

    def __init__(self, problems: list[str] | str) -> None:
        self.problems: list[str] = [problems] if isinstance(problems, str) else list(problems)
        super().__init__("\n".join(self.problems))


@dataclass(frozen=True)
class Loaded:
    """A session read from disk, with what the app must know before it may write it back."""

    path: Path
    session: Session
    read_only: str | None
    """Why the file must not be written (it comes from a newer sessiontui), or None."""
    migrated_from: int | None
    """The file's schema_version when it was upgraded in memory, or None."""


@dataclass(frozen=True)
class Listing:
    """One *.toml file of a folder, loaded or not, so a picker can show broken files too."""

    path: Path
    session: Session | None
    error: str | None
    """The first problem line when the file failed to load."""


# ---------------------------------------------------------------------------- reading


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


def scan(folder: str | Path) -> list[Listing]:
    """List a folder's sessions newest first, broken files last with their first problem line."""
    base = Path(folder)
    try:
        entries = sorted(os.scandir(base), key=lambda entry: entry.name)
    except FileNotFoundError:
        return []
    loaded: list[Listing] = []
    broken: list[Listing] = []
    for entry in entries:
        # Hidden names are our own temporary and lock files, or someone's editor backups.
        if entry.name.startswith(".") or not entry.name.endswith(".toml"):
            continue
        # is_file() only stats (following symlinks), so FIFOs, sockets, folders and dangling
        # links are skipped without ever being opened.
        if not entry.is_file():
            continue
        path = base / entry.name
        try:
            loaded.append(Listing(path=path, session=load(path).session, error=None))
        except SessionFileError as exc:
            broken.append(Listing(path=path, session=None, error=exc.problems[0]))
    loaded.sort(key=_newest_first, reverse=True)
    return loaded + broken


def _newest_first(listing: Listing) -> tuple[Any, ...]:
    assert listing.session is not None
    return (listing.session.date, listing.session.start)


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


def _os_problem(name: str, exc: OSError, verb: str, what: str = "session file") -> str:
    if isinstance(exc, FileNotFoundError):
        return f"{name}: no such file"
    if isinstance(exc, IsADirectoryError):
        return f"{name}: is a directory, not a {what}"
    if isinstance(exc, PermissionError):
        return f"{name}: permission denied; cannot {verb} it"
    return f"{name}: cannot {verb} it: {exc.strerror or exc}"


def _too_big(name: str, size: int, what: str = "session file") -> str:
    return f"{name}: is {_size(size)}, larger than the {_size(MAX_BYTES)} limit for a {what}"


def _size(count: int) -> str:
    for unit, scale in (("MB", 1 << 20), ("KB", 1 << 10)):
        if count >= scale:
            return f"{count / scale:.1f}".removesuffix(".0") + f" {unit}"
    return f"{count} bytes"


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


def _bom_problem(name: str) -> str:
    return f"{name}: starts with a UTF-8 byte-order mark; save it as UTF-8 without BOM"


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


def _toml_problem(exc: tomllib.TOMLDecodeError, text: str, name: str) -> str:
    # Python 3.14 added lineno/colno; 3.11 to 3.13 only put them in the message text.
    line: int | None = getattr(exc, "lineno", None)
    column: int | None = getattr(exc, "colno", None)
    message = str(getattr(exc, "msg", None) or exc)
    if match := _TOML_AT.search(message):
        line, column = int(match.group(1)), int(match.group(2))
        message = message[: match.start()]
    elif match := _TOML_AT_END.search(message):
        message = message[: match.start()]
        normalised = text.replace("\r\n", "\n")
        line = normalised.count("\n") + 1
        column = len(normalised) - (normalised.rfind("\n") + 1) + 1
    if line is None:
        return f"{name}: {message}"
    return f"{name}:{line}:{column}: {message}"


# ---------------------------------------------------------------------------- error wording


def _schema_problems(
    errors: list[ErrorDetails], name: str, text: str | None, root: type[BaseModel] = Session
) -> list[str]:
    lines = _KeyLines(text) if text is not None else None
    problems: list[str] = []
    for error in errors:
        shown, located, message = _describe(error, root)
        line = lines.line_of(located) if lines is not None else None
        problem = _problem(name, line, _format_loc(shown)) + message
        if problem not in problems:
            problems.append(problem)
    if len(problems) > _MAX_PROBLEMS:
        hidden = len(problems) - _MAX_PROBLEMS
        problems = [*problems[:_MAX_PROBLEMS], f"{name}: … and {hidden} more problems"]
    return problems


def _problem(name: str, line: int | None, where: str) -> str:
    prefix = f"{name}:{line}: " if line is not None else f"{name}: "
    return prefix + (f"{where}: " if where else "")


def _describe(
    error: ErrorDetails, root: type[BaseModel] = Session
) -> tuple[tuple[int | str, ...], tuple[int | str, ...], str]:
    """Word one pydantic error for people; returns the path to show, the path to find, the text."""
    loc: tuple[int | str, ...] = tuple(error["loc"])
    kind: str = error["type"]
    ctx: dict[str, Any] = error.get("ctx") or {}
    keys = [part for part in loc if isinstance(part, str)]
    field = keys[-1] if keys else ""
    minutes = field.endswith("minutes") or (len(loc) >= 2 and loc[-2] == "plan")

    if kind in {"value_error", "assertion_error"}:
        message = re.sub(r"^(Value|Assertion) error, ", "", str(error["msg"]))
        # Model validators name the field themselves ("agenda[1].id: ..."); join rather than repeat.
        match = _PATH_PREFIX.match(message)
        if match:
            extra = _parse_path(match.group(1))
            if _annotation_at(loc + extra[:1], root) is not None:
                loc += extra
                message = message[match.end() :]
        return loc, loc, message
    if kind == "extra_forbidden":
        key = str(loc[-1])
        message = f"unknown key {key!r}"
        parent = _strip(_annotation_at(loc[:-1], root))
        if isinstance(parent, type) and issubclass(parent, BaseModel):
            close = difflib.get_close_matches(key, list(parent.model_fields), n=1, cutoff=0.6)
            if close:
                message += f" (did you mean {close[0]!r}?)"
        return loc[:-1], loc, message

    if kind == "missing":
        message = "required field is missing"
    elif kind in {"int_parsing", "int_from_float", "int_type"}:
        message = "must be a whole number" + (" of minutes" if minutes else "")
    elif kind in {"greater_than_equal", "greater_than", "less_than_equal", "less_than"}:
        words = {
            "greater_than_equal": ("at least", "ge"),
            "greater_than": ("more than", "gt"),
            "less_than_equal": ("at most", "le"),
            "less_than": ("less than", "lt"),
        }[kind]
        bound = ctx.get(words[1])
        # A float field reports its bound as 1.0; people wrote 1.
        if isinstance(bound, float) and bound.is_integer():
            bound = int(bound)
        message = f"must be {words[0]} {bound}"
    elif kind == "string_too_short":
        minimum = ctx.get("min_length", 1)
        message = "must not be empty" if minimum == 1 else f"must be at least {minimum} characters"
    elif kind == "string_too_long":
        message = f"must be at most {ctx.get('max_length')} characters"
    elif kind == "string_type":
        message = "must be text in quotes"
    elif kind == "string_unicode":
        message = "contains a lone surrogate, which cannot be saved as UTF-8"
    elif kind in {"float_type", "float_parsing"}:
        message = "must be a number such as 0.2"
    elif kind == "finite_number":
        message = "must be a finite number"
    elif kind in {"bool_type", "bool_parsing"}:
        message = "must be true or false"
    elif kind in {"list_type", "tuple_type"}:
        message = "must be a list in square brackets"
    elif kind in {"model_type", "model_attributes_type", "dict_type"}:
        if loc[:1] == ("participants",) and len(loc) == 2:
            message = "must be a name in quotes or a table with a name"
        else:
            message = "must be a table"
    elif kind == "literal_error":
        choices = re.findall(r"'((?:[^'\\]|\\.)*)'", str(ctx.get("expected", "")))
        message = "must be one of: " + ", ".join(choices)
    elif kind == "string_pattern_mismatch":
        if ctx.get("pattern") == model.SLUG_PATTERN:
            message = "must be a slug: lowercase letters, digits and dashes"
        else:
            message = f"must match the pattern {ctx.get('pattern')}"
    elif kind.startswith("time_"):
        message = "must be a TOML local time such as 13:00:00"
    elif kind.startswith("datetime_"):
        message = "must be a TOML offset date-time such as 2023-02-16T13:00:00Z"
    elif kind.startswith("date_"):
        message = "must be a TOML local date such as 2023-02-16"
    else:
        raw = str(error["msg"])
        message = raw[:1].lower() + raw[1:]
    return loc, loc, message


def _format_loc(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            key = part if _BARE_KEY.match(part) else json.dumps(part, ensure_ascii=False)
            out += f".{key}" if out else key
    return out


def _parse_path(text: str) -> tuple[int | str, ...]:
    return tuple(int(index) if index else key for key, index in _PATH_PART.findall(text))


def _annotation_at(loc: tuple[int | str, ...], root: type[BaseModel] = Session) -> Any:
    """The type found at a path of the root model, or None, so messages only trust real paths."""
    annotation: Any = root
    for part in loc:
        annotation = _strip(annotation)
        origin = typing.get_origin(annotation)
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            fields = annotation.model_fields
            if not isinstance(part, str) or part not in fields:
                return None
            annotation = fields[part].annotation
        elif origin is list and isinstance(part, int):
            annotation = typing.get_args(annotation)[0]
        elif origin is dict and isinstance(part, str):
            annotation = typing.get_args(annotation)[1]
        else:
            return None
    return annotation


def _strip(annotation: Any) -> Any:
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in {typing.Union, types.UnionType}:
            args = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
            if len(args) != 1:
                return annotation
            annotation = args[0]
        else:
            return annotation


def _token_pattern() -> re.Pattern[str]:
    # Strings are matched whole so brackets, '=' and '#' inside them are never mistaken for
    # structure; possessive repeats keep megabyte-long strings linear.
    q3, a3 = '"' * 3, "'" * 3
    return re.compile(
        "|".join(
            [
                rf"(?P<mlb>{q3}(?:[^\"\\]++|\\[\s\S]|\"\"?(?!\"))*+\"{{3,5}})",
                rf"(?P<mll>{a3}(?:[^']++|''?(?!'))*+'{{3,5}})",
                r"(?P<str>\"(?:[^\"\\\n]++|\\.)*+\"|'[^'\n]*+')",
                r"(?P<comment>#[^\n]*+)",
                r"(?P<nl>\n)",
                r"(?P<ws>[ \t\r]++)",
                r"(?P<punct>[\[\]{}=.,])",
                r"(?P<bare>[^\s\[\]{}=.,\"'#]++)",
            ]
        )
    )


_TOKEN = _token_pattern()


class _KeyLines:
    """Line numbers of the keys and tables of a parsed TOML text, so errors can say where to look.

    tomllib keeps no positions; this small scanner only has to be good enough for text
    tomllib already accepted, and any surprise just means the line number is left out.
    """

    def __init__(self, text: str) -> None:
        self.lines: dict[tuple[int | str, ...], int] = {}
        self._aot: dict[tuple[int | str, ...], int] = {}
        surprises = (IndexError, ValueError, KeyError, RecursionError, tomllib.TOMLDecodeError)
        with contextlib.suppress(*surprises):
            self._scan(text.replace("\r\n", "\n"))

    @classmethod
    def line_in(cls, text: str, loc: tuple[int | str, ...]) -> int | None:
        """The line of one path in the text, for the few errors raised before validation."""
        return cls(text).line_of(loc)

    def line_of(self, loc: tuple[int | str, ...]) -> int | None:
        """The line of the deepest part of the path that appears in the text, or None."""
        for end in range(len(loc), 0, -1):
            if loc[:end] in self.lines:
                return self.lines[loc[:end]]
        return None

    def _scan(self, text: str) -> None:
        tokens: list[tuple[str, str, int]] = []
        line = 1
        for match in _TOKEN.finditer(text):
            kind = match.lastgroup or "bare"
            value = match.group()
            if kind not in {"ws", "comment"}:
                tokens.append((kind, value, line))
            line += value.count("\n") if kind in {"nl", "mlb", "mll"} else 0
        tokens.append(("eof", "", line))
        self._tokens = tokens
        table: tuple[int | str, ...] = ()
        pos = 0
        while tokens[pos][0] != "eof":
            kind, value, line = tokens[pos]
            if kind == "nl":
                pos += 1
            elif value == "[":
                table, pos = self._header(pos)
            else:
                pos = self._key_value(pos, table)

    def _header(self, pos: int) -> tuple[tuple[int | str, ...], int]:
        line = self._tokens[pos][2]
        is_array = self._tokens[pos + 1][1] == "["
        keys, pos = self._key(pos + (2 if is_array else 1))
        loc: tuple[int | str, ...] = ()
        for index, key in enumerate(keys):
            loc += (key,)
            if is_array and index == len(keys) - 1:
                count = self._aot.get(loc, -1) + 1
                self._aot[loc] = count
                loc += (count,)
            elif loc in self._aot:
                loc += (self._aot[loc],)
            self.lines.setdefault(loc, line)
        while self._tokens[pos][0] not in {"nl", "eof"}:
            pos += 1
        return loc, pos

    def _key_value(self, pos: int, table: tuple[int | str, ...]) -> int:
        line = self._tokens[pos][2]
        keys, pos = self._key(pos)
        for end in range(1, len(keys) + 1):
            self.lines.setdefault(table + keys[:end], line)
        pos += 1  # the "="
        return self._value(pos, table + keys)

    def _key(self, pos: int) -> tuple[tuple[str, ...], int]:
        keys: list[str] = []
        while True:
            kind, value, _ = self._tokens[pos]
            if kind == "str":
                keys.append(tomllib.loads(f"k = {value}")["k"])
            elif kind == "bare":
                keys.append(value)
            else:
                raise ValueError(value)
            pos += 1
            if self._tokens[pos][1] != ".":
                return tuple(keys), pos
            pos += 1

    def _skip_newlines(self, pos: int) -> int:
        while self._tokens[pos][0] == "nl":
            pos += 1
        return pos

    def _value(self, pos: int, loc: tuple[int | str, ...]) -> int:
        value = self._tokens[pos][1]
        if value in {"[", "{"}:
            closing = "]" if value == "[" else "}"
            index = 0
            pos = self._skip_newlines(pos + 1)
            while self._tokens[pos][1] != closing:
                if value == "[":
                    self.lines.setdefault((*loc, index), self._tokens[pos][2])
                    pos = self._value(pos, (*loc, index))
                    index += 1
                else:
                    pos = self._key_value(pos, loc)
                pos = self._skip_newlines(pos)
                if self._tokens[pos][1] == ",":
                    pos = self._skip_newlines(pos + 1)
            return pos + 1
        # A scalar can span several tokens (3.5, 1979-05-27 07:32:00), so skip to its end.
        while self._tokens[pos][0] != "eof" and self._tokens[pos][1] not in {"\n", ",", "]", "}"}:
            pos += 1
        return pos


# ---------------------------------------------------------------------------- writing


def dumps(session: Session) -> str:
    """The full file text of a session, header included; raises SessionFileError if invalid."""
    return _dumps(session, "<session>")[0]


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
    try:
        _replace_atomically(target, text.encode("utf-8"))
    except OSError as exc:
        raise OSError(exc.errno, f"{os.fspath(path)}: cannot write: {exc.strerror or exc}") from exc


def schema_json() -> str:
    """The JSON Schema of the file format, which editors use to check and complete session files."""
    return json.dumps(Session.model_json_schema(), indent=2) + "\n"


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


def _newer(name: str, version: int, action: str) -> str:
    return (
        f"{name}: written by a newer sessiontui (schema_version {version};"
        f" this one reads up to {model.SCHEMA_VERSION}); {action}"
    )


def _dumps(session: Session, name: str) -> tuple[str, dict[str, Any]]:
    data: dict[str, Any] = {"schema_version": session.schema_version}
    data.update(_without_none(session.model_dump(mode="python", exclude_defaults=True)))
    try:
        Session.model_validate(data, strict=True)
    except ValidationError as exc:
        # Lists can be changed in place without validate_assignment noticing; catch it here.
        raise SessionFileError(_schema_problems(exc.errors(), name, None)) from None
    try:
        body = _to_toml(data)
    except (TypeError, ValueError) as exc:
        raise SessionFileError(f"{name}: cannot be written as TOML: {exc}") from None
    return HEADER + body, data


def _without_none(value: Any) -> Any:
    # TOML has no null; a None field is simply absent and reads back as its default.
    if isinstance(value, dict):
        return {key: _without_none(item) for key, item in value.items() if item is not None}
    if isinstance(value, list):
        return [_without_none(item) for item in value]
    return value


def _to_toml(data: dict[str, Any]) -> str:
    """Serialise with tomli_w, but long and multi-line text as literal blocks.

    tomli_w drops the "\\r" of "\\r\\n" in multi-line strings, and escaping or parsing long
    basic strings is slow (1.2 MB: 170 ms out, 210 ms in); literal blocks are copied verbatim,
    readable, and measured 8 ms out, 18 ms in. The same trick writes UTC times with a "Z".
    """
    nonce = secrets.token_hex(8)
    while any(nonce in text for text in _all_strings(data)):
        nonce = secrets.token_hex(8)
    marker = f"__sessiontui_{nonce}_"
    swapped: list[str] = []

    def swap(value: Any) -> Any:
        if isinstance(value, dict):
            return {key: swap(item) for key, item in value.items()}
        if isinstance(value, list):
            return [swap(item) for item in value]
        if isinstance(value, str) and _literal_block_ok(value):
            swapped.append("'''\n" + value + "'''")
            # Padded past tomli_w's 100-column inline limit so a table holding a block is
            # written as a [[table]], not squeezed into an inline { ... }.
            return f"{marker}{len(swapped) - 1}__".ljust(100, "_")
        if isinstance(value, dt.datetime) and value.utcoffset() == dt.timedelta(0):
            # tomli_w writes "2023-02-16 13:00:00+00:00"; the docs and people write "...T13:00:00Z".
            swapped.append(value.replace(tzinfo=None).isoformat() + "Z")
            return f"{marker}{len(swapped) - 1}__"
        return value

    body = tomli_w.dumps(swap(data))
    if not swapped:
        return body
    return re.sub(
        f'"{re.escape(marker)}(\\d+)_+"', lambda match: swapped[int(match.group(1))], body
    )


def _literal_block_ok(text: str) -> bool:
    if "\n" not in text and len(text) <= _LONG_STRING:
        return False
    # A trailing quote would merge with the closing ''' (legal TOML, but easy to misread).
    return not text.endswith("'") and "'''" not in text and _NOT_LITERAL_SAFE.search(text) is None


def _all_strings(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _all_strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _all_strings(item)
    elif isinstance(value, str):
        yield value


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


# ---------------------------------------------------------------------------- settings


def load_config(path: Path | None = None) -> tuple[UserConfig, str | None]:
    """The user's settings and None, or the defaults and one problem line to show on screen.

    Never raises for a bad file: settings are a convenience, and a typo in them must not keep
    a facilitator from running their session.
    """
    target = config_path() if path is None else path
    name = os.fspath(target)
    try:
        raw, _ = _read_bytes(target, name, "settings file")
        text = _decode(raw, name)
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise SessionFileError(_toml_problem(exc, text, name)) from None
        except RecursionError:
            raise SessionFileError(f"{name}: tables are nested too deeply to read") from None
        try:
            # Strict for the same reason as sessions: TOML has real types, so "yes" is a typo.
            return UserConfig.model_validate(data, strict=True), None
        except ValidationError as exc:
            raise SessionFileError(_schema_problems(exc.errors(), name, text, UserConfig)) from None
    except SessionFileError as exc:
        # Checked after the read rather than before, so a file vanishing between is no problem.
        if not os.path.lexists(target):
            return UserConfig(), None
        problems = exc.problems
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        return UserConfig(), problems[0] + more


def save_config(config: UserConfig, path: Path | None = None) -> None:
    """Write the settings atomically, creating their folder, so a crash never leaves half a file.

    Raises ValueError for settings that would not load back (changed in place without
    validation) and OSError with a one-line message when the disk refuses. No lock, unlike
    save(): the rename already makes the last writer win whole, which is all settings need.
    """
    target_path = config_path() if path is None else path
    name = os.fspath(target_path)
    # Checked just below with a clearer message than the serializer's warning.
    data = config.model_dump(mode="python", warnings=False)
    try:
        UserConfig.model_validate(data, strict=True)
    except ValidationError as exc:
        raise ValueError(_schema_problems(exc.errors(), name, None, UserConfig)[0]) from None
    payload = (CONFIG_HEADER + tomli_w.dumps(data)).encode("utf-8")
    # Through a symlink to the real file, so a settings file kept in a dotfiles repo stays there.
    target = Path(os.path.realpath(target_path))
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        _replace_atomically(target, payload)
    except OSError as exc:
        raise OSError(exc.errno, f"{name}: cannot save: {exc.strerror or exc}") from exc


# ---------------------------------------------------------------------------- the library

INDEX_VERSION = 1
"""Version of the folder index's JSON; an index of another version is ignored and rebuilt."""

_INDEX_FORMAT = "sessiontui folder index"
_SEARCH_CACHE_SIZE = 128
_LOG_KIND = re.compile(r'kind = "(start|finish|back)"')
_HEADER_KEYS = ("title", "series", "date", "start")
# Escapes TOML allows that the raw text search cannot see through: \uXXXX, and a
# line-ending backslash in a multi-line basic string. A file holding either is loaded.
_OPAQUE_ESCAPE = re.compile(rb"\\[uU]|\\[ \t]*\r?\n")
# Characters tomli-w writes escaped; a query word holding one cannot be found in raw text.
_WRITTEN_ESCAPED = re.compile(r'["\\\x00-\x08\x0a-\x1f\x7f]')


@dataclass(frozen=True)
class FolderScan:
    """A folder's sessions as first listed: rows from the index, and rows guessed from headers.

    `pending` are the files whose rows are only guesses (exact=False); `summarise_files`
    reads them fully.
    """

    summaries: list[library.Summary]
    pending: list[Path]


def summaries(folder: str | Path, *, index: Path | None = None) -> FolderScan:
    """Every session file of the folder as a row, fast: from the index, else from its header.

    Never blocks: FIFOs, sockets, folders named x.toml and dangling links are skipped
    without being opened, and a file whose header cannot be read still gets a row (its
    full read, in `summarise_files`, says what is wrong). A missing folder lists nothing.
    """
    base = Path(folder)
    try:
        entries = _session_entries(base)
    except FileNotFoundError:
        return FolderScan([], [])
    known = _read_index(base, index)
    rows: list[library.Summary] = []
    pending: list[Path] = []
    for path, info in entries:
        row = _from_index(known.get(path.name), path, info)
        if row is None:
            row = _header_summary(path)
            pending.append(path)
        rows.append(row)
    return FolderScan(library.newest_first(rows), pending)


def summarise_files(
    paths: Iterable[str | Path], *, index: Path | None = None
) -> list[library.Summary]:
    """Load each file fully and summarise it (a file that fails gets its problem line).

    The folder's index then remembers each summary with the file's inode, size and mtime,
    so the next listing reads none of the unchanged files.
    """
    rows: list[library.Summary] = []
    by_folder: dict[Path, dict[str, dict[str, Any]]] = {}
    for given in paths:
        path = Path(given)
        before = _stat_or_none(path)
        try:
            row = library.summarise(path, load(path).session)
        except SessionFileError as exc:
            row = library.failed(path, exc.problems[0])
        rows.append(row)
        after = _stat_or_none(path)
        # Remembered only when the file did not change while it was read.
        if before is not None and after is not None and _identity(before) == _identity(after):
            by_folder.setdefault(path.parent, {})[path.name] = _index_entry(row, after)
    for folder, entries in by_folder.items():
        _update_index(folder, index, entries)
    return rows


def index_path(folder: str | Path) -> Path:
    """Where the folder's index lives: the user's cache folder, one file per folder."""
    import hashlib

    import platformdirs

    real = os.path.realpath(folder)
    digest = hashlib.sha256(real.encode("utf-8", "surrogateescape")).hexdigest()[:32]
    return platformdirs.user_cache_path("sessiontui") / "folders" / f"{digest}.json"


def search(folder: str | Path, query: str, *, limit: int = 200) -> list[library.Hit]:
    """Search every session of the folder; hits newest session first, then in agenda order.

    Each file's raw text is searched first, and only files that could hold every word are
    parsed (and kept in a small cache), so a search over a thousand sessions stays fast.
    Files that fail to load have no hits.
    """
    words = library.query_words(query)
    if not words:
        return []
    base = Path(folder)
    try:
        entries = _session_entries(base)
    except FileNotFoundError:
        return []
    # Only words the raw text shows as typed can rule a file out.
    plain = [word for word in words if _WRITTEN_ESCAPED.search(word) is None]
    found: list[tuple[Session, list[library.Hit]]] = []
    for path, _info in entries:
        session = _candidate(path, plain)
        if session is None:
            continue
        hits = library.search_session(path, session, query)
        if hits:
            found.append((session, hits))
    found.sort(key=lambda pair: pair[1][0].path.name)
    found.sort(key=lambda pair: (pair[0].date, pair[0].start), reverse=True)
    return [hit for _session, hits in found for hit in hits][:limit]


_SEARCH_CACHE: collections.OrderedDict[tuple[str, tuple[int, int, int, int]], Session] = (
    collections.OrderedDict()
)
"""Sessions parsed for searches, by real path and identity: a second search parses nothing."""
_SEARCH_LOCK = threading.Lock()


def _candidate(path: Path, words: list[str]) -> Session | None:
    """The session if its raw text could match every word, else None (also when unreadable)."""
    name = os.fspath(path)
    try:
        raw, info = _read_bytes(path, name)
    except SessionFileError:
        return None
    if words and _OPAQUE_ESCAPE.search(raw) is None:
        folded = raw.decode("utf-8", errors="replace").casefold()
        if not all(word in folded for word in words):
            return None
    key = (os.path.realpath(path), _identity(info))
    # Searches run in workers; two at once must not trip over each other's cache updates.
    with _SEARCH_LOCK:
        cached = _SEARCH_CACHE.get(key)
        if cached is not None:
            _SEARCH_CACHE.move_to_end(key)
            return cached
    try:
        session = _parse(_decode(raw, name), name)[0]
    except SessionFileError:
        return None
    with _SEARCH_LOCK:
        _SEARCH_CACHE[key] = session
        while len(_SEARCH_CACHE) > _SEARCH_CACHE_SIZE:
            _SEARCH_CACHE.popitem(last=False)
    return session


def _session_entries(base: Path) -> list[tuple[Path, os.stat_result]]:
    """The folder's visible *.toml regular files, with their stat; nothing is opened."""
    found: list[tuple[Path, os.stat_result]] = []
    with os.scandir(base) as entries:
        for entry in entries:
            # Hidden names are our own temporary and lock files, or someone's editor backups.
            if entry.name.startswith(".") or not entry.name.endswith(".toml"):
                continue
            try:
                # Follows symlinks; a FIFO, socket, folder or dangling link is skipped unopened.
                info = entry.stat()
            except OSError:
                continue
            if stat.S_ISREG(info.st_mode):
                found.append((base / entry.name, info))
    found.sort(key=lambda pair: pair[0].name)
    return found


def _stat_or_none(path: Path) -> os.stat_result | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info if stat.S_ISREG(info.st_mode) else None


def _header_summary(path: Path) -> library.Summary:
    """A guess at the summary from the text before the first table: fast, never raising."""
    guess = library.Summary(path, None, None, path.stem, "", "", 0, 0, None, exact=False)
    try:
        raw, _info = _read_bytes(path, os.fspath(path))
        text = raw.decode("utf-8")
    except (SessionFileError, UnicodeDecodeError):
        return guess
    # The text before the first table holds the top-level keys (str.find, not a regex: a
    # multi-line ^ pattern costs a quarter of a millisecond per file).
    first_table = text.find("\n[")
    head = text if first_table < 0 else text[: first_table + 1]
    data = _header_values(head)
    if data is None:
        return guess
    title, series, date, start = (data.get(key) for key in _HEADER_KEYS)
    state = "planned"
    # The log is written inline (`log = [{ ..., kind = "start" }]`) or as [[log]] tables;
    # either way each event says `kind = "..."`, and no agenda kind is one of these.
    for match in _LOG_KIND.finditer(text):
        kind = match.group(1)
        if kind == "start" and state == "planned":
            state = "running"
        elif kind == "finish":
            state = "finished"
        elif kind == "back" and state == "finished":
            state = "running"
    inline_notes, inline_actions = data.get("notes"), data.get("actions")
    if isinstance(inline_notes, list):
        notes = sum(1 for note in inline_notes if isinstance(note, dict) and _has_text(note))
    else:
        notes = text.count("\n[[notes]]")
    if isinstance(inline_actions, list):
        actions = len(inline_actions)
    else:
        actions = text.count("\n[[actions]]")
    return dataclasses.replace(
        guess,
        title=title if isinstance(title, str) and title else guess.title,
        series=series if isinstance(series, str) else "",
        date=date if type(date) is dt.date else None,
        start=start if isinstance(start, dt.time) else None,
        state=state,
        notes=notes,
        actions=actions,
    )


def _header_values(head: str) -> dict[str, Any] | None:
    """title, series, date and start (and inline notes and actions) from the top of a file.

    Only those keys' own lines are parsed, 10 times faster than the whole head with its
    participants and inline log; anything unusual (a multi-line value, a key written
    differently, inline notes) falls back to parsing the whole head. None when that fails.
    """
    head = "\n" + head
    lines: list[str] = []
    simple = "\nnotes = [" not in head and "\nactions = [" not in head
    for key in _HEADER_KEYS if simple else ():
        at = head.find(f"\n{key} = ")
        if at < 0:
            # Absent, or written differently (`title="x"`) by hand: parse the whole head.
            simple = key == "series"
            if simple:
                continue
            break
        end = head.find("\n", at + 1)
        line = head[at + 1 : end if end >= 0 else len(head)]
        if "'''" in line or '"""' in line:
            simple = False
            break
        lines.append(line)
    if simple:
        with contextlib.suppress(tomllib.TOMLDecodeError):
            return tomllib.loads("\n".join(lines))
    try:
        return tomllib.loads(head)
    except (tomllib.TOMLDecodeError, RecursionError):
        return None


def _has_text(note: dict[str, Any]) -> bool:
    return any(
        isinstance(value, str) and value.strip()
        for key, value in note.items()
        if key not in {"item", "group"}
    )


def _index_entry(row: library.Summary, info: os.stat_result) -> dict[str, Any]:
    return {
        "identity": list(_index_identity(info)),
        "date": row.date.isoformat() if row.date else None,
        "start": row.start.isoformat() if row.start else None,
        "title": row.title,
        "series": row.series,
        "state": row.state,
        "notes": row.notes,
        "actions": row.actions,
        "error": row.error,
    }


def _index_identity(info: os.stat_result) -> tuple[int, int, int]:
    # The device is left out: it can change between boots for the same network folder.
    return (info.st_ino, info.st_size, info.st_mtime_ns)


def _from_index(entry: Any, path: Path, info: os.stat_result) -> library.Summary | None:
    """The remembered summary when the file is unchanged since; None for anything odd."""
    if not isinstance(entry, dict) or entry.get("identity") != list(_index_identity(info)):
        return None
    try:
        date, start, error = entry["date"], entry["start"], entry["error"]
        title, series, state = entry["title"], entry["series"], entry["state"]
        notes, actions = entry["notes"], entry["actions"]
        if not all(isinstance(value, str) for value in (title, series, state)):
            return None
        if not all(type(value) is int for value in (notes, actions)):
            return None
        if error is not None and not isinstance(error, str):
            return None
        return library.Summary(
            path=path,
            date=None if date is None else dt.date.fromisoformat(date),
            start=None if start is None else dt.time.fromisoformat(start),
            title=title,
            series=series,
            state=state,
            notes=notes,
            actions=actions,
            error=error,
            exact=True,
        )
    except (KeyError, TypeError, ValueError):
        return None


def _read_index(folder: Path, index: Path | None) -> dict[str, Any]:
    """The index's entries by file name; empty when it is missing, corrupt or another folder's."""
    target = index_path(folder) if index is None else index
    try:
        raw, _info = _read_bytes(target, os.fspath(target), "index")
        data = json.loads(raw)
    except (SessionFileError, ValueError, RecursionError):
        return {}
    if (
        not isinstance(data, dict)
        or data.get("format") != _INDEX_FORMAT
        or data.get("version") != INDEX_VERSION
        or data.get("folder") != os.path.realpath(folder)
        or not isinstance(data.get("files"), dict)
    ):
        return {}
    files: dict[str, Any] = data["files"]
    return files


def _update_index(folder: Path, index: Path | None, entries: dict[str, dict[str, Any]]) -> None:
    """Merge entries into the folder's index and drop deleted files; best effort, atomic."""
    target = index_path(folder) if index is None else index
    files = dict(_read_index(folder, index))
    files.update(entries)
    try:
        present = set(os.listdir(folder))
    except OSError:
        present = set(files)
    data = {
        "format": _INDEX_FORMAT,
        "version": INDEX_VERSION,
        "folder": os.path.realpath(folder),
        "files": {name: entry for name, entry in sorted(files.items()) if name in present},
    }
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    # A cache: a read-only home or a full disk only costs the next listing some time.
    with contextlib.suppress(OSError):
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = _write_index_temporary(target, payload)
        try:
            os.replace(temporary, target)
        except OSError:
            os.unlink(temporary)
            raise


def _write_index_temporary(target: Path, payload: bytes) -> str:
    # No fsync: losing the index in a crash only means reading the files again.
    fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with open(fd, "wb") as f:
            f.write(payload)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    return temporary
