"""The folder of sessions: listing, the JSON index in the user cache, and search.

Rows come from the index or a header read first, so a folder of hundreds lists at once.
"""

from __future__ import annotations

import collections
import contextlib
import dataclasses
import datetime as dt
import json
import os
import re
import stat
import tempfile
import threading
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sessiontui.core import library
from sessiontui.core.model import Session
from sessiontui.store import parse
from sessiontui.store.errors import SessionFileError
from sessiontui.store.parse import _decode, _parse, _read_bytes
from sessiontui.store.versions import _identity


@dataclass(frozen=True)
class Listing:
    """One *.toml file of a folder, loaded or not, so a picker can show broken files too."""

    path: Path
    session: Session | None
    error: str | None
    """The first problem line when the file failed to load."""


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
            loaded.append(Listing(path=path, session=parse.load(path).session, error=None))
        except SessionFileError as exc:
            broken.append(Listing(path=path, session=None, error=exc.problems[0]))
    loaded.sort(key=_newest_first, reverse=True)
    return loaded + broken


def _newest_first(listing: Listing) -> tuple[Any, ...]:
    assert listing.session is not None
    return (listing.session.date, listing.session.start)


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
            row = library.summarise(path, parse.load(path).session)
        except SessionFileError as exc:
            row = library.failed(path, exc.problems[0])
        except (ArithmeticError, ValueError) as exc:
            # A file that loads but trips a computation (a date-time overflowing) is one
            # broken row; it must never take the rest of the folder's listing down with it.
            row = library.failed(path, f"{path}: cannot be summarised: {exc}")
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
