"""Sessions shared by the schedule tests: the reference workshop and a builder for others."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sessiontui.core.model import Event, Session

DAY = dt.date(2023, 2, 16)  # GMT, so London wall-clock times are also UTC times

REFERENCE_AGENDA: list[dict[str, Any]] = [
    {"id": "welcome", "title": "Welcome", "kind": "plenary", "minutes": 10},
    {
        "id": "coffee-trial",
        "title": "Randomised coffee trial",
        "kind": "pairing",
        "minutes": 30,
        "group_size": 2,
        "turn_minutes": 7,
    },
    {"id": "complexity", "title": "Working in complexity", "kind": "presentation", "minutes": 50},
    {"id": "tea", "title": "Tea break", "kind": "break", "minutes": 10, "at": "14:30"},
    {"id": "common-purpose", "title": "Common purpose", "kind": "breakout", "minutes": 50},
    {"id": "reflection", "title": "Reflection", "kind": "reflection", "minutes": 25},
    {"id": "summing-up", "title": "Summing up", "kind": "close", "minutes": 5},
]


def session_with(
    agenda: list[dict[str, Any]], log: list[Event] | None = None, **fields: Any
) -> Session:
    """A 13:00–16:00 London session on DAY with this agenda and log."""
    data: dict[str, Any] = {
        "schema_version": 1,
        "title": "Workshop",
        "date": DAY,
        "start": "13:00",
        "end": "16:00",
        "timezone": "Europe/London",
        "agenda": agenda,
        "log": log or [],
    }
    data.update(fields)
    return Session.model_validate(data)
