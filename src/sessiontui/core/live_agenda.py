"""The agenda as it is being run: the plan with every change made during the run, in log order.

The plan (`Session.agenda`) stays what was planned; the facilitator changes what is run by
appending events, so the review can set the plan against what was done and every screen
follows the same log. `live_agenda(session)` is the one place that says what is being run;
`schedule.run_state` replays the same fold (`Replay`) and adds the clock.

The agenda changes
    insert
        `new_item` (a whole `AgendaItem`) goes after the item `after` names. Without `after`,
        or after an item that is already over (done, skipped, or current), it goes right after
        the current item (before the start: first), so nothing is ever put in the past. After
        the finish it still goes in, after the item the session finished on, never run (so
        an item once added is never lost); its id must be new (the Session validator says so).
    move
        `item` goes after `after`, placed as an insert is. Only an item still to come (pending
        or dropped, after the current one, or after the one the session finished on) moves;
        the current item, a done one, an unknown id or a move after itself is ignored, as a
        stale click is.
    drop
        Is `skip` with the `item` of a later item, as it always was: the item stays in the live
        agenda marked skipped (so the review shows it as dropped), and start, next and skip
        pass over it. `back` onto it runs it after all.
    change a duration
        Is `replan` with one entry: it sets the item's minutes, replacing earlier extends.

`change_problem` words why the run would ignore a change now, so a screen can refuse it with
a reason instead of logging an event that does nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, TypeVar

from sessiontui.core.model import AgendaItem, Event, Session

ItemState = Literal["pending", "current", "done", "skipped"]
RunStatus = Literal["planned", "running", "paused", "finished"]
Origin = Literal["planned", "inserted", "moved"]
"""Where a live item comes from: the plan in its place, inserted while running, or moved."""

AGENDA_CHANGES = frozenset({"insert", "move"})
"""Event kinds that change the agenda's items or order (drops are skips, resizes replans)."""

_ZERO = dt.timedelta(0)
_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class LiveItem:
    """One item of the agenda being run, with where it came from and how the run left it."""

    item: AgendaItem
    origin: Origin
    state: ItemState

    @property
    def dropped(self) -> bool:
        """Skipped before it ever started: taken off the agenda rather than cut short."""
        return self.state == "skipped"


def live_agenda(session: Session) -> list[LiveItem]:
    """The items being run, in running order: the plan with every insert, move and drop applied.

    What run_state's items are, without the clock, for screens that only list the items.
    """
    replay = Replay(session)
    for event in session.log:
        replay.apply(event)
    return [
        LiveItem(item, origin, state)
        for item, origin, state in zip(replay.agenda, replay.origin, replay.state, strict=True)
    ]


def change_problem(session: Session, event: Event) -> str | None:
    """Why the run would ignore this insert, move, drop or resize now; None when it applies.

    Worded for the facilitator, so the screen can refuse with a reason.
    """
    replay = Replay(session)
    for logged in session.log:
        replay.apply(logged)
    if replay.status == "finished":
        return "The session has finished: reopen it with back first"
    if event.kind == "insert":
        assert event.new_item is not None  # the Event validator requires it
        if event.new_item.id in replay.ids:
            return f"An item with id {event.new_item.id!r} is already on the agenda"
    else:
        # A resize is a replan of one item; every other change names its item.
        item_id = next(iter(event.plan or {}), None) if event.kind == "replan" else event.item
        if item_id is None or item_id not in replay.ids:
            return f"No item has id {item_id!r}"
        index = replay.ids[item_id]
        title = replay.agenda[index].title
        if replay.state[index] == "current":
            return f"{title} is running now: use next or skip"
        if replay.state[index] == "done":
            return f"{title} is done already"
        if event.kind == "skip" and replay.state[index] == "skipped":
            return f"{title} is dropped already"
        if replay.current is not None and index < replay.current:
            return f"{title} is over already"
        if event.kind == "replan" and replay.state[index] != "pending":
            return f"{title} is dropped: it has no length to change"
    if event.after is not None and event.after not in replay.ids:
        return f"No item has id {event.after!r}"
    return None


class Replay:
    """The run's mutable state while the log is folded; kept private so results stay immutable.

    Per-item facts are parallel lists in live order; an insert or move reorders all of them.
    """

    def __init__(self, session: Session) -> None:
        agenda = session.agenda
        self.agenda: list[AgendaItem] = list(agenda)
        self.origin: list[Origin] = ["planned"] * len(agenda)
        self.ids = {item.id: index for index, item in enumerate(agenda)}
        self.state: list[ItemState] = ["pending"] * len(agenda)
        self.budget = [dt.timedelta(minutes=item.minutes) for item in agenda]
        self.active = [_ZERO] * len(agenda)
        self.first_start: list[dt.datetime | None] = [None] * len(agenda)
        self.last_stop: list[dt.datetime | None] = [None] * len(agenda)
        self.status: RunStatus = "planned"
        self.current: int | None = None
        self.started_at: dt.datetime | None = None
        self.finished_at: dt.datetime | None = None
        # Remembered so that back after finish knows which item to reopen.
        self.finished_on: int | None = None
        self.paused_for = _ZERO
        self.broadcast: str | None = None
        self.broadcast_at: dt.datetime | None = None
        self.broadcast_seconds: int | None = None
        # The room's reminders change in every status, as a broadcast does.
        self.pinned: str | None = None
        self.ways_hidden = False
        self.last: dt.datetime | None = None
        self.charged_to: dt.datetime | None = None

    def apply(self, event: Event) -> None:
        """Apply one logged event at its (clamped) time, so the fold is one pass in log order."""
        moment = event.at if self.last is None else max(event.at, self.last)
        self.last = moment
        self.charge(moment)
        kind = event.kind
        if kind == "broadcast":
            # Whether it has expired depends on `now`, so the expiry is kept, not applied here.
            self.broadcast = event.text or None
            self.broadcast_at = moment if self.broadcast else None
            self.broadcast_seconds = event.seconds if self.broadcast else None
        elif kind == "pin":
            self.pinned = event.text or None
        elif kind in ("hide_ways", "show_ways"):
            self.ways_hidden = kind == "hide_ways"
        elif kind == "insert":
            # Applied even after the finish, so an item once added is never lost.
            if event.new_item is not None and event.new_item.id not in self.ids:
                self._place(None, event.new_item, event.after)
        elif kind == "move":
            index = None if event.item is None else self.ids.get(event.item)
            if (
                index is not None
                and self.state[index] in ("pending", "skipped")
                and index > self._present()
                and event.after != event.item
            ):
                self._place(index, None, event.after)
        elif self.status == "finished":
            if kind == "back":
                self._reopen(moment)
        elif kind == "replan":
            for item_id, minutes in (event.plan or {}).items():
                index = self.ids.get(item_id)
                if index is not None and self.state[index] == "pending":
                    self.budget[index] = dt.timedelta(minutes=minutes)
        elif kind == "skip" and event.item is not None and self._ahead(event.item):
            self.state[self.ids[event.item]] = "skipped"
        elif self.status == "planned":
            if kind == "start":
                self.status = "running"
                self.started_at = moment
                self._move_on(-1, moment)
        else:
            self._control(event, moment)

    def charge(self, moment: dt.datetime) -> None:
        """Give the time since the last event to the current item or to the pause, never to both."""
        if self.charged_to is not None and self.status != "finished":
            span = moment - self.charged_to
            if self.status == "paused":
                self.paused_for += span
            elif self.current is not None:
                self.active[self.current] += span
        self.charged_to = moment

    def _place(self, source: int | None, new: AgendaItem | None, after: str | None) -> None:
        """Put an item (the one at `source`, or `new`) after `after`, never before the present."""
        order: list[int | None] = list(range(len(self.agenda)))
        if source is not None:
            order.remove(source)
        # Everything up to the current item has happened; a place among it means "next".
        present = self._present()
        floor = 0 if present < 0 else order.index(present) + 1
        anchor = None if after is None else self.ids.get(after)
        position = 0 if anchor is None else order.index(anchor) + 1
        order.insert(max(position, floor), source)
        self._reorder(order, new)
        if source is not None:
            moved = order.index(source)
            # An inserted item stays "inserted" wherever it goes: it was never planned.
            if self.origin[moved] == "planned" and moved != source:
                self.origin[moved] = "moved"

    def _reorder(self, order: Sequence[int | None], new: AgendaItem | None) -> None:
        """Rebuild every per-item list in the new order; None stands for the new item."""

        def pick(values: list[_T], fresh: _T) -> list[_T]:
            return [fresh if index is None else values[index] for index in order]

        fresh_item = new if new is not None else self.agenda[0]
        self.agenda = pick(self.agenda, fresh_item)
        self.origin = pick(self.origin, "inserted")
        self.state = pick(self.state, "pending")
        self.budget = pick(self.budget, dt.timedelta(minutes=fresh_item.minutes))
        self.active = pick(self.active, _ZERO)
        self.first_start = pick(self.first_start, None)
        self.last_stop = pick(self.last_stop, None)
        self.ids = {item.id: index for index, item in enumerate(self.agenda)}
        position = {index: at for at, index in enumerate(order) if index is not None}
        if self.current is not None:
            self.current = position[self.current]
        if self.finished_on is not None:
            self.finished_on = position[self.finished_on]

    def _present(self) -> int:
        """The index of the item the room is on (or finished on); -1 before anything ran."""
        if self.current is not None:
            return self.current
        if self.status == "finished" and self.finished_on is not None:
            return self.finished_on
        return -1

    def _ahead(self, item_id: str) -> bool:
        index = self.ids.get(item_id)
        return (
            index is not None
            and self.state[index] == "pending"
            and (self.current is None or index > self.current)
        )

    def _control(self, event: Event, moment: dt.datetime) -> None:
        current = self.current
        assert current is not None  # running or paused always has a current item
        kind = event.kind
        if kind == "pause" and self.status == "running":
            self.status = "paused"
        elif kind == "resume" and self.status == "paused":
            self.status = "running"
        elif kind == "next":
            self._leave("done", moment)
            self._move_on(current, moment)
        elif kind == "skip":
            # Skip of a done, skipped or unknown item: a stale click, so nothing happens.
            if event.item is None or event.item == self.agenda[current].id:
                self._leave("skipped", moment)
                self._move_on(current, moment)
        elif kind == "back" and current > 0:
            self._leave("pending", moment)
            self._enter(current - 1, moment)
        elif kind == "extend":
            self.budget[current] = max(
                self.budget[current] + dt.timedelta(minutes=event.minutes or 0), _ZERO
            )
        elif kind == "finish":
            self._leave("done", moment)
            self._finish(current, moment)

    def _move_on(self, after: int, moment: dt.datetime) -> None:
        following = (i for i in range(after + 1, len(self.agenda)) if self.state[i] == "pending")
        index = next(following, None)
        if index is None:
            self._finish(None if after < 0 else after, moment)
        else:
            self._enter(index, moment)

    def _enter(self, index: int, moment: dt.datetime) -> None:
        self.current = index
        self.state[index] = "current"
        if self.first_start[index] is None:
            self.first_start[index] = moment

    def _leave(self, state: ItemState, moment: dt.datetime) -> None:
        assert self.current is not None
        self.state[self.current] = state
        self.last_stop[self.current] = moment
        self.current = None

    def _finish(self, last: int | None, moment: dt.datetime) -> None:
        self.status = "finished"
        self.finished_at = moment
        self.finished_on = last
        self.current = None

    def _reopen(self, moment: dt.datetime) -> None:
        if self.finished_on is None or self.finished_at is None:
            return
        self.paused_for += moment - self.finished_at
        self.status = "running"
        self.finished_at = None
        self._enter(self.finished_on, moment)


def new_item_id(session: Session, title: str) -> str:
    """A slug of the title no plan item or earlier insert uses, for an item added while running."""
    words = "".join(char if char.isascii() and char.isalnum() else " " for char in title.lower())
    base = "-".join(words.split())[:56].strip("-") or "item"
    taken = {item.id for item in session.agenda}
    taken.update(event.new_item.id for event in session.log if event.new_item is not None)
    candidate, number = base, 2
    while candidate in taken:
        candidate, number = f"{base}-{number}", number + 1
    return candidate


def move_target(ids: Sequence[str], first_movable: int, index: int, step: int) -> str | None:
    """The `after` of a move one place up (step -1) or down (+1), from live order `ids`.

    `first_movable` is the first place still to come (the one after the current item), so
    moving up to it is after the item before it. Raises ValueError when there is no place
    to go: the item is the first to come (up) or the last (down).
    """
    if step < 0:
        if index - 1 < first_movable:
            raise ValueError("already the next item")
        return ids[index - 2] if index >= 2 else None
    if index + 1 >= len(ids):
        raise ValueError("already the last item")
    return ids[index + 1]
