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
# adding "'''" as an alternative, which is checked with `in` instead. The C1 controls
# (\x80-\x9f) are legal there, but taplo (Even Better TOML) 0.9 refuses them in literal
# strings only, so text holding one is written as an ordinary quoted string instead.
_NOT_LITERAL_SAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def dumps(session: Session) -> str:
    """The full file text of a session, header included; raises SessionFileError if invalid."""
    return _dumps(session, "<session>")[0]


def schema_json() -> str:
    """The JSON Schema of the file format, which editors use to check and complete session files."""
    return json.dumps(_for_editors(Session.model_json_schema()), indent=2) + "\n"


LOCAL_TIME_PATTERN = r"^([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]+)?Z?$"
"""A TOML local time as the schema checkers see it: 13:00:00, or 13:00:00Z from check-jsonschema."""


def _for_editors(schema: dict[str, Any]) -> dict[str, Any]:
    """Adjust pydantic's schema to how TOML checkers see a file, all in this one place.

    Checkers turn a TOML file into JSON-like values before validating, so the schema has to
    describe those values rather than the Python types: taplo (Even Better TOML) and
    check-jsonschema both rejected the bundled example with pydantic's schema as it was.
    Every change keeps typos and wrong types refused; tests/process/test_schema_tools.py runs
    both tools on every bundled file and on broken copies.
    """
    # pydantic writes this dialect ($defs, prefixItems); saying so lets tools pick it.
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}
    _walk(schema)
    participants = schema["properties"]["participants"]
    name = schema["$defs"]["Participant"]["properties"]["name"]
    # The model turns a bare name into {name = ...} before validating (and writes one back
    # that way), so a list item is either: the schema of a name, or a Participant table.
    participants["items"] = {
        "anyOf": [
            {
                "type": "string",
                **{key: name[key] for key in ("minLength", "maxLength") if key in name},
                "description": "Their name on its own, the same as a table with only `name`.",
            },
            participants["items"],
        ]
    }
    return schema


def _walk(node: Any) -> None:
    if isinstance(node, list):
        for item in node:
            _walk(item)
        return
    if not isinstance(node, dict):
        return
    branches = node.get("anyOf")
    if isinstance(branches, list) and {"type": "null"} in branches:
        # TOML has no null: an optional key is left out, never written empty. Without the
        # null branch an editor reports "must be a number" instead of "matches no anyOf".
        rest = [branch for branch in branches if branch != {"type": "null"}]
        del node["anyOf"]
        if node.get("default", ...) is None:
            del node["default"]
        if len(rest) == 1:
            node.update({**rest[0], **node})
        else:
            node["anyOf"] = rest
    if node.get("format") == "time" and node.get("type") == "string":
        # JSON Schema's "time" is RFC 3339 full-time, which needs an offset, and a TOML time
        # is always local: taplo hands the checker "13:00:00" and says it is "not a time".
        # check-jsonschema appends a Z to every local time, hence the optional Z. "date" and
        # "date-time" mean the same in TOML and JSON Schema and stay as they are.
        del node["format"]
        node["pattern"] = LOCAL_TIME_PATTERN
    for value in node.values():
        _walk(value)


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

    # tomli_w writes a list of short tables inline (`log = [{ at = ..., kind = "next" }, ...]`),
    # one line for a whole run log: unreadable and undiffable. A long placeholder first key
    # makes no row short enough, so each is a [[table]]; the placeholder line is dropped.
    row_key = f"{marker}row"
    swapped_data = {
        key: [{row_key: "_" * 100, **row} for row in value] if _is_table_list(value) else value
        for key, value in swap(data).items()
    }
    body = re.sub(f'(?m)^{re.escape(row_key)} = "_+"\n', "", tomli_w.dumps(swapped_data))
    if not swapped:
        return body
    return re.sub(
        f'"{re.escape(marker)}(\\d+)_+"', lambda match: swapped[int(match.group(1))], body
    )


def _is_table_list(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(row, dict) for row in value)


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
