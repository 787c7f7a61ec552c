"""What the room sees at one moment: one model for the projector, the phones and the HTTP API.

Worked out once per change from the plan, the log and the clock (`room_state`), so the
terminal's shared screen, every phone's page and `GET /api/state` show the same item, times
and groups. It is a pydantic model because the web API sends it as JSON and publishes its
JSON Schema; it never carries the facilitator's notes, the notes taken, nor anyone's
organisation: everything in it may be put on a wall.

Times are offset date-times in the session's time zone; each clock also carries its seconds
left at `now`, so a page can count down from `ends_at` on its own clock, corrected by how far
its clock is from `now`, without a message every second.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict

RoomStatus = Literal["planned", "running", "paused", "finished"]
RoomPhase = Literal["planned", "running", "warning", "time-up", "overtime", "paused", "finished"]
RoomItemState = Literal["done", "current", "next", "coming", "dropped"]

ROOM_STATE_VERSION = 1
"""Bumped when a field changes meaning, so API clients can tell; adding a field does not."""


class _Room(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", use_attribute_docstrings=True)


class RoomItem(_Room):
    """One item of the agenda as it will run now, with its projected times."""

    id: str
    """The item's id in the session file."""
    title: str
    """Its title, as the room sees it."""
    kind: str
    """Its kind (plenary, pairing, breakout, break...), from the registry of item kinds."""
    starts_at: dt.datetime
    """When it starts (or started) as things stand: projected after every change."""
    ends_at: dt.datetime
    """When it ends (or ended) as things stand."""
    planned_start: dt.datetime | None
    """When the plan had it start; none for an item added while running."""
    minutes: int
    """Its length in whole minutes as things stand (extends and replans included)."""
    state: RoomItemState
    """done, current, next (the first still to come), coming (later) or dropped."""
    inserted: bool
    """True when it was added while the session ran."""
    prompts: list[str]
    """The questions or instructions for the room."""
    where: str
    """Where the room goes for it (a room, a call link); empty when not said."""
    word_limit: int | None
    """For a statement the room writes together (common purpose in 40 words): its limit."""


class RoomClock(_Room):
    """The countdown of the current item."""

    phase: RoomPhase
    """What the clock is doing: running, warning, time-up, overtime, paused..."""
    remaining_seconds: float
    """Seconds left at `now`; negative once the item is over its time."""
    budget_seconds: float
    """The item's whole length in seconds, extends included."""
    ends_at: dt.datetime | None
    """When it reaches zero if nothing changes; none while paused (it is not moving)."""
    label: str
    """The clock's caption for the room ("TIME UP", "PAUSED", "3 MIN LEFT"...)."""


class RoomTurn(_Room):
    """Where the groups of one size are in their turns during a pairing round."""

    group_size: int
    """People in each of these groups: 2 for pairs, 3 for threes."""
    groups: int
    """How many groups of this size there are."""
    number: int
    """The turn they are on, from 1; above `of` once every turn has been had."""
    of: int
    """Turns in the round: one per person in the group."""
    turn_seconds: float
    """Length of one turn in seconds."""
    remaining_seconds: float
    """Seconds left in this turn at `now`."""
    ends_at: dt.datetime | None
    """When this turn ends (the next swap) if nothing changes; none while paused."""


class RoomGroup(_Room):
    """One group of the current pairing or breakout: who is in it and where it meets."""

    name: str
    """The group's name ("Group 1")."""
    members: list[str]
    """The names of the people in it (names only: organisations are not for the wall)."""
    where: str
    """Where it meets: the group's own place, else the item's; empty when not said."""


class RoomBroadcast(_Room):
    """The facilitator's message to the room."""

    text: str
    """The message."""
    since: dt.datetime
    """When it was sent."""
    until: dt.datetime | None
    """When it stops showing by itself; none keeps it until it is cleared or replaced."""


class RoomWay(_Room):
    """One of the ways of working the group agreed."""

    name: str
    """Its short name ("Presence")."""
    text: str
    """What it means."""


class RoomState(_Room):
    """Everything the room sees at `now`; shared by the projector, the phones and the API."""

    version: int = ROOM_STATE_VERSION
    """The meaning of these fields; see `ROOM_STATE_VERSION`."""
    title: str
    """The session's title."""
    date: dt.date
    """The session's day."""
    venue: str
    """Where it happens."""
    timezone: str
    """The IANA zone the times are in."""
    now: dt.datetime
    """The moment this state describes."""
    status: RoomStatus
    """planned, running, paused or finished."""
    starts_at: dt.datetime
    """When the session starts (or started)."""
    finishes_at: dt.datetime
    """When it finishes as things stand."""
    drift_seconds: float
    """How far the projected finish is behind the planned one (negative: ahead)."""
    current: RoomItem | None
    """The item the room is on; none before the start and after the finish."""
    clock: RoomClock | None
    """Its countdown; none when no item runs."""
    turns: list[RoomTurn]
    """During a pairing round: one entry per group size (pairs, threes), largest share first."""
    next: RoomItem | None
    """The first item still to come."""
    agenda: list[RoomItem]
    """The whole agenda as it will run now, dropped items included (marked)."""
    groups: list[RoomGroup]
    """The current item's groups, when it is a pairing or breakout that has them."""
    broadcast: RoomBroadcast | None
    """The facilitator's message showing now; none when there is none or it has expired."""
    ways: list[RoomWay]
    """The ways of working, in the session's order."""
    pinned: str | None
    """The name of the way of working the facilitator pinned; none when they rotate."""
    ways_hidden: bool
    """True when the facilitator hid the ways of working from the room."""
