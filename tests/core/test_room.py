"""What the room sees: every field of the room's state on the reference workshop, moment by moment.

The bundled example is the reference workshop (13 people, a 15-minute coffee trial in pairs
with 7-minute turns). Every test passes its own `now`; nothing reads the clock or sleeps.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sessiontui import session_file
from sessiontui.core import schedule
from sessiontui.core.model import AgendaItem, Event, Group, Session
from sessiontui.core.room import RoomItem, RoomState, room_schema, room_state, room_state_of

LONDON = ZoneInfo("Europe/London")
DAY = dt.date(2023, 2, 16)  # GMT: London wall-clock times are UTC times too


def t(clock: str, day: dt.date = DAY) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.fromisoformat(clock), tzinfo=LONDON)


def ev(kind: str, clock: str, **fields: Any) -> Event:
    return Event.model_validate({"at": t(clock), "kind": kind, **fields})


@pytest.fixture
def workshop(example_path: Path) -> Session:
    return session_file.load(example_path).session


def at(session: Session, clock: str, *log: Event) -> RoomState:
    return room_state(session.model_copy(update={"log": list(log)}), t(clock))


def states(room: RoomState) -> dict[str, str]:
    return {item.id: item.state for item in room.agenda}


def span(item: RoomItem | None) -> tuple[str, str]:
    assert item is not None
    return item.starts_at.strftime("%H:%M"), item.ends_at.strftime("%H:%M")


IN_THE_TRIAL = (ev("start", "13:00"), ev("next", "13:10"), ev("next", "13:15"))
"""The welcome and the set-up done; the coffee trial running from 13:15 (15 min, until 13:30)."""


def test_before_the_start_the_room_sees_the_plan_and_the_first_item_full_length(
    workshop: Session,
) -> None:
    room = at(workshop, "12:50")
    assert (room.title, room.date, room.venue) == (workshop.title, DAY, workshop.venue)
    assert (room.timezone, room.status, room.version) == ("Europe/London", "planned", 1)
    assert room.now == t("12:50") and room.now.tzinfo == LONDON
    assert (room.starts_at, room.finishes_at, room.drift_seconds) == (t("13:00"), t("16:00"), 0)
    assert room.current is None and room.turns == [] and room.groups == []
    assert room.clock is not None
    assert (room.clock.phase, room.clock.label) == ("planned", "NOT STARTED")
    assert (room.clock.remaining_seconds, room.clock.budget_seconds) == (600, 600)
    assert room.clock.ends_at is None  # not moving: no page should count it down
    assert (
        room.next is not None
        and room.next.id == "welcome"
        and span(room.next) == ("13:00", "13:10")
    )
    assert list(states(room).values()) == ["next"] + ["coming"] * 12
    tea = next(item for item in room.agenda if item.id == "tea")
    assert (span(tea), tea.planned_start, tea.minutes, tea.kind) == (
        ("14:30", "14:40"),
        t("14:30"),
        10,
        "break",
    )
    assert room.broadcast is None and room.pinned is None and not room.ways_hidden
    assert [way.name for way in room.ways] == [
        "Presence",
        "Attention",
        "Curiosity",
        "Chatham",
        "Engaging",
        "Respect",
    ]
    assert room.ways[0].text.startswith("Really listening")


def test_previewed_on_a_later_day_the_plan_moves_to_that_day(workshop: Session) -> None:
    later = dt.date(2026, 12, 3)
    room = room_state(workshop, t("12:00", later))
    assert (room.starts_at, room.finishes_at) == (t("13:00", later), t("16:00", later))
    assert span(room.next) == ("13:00", "13:10") and room.next is not None
    assert room.next.starts_at.date() == later


def test_in_the_coffee_trial_pairs_and_a_three_each_have_their_turns(workshop: Session) -> None:
    room = at(workshop, "13:16", *IN_THE_TRIAL)
    assert room.status == "running"
    assert room.current is not None and room.current.id == "coffee-trial"
    assert room.current.prompts[0].startswith("Introductions") and room.current.kind == "pairing"
    assert list(states(room).values())[:5] == ["done", "done", "current", "next", "coming"]
    assert span(room.agenda[0]) == ("13:00", "13:10")
    assert room.clock is not None
    assert (room.clock.phase, room.clock.label) == ("running", "")
    assert (room.clock.remaining_seconds, room.clock.budget_seconds) == (14 * 60, 15 * 60)
    assert room.clock.ends_at == t("13:30")
    pairs, three = room.turns
    assert (pairs.group_size, pairs.groups, pairs.number, pairs.of) == (2, 5, 1, 2)
    assert (pairs.turn_seconds, pairs.remaining_seconds, pairs.ends_at) == (420, 360, t("13:22"))
    assert (three.group_size, three.groups, three.number, three.of) == (3, 1, 1, 3)
    assert (three.turn_seconds, three.remaining_seconds, three.ends_at) == (300, 240, t("13:20"))
    assert room.next is not None and room.next.id == "coffee-debrief"
    assert span(room.next) == ("13:30", "13:40")
    # Later in the round: the three is on its third turn while the pairs swap once.
    later = at(workshop, "13:26", *IN_THE_TRIAL)
    assert [(turn.number, turn.remaining_seconds) for turn in later.turns] == [(2, 180), (3, 240)]


def test_drawn_groups_are_names_and_where_they_meet_and_nothing_else(workshop: Session) -> None:
    people = [person.name for person in workshop.participants]
    agenda = [
        item.model_copy(update={"where": "Zoom breakout rooms"})
        if item.id == "coffee-trial"
        else item
        for item in workshop.agenda
    ]
    groups = [
        Group(item="coffee-trial", name="Group 1", members=people[:3], where="Breakout room 1"),
        *(
            Group(item="coffee-trial", name=f"Group {n}", members=people[2 * n - 1 : 2 * n + 1])
            for n in range(2, 7)
        ),
        Group(item="empathy-breakout", name="Later", members=people[:4]),
    ]
    session = workshop.model_copy(update={"agenda": agenda, "groups": groups})
    room = at(session, "13:16", *IN_THE_TRIAL)
    assert [(group.name, group.where) for group in room.groups] == [
        ("Group 1", "Breakout room 1"),
        *((f"Group {n}", "Zoom breakout rooms") for n in range(2, 7)),
    ]
    assert room.groups[0].members == people[:3] and room.groups[1].members == people[3:5]
    assert room.current is not None and room.current.where == "Zoom breakout rooms"
    assert [(turn.group_size, turn.groups) for turn in room.turns] == [(2, 5), (3, 1)]
    # Everything the room sees may go on a wall: no organisation, no facilitator's notes.
    wall = room.model_dump_json()
    for person in workshop.participants:
        assert person.org and person.org not in wall
    for item in workshop.agenda:
        if item.facilitator_notes:
            assert item.facilitator_notes[:40] not in wall
    # The welcome has no groups: before the trial none are shown.
    assert at(session, "13:05", ev("start", "13:00")).groups == []


def test_an_extend_and_an_insert_move_every_later_time(workshop: Session) -> None:
    energiser = AgendaItem(id="energiser", title="Energiser", kind="plenary", minutes=5)
    log = [
        *IN_THE_TRIAL,
        ev("extend", "13:20", minutes=5),
        ev("insert", "13:21", new_item=energiser, after="coffee-trial"),
    ]
    before = at(workshop, "13:22", *IN_THE_TRIAL)
    room = at(workshop, "13:22", *log)
    assert span(room.current) == ("13:15", "13:35") and room.current is not None
    assert room.current.minutes == 20
    assert room.clock is not None and room.clock.ends_at == t("13:35")
    assert room.clock.budget_seconds == 20 * 60
    assert room.next is not None and room.next.id == "energiser"
    assert (room.next.inserted, room.next.planned_start, span(room.next)) == (
        True,
        None,
        ("13:35", "13:40"),
    )
    debrief = {item.id: item for item in room.agenda}["coffee-debrief"]
    assert (span(debrief), debrief.planned_start, debrief.state) == (
        ("13:40", "13:50"),
        t("13:30"),
        "coming",
    )
    assert span({item.id: item for item in before.agenda}["coffee-debrief"]) == ("13:30", "13:40")
    # The fixed tea break waits for the items before it: 10 minutes late, and so is the end.
    tea = {item.id: item for item in room.agenda}["tea"]
    assert span(tea) == ("14:40", "14:50")
    assert (room.finishes_at, room.drift_seconds) == (t("16:10"), 600)
    # Pairs keep their 7 minutes (2 x 7 fits 20); the three share the 20 minutes: 6:40 each.
    assert [turn.turn_seconds for turn in room.turns] == [420, 400]


def test_paused_and_overtime_clocks(workshop: Session) -> None:
    paused = at(workshop, "13:25", *IN_THE_TRIAL, ev("pause", "13:20"))
    assert paused.status == "paused" and paused.clock is not None
    assert (paused.clock.phase, paused.clock.label) == ("paused", "PAUSED")
    assert (paused.clock.remaining_seconds, paused.clock.ends_at) == (600, None)
    assert all(turn.ends_at is None for turn in paused.turns)
    assert paused.finishes_at == t("16:05") and paused.drift_seconds == 300
    over = at(workshop, "13:31", *IN_THE_TRIAL)
    assert over.clock is not None
    assert (over.clock.phase, over.clock.label) == ("overtime", "OVERTIME +01:00")
    assert (over.clock.remaining_seconds, over.clock.ends_at) == (-60, t("13:30"))
    warning = at(workshop, "13:27", *IN_THE_TRIAL)
    assert warning.clock is not None and warning.clock.phase == "warning"
    assert warning.clock.label == "WARNING: 3 min left"


def test_a_broadcast_with_seconds_shows_until_it_expires(workshop: Session) -> None:
    log = [*IN_THE_TRIAL, ev("broadcast", "13:16", text="Swap at the bell", seconds=120)]
    shown = at(workshop, "13:17:59", *log)
    assert shown.broadcast is not None
    assert (shown.broadcast.text, shown.broadcast.since, shown.broadcast.until) == (
        "Swap at the bell",
        t("13:16"),
        t("13:18"),
    )
    assert at(workshop, "13:18", *log).broadcast is None
    kept = at(workshop, "15:00", *IN_THE_TRIAL, ev("broadcast", "13:16", text="Tea at 14:30"))
    assert kept.broadcast is not None and kept.broadcast.until is None
    cleared = at(workshop, "13:17", *log, ev("broadcast", "13:16:30", text=""))
    assert cleared.broadcast is None


def test_pinned_and_hidden_ways_reach_the_room_in_any_status(workshop: Session) -> None:
    room = at(workshop, "12:58", ev("pin", "12:55", text="Chatham"), ev("hide_ways", "12:56"))
    assert (room.status, room.pinned, room.ways_hidden) == ("planned", "Chatham", True)
    assert len(room.ways) == 6  # still listed; the flag says the room does not see them
    shown = at(
        workshop, "13:20", *IN_THE_TRIAL, ev("pin", "13:16", text=""), ev("show_ways", "13:17")
    )
    assert (shown.pinned, shown.ways_hidden) == (None, False)


def test_after_the_finish_what_ran_is_done_and_the_rest_dropped(workshop: Session) -> None:
    log = [
        *IN_THE_TRIAL,
        ev("skip", "13:20"),  # the trial cut short: the room had it
        ev("skip", "13:21", item="complexity"),  # dropped before it started
        ev("finish", "13:35"),
    ]
    room = at(workshop, "13:40", *log)
    assert room.status == "finished" and room.current is None and room.next is None
    assert room.clock is not None
    assert (room.clock.phase, room.clock.label, room.clock.remaining_seconds) == (
        "finished",
        "FINISHED",
        0,
    )
    assert room.clock.ends_at is None and room.turns == [] and room.groups == []
    assert list(states(room).values()) == ["done"] * 4 + ["dropped"] * 9
    by_id = {item.id: item for item in room.agenda}
    assert span(by_id["coffee-trial"]) == ("13:15", "13:20")
    assert span(by_id["coffee-debrief"]) == ("13:20", "13:35")
    assert span(by_id["complexity"]) == ("13:40", "14:00")  # where the plan had it
    # The room is told what comes next in the series, as the projector says at the close.
    assert [(entry.date, entry.title) for entry in room.upcoming] == [
        (entry.date, entry.title) for entry in workshop.upcoming
    ]
    assert room.upcoming, "the reference workshop lists its coming-up sessions"
    assert room.finishes_at == t("13:35")


def test_a_dropped_item_ahead_is_marked_and_skipped_over_for_next(workshop: Session) -> None:
    room = at(workshop, "13:16", *IN_THE_TRIAL, ev("skip", "13:16", item="coffee-debrief"))
    assert states(room)["coffee-debrief"] == "dropped"
    assert room.next is not None and room.next.id == "complexity"
    assert span(room.next) == ("13:30", "13:50")


def test_room_state_of_agrees_with_room_state(workshop: Session) -> None:
    session = workshop.model_copy(update={"log": list(IN_THE_TRIAL)})
    zone = schedule.session_zone(session)
    state = schedule.run_state(session, t("13:20"), zone)
    assert room_state_of(session, state, zone) == room_state(session, t("13:20"))


def test_the_state_validates_against_the_published_schema(workshop: Session) -> None:
    schema = room_schema()
    assert schema == RoomState.model_json_schema()
    assert {"title", "clock", "turns", "groups", "broadcast", "pinned"} <= set(schema["properties"])
    for room in (
        at(workshop, "12:50"),
        at(workshop, "13:16", *IN_THE_TRIAL, ev("broadcast", "13:16", text="Hi", seconds=60)),
        at(workshop, "13:40", *IN_THE_TRIAL, ev("finish", "13:35")),
    ):
        jsonschema.validate(room.model_dump(mode="json"), schema)
        assert RoomState.model_validate_json(room.model_dump_json()) == room


# ---------------------------------------------------------------------------- any log at all

CONTROLS = [
    *["next"] * 5,
    "start",
    "pause",
    "resume",
    "back",
    "extend",
    "skip",
    "skip-ahead",
    "finish",
    "broadcast",
    "pin",
    "hide_ways",
    "show_ways",
    "replan",
    "insert",
    "move",
]


@st.composite
def logged_runs(draw: st.DrawFn, workshop: Session) -> tuple[Session, dt.datetime]:
    """The reference workshop with a random roster and groups and a log the run screen can write."""
    people = workshop.participants
    absent = draw(st.sets(st.integers(0, len(people) - 1)))
    roster = [
        person.model_copy(update={"absent": index in absent}) for index, person in enumerate(people)
    ]
    groups: list[Group] = []
    if draw(st.booleans()):
        names = [person.name for person in people]
        cut = draw(st.integers(1, len(names) - 1))
        groups = [
            Group(item="coffee-trial", name="Group 1", members=names[:cut], where="Room A"),
            Group(item="coffee-trial", name="Group 2", members=names[cut:]),
        ]
    ids = [item.id for item in workshop.agenda]
    clock = t("12:50")
    log: list[Event] = []
    for _ in range(draw(st.integers(0, 40))):
        clock += draw(st.timedeltas(dt.timedelta(seconds=-30), dt.timedelta(minutes=12)))
        kind = draw(st.sampled_from(CONTROLS))
        fields: dict[str, Any] = {}
        if kind == "extend":
            fields = {"minutes": draw(st.integers(-30, 30))}
        elif kind == "skip-ahead":
            kind, fields = "skip", {"item": draw(st.sampled_from(ids))}
        elif kind == "broadcast":
            fields = {
                "text": draw(st.sampled_from(["Back at 14:40", ""])),
                "seconds": draw(st.none() | st.integers(1, 600)),
            }
        elif kind == "pin":
            fields = {"text": draw(st.sampled_from(["Presence", "chatham", "Gone", ""]))}
        elif kind == "replan":
            fields = {"plan": {draw(st.sampled_from(ids)): draw(st.integers(1, 60))}}
        elif kind == "move":
            fields = {
                "item": draw(st.sampled_from(ids)),
                "after": draw(st.sampled_from([*ids, None])),
            }
        elif kind == "insert":
            new_id = f"added-{len(ids)}"
            item_kind = draw(st.sampled_from(["plenary", "pairing"]))
            fields = {
                "new_item": {"id": new_id, "title": "Added", "kind": item_kind, "minutes": 10},
                "after": draw(st.sampled_from([*ids, None])),
            }
            ids.append(new_id)
        log.append(Event.model_validate({"at": clock, "kind": kind, **fields}))
    now = clock + draw(st.timedeltas(dt.timedelta(0), dt.timedelta(minutes=30)))
    session = workshop.model_copy(update={"participants": roster, "groups": groups, "log": log})
    return session, now


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_any_log_gives_a_room_state_that_survives_json(
    workshop: Session, data: st.DataObject
) -> None:
    session, now = data.draw(logged_runs(workshop))
    room = room_state(session, now)
    assert RoomState.model_validate_json(room.model_dump_json()) == room
    labels = [item.state for item in room.agenda]
    assert labels.count("current") == (1 if room.status in ("running", "paused") else 0)
    assert labels.count("next") <= 1
    assert room.next == next((item for item in room.agenda if item.state == "next"), None)
    if room.status == "finished":
        assert set(labels) <= {"done", "dropped"}
    assert room.turns == [] or (room.current is not None and room.current.kind == "pairing")
    assert all(turn.of == turn.group_size and turn.turn_seconds > 0 for turn in room.turns)
    assert room.groups == [] or room.current is not None
    assert all(item.starts_at <= item.ends_at for item in room.agenda)
