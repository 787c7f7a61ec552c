"""The one way in and out of a session file: open it, update it in one transaction, follow it.

Screens and commands never read or write a session file any other way: `open_session` reads
with the file's identity, `update` is the write transaction (lock, re-read, change, merge,
validate, write atomically), `create` writes a new file without ever replacing one, and a
`Follower` keeps a view up with other people's saves. The live screens' `SessionWriter`
(in `writer`) saves through `update` too. `load`, `save`, `parse` and `dumps` are the
store's, re-exported for the tests and the bench; import-linter keeps the UI and the command
line from importing the store's parser and TOML writer directly.
"""

from __future__ import annotations

from sessiontui.session_file.folder import open_series
from sessiontui.session_file.service import (
    BrokenFileError,
    Follower,
    Identity,
    Opened,
    ReadOnlyFileError,
    file_identity,
    identity_or_none,
    open_session,
    update,
)
from sessiontui.store.atomic import LOCK_TIMEOUT, SCHEMA_FILENAME, create, lock_for, save
from sessiontui.store.errors import SessionFileError, describe_error, problems_of
from sessiontui.store.index import Listing, scan
from sessiontui.store.parse import Loaded, load, parse
from sessiontui.store.toml_writer import HEADER, dumps, schema_json

__all__ = [
    "HEADER",
    "LOCK_TIMEOUT",
    "SCHEMA_FILENAME",
    "BrokenFileError",
    "Follower",
    "Identity",
    "Listing",
    "Loaded",
    "Opened",
    "ReadOnlyFileError",
    "SessionFileError",
    "create",
    "describe_error",
    "dumps",
    "file_identity",
    "identity_or_none",
    "load",
    "lock_for",
    "open_series",
    "open_session",
    "parse",
    "problems_of",
    "save",
    "scan",
    "schema_json",
    "update",
]
