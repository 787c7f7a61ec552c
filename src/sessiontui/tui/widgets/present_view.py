"""What the shared screen says at one moment, worded from the room's state (`core.room`).

`present_view` is pure (no Textual), so the wording is tested without a screen and the
present screen only paints it. It reads a `RoomState`, the one model of what the room sees
that the phones and the API use too, so every view of a session says the same: the item,
what comes next and when, the agenda as it will run, the groups and where they meet, and
whose turn it is. User text goes through `sessiontui.display`, never through markup.

The screen asks for a view every second, but most parts change far less often than the
clock: each of those is worded from a key of the few fields it reads and kept in a small
cache, so an idle second rewords only the clock (the parts are shared: never changed after).
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final, NamedTuple, TypeAlias

from rich.text import Text

from sessiontui.display import user_line, user_text
from sessiontui.tui.widgets.overview import long_date, time_range
from sessiontui.tui.widgets.reminders import reminders_text

if TYPE_CHECKING:
    from sessiontui.core.room import RoomClock, RoomItem, RoomState, RoomTurn

SWAP_CUE_SECONDS: Final = 10.0
"""How long "SWAP" is said after a turn ends (the run screen's cue lasts as long)."""

FLASH_SECONDS: Final = 3.0
"""How long the whole screen flashes at a swap: long enough to catch every eye, short enough
not to hide the clock."""

THANK_YOU: Final = "THANK YOU"
"""What the clock's place says after the finish, in the same block letters."""

SIZE_NAMES: Final = {2: "Pairs", 3: "Threes", 4: "Fours", 5: "Fives", 6: "Sixes"}


@dataclass(frozen=True, slots=True)
class AgendaLines:
    """The agenda as it will run, a line per item, and which line is the room's now."""

    lines: tuple[Text, ...]
    focus: int
    """The current item's line (the next one's before the start, the last after the end)."""


@dataclass(frozen=True, slots=True)
class PresentView:
    """Everything the shared screen shows, each part compared on its own so only changes repaint."""

    status: str
    phase: str
    title: Text
    next: tuple[Text, ...]
    """The line under the title, longest wording first (see `FitLine`)."""
    digits: str
    label: tuple[Text, ...]
    """The line under the digits: the phase, or whose turn it is and the item's time left."""
    swap: bool
    """True for `SWAP_CUE_SECONDS` after any group size's turn ended."""
    flash: bool
    """True for `FLASH_SECONDS` after any group size's turn ended."""
    turn_numbers: tuple[tuple[str, int, int], ...]
    """(item id, group size, turn number) per group size: the bell rings when one goes up."""
    other_turns: Text
    groups: Text
    groups_title: str
    prompts: Text
    prompts_title: str
    agenda: AgendaLines
    ways: Text | None
    """None when the facilitator hid the ways of working."""
    ways_title: str
    broadcast: Text | None


def clock_digits(clock: RoomClock) -> str:
    """The item's clock as the run screen shows it: "12:34", "00:00" at time up, "+03:12" after."""
    if clock.phase == "time-up":
        return clock_text(0)
    if clock.remaining_seconds < 0:
        return "+" + clock_text(math.floor(-clock.remaining_seconds))
    return clock_text(math.ceil(clock.remaining_seconds))


def clock_text(seconds: int) -> str:
    """Whole seconds as "04:30", or "1:04:30" from an hour."""
    hours, rest = divmod(max(seconds, 0), 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02}:{seconds:02}" if hours else f"{minutes:02}:{seconds:02}"


def short_time(seconds: float) -> str:
    """Time left said short, "3:20" (rounded up to the second, never below zero)."""
    whole = max(math.ceil(seconds), 0)
    return f"{whole // 60}:{whole % 60:02}"


def size_name(size: int) -> str:
    """How the room calls groups of this size: "Pairs", "Threes", "Groups of 7"."""
    return SIZE_NAMES.get(size, f"Groups of {size}")


def into_turn(turn: RoomTurn) -> float:
    """Seconds since this turn began (a turn that has not begun counts as long ago)."""
    return turn.turn_seconds - turn.remaining_seconds


def swapped_within(turn: RoomTurn, seconds: float) -> bool:
    """Whether this size's turn changed less than `seconds` ago (by the clock, not a timer)."""
    return turn.number > 1 and 0 <= into_turn(turn) < seconds


def label_wordings(room: RoomState) -> tuple[Text, ...]:
    """The line under the digits, longest first: the phase in words, or the turn and item."""
    clock = room.clock
    if room.status == "planned":
        starts = f"STARTS AT {room.starts_at:%H:%M}"
        return tuple(Text(w, end="") for w in (f"{starts} · NOW {room.now:%H:%M}", starts))
    if room.status == "finished" or clock is None:
        return (Text("FINISHED", end=""),)
    if not room.turns:
        return (Text(clock.label or "RUNNING", end=""),)
    turn = room.turns[0]
    item = item_left(clock)
    if turn.number > turn.of:
        done = f"All {turn.of} turns done"
        return tuple(Text(w, end="") for w in (f"{done} · {item}", done, item))
    place = f"turn {turn.number} of {turn.of}"
    if swapped_within(turn, SWAP_CUE_SECONDS) and room.status == "running":
        cue = f"SWAP: {place}"
        return tuple(Text(w, end="") for w in (f"{cue} · {item}", cue, "SWAP"))
    named = f"{size_name(turn.group_size)}: {place}"
    return tuple(
        Text(w, end="")
        for w in (
            f"{named} · {item}",
            f"Turn {turn.number} of {turn.of} · {item}",
            f"Turn {turn.number} of {turn.of}",
            f"{turn.number}/{turn.of}",
        )
    )


def item_left(clock: RoomClock) -> str:
    """The item's time beside a turn's digits: "Item 12:30 left", or its phase in words."""
    if clock.phase in ("running", "warning"):
        return f"Item {short_time(clock.remaining_seconds)} left"
    return clock.label


def other_turns_text(room: RoomState) -> Text:
    """A line per other group size: "Threes: turn 2 of 3, 3:20", "Threes: SWAP, turn 2 of 3"."""
    text = Text(end="")
    for turn in room.turns[1:]:
        if text:
            text.append("\n")
        name = size_name(turn.group_size)
        if turn.number > turn.of:
            text.append(f"{name}: all {turn.of} turns done")
        elif swapped_within(turn, SWAP_CUE_SECONDS) and room.status == "running":
            text.append(f"{name}: SWAP, turn {turn.number} of {turn.of}", style="bold reverse")
        else:
            left = short_time(turn.remaining_seconds)
            text.append(f"{name}: turn {turn.number} of {turn.of}, {left}")
    return text


_GroupsKey: TypeAlias = tuple[tuple[tuple[str, str, tuple[str, ...]], ...], str]


def groups_text(room: RoomState) -> Text:
    """Who is in which group and where each meets, a line a group; else where the item meets."""
    groups = tuple((group.name, group.where, tuple(group.members)) for group in room.groups)
    return _groups_text((groups, room.current.where if room.current is not None else ""))


@functools.lru_cache(maxsize=4)
def _groups_text(key: _GroupsKey) -> Text:
    groups, where = key
    text = Text(end="")
    for name, meets_at, members in groups:
        if text:
            text.append("\n")
        text.append_text(user_line(name, "bold"))
        if meets_at:
            text.append(" · ")
            text.append_text(user_line(meets_at, "bold"))
        text.append(": ")
        text.append_text(user_line(", ".join(members)))
    if not groups and where:
        text.append("Meet at: ", style="bold")
        text.append_text(user_line(where))
    return text


def prompts_text(item: RoomItem) -> Text:
    """An item's prompts for the room, with the word limit of a statement the room writes."""
    return _prompts_text(tuple(item.prompts), item.word_limit)


@functools.lru_cache(maxsize=4)
def _prompts_text(prompts: tuple[str, ...], word_limit: int | None) -> Text:
    text = Text(end="")
    for index, prompt in enumerate(prompts):
        if index:
            text.append("\n")
        text.append("• ", style="bold")
        text.append_text(user_text(prompt))
    if word_limit is not None:
        if prompts:
            text.append("\n")
        text.append(f"Up to {word_limit} words", style="bold reverse")
    return text


_AgendaKey: TypeAlias = tuple[tuple[tuple[str, str, str, bool, str], ...], bool, bool]


def agenda_lines(room: RoomState) -> AgendaLines:
    """The agenda with its projected times: done dimmed, dropped struck, added ones marked.

    Worded again only when an item's title, state or time as shown (to the minute) changed:
    the screen asks every second, and the agenda moves far less often, even while an item
    runs over and pushes every later start on by the second.
    """
    key: _AgendaKey = (
        tuple(
            (item.id, item.title, item.state, item.inserted, _agenda_time(item))
            for item in room.agenda
        ),
        room.current is None,
        room.status == "finished",
    )
    return _agenda_lines(key)


@functools.lru_cache(maxsize=8)
def _agenda_lines(key: _AgendaKey) -> AgendaLines:
    items, waiting, finished = key
    lines: list[Text] = []
    focus = 0
    for index, (_id, title, state, inserted, at) in enumerate(items):
        line = Text(end="", no_wrap=True, overflow="ellipsis")
        current = state == "current" or (waiting and state == "next")
        if current or (finished and state == "done"):
            focus = index
        line.append("▶ " if state == "current" else "  ", style="bold")
        if state == "dropped":
            line.append(f"{at}  ", style="dim")
            line.append_text(user_line(title, "dim strike"))
            line.append(" dropped", style="dim italic")
        else:
            faded = "dim" if state == "done" else ""
            line.append(f"{at}  ", style=faded or "bold")
            line.append_text(user_line(title, "bold" if current else faded))
        if inserted:
            line.append(" (added)", style="italic")
        lines.append(line)
    if not lines:
        lines.append(Text("No agenda items.", style="dim", end=""))
    return AgendaLines(tuple(lines), focus)


def _agenda_time(item: RoomItem) -> str:
    """The time the agenda gives an item: when it was planned for, if it was dropped."""
    if item.state == "dropped":
        return f"{item.planned_start or item.starts_at:%H:%M}"
    return f"{item.starts_at:%H:%M}"


def agenda_window(count: int, focus: int, rows: int) -> range:
    """Which agenda lines fit `rows`: from the one before `focus`, kept full to the end."""
    if rows <= 0:
        return range(0)
    first = min(max(focus - 1, 0), max(count - rows, 0))
    return range(first, min(first + rows, count))


class _Heading(NamedTuple):
    """What the line under the title is worded from, each time as shown (to the minute)."""

    status: str
    title: str
    date: dt.date
    hours: str
    venue: str
    next_title: str | None
    next_at: str


def next_wordings(room: RoomState) -> tuple[Text, ...]:
    """The line under the title: what comes next and when (the day and place before the start)."""
    upcoming = room.next
    planned = room.status == "planned"
    return _next_wordings(
        _Heading(
            room.status,
            room.title,
            room.date,
            time_range(room.starts_at.time(), room.finishes_at.time()) if planned else "",
            room.venue,
            upcoming.title if upcoming is not None else None,
            f"{upcoming.starts_at:%H:%M}" if upcoming is not None else "",
        )
    )


@functools.lru_cache(maxsize=4)
def _next_wordings(room: _Heading) -> tuple[Text, ...]:
    if room.status == "planned":
        line = Text(end="")
        line.append(long_date(room.date))
        line.append(f" · {room.hours}")
        if room.venue:
            line.append(" · ")
            line.append_text(user_line(room.venue))
        return (line,)
    if room.status == "finished":
        return (user_line(room.title),)
    if room.next_title is None:
        return (Text("Last item", style="bold", end=""),)
    at = room.next_at
    long = Text("Next: ", style="bold", end="")
    long.append_text(user_line(room.next_title))
    long.append(f" at {at}", style="bold")
    short = Text(f"Next {at}: ", style="bold", end="")
    short.append_text(user_line(room.next_title))
    return long, short


def present_view(room: RoomState, *, rotating: int, coming_up: Text) -> PresentView:
    """The shared screen's words for `room`; `rotating` is the way of working due in rotation.

    `coming_up` is what follows the finish (the series' next sessions): not part of the
    room's state, as the phones end with the session.
    """
    clock = room.clock
    turns = room.turns if room.status in ("running", "paused") else []
    prompts_title = "Prompts"
    if room.status == "planned":
        title = _bold_line(room.title)
        # The time the room waits for, big: the time of day, that big, was read as it.
        digits = f"{room.starts_at:%H:%M}"
        prompts = Text(end="")
    elif room.status == "finished" or room.current is None or clock is None:
        title = Text("Thank you: the session has finished", style="bold", end="")
        # The clock's rows say it, as large as the countdown was, above what comes next.
        digits, prompts, prompts_title = THANK_YOU, coming_up, ""
    else:
        title = _bold_line(room.current.title)
        prompts = prompts_text(room.current)
        if turns and turns[0].number <= turns[0].of:
            digits = clock_text(math.ceil(max(turns[0].remaining_seconds, 0)))
        else:
            digits = clock_digits(clock)
    running = room.status == "running"
    pinned = next((i for i, way in enumerate(room.ways) if way.name == room.pinned), None)
    highlighted = rotating if pinned is None else pinned
    ways = _ways_text(tuple(_Way(way.name, way.text) for way in room.ways), highlighted, pinned)
    message = room.broadcast.text.strip() if room.broadcast is not None else ""
    item_id = room.current.id if room.current is not None else ""
    return PresentView(
        status=room.status,
        phase=clock.phase if clock is not None else room.status,
        title=title,
        next=next_wordings(room),
        digits=digits,
        label=label_wordings(room),
        swap=running and any(swapped_within(t, SWAP_CUE_SECONDS) for t in turns),
        flash=running and any(swapped_within(t, FLASH_SECONDS) for t in turns),
        turn_numbers=tuple((item_id, t.group_size, t.number) for t in turns),
        other_turns=other_turns_text(room) if turns else Text(end=""),
        groups=groups_text(room) if room.status in ("running", "paused") else Text(end=""),
        groups_title="Groups" if room.groups else "Where",
        prompts=prompts,
        prompts_title=prompts_title,
        agenda=agenda_lines(room),
        ways=None if room.ways_hidden else ways,
        ways_title="Ways of working (pinned)" if pinned is not None else "Ways of working",
        broadcast=_bold_text(message) if message else None,
    )


class _Way(NamedTuple):
    """A way of working as the cache keys it (the room's are models, not hashable keys)."""

    name: str
    text: str


@functools.lru_cache(maxsize=4)
def _ways_text(ways: tuple[_Way, ...], highlighted: int, pinned: int | None) -> Text:
    return reminders_text(ways, highlighted, pinned=pinned is not None)


@functools.lru_cache(maxsize=4)
def _bold_line(line: str) -> Text:
    return user_line(line, "bold")


@functools.lru_cache(maxsize=4)
def _bold_text(text: str) -> Text:
    return user_text(text, "bold")


def swapped(before: PresentView | None, after: PresentView) -> bool:
    """Whether a group size's turn went up between two views of the same item: the bell's cue."""
    if before is None:
        return False
    earlier = {(item, size): number for item, size, number in before.turn_numbers}
    return any(
        earlier.get((item, size), number) < number for item, size, number in after.turn_numbers
    )
