"""The schedule core: the reference workshop's plan, its issues, and every control of a run.

Every test passes its own `now`; nothing here reads the clock or sleeps.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from sessiontui.core.model import Event, Session
from sessiontui.core.schedule import (
    FixedRisk,
    PlanIssue,
    RunState,
    plan_issues,
    planned,
    run_state,
    session_zone,
)
from sessiontui.core.turns import Turn

LONDON = ZoneInfo("Europe/London")
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
    {
        "id": "common-purpose",
        "title": "Getting to common purpose",
        "kind": "breakout",
        "minutes": 50,
        "notes_template": "common-purpose",
        "word_limit": 40,
    },
    {"id": "reflection", "title": "Trying it out in practice", "kind": "reflection", "minutes": 25},
    {"id": "summing-up", "title": "Summing up and next steps", "kind": "close", "minutes": 5},
]
IDS = [item["id"] for item in REFERENCE_AGENDA]


def workshop(
    minutes: dict[str, int] | None = None,
    changes: dict[str, dict[str, Any]] | None = None,
    **fields: Any,
) -> Session:
    """The reference workshop (2023-02-16, 13:00–16:00, London), with per-item tweaks."""
    agenda = []
    for item in REFERENCE_AGENDA:
        row = dict(item)
        if minutes and item["id"] in minutes:
            row["minutes"] = minutes[item["id"]]
        row.update((changes or {}).get(item["id"], {}))
        agenda.append(row)
    data: dict[str, Any] = {
        "schema_version": 1,
        "title": "Building common understanding and common purpose",
        "date": DAY,
        "start": "13:00",
        "end": "16:00",
        "timezone": "Europe/London",
        "agenda": agenda,
    }
    data.update(fields)
    return Session.model_validate(data)


def t(clock: str, day: dt.date = DAY) -> dt.datetime:
    """An instant from a "HH:MM" or "HH:MM:SS" London wall-clock time on the session day."""
    return dt.datetime.combine(day, dt.time.fromisoformat(clock), tzinfo=LONDON).astimezone(dt.UTC)


def mins(value: float) -> dt.timedelta:
    return dt.timedelta(minutes=value)


def ev(kind: str, clock: str, **fields: Any) -> Event:
    return Event.model_validate({"at": t(clock), "kind": kind, **fields})


def state_at(clock: str, *events: Event, session: Session | None = None) -> RunState:
    base = session or workshop()
    return run_state(base.model_copy(update={"log": list(events)}), t(clock))


def states(run: RunState) -> list[str]:
    return [item.state for item in run.items]


# --- the plan ---------------------------------------------------------------------------------


def test_the_reference_workshop_runs_at_its_real_times() -> None:
    plan = planned(workshop())
    assert [(p.item.id, f"{p.start:%H:%M}", f"{p.end:%H:%M}") for p in plan] == [
        ("welcome", "13:00", "13:10"),
        ("coffee-trial", "13:10", "13:40"),
        ("complexity", "13:40", "14:30"),
        ("tea", "14:30", "14:40"),
        ("common-purpose", "14:40", "15:30"),
        ("reflection", "15:30", "15:55"),
        ("summing-up", "15:55", "16:00"),
    ]
    assert [p.index for p in plan] == list(range(7))
    assert all(p.start.tzinfo == LONDON and p.end.tzinfo == LONDON for p in plan)
    assert plan_issues(workshop()) == []


def test_plan_times_are_local_to_the_session_zone() -> None:
    summer = workshop(date=dt.date(2023, 6, 22))
    first = planned(summer)[0]
    assert first.start.utcoffset() == dt.timedelta(hours=1)
    assert first.start.astimezone(dt.UTC).hour == 12
    # The tz argument overrides the session's zone: 13:00 is then 13:00 UTC.
    assert planned(summer, dt.UTC)[0].start == dt.datetime(2023, 6, 22, 13, 0, tzinfo=dt.UTC)


def test_plan_arithmetic_is_in_real_time_across_a_change_of_clocks() -> None:
    night = workshop(
        date=dt.date(2023, 3, 26),  # clocks go forward at 01:00 GMT
        start="00:30",
        end="03:30",
        agenda=[
            {"id": f"block-{n}", "title": f"Block {n}", "kind": "plenary", "minutes": 60}
            for n in range(3)
        ],
    )
    plan = planned(night)
    assert [f"{p.start:%H:%M}" for p in plan] == ["00:30", "02:30", "03:30"]
    # Converted first: Python subtracts two times in one zone as wall-clock times.
    assert all(p.end.astimezone(dt.UTC) - p.start.astimezone(dt.UTC) == mins(60) for p in plan)
    assert plan[0].end - plan[0].start == mins(120)
    assert plan_issues(night) == [
        PlanIssue("past-end", "block-2", "The plan runs until 04:30, 1 h past the end at 03:30")
    ]


def test_session_zone_is_the_named_zone() -> None:
    assert session_zone(workshop()) == LONDON


def test_session_zone_defaults_to_the_machines_zone_on_the_session_day(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    if not hasattr(time, "tzset"):
        pytest.skip("needs time.tzset")
    previous = os.environ.get("TZ")
    # A POSIX rule rather than a zone name, so the test needs no tz database.
    monkeypatch.setenv("TZ", "EST5EDT,M3.2.0,M11.1.0")
    time.tzset()
    try:
        winter = session_zone(workshop(timezone=None))
        summer = session_zone(workshop(timezone=None, date=dt.date(2023, 6, 22)))
        assert winter.utcoffset(None) == dt.timedelta(hours=-5)
        assert summer.utcoffset(None) == dt.timedelta(hours=-4)
    finally:
        if previous is None:
            monkeypatch.delenv("TZ")
        else:
            monkeypatch.setenv("TZ", previous)
        time.tzset()


def test_an_overlap_before_a_fixed_item_is_reported_and_the_fixed_item_keeps_its_time() -> None:
    session = workshop(minutes={"complexity": 55})
    assert plan_issues(session) == [
        PlanIssue(
            "overlap",
            "tea",
            "Tea break is fixed at 14:30 but the items before it run until 14:35 (5 min overlap)",
        )
    ]
    tea, after = planned(session)[3:5]
    assert (f"{tea.start:%H:%M}", f"{after.start:%H:%M}") == ("14:30", "14:40")


def test_a_gap_before_a_fixed_item_is_reported() -> None:
    assert plan_issues(workshop(minutes={"complexity": 45})) == [
        PlanIssue("gap", "tea", "5 min gap before Tea break (14:25–14:30)")
    ]


def test_a_fixed_first_item_after_the_start_leaves_a_gap() -> None:
    session = workshop(changes={"welcome": {"at": "13:05", "minutes": 5}})
    assert plan_issues(session) == [
        PlanIssue("gap", "welcome", "5 min gap before Welcome (13:00–13:05)")
    ]


def test_a_plan_running_past_the_end_is_reported() -> None:
    assert plan_issues(workshop(minutes={"reflection": 35})) == [
        PlanIssue(
            "past-end", "summing-up", "The plan runs until 16:10, 10 min past the end at 16:00"
        )
    ]


def test_a_fixed_time_before_the_start_is_reported() -> None:
    session = workshop(changes={"welcome": {"at": "12:45"}})
    assert plan_issues(session)[0] == PlanIssue(
        "before-start",
        "welcome",
        "Welcome is fixed at 12:45, 15 min before the session starts at 13:00",
    )


def test_issue_durations_read_in_hours_minutes_and_seconds() -> None:
    session = workshop(minutes={"reflection": 90}, changes={"tea": {"at": "14:30:30"}})
    assert [issue.message for issue in plan_issues(session)] == [
        "30 s gap before Tea break (14:30–14:30:30)",
        "The plan runs until 17:05:30, 1 h 5 min 30 s past the end at 16:00",
    ]


# --- the run ----------------------------------------------------------------------------------


def test_before_the_start_the_plan_is_the_projection() -> None:
    run = state_at("12:40")
    assert run.status == "planned"
    assert run.current is None and run.remaining is None and run.turn is None
    assert run.started_at is None and run.elapsed == dt.timedelta(0)
    assert states(run) == ["pending"] * 7
    assert run.projected_finish == run.planned_finish == t("16:00")
    assert run.drift == dt.timedelta(0)
    assert run.fixed_at_risk == []


def test_a_late_start_shows_as_drift_before_the_session_starts() -> None:
    run = state_at("13:05")
    assert run.drift == mins(5)
    # Tea is fixed, so a late start is absorbed only there: it is at risk of starting late.
    assert run.fixed_at_risk == [FixedRisk("tea", t("14:30"), t("14:35"), mins(5))]


def test_start_makes_the_first_item_current() -> None:
    run = state_at("13:04", ev("start", "13:00"))
    assert run.status == "running"
    assert run.current == 0
    assert states(run) == ["current"] + ["pending"] * 6
    assert run.remaining == mins(6)
    assert run.started_at == t("13:00")
    assert run.elapsed == mins(4)
    assert run.items[0].actual_start == t("13:00")
    assert run.items[0].actual_end is None
    assert run.drift == dt.timedelta(0)


def test_events_before_start_are_ignored_except_broadcast_and_a_second_start_too() -> None:
    run = state_at(
        "13:05",
        ev("next", "12:50"),
        ev("pause", "12:51"),
        ev("extend", "12:52", minutes=5),
        ev("broadcast", "12:53", text="Welcome!"),
        ev("start", "13:00"),
        ev("start", "13:02"),
    )
    assert run.current == 0
    assert run.status == "running"
    assert run.started_at == t("13:00")
    assert run.items[0].budget == mins(10)
    assert run.remaining == mins(5)
    assert run.broadcast == "Welcome!"


def test_start_passes_over_items_skipped_in_advance() -> None:
    run = state_at(
        "13:01",
        ev("skip", "12:50", item="welcome"),
        ev("skip", "12:51", item="coffee-trial"),
        ev("start", "13:00"),
    )
    assert run.current == 2
    assert states(run)[:3] == ["skipped", "skipped", "current"]
    assert run.items[0].actual_start is None
    # 80 min of skipped items, but the tea break is fixed, so the slack is absorbed there.
    assert run.drift == dt.timedelta(0)


def test_next_finishes_the_current_item_and_starts_the_next() -> None:
    run = state_at("13:15", ev("start", "13:00"), ev("next", "13:11"))
    assert run.current == 1
    assert states(run)[:3] == ["done", "current", "pending"]
    welcome, coffee = run.items[:2]
    assert (welcome.actual_start, welcome.actual_end, welcome.active) == (
        t("13:00"),
        t("13:11"),
        mins(11),
    )
    assert coffee.actual_start == t("13:11")
    assert run.remaining == mins(26)


def test_pause_excludes_time_from_the_item_but_not_from_the_clock() -> None:
    run = state_at("13:10", ev("start", "13:00"), ev("pause", "13:03"), ev("resume", "13:08"))
    assert run.status == "running"
    assert run.items[0].active == mins(5)
    assert run.remaining == mins(5)
    assert run.paused_for == mins(5)
    assert run.elapsed == mins(10)
    assert run.drift == mins(5)
    assert run.projected_finish == t("16:05")


def test_while_paused_the_countdown_stops_and_the_projection_slips() -> None:
    events = (ev("start", "13:00"), ev("pause", "13:03"))
    early, late = state_at("13:04", *events), state_at("13:09", *events)
    assert early.status == late.status == "paused"
    assert early.remaining == late.remaining == mins(7)
    assert late.paused_for - early.paused_for == mins(5)
    assert late.projected_finish - early.projected_finish == mins(5)


def test_a_second_pause_and_a_resume_without_a_pause_are_ignored() -> None:
    run = state_at(
        "13:10",
        ev("start", "13:00"),
        ev("resume", "13:01"),
        ev("pause", "13:02"),
        ev("pause", "13:04"),
        ev("resume", "13:06"),
        ev("resume", "13:07"),
    )
    assert run.status == "running"
    assert run.paused_for == mins(4)
    assert run.items[0].active == mins(6)


def test_controls_work_while_paused_and_the_session_stays_paused() -> None:
    run = state_at("13:20", ev("start", "13:00"), ev("pause", "13:10"), ev("next", "13:12"))
    assert run.status == "paused"
    assert run.current == 1
    assert run.items[1].active == dt.timedelta(0)
    assert run.items[1].actual_start == t("13:12")
    assert run.paused_for == mins(10)


def test_overtime_is_a_negative_remaining() -> None:
    run = state_at("13:12:30", ev("start", "13:00"))
    assert run.remaining == -mins(2.5)
    assert run.drift == mins(2.5)


def test_extend_adds_time_and_a_negative_extend_shortens() -> None:
    longer = state_at("13:05", ev("start", "13:00"), ev("extend", "13:04", minutes=5))
    assert longer.items[0].budget == mins(15)
    assert longer.remaining == mins(10)
    assert longer.drift == mins(5)
    shorter = state_at("13:05", ev("start", "13:00"), ev("extend", "13:04", minutes=-3))
    assert shorter.items[0].budget == mins(7)
    assert shorter.remaining == mins(2)
    # Only the current item's budget changes.
    assert [item.budget for item in shorter.items[1:]] == [mins(m) for m in (30, 50, 10, 50, 25, 5)]


def test_a_budget_never_goes_below_zero_and_is_clamped_at_each_extend() -> None:
    run = state_at(
        "13:02",
        ev("start", "13:00"),
        ev("extend", "13:01", minutes=-30),
        ev("extend", "13:01", minutes=4),
    )
    assert run.items[0].budget == mins(4)
    assert run.remaining == mins(2)
    cut = state_at("13:02", ev("start", "13:00"), ev("extend", "13:01", minutes=-30))
    assert cut.items[0].budget == dt.timedelta(0)
    assert cut.remaining == -mins(2)


def test_back_returns_to_the_previous_item_and_keeps_time_already_spent() -> None:
    run = state_at("13:15", ev("start", "13:00"), ev("next", "13:10"), ev("back", "13:12"))
    assert run.current == 0
    assert states(run)[:2] == ["current", "pending"]
    welcome, coffee = run.items[:2]
    assert welcome.active == mins(13)  # 10 before, 3 more after stepping back
    assert welcome.actual_start == t("13:00") and welcome.actual_end is None
    assert coffee.active == mins(2)
    assert coffee.actual_start == t("13:10") and coffee.actual_end is None
    assert run.remaining == -mins(3)
    # Welcome is 5 min over, but the coffee trial's 2 spent minutes are not projected again.
    assert run.projected_finish == t("16:03")

    again = state_at(
        "13:20",
        ev("start", "13:00"),
        ev("next", "13:10"),
        ev("back", "13:12"),
        ev("next", "13:15"),
    )
    assert again.items[1].active == mins(7)
    assert again.items[1].actual_start == t("13:10")
    assert again.remaining == mins(23)


def test_back_on_the_first_item_is_ignored() -> None:
    run = state_at("13:05", ev("start", "13:00"), ev("back", "13:02"))
    assert run.current == 0
    assert run.items[0].active == mins(5)


def test_skip_skips_the_current_item_and_moves_on() -> None:
    run = state_at("13:15", ev("start", "13:00"), ev("next", "13:10"), ev("skip", "13:12"))
    assert run.current == 2
    assert states(run)[:3] == ["done", "skipped", "current"]
    coffee = run.items[1]
    assert (coffee.actual_start, coffee.actual_end, coffee.active) == (
        t("13:10"),
        t("13:12"),
        mins(2),
    )
    # Naming the current item is the same as naming none.
    named = state_at(
        "13:15", ev("start", "13:00"), ev("next", "13:10"), ev("skip", "13:12", item="coffee-trial")
    )
    assert states(named) == states(run)


def test_skip_with_an_item_skips_it_in_advance_and_next_passes_over_it() -> None:
    events = [ev("start", "13:00"), ev("skip", "13:05", item="coffee-trial")]
    ahead = state_at("13:06", *events)
    assert ahead.current == 0
    assert states(ahead)[:2] == ["current", "skipped"]
    run = state_at("13:12", *events, ev("next", "13:10"))
    assert run.current == 2
    assert states(run)[:3] == ["done", "skipped", "current"]
    assert run.items[1].actual_start is None and run.items[1].actual_end is None


def test_skip_of_an_item_done_already_or_unknown_is_ignored() -> None:
    run = state_at(
        "13:15",
        ev("start", "13:00"),
        ev("next", "13:10"),
        ev("skip", "13:11", item="welcome"),
        ev("skip", "13:12", item="no-such-item"),
    )
    assert states(run)[:3] == ["done", "current", "pending"]


def test_back_undoes_a_skip() -> None:
    run = state_at(
        "13:15",
        ev("start", "13:00"),
        ev("next", "13:10"),
        ev("skip", "13:11"),
        ev("back", "13:12"),
    )
    assert run.current == 1
    assert states(run)[:3] == ["done", "current", "pending"]
    assert run.items[1].active == mins(4)


def test_next_on_the_last_item_finishes_the_session() -> None:
    events = [ev("start", "13:00"), *(ev("next", f"13:0{n}") for n in range(1, 8))]
    run = state_at("13:30", *events)
    assert run.status == "finished"
    assert run.current is None and run.remaining is None
    assert states(run) == ["done"] * 7
    assert run.finished_at == t("13:07")
    assert run.elapsed == mins(7)
    assert run.projected_finish == t("13:07")


def test_finish_ends_the_current_item_and_the_session() -> None:
    run = state_at(
        "15:00",
        ev("start", "13:00"),
        ev("next", "13:10"),
        ev("finish", "13:20"),
        ev("next", "13:21"),
        ev("broadcast", "13:22", text="Thank you!"),
    )
    assert run.status == "finished"
    assert states(run) == ["done", "done"] + ["pending"] * 5
    assert run.items[1].actual_end == t("13:20")
    assert run.finished_at == t("13:20")
    assert run.elapsed == mins(20)
    assert run.projected_finish == t("13:20")
    assert run.drift == t("13:20") - t("16:00")
    assert run.broadcast == "Thank you!"
    assert run.fixed_at_risk == []


def test_back_after_finish_reopens_the_last_item_and_counts_the_gap_as_paused() -> None:
    events = [ev("start", "13:00"), *(ev("next", f"13:0{n}") for n in range(1, 8))]
    run = state_at("13:12", *events, ev("back", "13:10"))
    assert run.status == "running"
    assert run.current == 6
    assert run.finished_at is None
    assert run.paused_for == mins(3)
    assert run.items[6].active == mins(3)
    assert run.elapsed == mins(12)


def test_starting_with_nothing_to_run_finishes_at_once() -> None:
    run = state_at("13:05", ev("start", "13:00"), session=workshop(agenda=[]))
    assert run.status == "finished"
    assert run.started_at == run.finished_at == t("13:00")
    assert run.elapsed == dt.timedelta(0)
    assert run.drift == dt.timedelta(0)


def test_the_latest_broadcast_shows_and_an_empty_one_clears_it() -> None:
    first = ev("broadcast", "13:01", text="Back at 14:40")
    assert state_at("13:02", first).broadcast == "Back at 14:40"
    assert state_at("13:03", first, ev("broadcast", "13:02", text="Chat is open")).broadcast == (
        "Chat is open"
    )
    assert state_at("13:03", first, ev("broadcast", "13:02", text="")).broadcast is None
    assert state_at("13:03").broadcast is None


def test_replan_sets_new_minutes_for_pending_items_only() -> None:
    run = state_at(
        "13:20",
        ev("start", "13:00"),
        ev("next", "13:10"),
        ev(
            "replan",
            "13:15",
            plan={"welcome": 20, "coffee-trial": 40, "common-purpose": 40, "gone": 5},
        ),
    )
    assert [item.budget for item in run.items[:5]] == [mins(m) for m in (10, 30, 50, 10, 40)]
    assert run.drift == -mins(10)


def test_replan_before_the_start_changes_the_projection() -> None:
    run = state_at("12:30", ev("replan", "12:00", plan={"reflection": 15, "summing-up": 10}))
    assert [item.budget for item in run.items[5:]] == [mins(15), mins(10)]
    assert run.projected_finish == t("15:55")
    assert run.drift == -mins(5)


def test_drift_is_zero_on_time_positive_behind_and_negative_ahead() -> None:
    on_time = state_at("14:00", ev("start", "13:00"), ev("next", "13:10"), ev("next", "13:40"))
    assert on_time.drift == dt.timedelta(0)
    assert on_time.projected_finish == t("16:00")
    behind = state_at("15:00", *_to_tea(), ev("next", "14:40"), ev("extend", "14:50", minutes=7))
    assert behind.drift == mins(7)
    ahead = state_at(
        "15:00", *_to_tea(), ev("next", "14:40"), ev("skip", "14:45", item="reflection")
    )
    assert ahead.drift == -mins(25)


def _to_tea() -> list[Event]:
    return [ev("start", "13:00"), ev("next", "13:10"), ev("next", "13:40"), ev("next", "14:30")]


def test_a_fixed_time_item_absorbs_earlier_slack() -> None:
    run = state_at("14:10", ev("start", "13:00"), ev("next", "13:10"), ev("next", "13:30"))
    # The coffee trial ended 10 min early, but tea is still at 14:30.
    assert run.projected_finish == t("16:00")
    assert run.drift == dt.timedelta(0)
    assert run.fixed_at_risk == []


def test_the_tea_break_is_at_risk_when_the_items_before_it_run_long() -> None:
    run = state_at("13:50", ev("start", "13:00"), ev("next", "13:10"), ev("next", "13:45"))
    assert run.fixed_at_risk == [FixedRisk("tea", t("14:30"), t("14:35"), mins(5))]
    assert run.drift == mins(5)
    risk = run.fixed_at_risk[0]
    assert risk.at.tzinfo == LONDON and risk.projected_start.tzinfo == LONDON
    # Overtime on the current item raises the risk minute by minute.
    later = state_at("14:40", ev("start", "13:00"), ev("next", "13:10"), ev("next", "13:45"))
    assert later.fixed_at_risk[0].late_by == mins(10)
    # Once tea has started it is no longer at risk.
    started = state_at("14:40", *_to_tea())
    assert started.fixed_at_risk == []


def test_pairing_turns_count_through_the_coffee_trial() -> None:
    events = [ev("start", "13:00"), ev("next", "13:10")]
    assert state_at("13:10", *events).turn == Turn(number=1, of=2, remaining=mins(7))
    assert state_at("13:13", *events).turn == Turn(number=1, of=2, remaining=mins(4))
    swap = state_at("13:17", *events).turn
    assert swap == Turn(number=2, of=2, remaining=mins(7))
    assert swap is not None and not swap.overtime
    over = state_at("13:25", *events).turn
    assert over == Turn(number=3, of=2, remaining=mins(6))
    assert over is not None and over.overtime
    # A pause freezes the turn as well as the item.
    paused = state_at("13:30", *events, ev("pause", "13:13"))
    assert paused.turn == Turn(number=1, of=2, remaining=mins(4))


def test_turns_follow_the_group_size_and_only_pairings_have_them() -> None:
    trios = workshop(changes={"coffee-trial": {"group_size": 3}})
    run = state_at("13:30", ev("start", "13:00"), ev("next", "13:10"), session=trios)
    assert run.turn == Turn(number=3, of=3, remaining=mins(1))
    assert state_at("13:05", ev("start", "13:00")).turn is None


def test_reopening_later_is_the_same_log_with_a_later_now() -> None:
    events = (ev("start", "13:00"), ev("next", "13:10"))
    before = state_at("13:12", *events)
    # The laptop was closed at 13:12 and reopened at 13:31: the wall clock went on.
    after = state_at("13:31", *events)
    assert before.remaining == mins(28)
    assert after.remaining == mins(9)
    assert after.items[0] == before.items[0]
    assert after.current == before.current == 1


def test_events_out_of_order_are_clamped_to_the_event_before() -> None:
    run = state_at(
        "13:20",
        ev("start", "13:00"),
        ev("next", "13:10"),
        ev("pause", "13:09"),  # another laptop's clock a minute behind
        ev("resume", "13:15"),
    )
    assert run.items[1].active == mins(5)
    assert run.paused_for == mins(5)
    assert run.elapsed == mins(20)


def test_a_now_before_the_last_event_is_read_as_that_event() -> None:
    run = state_at("13:05", ev("start", "13:00"), ev("next", "13:10"))
    assert run.now == t("13:10")
    assert run.current == 1
    assert run.items[0].active == mins(10)
    assert run.remaining == mins(30)


def test_log_times_are_utc_and_plan_times_are_in_the_session_zone() -> None:
    summer = workshop(date=dt.date(2023, 6, 22))
    start = dt.datetime(2023, 6, 22, 12, 0, tzinfo=dt.UTC)  # 13:00 in London
    session = summer.model_copy(update={"log": [Event(at=start, kind="start")]})
    run = run_state(session, start + mins(5))
    assert run.started_at == start and run.started_at.tzinfo == dt.UTC
    assert run.now.tzinfo == dt.UTC
    assert run.items[0].planned_start == start
    assert run.items[0].planned_start.tzinfo == LONDON
    assert f"{run.planned_finish:%H:%M}" == "16:00"
    assert run.drift == dt.timedelta(0)
    # The tz argument reads the same plan in another zone: it then starts an hour later.
    assert run_state(session, start + mins(5), dt.UTC).items[0].planned_start == start + mins(60)


def test_a_naive_now_is_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        run_state(workshop(), dt.datetime(2023, 2, 16, 13, 0))


def test_a_start_on_another_day_moves_the_plan_to_the_real_start() -> None:
    session = workshop()
    started = dt.datetime(2026, 11, 25, 2, 45, tzinfo=dt.UTC)
    session.log = [Event(at=started, kind="start")]

    state = run_state(session, started + dt.timedelta(minutes=12))

    assert state.plan_shift == started - dt.datetime(2023, 2, 16, 13, 0, tzinfo=dt.UTC)
    assert state.items[0].planned_start == started
    assert state.drift == dt.timedelta(minutes=2)
    tea = state.items[IDS.index("tea")]
    assert tea.planned_start == started + dt.timedelta(minutes=90)
    assert planned(session, dt.UTC)[0].start == started
    assert plan_issues(session, dt.UTC) == []


def test_a_late_start_on_the_planned_day_is_not_moved() -> None:
    session = workshop()
    late = dt.datetime(2023, 2, 16, 13, 4, tzinfo=dt.UTC)
    session.log = [Event(at=late, kind="start")]

    state = run_state(session, late)

    assert state.plan_shift == dt.timedelta(0)
    assert state.drift == dt.timedelta(minutes=4)


def test_a_past_session_not_started_is_previewed_at_its_times_today() -> None:
    session = workshop()  # 16 Feb 2023, 13:00-16:00, Europe/London
    morning = dt.datetime(2026, 11, 26, 5, 41, tzinfo=dt.UTC)

    state = run_state(session, morning)

    assert state.status == "planned"
    assert state.items[0].planned_start == dt.datetime(2026, 11, 26, 13, 0, tzinfo=dt.UTC)
    assert state.drift == dt.timedelta(0)  # not "33,088 h behind"
    assert state.fixed_at_risk == []
    assert f"{state.planned_finish:%Y-%m-%d %H:%M}" == "2026-11-26 16:00"
    # Still not started at 13:10 today: ten minutes behind its time today.
    assert run_state(session, morning.replace(hour=13, minute=10)).drift == dt.timedelta(minutes=10)


def test_a_future_session_not_started_keeps_its_own_date() -> None:
    session = workshop()
    weeks_before = dt.datetime(2023, 2, 1, 9, 0, tzinfo=dt.UTC)

    state = run_state(session, weeks_before)

    assert state.plan_shift == dt.timedelta(0)
    assert state.items[0].planned_start == dt.datetime(2023, 2, 16, 13, 0, tzinfo=dt.UTC)
    assert state.drift == dt.timedelta(0)
