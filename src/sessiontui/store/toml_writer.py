"""The TOML text of a session: long and multi-line text as literal blocks, UTC times with a Z.

One writer, so every saved file reads the same way and round-trips exactly.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import secrets
from collections.abc import Iterator
from typing import Any

import tomli_w
from pydantic import ValidationError

from sessiontui.core.model import Session
from sessiontui.store.errors import SessionFileError, _schema_problems

HEADER = (
    "#:schema ./session.schema.json\n"
    "# Written by sessiontui. Comments are not kept when the app saves this file;"
    " put lasting notes in facilitator_notes.\n"
    "\n"
)
"""First lines of every saved file: the schema link for editors and a warning for people."""


_LONG_STRING = 80


# Characters a TOML multi-line literal string cannot hold; a plain class is 5x faster than
# adding "'''" as an alternative, which is checked with `in` instead.
_NOT_LITERAL_SAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def dumps(session: Session) -> str:
    """The full file text of a session, header included; raises SessionFileError if invalid."""
    return _dumps(session, "<session>")[0]


def schema_json() -> str:
    """The JSON Schema of the file format, which editors use to check and complete session files."""
    return json.dumps(Session.model_json_schema(), indent=2) + "\n"


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
