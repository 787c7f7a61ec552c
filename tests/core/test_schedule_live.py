"""What the live run screen needs from the core: the countdown, drift words, replans, controls.

Every test passes its own `now`; nothing here reads the clock or sleeps.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import re
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sessiontui.core.model import Event, Session
from sessiontui.core.replan import propose_replan
from sessiontui.core.schedule import (
    TIME_UP_FOR,
    Countdown,
    ItemRun,
    countdown,
    crossed_zero,
    drift_text,
    next_events_allowed,
    run_state,
    warning_at,
)
from workshops import DAY, REFERENCE_AGENDA, session_with

LONDON = ZoneInfo("Europe/London")
ZERO = dt.timedelta(0)

SHORT_AGENDA: list[dict[str, Any]] = [
    {"id": "a", "title": "A", "kind": "plenary", "minutes": 10},
    {"id": "b", "title": "B", "kind": "plenary", "minutes": 20},
    {"id": "c", "title": "C", "kind": "plenary", "minutes": 30},
]
CONTROLS = ["start", "pause", "resume", "next", "back", "extend", "skip", "finish"]


def workshop(log: list[Event] | None = None, **fields: Any) -> Session:
    """The reference workshop, 13:00–16:00 in London, with tea fixed at 14:30."""
    return session_with(REFERENCE_AGENDA, log, **fields)


def t(clock: str) -> dt.datetime:
    """An instant from a "HH:MM" or "HH:MM:SS" London wall-clock time on the session day."""
    return dt.datetime.combine(DAY, dt.time.fromisoformat(clock), tzinfo=LONDON).astimezone(dt.UTC)


def ev(kind: str, clock: str, **fields: Any) -> Event:
    return Event.model_validate({"at": t(clock), "kind": kind, **fields})


def mins(value: float) -> dt.timedelta:
    return dt.timedelta(minutes=value)


def secs(value: float) -> dt.timedelta:
    return dt.timedelta(seconds=value)


def clock_of(session: Session, now: dt.datetime) -> Countdown:
    return countdown(session, run_state(session, now))


def applied(session: Session, now: dt.datetime, plan: dict[str, int]) -> Session:
    """The session with the replan logged at `now`, as the run screen would log it."""
    return session.model_copy(
        update={"log": [*session.log, Event(at=now, kind="replan", plan=plan)]}
    )


# --- the countdown ------------------------------------------------------------------------------


def test_before_the_start_the_countdown_shows_the_first_item_to_run() -> None:
    session = workshop([ev("skip", "12:50", item="welcome")])
    clock = clock_of(session, t("12:55"))
    assert clock == Countdown(
        phase="planned",
        remaining=mins(30),
        overtime=ZERO,
        budget=mins(30),
        fraction=0.0,
        text="30:00",
        label="NOT STARTED",
    )


def test_the_countdown_rounds_the_remaining_up_so_it_starts_full_and_ends_at_zero() -> None:
    session = workshop([ev("start", "13:00")])
    assert clock_of(session, t("13:00")).text == "10:00"
    assert clock_of(session, t("13:00") + dt.timedelta(microseconds=1)).text == "10:00"
    assert clock_of(session, t("13:00:01")).text == "09:59"
    assert clock_of(session, t("13:09:59.5")).text == "00:01"
    running = clock_of(session, t("13:02:30"))
    assert (running.phase, running.label, running.remaining) == ("running", "", mins(7.5))
    assert running.fraction == 0.25


def test_the_warning_comes_at_two_minutes_or_a_fifth_of_the_item_whichever_is_sooner() -> None:
    session = workshop([ev("start", "13:00"), ev("next", "13:10")])
    # The 30-minute coffee trial: a fifth is 6 minutes, more than 2.
    assert clock_of(session, t("13:33:59")).phase == "running"
    warning = clock_of(session, t("13:34"))
    assert (warning.phase, warning.text, warning.label) == (
        "warning",
        "06:00",
        "WARNING: 6 min left",
    )
    assert clock_of(session, t("13:38:30")).label == "WARNING: 2 min left"
    assert clock_of(session, t("13:39:30")).label == "WARNING: 1 min left"
    # A 5-minute item: a fifth is 1 minute, so the 2 minutes come first.
    short = session_with([{"id": "x", "title": "X", "kind": "plenary", "minutes": 5}])
    short = short.model_copy(update={"log": [ev("start", "13:00")]})
    assert clock_of(short, t("13:02:59")).phase == "running"
    assert clock_of(short, t("13:03")).phase == "warning"


def test_warning_at_takes_the_items_own_settings_over_the_sessions() -> None:
    session = workshop(warn_minutes=3, warn_fraction=0.1)
    item = session.agenda[0].model_copy(update={"warn_fraction": 0.5})
    assert warning_at(session, session.agenda[0], mins(10)) == mins(3)
    assert warning_at(session, session.agenda[0], mins(60)) == mins(6)
    assert warning_at(session, item, mins(10)) == mins(5)
    assert warning_at(session, item.model_copy(update={"warn_minutes": 8}), mins(10)) == mins(8)
    assert warning_at(session, item, -mins(5)) == mins(3)


def test_the_warning_follows_the_budget_as_extended() -> None:
    session = workshop([ev("start", "13:00"), ev("extend", "13:01", minutes=30)])
    # 40 minutes now: a fifth is 8.
    assert clock_of(session, t("13:31:59")).phase == "running"
    assert clock_of(session, t("13:32")).label == "WARNING: 8 min left"


def test_no_warning_when_both_thresholds_are_zero() -> None:
    session = workshop([ev("start", "13:00")], warn_minutes=0, warn_fraction=0)
    assert clock_of(session, t("13:09:59")).phase == "running"
    assert clock_of(session, t("13:10")).phase == "time-up"


def test_time_up_shows_for_five_seconds_then_overtime_counts_up() -> None:
    session = workshop([ev("start", "13:00")])
    zero = clock_of(session, t("13:10"))
    assert (zero.phase, zero.text, zero.label) == ("time-up", "00:00", "TIME UP")
    assert (zero.remaining, zero.overtime, zero.fraction) == (ZERO, ZERO, 1.0)
    almost = clock_of(session, t("13:10") + TIME_UP_FOR - dt.timedelta(microseconds=1))
    assert (almost.phase, almost.text) == ("time-up", "00:00")
    over = clock_of(session, t("13:10") + TIME_UP_FOR)
    assert (over.phase, over.text, over.label) == ("overtime", "+00:05", "OVERTIME +00:05")
    later = clock_of(session, t("13:13:12.9"))
    assert (later.text, later.label) == ("+03:12", "OVERTIME +03:12")
    assert (later.remaining, later.overtime, later.fraction) == (ZERO, secs(192.9), 1.0)


def test_hours_in_the_clock_and_in_overtime() -> None:
    session = workshop([ev("start", "13:00"), ev("extend", "13:00", minutes=80)])
    assert clock_of(session, t("13:00")).text == "1:30:00"
    assert clock_of(session, t("13:30")).text == "1:00:00"
    assert clock_of(session, t("13:30:00.5")).text == "1:00:00"
    assert clock_of(session, t("13:30:01")).text == "59:59"
    assert clock_of(session, t("15:32:03")).text == "+1:02:03"


def test_a_paused_countdown_is_frozen_and_says_so() -> None:
    session = workshop([ev("start", "13:00"), ev("pause", "13:04")])
    first, later = clock_of(session, t("13:05")), clock_of(session, t("13:25"))
    assert first == later
    assert (first.phase, first.text, first.label) == ("paused", "06:00", "PAUSED")
    overtime = workshop([ev("start", "13:00"), ev("pause", "13:12")])
    frozen = clock_of(overtime, t("13:30"))
    assert (frozen.phase, frozen.text, frozen.label) == ("paused", "+02:00", "PAUSED")


def test_a_budget_shortened_to_nothing_is_time_up_and_fully_used() -> None:
    session = workshop([ev("start", "13:00"), ev("extend", "13:00", minutes=-10)])
    clock = clock_of(session, t("13:00"))
    assert (clock.phase, clock.budget, clock.fraction, clock.text) == (
        "time-up",
        ZERO,
        1.0,
        "00:00",
    )


def test_after_the_finish_the_countdown_says_finished() -> None:
    session = workshop([ev("start", "13:00"), ev("finish", "13:05")])
    clock = clock_of(session, t("13:30"))
    assert (clock.phase, clock.label, clock.text, clock.remaining) == (
        "finished",
        "FINISHED",
        "00:00",
        ZERO,
    )


# --- the bell -----------------------------------------------------------------------------------


def test_the_bell_rings_once_as_zero_is_crossed_whatever_the_frame_rate() -> None:
    session = workshop([ev("start", "13:00")])
    for step in (secs(0.25), secs(1), secs(7), mins(3)):
        frames = [t("13:05") + step * n for n in range(int(mins(10) / step))]
        states = [run_state(session, now) for now in frames]
        rings = [crossed_zero(a, b) for a, b in itertools.pairwise(states)]
        assert rings.count(True) == 1, step


def test_the_bell_rings_on_reaching_exactly_zero_not_again_after() -> None:
    session = workshop([ev("start", "13:00")])
    at = {clock: run_state(session, t(clock)) for clock in ("13:09:59", "13:10", "13:10:01")}
    assert crossed_zero(at["13:09:59"], at["13:10"])
    assert not crossed_zero(at["13:10"], at["13:10:01"])
    assert not crossed_zero(at["13:09:59"], at["13:09:59"])


def test_no_bell_on_moving_to_another_item_or_reopening_in_overtime() -> None:
    before = run_state(workshop([ev("start", "13:00")]), t("13:09:59"))
    moved = run_state(workshop([ev("start", "13:00"), ev("next", "13:09:59")]), t("13:45"))
    assert not crossed_zero(before, moved)
    planned = run_state(workshop(), t("12:59"))
    started = run_state(workshop([ev("start", "13:00")]), t("13:11"))
    assert not crossed_zero(planned, started)
    finished = run_state(workshop([ev("start", "13:00"), ev("finish", "13:10")]), t("13:11"))
    assert not crossed_zero(before, finished)


def test_a_shortening_that_takes_the_item_past_zero_rings_too() -> None:
    log = [ev("start", "13:00")]
    before = run_state(workshop(log), t("13:05"))
    after = run_state(workshop([*log, ev("extend", "13:05", minutes=-5)]), t("13:05"))
    assert crossed_zero(before, after)


# --- drift in words -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("drift", "text"),
    [
        (ZERO, "on time"),
        (secs(59.999), "on time"),
        (-secs(59.999), "on time"),
        (mins(1), "1 min behind"),
        (mins(6) + secs(59), "6 min behind"),
        (-mins(3), "3 min ahead"),
        (mins(60), "1 h behind"),
        (mins(65), "1 h 5 min behind"),
        (-mins(120), "2 h ahead"),
    ],
)
def test_drift_text(drift: dt.timedelta, text: str) -> None:
    assert drift_text(drift) == text


# --- the controls that make sense ---------------------------------------------------------------


def test_allowed_controls_follow_the_run() -> None:
    # What the room is shown can change in every status, before the start and after the finish.
    room = {"broadcast", "pin", "hide_ways", "show_ways"}
    assert next_events_allowed(run_state(workshop(), t("12:50"))) == {"start", "replan"} | room
    first = run_state(workshop([ev("start", "13:00")]), t("13:01"))
    common = {"next", "extend", "skip", "finish", "replan"} | room
    assert next_events_allowed(first) == common | {"pause"}
    second = run_state(workshop([ev("start", "13:00"), ev("next", "13:10")]), t("13:11"))
    assert next_events_allowed(second) == common | {"pause", "back"}
    paused = run_state(workshop([ev("start", "13:00"), ev("pause", "13:01")]), t("13:02"))
    assert next_events_allowed(paused) == common | {"resume"}
    finished = run_state(workshop([ev("start", "13:00"), ev("finish", "13:01")]), t("13:02"))
    assert next_events_allowed(finished) == {"back"} | room


def test_nothing_to_go_back_to_after_a_start_with_everything_skipped() -> None:
    skips = [ev("skip", "12:50", item=item["id"]) for item in REFERENCE_AGENDA]
    state = run_state(workshop([*skips, ev("start", "13:00")]), t("13:01"))
    assert state.status == "finished"
    assert next_events_allowed(state) == {"broadcast", "pin", "hide_ways", "show_ways"}


# --- replanning ---------------------------------------------------------------------------------


def test_on_time_or_ahead_there_is_nothing_to_shorten() -> None:
    for session, now in [
        (workshop(), t("12:00")),
        (workshop([ev("start", "13:00")]), t("13:05")),
        (workshop([ev("start", "13:00"), ev("next", "13:05")]), t("13:06")),
    ]:
        replan = propose_replan(session, now)
        assert replan.changes == {}
        assert replan.feasible
        assert replan.before == replan.after == run_state(session, now).projected_finish
        assert replan.message == "Already on time: nothing to shorten"


def test_a_finished_session_has_nothing_to_shorten() -> None:
    replan = propose_replan(workshop([ev("start", "13:00"), ev("finish", "13:05")]), t("14:00"))
    assert replan.changes == {}
    assert replan.message == "The session has finished: nothing to shorten"


def test_the_items_still_to_come_are_shortened_in_proportion() -> None:
    session = session_with(SHORT_AGENDA, [ev("start", "13:00")], end="14:00")
    # 6 minutes over on A: B and C must fit in 44 minutes, 17.6 and 26.4 by proportion;
    # the spare minute goes to the larger remainder.
    replan = propose_replan(session, t("13:16"))
    assert replan.changes == {"b": 18, "c": 26}
    assert replan.feasible
    assert (replan.before, replan.after) == (t("14:06"), t("14:00"))
    assert replan.message == "Shorten 2 items by 6 min in all to finish by 14:00"
    after = run_state(applied(session, t("13:16"), replan.changes), t("13:16"))
    assert after.projected_finish == replan.after
    assert after.drift == ZERO


def test_part_minutes_round_down_so_the_session_still_ends_on_time() -> None:
    session = session_with(SHORT_AGENDA, [ev("start", "13:00")], end="14:00")
    # 43.5 minutes of room: 43 whole ones, 17.2 and 25.8 by proportion.
    replan = propose_replan(session, t("13:16:30"))
    assert replan.changes == {"b": 17, "c": 26}
    assert replan.after == t("13:59:30")


def test_equal_remainders_go_to_the_earlier_item() -> None:
    agenda = [{**item, "minutes": 10} for item in SHORT_AGENDA]
    session = session_with(agenda, [ev("start", "13:00")], end="13:30")
    replan = propose_replan(session, t("13:15"))
    assert replan.changes == {"b": 8, "c": 7}


def test_the_current_item_and_one_minute_items_are_never_changed() -> None:
    agenda = [*SHORT_AGENDA, {"id": "d", "title": "D", "kind": "close", "minutes": 1}]
    session = session_with(agenda, [ev("start", "13:00"), ev("next", "13:10")], end="14:01")
    replan = propose_replan(session, t("13:40"))
    assert set(replan.changes) == {"c"}
    assert replan.changes["c"] == 20


def test_time_already_spent_on_an_item_stepped_back_over_is_counted() -> None:
    log = [ev("start", "13:00"), ev("next", "13:10"), ev("back", "13:15")]
    session = session_with(SHORT_AGENDA, log, end="14:00")
    # B has 5 of its 20 minutes behind it, so 14 minutes leave it 9 and C gets 21 of its 30.
    replan = propose_replan(session, t("13:30"))
    assert replan.changes == {"b": 14, "c": 21}
    assert replan.after == t("14:00")
    assert run_state(applied(session, t("13:30"), replan.changes), t("13:30")).drift == ZERO


def test_a_small_item_keeps_a_minute_and_the_rest_is_shared_by_the_others() -> None:
    agenda = [
        {"id": "a", "title": "A", "kind": "plenary", "minutes": 10},
        {"id": "b", "title": "B", "kind": "plenary", "minutes": 2},
        {"id": "c", "title": "C", "kind": "plenary", "minutes": 40},
        {"id": "d", "title": "D", "kind": "plenary", "minutes": 40},
    ]
    session = session_with(agenda, [ev("start", "13:00")], end="14:32")
    # 82 minutes of items in 31: B's share would be under a minute, so it gets one.
    replan = propose_replan(session, t("14:01"))
    assert replan.changes == {"b": 1, "c": 15, "d": 15}


def test_a_late_start_shortens_the_items_before_the_fixed_tea_break_only() -> None:
    session = workshop()
    replan = propose_replan(session, t("13:10"))
    # Welcome, coffee and complexity (90 min) must fit in the 80 until tea; tea and what
    # follows it are on time again, so they keep their lengths.
    assert replan.changes == {"welcome": 9, "coffee-trial": 27, "complexity": 44}
    assert replan.after == t("16:00")
    started = applied(session, t("13:10"), replan.changes)
    started = started.model_copy(update={"log": [*started.log, ev("start", "13:10")]})
    state = run_state(started, t("13:10"))
    assert state.fixed_at_risk == []
    assert state.drift == ZERO


def test_slack_before_the_fixed_item_is_not_moved_across_it() -> None:
    # The common purpose was lengthened to 60 minutes, so the plan ends 10 minutes late; the
    # room is 5 minutes ahead before tea, but tea waits for 14:30, so only the items after
    # it can give the time back.
    log = [ev("replan", "12:50", plan={"common-purpose": 60})]
    session = workshop([*log, ev("start", "13:00"), ev("next", "13:05")])
    assert run_state(session, t("13:06")).drift == mins(10)
    replan = propose_replan(session, t("13:06"))
    # 90 minutes after tea in 80: 53.3, 22.2 and 4.4 by proportion.
    assert replan.changes == {"common-purpose": 53, "reflection": 22}
    assert replan.after == t("16:00")


def test_a_fixed_item_that_will_be_late_anyway_is_named() -> None:
    # Complexity runs past 14:40: tea is late whatever happens, so only after it can help.
    session = workshop([ev("start", "13:00"), ev("next", "13:10"), ev("next", "13:40")])
    replan = propose_replan(session, t("14:40"))
    assert replan.feasible
    # 80 minutes after tea in the 70 left: 43.75, 21.875 and 4.375 by proportion.
    assert replan.changes == {"common-purpose": 44, "reflection": 22, "summing-up": 4}
    assert replan.after == t("16:00")
    assert "Tea break still starts 10 min late" in replan.message
    after = run_state(applied(session, t("14:40"), replan.changes), t("14:40"))
    assert after.projected_finish == replan.after


def test_when_even_a_minute_each_is_too_late_nothing_is_proposed() -> None:
    log = [ev("start", "13:00"), ev("next", "13:10"), ev("next", "13:40"), ev("next", "14:30")]
    log += [ev("next", "14:40")]
    session = workshop(log)
    replan = propose_replan(session, t("15:59"))
    assert replan.changes == {}
    assert not replan.feasible
    assert replan.after == replan.before
    assert replan.message == (
        "Cannot finish by 16:00: even at 1 min per item still to come the session ends at "
        "16:01, 1 min late"
    )


# --- properties over random runs ----------------------------------------------------------------

PROPERTY = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
START = t("13:00")


@st.composite
def agendas(draw: st.DrawFn) -> list[dict[str, Any]]:
    """The reference agenda, or a random one with short items and fixed times (overlaps too)."""
    if draw(st.integers(0, 4)) == 0:
        return REFERENCE_AGENDA
    agenda = []
    for index in range(draw(st.integers(1, 8))):
        item: dict[str, Any] = {
            "id": f"item-{index}",
            "title": f"Item {index}",
            "kind": "plenary",
            "minutes": draw(st.integers(1, 3) | st.integers(1, 60)),
        }
        if draw(st.integers(0, 3)) == 0:
            item["at"] = dt.time(draw(st.integers(13, 15)), draw(st.integers(0, 59)))
        agenda.append(item)
    return agenda


@st.composite
def runs(draw: st.DrawFn) -> tuple[Session, dt.datetime]:
    """A session with a random log, and a moment to look at it, often running late."""
    agenda = draw(agendas())
    ids = [item["id"] for item in agenda]
    clock = START + draw(st.timedeltas(min_value=-mins(30), max_value=mins(30)))
    log: list[Event] = []
    if draw(st.integers(0, 5)):
        log.append(Event(at=clock, kind="start"))
    for _ in range(draw(st.integers(0, 10))):
        clock += draw(st.timedeltas(min_value=ZERO, max_value=mins(20)))
        kind = draw(st.sampled_from([*["next"] * 2, *CONTROLS, "skip-ahead", "replan"]))
        fields: dict[str, Any] = {"at": clock, "kind": kind}
        if kind == "extend":
            fields["minutes"] = draw(st.integers(-20, 20))
        elif kind == "skip-ahead":
            fields.update(kind="skip", item=draw(st.sampled_from(ids)))
        elif kind == "replan":
            fields["plan"] = draw(
                st.dictionaries(st.sampled_from(ids), st.integers(1, 60), min_size=1)
            )
        log.append(Event.model_validate(fields))
    now = clock + draw(st.timedeltas(min_value=ZERO, max_value=mins(90)))
    return session_with(agenda, log), now


CLOCK_TEXT = re.compile(r"(\+?)(?:\d+:[0-5]\d|[0-5]\d):[0-5]\d")


@PROPERTY
@given(run=runs(), later=st.timedeltas(min_value=ZERO, max_value=mins(30)))
def test_every_countdown_is_consistent_with_its_state(
    run: tuple[Session, dt.datetime], later: dt.timedelta
) -> None:
    session, now = run
    state = run_state(session, now, LONDON)
    clock = countdown(session, state)
    assert clock.remaining >= ZERO and clock.overtime >= ZERO
    assert ZERO in (clock.remaining, clock.overtime)
    assert 0.0 <= clock.fraction <= 1.0
    match = CLOCK_TEXT.fullmatch(clock.text)
    assert match is not None, clock.text
    assert (match.group(1) == "+") == (clock.overtime >= TIME_UP_FOR)
    assert (clock.label == "") == (clock.phase == "running")
    if state.current is not None:
        item = state.items[state.current]
        assert clock.budget == item.budget
        assert clock.remaining - clock.overtime == item.budget - item.active == state.remaining
    expected_phase = {"planned": "planned", "paused": "paused", "finished": "finished"}
    if state.status in expected_phase:
        assert clock.phase == expected_phase[state.status]
    else:
        assert clock.phase in ("running", "warning", "time-up", "overtime")
        assert (clock.phase == "overtime") == (clock.overtime >= TIME_UP_FOR)
        assert (clock.phase == "time-up") == (
            clock.remaining == ZERO < TIME_UP_FOR - clock.overtime
        )
    # Nothing but the clock has moved later on, so the bell rings exactly when it crossed.
    following = run_state(session, state.now + later, LONDON)
    ran_out = (
        state.remaining is not None
        and following.remaining is not None
        and state.remaining > ZERO >= following.remaining
    )
    assert crossed_zero(state, following) == ran_out


@PROPERTY
@given(run=runs())
def test_exactly_the_allowed_controls_change_the_run(run: tuple[Session, dt.datetime]) -> None:
    session, now = run
    moment = max([now, *(event.at for event in session.log)])
    state = run_state(session, moment, LONDON)
    allowed = next_events_allowed(state)
    for kind in CONTROLS:
        extra: dict[str, Any] = {"minutes": 1} if kind == "extend" else {}
        event = Event.model_validate({"at": moment, "kind": kind, **extra})
        after = run_state(session.model_copy(update={"log": [*session.log, event]}), moment, LONDON)
        assert (after != state) == (kind in allowed), kind


@PROPERTY
@given(run=runs())
def test_a_feasible_replan_ends_on_time_and_touches_only_items_to_come(
    run: tuple[Session, dt.datetime],
) -> None:
    session, now = run
    state = run_state(session, now, LONDON)
    replan = propose_replan(session, now, LONDON)
    assert replan.before == state.projected_finish
    plan_end = state.items[-1].planned_end
    by_id = {item.item.id: item for item in state.items}
    for item_id, minutes in replan.changes.items():
        item = by_id[item_id]
        assert item.state == "pending" and item.index != state.current
        assert item.item.at is None
        assert minutes >= 1 and mins(minutes) < item.budget
    if not replan.feasible or not replan.changes:
        assert replan.changes == {} and replan.after == replan.before
    if state.status == "finished" or state.drift <= ZERO:
        assert replan.changes == {}
        return
    if not replan.feasible:
        # Really infeasible: a minute for every item that can give time is still late.
        shortest = {
            item.item.id: 1
            for item in state.items
            if item.state == "pending"
            and item.item.at is None
            and item.budget > mins(1)
            and item.index != state.current
        }
        if shortest:
            session = applied(session, now, shortest)
        assert run_state(session, now, LONDON).projected_finish > plan_end
        return
    assert replan.changes
    after = run_state(applied(session, now, replan.changes), now, LONDON)
    assert after.projected_finish == replan.after <= plan_end
    for before_item, after_item in zip(state.items, after.items, strict=True):
        if before_item.item.id not in replan.changes:
            # Its own facts stay; where it falls moves with the items shortened before it.
            assert unprojected(after_item) == unprojected(before_item)
    for risk in after.fixed_at_risk:
        assert f"{session.item(risk.item_id).title} still starts" in replan.message
    fixed = any(item.item.at is not None for item in state.items[(state.current or 0) :])
    spent = any(item.active > ZERO for item in state.items if item.state == "pending")
    if not fixed and not spent:
        # One segment and nothing spent yet: no whole minute was taken beyond what is needed.
        assert plan_end - replan.after < mins(1)


def unprojected(run: ItemRun) -> ItemRun:
    """An item run without its projected span, to compare what a change must leave alone."""
    return dataclasses.replace(run, projected_start=None, projected_end=None)
