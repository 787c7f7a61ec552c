"""The shared screen's wording from a room state built by hand (pure: no screen, no file)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from rich.text import Text

from sessiontui.core.room import (
    RoomBroadcast,
    RoomClock,
    RoomGroup,
    RoomItem,
    RoomState,
    RoomTurn,
    RoomWay,
)
from sessiontui.tui.widgets.present_view import (
    agenda_window,
    clock_digits,
    present_view,
    swapped,
)

ZONE = dt.UTC
START = dt.datetime(2023, 2, 16, 13, 0, tzinfo=ZONE)


def at(minutes: float) -> dt.datetime:
    return START + dt.timedelta(minutes=minutes)


def item(ident: str, start: float, minutes: int, state: str, **fields: Any) -> RoomItem:
    values: dict[str, Any] = {
        "id": ident,
        "title": ident.title(),
        "kind": "plenary",
        "starts_at": at(start),
        "ends_at": at(start + minutes),
        "planned_start": at(start),
        "minutes": minutes,
        "state": state,
        "inserted": False,
        "prompts": [],
        "where": "",
        "word_limit": None,
    }
    return RoomItem.model_validate({**values, **fields})


def turn(size: int, number: int, of: int, turn_seconds: float, remaining: float) -> RoomTurn:
    return RoomTurn(
        group_size=size,
        groups=1,
        number=number,
        of=of,
        turn_seconds=turn_seconds,
        remaining_seconds=remaining,
        ends_at=None,
    )


def room(now_minutes: float = 20, **fields: Any) -> RoomState:
    """The coffee trial of threes, 5 minutes in, with a four beside them."""
    trial = item(
        "trial",
        15,
        15,
        "current",
        kind="pairing",
        prompts=["Who you are, [b]where[/b] you're from"],
    )
    values: dict[str, Any] = {
        "title": "Workshop 2",
        "date": dt.date(2023, 2, 16),
        "venue": "Online",
        "timezone": "UTC",
        "now": at(now_minutes),
        "status": "running",
        "starts_at": START,
        "finishes_at": at(60),
        "drift_seconds": 0.0,
        "current": trial,
        "clock": RoomClock(
            phase="running",
            remaining_seconds=600.0,
            budget_seconds=900.0,
            ends_at=at(30),
            label="",
        ),
        "turns": [turn(3, 2, 3, 300, 299.5), turn(4, 2, 4, 225, 150)],
        "next": item("debrief", 30, 10, "next"),
        "agenda": [
            item("welcome", 0, 15, "done"),
            trial,
            item("energiser", 30, 5, "next", inserted=True, planned_start=None),
            item("debrief", 35, 10, "coming"),
            item("setup", 45, 5, "dropped"),
        ],
        "groups": [
            RoomGroup(name="Group 1", members=["Amira Patel", "Ben Clarke"], where="Room A"),
            RoomGroup(name="Group 2", members=["Dev [red]Sharma[/red]"], where=""),
        ],
        "broadcast": None,
        "ways": [RoomWay(name="Presence", text="Listening"), RoomWay(name="Chatham", text="")],
        "pinned": None,
        "ways_hidden": False,
    }
    return RoomState.model_validate({**values, **fields})


def words(texts: tuple[Text, ...]) -> list[str]:
    return [text.plain for text in texts]


def test_the_digits_count_the_turn_with_the_items_time_beside_them() -> None:
    view = present_view(room(), rotating=0, coming_up=Text())
    assert view.digits == "05:00"  # 299.5 s rounded up
    assert words(view.label)[0] == "SWAP: turn 2 of 3 · Item 10:00 left"  # half a second in
    assert view.swap and view.flash
    assert view.other_turns.plain == "Fours: turn 2 of 4, 2:30"


def test_the_swap_cue_and_the_flash_end_by_the_clock() -> None:
    four_seconds = room(turns=[turn(3, 2, 3, 300, 296)])
    view = present_view(four_seconds, rotating=0, coming_up=Text())
    assert view.swap and not view.flash
    later = present_view(room(turns=[turn(3, 2, 3, 300, 280)]), rotating=0, coming_up=Text())
    assert not later.swap and not later.flash
    assert words(later.label) == [
        "Threes: turn 2 of 3 · Item 10:00 left",
        "Turn 2 of 3 · Item 10:00 left",
        "Turn 2 of 3",
        "2/3",
    ]
    first_turn = room(turns=[turn(3, 1, 3, 300, 300)])
    assert not present_view(first_turn, rotating=0, coming_up=Text()).swap  # not a swap


def test_another_sizes_swap_is_said_on_its_line_and_flashes_too() -> None:
    state = room(turns=[turn(3, 2, 3, 300, 200), turn(2, 2, 2, 420, 419)])
    view = present_view(state, rotating=0, coming_up=Text())
    assert view.other_turns.plain == "Pairs: SWAP, turn 2 of 2"
    assert view.flash and view.swap
    assert words(view.label)[0].startswith("Threes: turn 2 of 3")


def test_the_bell_cue_is_a_turn_number_going_up_on_the_same_item() -> None:
    before = present_view(room(turns=[turn(3, 1, 3, 300, 1)]), rotating=0, coming_up=Text())
    after = present_view(room(), rotating=0, coming_up=Text())
    assert swapped(before, after)
    assert not swapped(after, after)
    assert not swapped(None, after)  # a screen put up mid-turn does not ring


def test_every_turn_done_gives_the_digits_back_to_the_item() -> None:
    state = room(turns=[turn(3, 4, 3, 300, -20)])
    view = present_view(state, rotating=0, coming_up=Text())
    assert view.digits == "10:00"
    assert words(view.label)[0] == "All 3 turns done · Item 10:00 left"


def test_next_groups_prompts_and_broadcast_are_user_text() -> None:
    until = at(25)
    state = room(broadcast=RoomBroadcast(text=" [b]Back[/b] ", since=at(19), until=until))
    view = present_view(state, rotating=0, coming_up=Text())
    assert words(view.next) == ["Next: Debrief at 13:30", "Next 13:30: Debrief"]
    assert view.groups.plain == (
        "Group 1 · Room A: Amira Patel, Ben Clarke\nGroup 2: Dev [red]Sharma[/red]"
    )
    assert view.prompts.plain == "• Who you are, [b]where[/b] you're from"
    assert view.broadcast is not None and view.broadcast.plain == "[b]Back[/b]"


def test_the_agenda_has_projected_times_done_dimmed_added_and_dropped_marked() -> None:
    agenda = present_view(room(), rotating=0, coming_up=Text()).agenda
    assert [line.plain for line in agenda.lines] == [
        "  13:00  Welcome",
        "▶ 13:15  Trial",
        "  13:30  Energiser (added)",
        "  13:35  Debrief",
        "  13:45  Setup dropped",
    ]
    assert agenda.focus == 1
    assert any("dim" in str(span.style) for span in agenda.lines[0].spans)


def test_the_agenda_window_keeps_the_item_before_the_current_one_in_view() -> None:
    assert list(agenda_window(13, 6, 4)) == [5, 6, 7, 8]
    assert list(agenda_window(13, 0, 4)) == [0, 1, 2, 3]
    assert list(agenda_window(13, 12, 4)) == [9, 10, 11, 12]
    assert list(agenda_window(3, 1, 10)) == [0, 1, 2]
    assert list(agenda_window(3, 1, 0)) == []


def test_the_pinned_way_stays_and_hidden_ways_are_not_shown() -> None:
    pinned = present_view(room(pinned="Chatham"), rotating=0, coming_up=Text())
    assert pinned.ways is not None and pinned.ways.plain.splitlines()[1] == "■ Chatham"
    assert pinned.ways_title == "Ways of working (pinned)"
    rotating = present_view(room(), rotating=0, coming_up=Text())
    assert rotating.ways is not None and rotating.ways.plain.startswith("▶ Presence — Listening")
    assert present_view(room(ways_hidden=True), rotating=0, coming_up=Text()).ways is None


def test_without_turns_the_digits_are_the_items_clock_and_its_phase_in_words() -> None:
    clock = RoomClock(
        phase="overtime", remaining_seconds=-75.5, budget_seconds=900, ends_at=None, label="X"
    )
    view = present_view(room(turns=[], clock=clock), rotating=0, coming_up=Text())
    assert view.digits == "+01:15" == clock_digits(clock)
    assert words(view.label) == ["X"]
    assert view.other_turns.plain == ""


def test_before_the_start_and_after_the_finish() -> None:
    planned = room(now_minutes=-30, status="planned", current=None, clock=None, turns=[])
    view = present_view(planned, rotating=0, coming_up=Text())
    assert view.digits == "13:00"  # the start, big; the time of day only beside it
    assert words(view.label) == ["STARTS AT 13:00 · NOW 12:30", "STARTS AT 13:00"]
    assert words(view.next) == ["Thu 16 Feb 2023 · 13:00–14:00 · Online"]
    finished = room(status="finished", current=None, clock=None, turns=[])
    done = present_view(finished, rotating=0, coming_up=Text("Coming up"))
    assert done.digits == "THANK YOU" and done.prompts.plain == "Coming up"
    assert done.title.plain.startswith("Thank you")
