"""Turns for any group size, and what the room is shown: broadcasts that expire, pins, hidden ways.

Every test passes its own `now`; nothing here reads the clock or sleeps.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sessiontui import session_file
from sessiontui.core import review
from sessiontui.core.model import Event, Group, Participant, Session
from sessiontui.core.schedule import RunState, next_events_allowed, run_state
from sessiontui.core.turns import Turn
from workshops import DAY, REFERENCE_AGENDA, session_with

LONDON = ZoneInfo("Europe/London")
NAMES = [f"Person {letter}" for letter in "ABCDEFGHIJKLM"]  # 13, as in the reference workshop


def t(clock: str) -> dt.datetime:
    """An instant from a London wall-clock time on the session day (GMT, so also UTC)."""
    return dt.datetime.combine(DAY, dt.time.fromisoformat(clock), tzinfo=LONDON)


def mins(value: float) -> dt.timedelta:
    return dt.timedelta(minutes=value)


def ev(kind: str, clock: str, **fields: Any) -> Event:
    return Event.model_validate({"at": t(clock), "kind": kind, **fields})


def coffee(minutes: int = 15, **changes: Any) -> list[dict[str, Any]]:
    """The reference agenda with the coffee trial as the bundled workshop has it: 15 min, 7 each."""
    agenda = [dict(item) for item in REFERENCE_AGENDA]
    agenda[1].update(minutes=minutes, **changes)
    return agenda


def with_people(agenda: list[dict[str, Any]], count: int = 13, **fields: Any) -> Session:
    return session_with(agenda, participants=NAMES[:count], **fields)


def in_the_trial(session: Session, clock: str, *more: Event) -> RunState:
    """The run at `clock`, the coffee trial having started at 13:10."""
    log = [ev("start", "13:00"), ev("next", "13:10"), *more]
    return run_state(session.model_copy(update={"log": log}), t(clock))


def test_thirteen_present_make_five_pairs_of_seven_minute_turns_and_a_three_of_five() -> None:
    run = in_the_trial(with_people(coffee()), "13:10")
    pairs, three = run.turns
    assert (pairs.group_size, pairs.groups, pairs.of, pairs.length) == (2, 5, 2, mins(7))
    assert (three.group_size, three.groups, three.of, three.length) == (3, 1, 3, mins(5))
    assert run.turn is pairs
    # Six minutes in: the pairs are on their first turn, the three on its second.
    later = in_the_trial(with_people(coffee()), "13:16")
    assert [(turn.number, turn.remaining) for turn in later.turns] == [(1, mins(1)), (2, mins(4))]
    # At 13:25 the three has had all three turns, the pairs are past their two.
    over = in_the_trial(with_people(coffee()), "13:25")
    assert [(turn.number, turn.overtime) for turn in over.turns] == [(3, True), (4, True)]


def test_drawn_groups_decide_the_sizes_even_when_the_roster_would_say_otherwise() -> None:
    groups = [
        Group(item="coffee-trial", name="Group 1", members=NAMES[0:3]),
        Group(item="coffee-trial", name="Group 2", members=NAMES[3:6]),
        Group(item="coffee-trial", name="Group 3", members=NAMES[6:8]),
        Group(item="welcome", name="Elsewhere", members=NAMES[8:12]),
    ]
    run = in_the_trial(with_people(coffee(), groups=groups), "13:10")
    assert [(turn.group_size, turn.groups) for turn in run.turns] == [(3, 2), (2, 1)]
    assert [turn.length for turn in run.turns] == [mins(5), mins(7)]


def test_a_tie_in_people_goes_to_the_planned_size() -> None:
    # Twelve present in pairs would be six pairs; drawn as three pairs and two threes instead.
    groups = [
        Group(item="coffee-trial", name=f"Group {n}", members=members)
        for n, members in enumerate(
            [NAMES[0:2], NAMES[2:4], NAMES[4:6], NAMES[6:9], NAMES[9:12]], start=1
        )
    ]
    run = in_the_trial(with_people(coffee(), 12, groups=groups), "13:10")
    assert [(turn.group_size, turn.groups) for turn in run.turns] == [(2, 3), (3, 2)]


def test_absent_people_are_not_counted_and_a_roster_of_fours_gets_four_turns() -> None:
    people = [Participant(name=name, absent=name == "Person A") for name in NAMES[:9]]
    run = in_the_trial(
        session_with(coffee(20, group_size=4, turn_minutes=5), participants=people), "13:10"
    )
    # Eight present in fours: two groups, four turns of five minutes each.
    assert run.turns == [Turn(1, 4, mins(5))]
    assert (run.turns[0].groups, run.turns[0].length) == (2, mins(5))


def test_without_turn_minutes_the_item_is_shared_out_and_an_extend_reshares_it() -> None:
    session = with_people(coffee(15, turn_minutes=None))
    run = in_the_trial(session, "13:10")
    assert [turn.length for turn in run.turns] == [mins(7.5), mins(5)]
    extended = in_the_trial(session, "13:11", ev("extend", "13:10:30", minutes=5))
    assert [turn.length for turn in extended.turns] == [mins(10), dt.timedelta(seconds=400)]


def test_without_a_roster_the_round_is_the_planned_size_of_unknown_many_groups() -> None:
    run = in_the_trial(session_with(coffee()), "13:10")
    assert run.turns == [Turn(1, 2, mins(7))]
    assert (run.turns[0].group_size, run.turns[0].groups) == (2, 0)


def test_no_turns_outside_a_pairing_round_nor_in_an_item_cut_to_nothing() -> None:
    session = with_people(coffee())
    assert run_state(session, t("12:50")).turns == []
    assert in_the_trial(session, "13:40", ev("next", "13:25")).turns == []
    cut = in_the_trial(session, "13:11", ev("extend", "13:10", minutes=-15))
    assert cut.turns == [] and cut.turn is None


def test_a_broadcast_with_seconds_shows_until_it_expires() -> None:
    session = with_people(coffee())
    sent = ev("broadcast", "13:05", text="Cameras on, please", seconds=120)
    log = [ev("start", "13:00"), sent]
    during = run_state(session.model_copy(update={"log": log}), t("13:06:59"))
    assert during.broadcast == "Cameras on, please"
    assert (during.broadcast_since, during.broadcast_until) == (t("13:05"), t("13:07"))
    after = run_state(session.model_copy(update={"log": log}), t("13:07"))
    assert (after.broadcast, after.broadcast_since, after.broadcast_until) == (None, None, None)


def test_a_later_broadcast_replaces_an_expiring_one_and_empty_text_clears() -> None:
    session = with_people(coffee())
    log = [
        ev("broadcast", "12:55", text="Starting at one", seconds=60),
        ev("broadcast", "12:55:30", text="Welcome"),
    ]
    run = run_state(session.model_copy(update={"log": log}), t("13:30"))
    assert (run.broadcast, run.broadcast_since, run.broadcast_until) == (
        "Welcome",
        t("12:55:30"),
        None,
    )
    cleared = session.model_copy(update={"log": [*log, ev("broadcast", "12:56", text="")]})
    assert run_state(cleared, t("12:57")).broadcast is None


def test_pins_and_hidden_ways_apply_before_during_and_after_the_run() -> None:
    ways = [{"name": "Presence", "text": "Really listening"}, {"name": "Chatham", "text": ""}]
    session = with_people(coffee(), ways_of_working=ways)

    def at(clock: str, *log: Event, base: Session = session) -> RunState:
        return run_state(base.model_copy(update={"log": list(log)}), t(clock))

    assert (at("12:50").pinned, at("12:50").ways_hidden) == (None, False)
    pinned = [ev("pin", "12:50", text="presence"), ev("hide_ways", "12:51")]
    before = at("12:52", *pinned)
    assert (before.status, before.pinned, before.ways_hidden) == ("planned", "Presence", True)
    finished = at("16:10", *pinned, ev("start", "13:00"), ev("finish", "16:00"))
    assert (finished.status, finished.pinned, finished.ways_hidden) == (
        "finished",
        "Presence",
        True,
    )
    shown = at("13:01", *pinned, ev("show_ways", "12:59"), ev("pin", "13:00", text=""))
    assert (shown.pinned, shown.ways_hidden) == (None, False)
    # A way renamed or removed since it was pinned pins nothing.
    renamed = session.model_copy(update={"ways_of_working": session.ways_of_working[1:]})
    assert at("12:52", *pinned, base=renamed).pinned is None


def test_the_room_controls_are_always_allowed() -> None:
    session = with_people(coffee())
    for log in ([], [ev("start", "13:00")], [ev("start", "13:00"), ev("finish", "13:05")]):
        allowed = next_events_allowed(
            run_state(session.model_copy(update={"log": log}), t("13:10"))
        )
        assert {"pin", "hide_ways", "show_ways", "broadcast"} <= allowed


def test_the_review_words_pins_hidden_ways_and_expiring_broadcasts() -> None:
    session = with_people(coffee()).model_copy(
        update={
            "log": [
                ev("start", "13:00"),
                ev("broadcast", "13:01", text="Back in 5", seconds=120),
                ev("pin", "13:02", text="Presence"),
                ev("hide_ways", "13:03"),
                ev("show_ways", "13:04"),
                ev("pin", "13:05", text=""),
                ev("broadcast", "13:06", text="Welcome"),
                ev("broadcast", "13:07", text=""),
            ]
        }
    )
    assert [(line.kind, line.text) for line in review.log_lines(session)] == [
        ("broadcast", "Told the room for 2 min: Back in 5"),
        ("pin", "Pinned “Presence” for the room"),
        ("hide_ways", "Hid the ways of working"),
        ("show_ways", "Showed the ways of working"),
        ("pin", "Unpinned"),
        ("broadcast", "Told the room: Welcome"),
        ("broadcast", "Cleared the message"),
    ]


def test_the_bundled_workshop_runs_its_coffee_trial_in_pairs_and_a_three(
    example_path: Path,
) -> None:
    session = session_file.load(example_path).session
    start = dt.datetime.combine(session.date, session.start, tzinfo=LONDON)
    # Welcome (10) and the set-up (5) done, the trial running for a minute.
    log = [
        Event(at=start, kind="start"),
        Event(at=start + mins(10), kind="next"),
        Event(at=start + mins(15), kind="next"),
    ]
    run = run_state(session.model_copy(update={"log": log}), start + mins(16))
    assert run.items[run.current or 0].item.id == "coffee-trial"
    assert [(turn.group_size, turn.groups, turn.length) for turn in run.turns] == [
        (2, 5, mins(7)),
        (3, 1, mins(5)),
    ]
