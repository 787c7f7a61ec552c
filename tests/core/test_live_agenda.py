"""Live agenda changes: insert, move, drop (a skip ahead) and resize (a one-item replan).

Every expected time is worked out by hand from the reference workshop (13:00 London, which is
UTC in February): welcome 10, coffee-trial 30, complexity 50, tea 10 fixed at 14:30,
common-purpose 50, reflection 25, summing-up 5.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from pydantic import ValidationError

from sessiontui.core import review
from sessiontui.core.live_agenda import change_problem, live_agenda, move_target, new_item_id
from sessiontui.core.model import AgendaItem, Event, Session
from sessiontui.core.replan import propose_replan
from sessiontui.core.schedule import RunState, run_state
from workshops import DAY, REFERENCE_AGENDA, session_with

LONDON = ZoneInfo("Europe/London")
ENERGISER = {"id": "energiser", "title": "Energiser", "kind": "plenary", "minutes": 5}


def t(clock: str) -> dt.datetime:
    hour, minute = map(int, clock.split(":"))
    return dt.datetime.combine(DAY, dt.time(hour, minute), tzinfo=dt.UTC)


def ev(kind: str, clock: str, **fields: Any) -> Event:
    return Event(at=t(clock), kind=kind, **fields)


def insert(clock: str, after: str | None = None, **item: Any) -> Event:
    return ev("insert", clock, new_item=AgendaItem(**{**ENERGISER, **item}), after=after)


def workshop(*log: Event) -> Session:
    return session_with(REFERENCE_AGENDA, list(log))


def ids(state: RunState) -> list[str]:
    return [run.item.id for run in state.items]


def starts(state: RunState) -> dict[str, str | None]:
    """Each item's start as things stand, "HH:MM", by id."""
    return {
        run.item.id: None if run.projected_start is None else f"{run.projected_start:%H:%M}"
        for run in state.items
    }


def test_an_insert_goes_after_the_item_it_names_and_pushes_the_later_ones() -> None:
    session = workshop(ev("start", "13:00"), insert("13:02", after="welcome"))
    state = run_state(session, t("13:05"), LONDON)
    assert ids(state)[:3] == ["welcome", "energiser", "coffee-trial"]
    assert state.items[1].origin == "inserted" and state.items[1].state == "pending"
    # welcome ends 13:10, energiser 13:10-13:15, coffee 13:15-13:45, complexity 13:45-14:35,
    # so tea (fixed 14:30) is reached at 14:35 and everything after follows from 14:45.
    assert starts(state) == {
        "welcome": "13:00",
        "energiser": "13:10",
        "coffee-trial": "13:15",
        "complexity": "13:45",
        "tea": "14:35",
        "common-purpose": "14:45",
        "reflection": "15:35",
        "summing-up": "16:00",
    }
    assert [risk.item_id for risk in state.fixed_at_risk] == ["tea"]
    assert state.projected_finish == dt.datetime(2023, 2, 16, 16, 5, tzinfo=LONDON)


def test_next_runs_the_inserted_item_and_its_notes_are_valid() -> None:
    session = workshop(ev("start", "13:00"), insert("13:02"), ev("next", "13:08"))
    state = run_state(session, t("13:09"), LONDON)
    assert state.items[state.current or 0].item.id == "energiser"
    noted = session.model_copy(update={"notes": []})
    Session.model_validate({**noted.model_dump(), "notes": [{"item": "energiser"}]})
    assert session.item("energiser").title == "Energiser"


def test_an_insert_without_after_or_after_an_item_over_goes_right_after_the_current() -> None:
    log = [ev("start", "13:00"), ev("next", "13:10")]
    for after in (None, "welcome"):
        state = run_state(workshop(*log, insert("13:12", after=after)), t("13:12"), LONDON)
        assert ids(state)[:3] == ["welcome", "coffee-trial", "energiser"]


def test_before_the_start_an_insert_without_after_comes_first() -> None:
    state = run_state(workshop(insert("12:00")), t("12:30"), LONDON)
    assert ids(state)[0] == "energiser"
    assert starts(state)["energiser"] == "13:00" and starts(state)["welcome"] == "13:05"


def test_a_move_puts_a_later_item_after_another_and_marks_it_moved() -> None:
    session = workshop(
        ev("start", "13:00"), ev("move", "13:01", item="reflection", after="welcome")
    )
    state = run_state(session, t("13:01"), LONDON)
    assert ids(state)[:3] == ["welcome", "reflection", "coffee-trial"]
    assert [run.origin for run in state.items[:3]] == ["planned", "moved", "planned"]
    # welcome 13:00-13:10, reflection 13:10-13:35, coffee 13:35-14:05, complexity 14:05-14:55.
    assert starts(state)["reflection"] == "13:10" and starts(state)["tea"] == "14:55"
    state = run_state(workshop(*session.log, ev("next", "13:10")), t("13:11"), LONDON)
    assert state.items[state.current or 0].item.id == "reflection"


def test_the_current_or_a_done_item_does_not_move_and_the_core_says_why() -> None:
    log = [ev("start", "13:00"), ev("next", "13:10")]
    session = workshop(*log)
    for item, reason in (("coffee-trial", "running now"), ("welcome", "done already")):
        move = ev("move", "13:11", item=item, after="reflection")
        problem = change_problem(session, move)
        assert problem is not None and reason in problem
        assert ids(run_state(workshop(*log, move), t("13:11"), LONDON)) == ids(
            run_state(session, t("13:11"), LONDON)
        )


def test_a_drop_is_a_skip_ahead_the_run_passes_over() -> None:
    session = workshop(ev("start", "13:00"), ev("skip", "13:01", item="coffee-trial"))
    state = run_state(session, t("13:02"), LONDON)
    assert starts(state)["coffee-trial"] is None and starts(state)["complexity"] == "13:10"
    state = run_state(workshop(*session.log, ev("next", "13:10")), t("13:10"), LONDON)
    assert state.items[state.current or 0].item.id == "complexity"
    assert change_problem(session, ev("skip", "13:03", item="coffee-trial")) is not None


def test_a_duration_change_is_a_one_item_replan() -> None:
    session = workshop(ev("start", "13:00"), ev("replan", "13:01", plan={"coffee-trial": 20}))
    state = run_state(session, t("13:01"), LONDON)
    assert starts(state)["complexity"] == "13:30"


def test_extend_and_back_keep_working_around_an_insert() -> None:
    session = workshop(
        ev("start", "13:00"),
        insert("13:01", after="welcome"),
        ev("extend", "13:02", minutes=5),
        ev("next", "13:15"),
        ev("back", "13:16"),
    )
    state = run_state(session, t("13:16"), LONDON)
    assert state.items[state.current or 0].item.id == "welcome"
    # welcome: 15 min budget, 15 spent before next, 0 since back: it has no time left, so
    # the energiser (1 min spent of 5) follows now with 4 minutes left.
    assert starts(state)["energiser"] == "13:16" and starts(state)["coffee-trial"] == "13:20"


def test_a_later_now_and_plus_five_move_the_projected_starts() -> None:
    log = [ev("start", "13:00")]
    before = starts(run_state(workshop(*log), t("13:05"), LONDON))
    after = starts(run_state(workshop(*log, ev("extend", "13:05", minutes=5)), t("13:05"), LONDON))
    assert before["coffee-trial"] == "13:10" and after["coffee-trial"] == "13:15"
    late = starts(run_state(workshop(*log), t("13:12"), LONDON))
    assert late["coffee-trial"] == "13:12"


def test_a_replan_proposal_shortens_an_inserted_item_too() -> None:
    session = workshop(ev("start", "13:00"), insert("13:01", minutes=60), ev("next", "13:10"))
    proposal = propose_replan(session, t("13:10"), LONDON)
    assert proposal.feasible and "energiser" not in proposal.changes  # it is current
    session = workshop(ev("start", "13:00"), insert("13:01", after="complexity", minutes=60))
    proposal = propose_replan(session, t("13:05"), LONDON)
    assert "energiser" in proposal.changes


def test_live_agenda_lists_what_is_run_and_the_plan_stays_as_planned() -> None:
    session = workshop(
        ev("start", "13:00"),
        insert("13:01", after="welcome"),
        ev("move", "13:02", item="summing-up", after="energiser"),
        ev("skip", "13:03", item="reflection"),
    )
    live = live_agenda(session)
    assert [(row.item.id, row.origin) for row in live[:4]] == [
        ("welcome", "planned"),
        ("energiser", "inserted"),
        ("summing-up", "moved"),
        ("coffee-trial", "planned"),
    ]
    assert [row.item.id for row in live if row.dropped] == ["reflection"]
    assert [item.id for item in session.agenda] == [item["id"] for item in REFERENCE_AGENDA]


def test_the_review_shows_unplanned_dropped_and_moved_items_and_words_the_log() -> None:
    session = workshop(
        ev("start", "13:00"),
        insert("13:01", after="welcome"),
        ev("move", "13:02", item="summing-up", after="energiser"),
        ev("skip", "13:03", item="reflection"),
        ev("finish", "13:05"),
    )
    timing = review.timing(session, LONDON)
    changes = {row.item.id: row.change for row in timing.items}
    assert changes["energiser"] == "unplanned" and changes["reflection"] == "dropped"
    assert changes["summing-up"] == "moved" and changes["welcome"] == ""
    energiser = next(row for row in timing.items if row.item.id == "energiser")
    assert energiser.planned == dt.timedelta(0)
    texts = [line.text for line in timing.log]
    assert "Added Energiser (5 min), after Welcome" in texts
    assert "Moved Summing up after Energiser" in texts
    assert "Dropped Reflection" in texts
    # The drift is measured against the plan's last item, wherever it ran.
    assert timing.planned_end == dt.datetime(2023, 2, 16, 16, 0, tzinfo=LONDON)


@pytest.mark.parametrize(
    ("event", "field"),
    [
        (insert("13:01", id="welcome"), "log[1].new_item.id"),
        (insert("13:01", after="nowhere"), "log[1].after"),
        (ev("move", "13:01", item="nowhere"), "log[1].item"),
    ],
)
def test_the_session_refuses_a_change_naming_an_unknown_or_taken_id(
    event: Event, field: str
) -> None:
    with pytest.raises(ValidationError, match=re.escape(field)):
        workshop(ev("start", "13:00"), event)


def test_a_second_insert_of_the_same_id_is_refused_by_name() -> None:
    with pytest.raises(ValidationError, match=r"log\[2\]\.new_item\.id"):
        workshop(ev("start", "13:00"), insert("13:01"), insert("13:02"))


def test_an_insert_needs_its_item_and_a_move_its_id() -> None:
    with pytest.raises(ValidationError, match="needs `new_item`"):
        ev("insert", "13:00")
    with pytest.raises(ValidationError, match="needs `item`"):
        ev("move", "13:00", after="welcome")


def test_new_ids_are_slugs_of_the_title_that_nothing_uses_yet() -> None:
    session = workshop(ev("start", "13:00"), insert("13:01"))
    assert new_item_id(session, "Quick Energiser!") == "quick-energiser"
    assert new_item_id(session, "Energiser") == "energiser-2"
    assert new_item_id(session, "Tea break") == "tea-break"
    assert new_item_id(session, "???") == "item"


def test_a_move_one_place_up_or_down_names_the_item_to_go_after() -> None:
    ids = ["a", "b", "c", "d"]
    # b is current, so c and d are to come.
    assert move_target(ids, 2, 3, -1) == "b"
    assert move_target(ids, 2, 2, +1) == "d"
    with pytest.raises(ValueError, match="next"):
        move_target(ids, 2, 2, -1)
    with pytest.raises(ValueError, match="last"):
        move_target(ids, 2, 3, +1)
    # Before the start everything is to come; up to the top goes after nothing.
    assert move_target(ids, 0, 1, -1) is None
    session = workshop(ev("move", "12:00", item="tea", after=move_target(ids, 0, 1, -1)))
    assert live_agenda(session)[0].item.id == "tea"


def test_a_resize_of_a_dropped_or_done_item_is_refused_with_its_reason() -> None:
    session = workshop(
        ev("start", "13:00"), ev("skip", "13:01", item="reflection"), ev("next", "13:10")
    )
    assert change_problem(session, ev("replan", "13:11", plan={"complexity": 40})) is None
    for item, reason in (("reflection", "dropped"), ("welcome", "done")):
        problem = change_problem(session, ev("replan", "13:11", plan={item: 40}))
        assert problem is not None and reason in problem


def test_an_item_added_after_the_finish_is_listed_never_run_and_back_reaches_it() -> None:
    session = workshop(ev("start", "13:00"), ev("finish", "13:05"), insert("13:06"))
    state = run_state(session, t("13:07"), LONDON)
    assert state.status == "finished"
    assert ids(state)[:2] == ["welcome", "energiser"]
    assert state.items[1].state == "pending" and state.items[1].projected_start is None
    assert change_problem(session, insert("13:07", id="another")) is not None
    reopened = workshop(*session.log, ev("back", "13:08"), ev("next", "13:09"))
    state = run_state(reopened, t("13:09"), LONDON)
    assert state.items[state.current or 0].item.id == "energiser"
