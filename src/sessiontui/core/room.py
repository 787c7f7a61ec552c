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
from collections.abc import Callable
from datetime import tzinfo
from typing import Any, Literal, TypeAlias

from pydantic import BaseModel, ConfigDict

from sessiontui.core import grouping, item_kinds, schedule
from sessiontui.core.model import Session
from sessiontui.core.schedule import ItemRun, RunState

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


class RoomUpcoming(_Room):
    """A later session of the series, for the room at the close."""

    date: dt.date
    """When it takes place."""
    title: str
    """What it is about."""


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
    """The countdown: the current item's; before the start the first item's full length (phase
    planned), after the finish zero (phase finished); none only when nothing is left to run."""
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
    upcoming: list[RoomUpcoming] = []
    """The series' next sessions, which the room sees after the finish."""


_MINUTE = dt.timedelta(minutes=1)

_Local: TypeAlias = Callable[[dt.datetime], dt.datetime]
"""An instant to the session's zone."""
_Until: TypeAlias = Callable[[dt.timedelta], "dt.datetime | None"]
"""When a clock with this much left reaches zero, or None when it is not moving."""


def room_state(session: Session, now: dt.datetime, tz: tzinfo | None = None) -> RoomState:
    """What the room sees at `now` (an aware instant), from the plan and the log alone.

    Pure, like `schedule.run_state`, so the projector, every phone and the API agree.
    """
    zone = tz if tz is not None else schedule.session_zone(session)
    return room_state_of(session, schedule.run_state(session, now, zone), zone)


def room_state_of(session: Session, state: RunState, zone: tzinfo) -> RoomState:
    """What the room sees, from a run state already worked out (the run screen has one)."""
    now = state.now

    def local(moment: dt.datetime) -> dt.datetime:
        return moment.astimezone(zone)

    def moving_until(left: dt.timedelta) -> dt.datetime | None:
        # A paused clock is not moving: a page would count down a time that is not passing.
        return None if state.status != "running" else local(now + left)

    items = [
        _room_item(run, label, local)
        for run, label in zip(state.items, _labels(state), strict=True)
    ]
    current = None if state.current is None else items[state.current]
    starts_at = state.started_at or (
        dt.datetime.combine(session.date, session.start, tzinfo=zone).astimezone(dt.UTC)
        + state.plan_shift
    )
    broadcast = None
    if state.broadcast is not None and state.broadcast_since is not None:
        until = None if state.broadcast_until is None else local(state.broadcast_until)
        broadcast = RoomBroadcast(
            text=state.broadcast, since=local(state.broadcast_since), until=until
        )
    return RoomState(
        title=session.title,
        date=session.date,
        venue=session.venue,
        timezone=_zone_name(zone),
        now=local(now),
        status=state.status,
        starts_at=local(starts_at),
        finishes_at=local(state.projected_finish),
        drift_seconds=state.drift.total_seconds(),
        current=current,
        clock=_clock(session, state, moving_until),
        turns=[
            RoomTurn(
                group_size=turn.group_size,
                groups=turn.groups,
                number=turn.number,
                of=turn.of,
                turn_seconds=turn.length.total_seconds(),
                remaining_seconds=turn.remaining.total_seconds(),
                ends_at=moving_until(turn.remaining),
            )
            for turn in state.turns
        ],
        next=next((item for item in items if item.state == "next"), None),
        agenda=items,
        groups=[] if state.current is None else _groups(session, state.items[state.current]),
        broadcast=broadcast,
        ways=[RoomWay(name=way.name, text=way.text) for way in session.ways_of_working],
        pinned=state.pinned,
        ways_hidden=state.ways_hidden,
        upcoming=[RoomUpcoming(date=entry.date, title=entry.title) for entry in session.upcoming],
    )


def room_schema() -> dict[str, Any]:
    """The JSON Schema of `RoomState`, which the HTTP API publishes for its clients."""
    return RoomState.model_json_schema()


def _labels(state: RunState) -> list[RoomItemState]:
    """Each item's state as the room reads the agenda: done, current, next, coming or dropped.

    An item skipped before it started was dropped; skipped while running, it was done (the
    room had it, cut short). Items the session finished without running were dropped too.
    """
    labels: list[RoomItemState] = []
    finished = state.status == "finished"
    for run in state.items:
        label: RoomItemState
        if run.state == "current":
            label = "current"
        elif run.state == "done":
            label = "done"
        elif run.state == "skipped" or finished:
            # Had by the room if it ever started, however short; else taken off the agenda.
            label = "dropped" if run.actual_start is None else "done"
        elif "next" in labels:
            label = "coming"
        else:
            label = "next"
        labels.append(label)
    return labels


def _room_item(run: ItemRun, state: RoomItemState, local: _Local) -> RoomItem:
    """One agenda item for the wall: its span as things stand, never its facilitator notes."""
    start, end = run.projected_start, run.projected_end
    if start is None or end is None:
        # Cut short, dropped or left unrun: where it ran, else where the plan had it.
        if run.actual_start is None:
            start, end = run.planned_start, run.planned_end
        else:
            start, end = run.actual_start, run.actual_end or run.actual_start + run.active
    item = run.item
    return RoomItem(
        id=item.id,
        title=item.title,
        kind=item.kind,
        starts_at=local(start),
        ends_at=local(end),
        planned_start=None if run.origin == "inserted" else local(run.planned_start),
        minutes=run.budget // _MINUTE,
        state=state,
        inserted=run.origin == "inserted",
        prompts=list(item.prompts),
        where=item.where,
        word_limit=item.word_limit,
    )


def _clock(session: Session, state: RunState, moving_until: _Until) -> RoomClock | None:
    """The countdown in the words the run screen uses, from `schedule.countdown`."""
    if state.status == "planned" and not any(run.state == "pending" for run in state.items):
        return None
    count = schedule.countdown(session, state)
    # Signed: the overtime counts below zero, so a page can go on counting by itself.
    left = count.remaining - count.overtime if state.remaining is None else state.remaining
    return RoomClock(
        phase=count.phase,
        remaining_seconds=left.total_seconds(),
        budget_seconds=count.budget.total_seconds(),
        ends_at=None if state.current is None else moving_until(left),
        label=count.label,
    )


def _groups(session: Session, run: ItemRun) -> list[RoomGroup]:
    """The current item's drawn groups: names and where each meets, nothing else about anyone."""
    item = run.item
    if item.kind not in item_kinds.grouped_names():
        return []
    return [
        RoomGroup(name=group.name, members=list(group.members), where=group.where or item.where)
        for group in grouping.groups_for(session, item.id)
    ]


def _zone_name(zone: tzinfo) -> str:
    """The zone's IANA name; a fixed offset (a session without a zone) by its offset."""
    key = getattr(zone, "key", None)
    return key if isinstance(key, str) else str(zone)
