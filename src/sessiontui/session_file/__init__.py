"""The one way in and out of a session file: read, write, create, lock, and list a folder.

Screens and commands never touch `store.parse` or `store.toml_writer` themselves: they come
through here, so every reader reports a broken file the same way and every writer takes the
same lock and writes atomically.
"""

from __future__ import annotations

from sessiontui.store.atomic import LOCK_TIMEOUT, SCHEMA_FILENAME, create, lock_for, save
from sessiontui.store.errors import SessionFileError
from sessiontui.store.index import Listing, scan
from sessiontui.store.parse import Loaded, load, parse
from sessiontui.store.toml_writer import HEADER, dumps, schema_json

__all__ = [
    "HEADER",
    "LOCK_TIMEOUT",
    "SCHEMA_FILENAME",
    "Listing",
    "Loaded",
    "SessionFileError",
    "create",
    "dumps",
    "load",
    "lock_for",
    "parse",
    "save",
    "scan",
    "schema_json",
]
