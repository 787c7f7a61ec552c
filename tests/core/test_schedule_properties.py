"""Properties of the run replayed from random logs: exact time accounting, consistent states.

Each example drives a session of up to three hours with random controls and random clock
steps (pauses, clocks stepping back a little, microseconds included), then checks that the
accounting holds exactly: timedelta equality, never an approximation.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sessiontui.core.model import Event, Session
from sessiontui.core.schedule import RunState, planned, run_state
from workshops import REFERENCE_AGENDA, session_with

LONDON = ZoneInfo("Europe/London")
START = dt.datetime(2023, 2, 16, 13, 0, tzinfo=dt.UTC)  # 13:00 in London in February
ZERO = dt.timedelta(0)


# The autouse fixture in conftest only points user directories at a temporary folder, which
# is as good for every example as for the first.
PROPERTY = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@st.composite
def agendas(draw: st.DrawFn) -> list[dict[str, Any]]:
    """The reference agenda, or a random one with pairings and fixed times (overlaps too)."""
    if draw(st.booleans()):
        return REFERENCE_AGENDA
    agenda = []
    for index in range(draw(st.integers(1, 8))):
        item: dict[str, Any] = {
            "id": f"item-{index}",
            "title": f"Item {index}",
            "kind": draw(st.sampled_from(["plenary", "pairing", "breakout", "break"])),
            "minutes": draw(st.integers(1, 60)),
        }
        if item["kind"] == "pairing" and draw(st.booleans()):
            item["turn_minutes"] = draw(st.integers(1, 15))
            item["group_size"] = draw(st.integers(2, 4))
        if draw(st.integers(0, 4)) == 0:
            item["at"] = dt.time(draw(st.integers(13, 15)), draw(st.integers(0, 59)))
        agenda.append(item)
    return agenda


KINDS = [
    *["next"] * 6,
    *["pause", "resume"] * 3,
    *["extend"] * 2,
    "back",
    "skip",
    "skip-ahead",
    "broadcast",
    "replan",
    "finish",
    "start",
    "insert",
    "move",
]


@st.composite
def controls(draw: st.DrawFn, ids: list[str]) -> dict[str, Any]:
    """One control as the run screen would log it, weighted towards the common ones."""
    kind = draw(st.sampled_from(KINDS))
    if kind == "extend":
        return {"kind": kind, "minutes": draw(st.integers(-30, 30))}
    if kind == "skip-ahead":
        return {"kind": "skip", "item": draw(st.sampled_from([*ids, "unknown"]))}
    if kind == "broadcast":
        return {"kind": kind, "text": draw(st.sampled_from(["Back at 14:40", ""]))}
    if kind == "replan":
        plan = draw(st.dictionaries(st.sampled_from(ids), st.integers(1, 60), min_size=1))
        return {"kind": kind, "plan": plan}
    if kind in ("insert", "move"):
        # Ids are the plan's and those inserted so far (`ids` grows as the log is drawn).
        after = draw(st.sampled_from([*ids, None]))
        if kind == "move":
            return {"kind": kind, "item": draw(st.sampled_from(ids)), "after": after}
        new_id = f"added-{len(ids)}"
        ids.append(new_id)
        minutes = draw(st.integers(1, 30))
        item = {"id": new_id, "title": "Added", "kind": "plenary", "minutes": minutes}
        return {"kind": kind, "new_item": item, "after": after}
    return {"kind": kind}


# Mostly forward, with microseconds; now and then a clock a little behind the previous event.
steps = st.one_of(
    st.timedeltas(min_value=ZERO, max_value=dt.timedelta(minutes=10)),
    st.timedeltas(min_value=dt.timedelta(minutes=-1), max_value=ZERO),
)


@st.composite
def runs(draw: st.DrawFn) -> Session:
    """A session with a random log covering up to three hours from the planned start."""
    agenda = draw(agendas())
    ids = [item["id"] for item in agenda]
    clock = START + draw(st.timedeltas(min_value=dt.timedelta(minutes=-10), max_value=ZERO))
    log = []
    if draw(st.integers(0, 9)):  # usually started first; sometimes controls come before it
        log.append(Event(at=clock, kind="start"))
    for _ in range(draw(st.integers(0, 60))):
        clock += draw(steps)
        if clock > START + dt.timedelta(hours=3):
            break
        log.append(Event(at=clock, **draw(controls(ids))))
    return session_with(agenda, log)


def check(session: Session, run: RunState) -> None:
    """Every invariant that must hold of any state at any moment."""
    items = run.items
    assert sum((item.active for item in items), ZERO) + run.paused_for == run.elapsed
    current = [item.index for item in items if item.state == "current"]
    if run.status in ("running", "paused"):
        assert current == [run.current]
        assert run.current is not None and run.remaining is not None
        now_item = items[run.current]
        assert run.remaining == now_item.budget - now_item.active
        assert run.started_at is not None and run.finished_at is None
        assert run.elapsed == run.now - run.started_at
        assert now_item.actual_start is not None and now_item.actual_end is None
        assert all(item.state in ("done", "skipped") for item in items[: run.current])
        assert all(item.state in ("pending", "skipped") for item in items[run.current + 1 :])
        assert run.projected_finish >= run.now
    else:
        assert current == [] and run.current is None and run.remaining is None
        assert run.turn is None
    if run.status == "planned":
        assert run.started_at is None and run.elapsed == ZERO and run.paused_for == ZERO
        assert all(item.state in ("pending", "skipped") for item in items)
        assert all(item.actual_start is None and item.active == ZERO for item in items)
    if run.status == "finished":
        assert run.started_at is not None and run.finished_at is not None
        assert run.elapsed == run.finished_at - run.started_at
        assert run.projected_finish == run.finished_at
        assert run.fixed_at_risk == []
    for item in items:
        assert item.budget >= ZERO and item.active >= ZERO
        if item.actual_start is None:
            assert item.active == ZERO and item.actual_end is None
        if item.state == "done":
            assert item.actual_start is not None and item.actual_end is not None
        if item.state == "pending":
            assert item.actual_end is None
        if item.actual_end is not None:
            assert item.state in ("done", "skipped")
            assert item.actual_start is not None and item.actual_start <= item.actual_end
    plan = planned(session)
    assert run.drift == run.projected_finish - (plan[-1].end if plan else run.planned_finish)
    for risk in run.fixed_at_risk:
        assert risk.late_by > ZERO and risk.projected_start - risk.at == risk.late_by
        assert next(item for item in items if item.item.id == risk.item_id).state == "pending"
    # The live agenda is the plan and every insert, each once, in some order.
    inserted = [event.new_item.id for event in session.log if event.new_item is not None]
    assert sorted(item.item.id for item in items) == sorted(
        [item.id for item in session.agenda] + inserted
    )
    # The items to come follow one another from the current one to the projected finish.
    if run.status != "finished":
        first = 0 if run.current is None else run.current
        walk = [item for item in items[first:] if item.state in ("pending", "current")]
        for before, after in itertools.pairwise(walk):
            assert before.projected_end is not None and after.projected_start is not None
            assert after.projected_start >= before.projected_end
        if walk:
            assert walk[-1].projected_end == run.projected_finish
    if run.turn is not None:
        assert run.current is not None
        item = items[run.current].item
        # A turn is `turn_minutes` when every turn fits the item, else a share of its budget.
        length = run.turn.length
        if item.turn_minutes is not None:
            assert length <= dt.timedelta(minutes=item.turn_minutes)
        assert length * run.turn.of <= items[run.current].budget
        assert run.turn.number >= 1 and ZERO < run.turn.remaining <= length
        assert run.turn.of == (item.group_size or 2)
        assert length * run.turn.number - run.turn.remaining == items[run.current].active


def prefixes(session: Session) -> list[Session]:
    return [
        session.model_copy(update={"log": session.log[:n]}) for n in range(len(session.log) + 1)
    ]


@pytest.mark.slow
@PROPERTY
@given(session=runs(), later=st.timedeltas(min_value=ZERO, max_value=dt.timedelta(hours=2)))
def test_every_state_along_a_random_run_is_consistent(
    session: Session, later: dt.timedelta
) -> None:
    for part in prefixes(session):
        moment = part.log[-1].at if part.log else START
        check(part, run_state(part, moment, LONDON))
        check(part, run_state(part, moment + later, LONDON))


@pytest.mark.slow
@PROPERTY
@given(
    session=runs(),
    gaps=st.lists(st.timedeltas(min_value=ZERO, max_value=dt.timedelta(hours=1)), max_size=5),
)
def test_a_later_now_only_moves_the_clock(session: Session, gaps: list[dt.timedelta]) -> None:
    first = run_state(session, session.log[-1].at if session.log else START, LONDON)
    moment, previous = first.now, first
    for gap in gaps:
        moment += gap
        run = run_state(session, moment, LONDON)
        check(session, run)
        # The log decides everything but the current item's clock and the projection.
        assert (run.status, run.current, run.broadcast) == (
            first.status,
            first.current,
            first.broadcast,
        )
        assert [item.state for item in run.items] == [item.state for item in first.items]
        for before, after in zip(first.items, run.items, strict=True):
            if before.state != "current":
                # The later items' projected spans move with the clock; nothing else does.
                assert dataclasses.replace(after, projected_start=None, projected_end=None) == (
                    dataclasses.replace(before, projected_start=None, projected_end=None)
                )
        assert run.projected_finish >= previous.projected_finish
        if run.status == "paused":
            assert run.remaining == previous.remaining
            assert run.paused_for - previous.paused_for == gap
            assert ZERO <= run.projected_finish - previous.projected_finish <= gap
        if run.status == "running":
            assert previous.remaining is not None
            assert run.remaining == previous.remaining - gap
        previous = run


@st.composite
def plans_with_pauses(draw: st.DrawFn) -> tuple[list[dict[str, Any]], list[tuple[Any, ...]]]:
    """An agenda with no gaps, and for each item an optional pause (when, whole minutes)."""
    if draw(st.booleans()):
        agenda = REFERENCE_AGENDA
    else:
        agenda = [
            {"id": f"item-{n}", "title": f"Item {n}", "kind": "plenary", "minutes": minutes}
            for n, minutes in enumerate(draw(st.lists(st.integers(1, 60), min_size=1, max_size=8)))
        ]
    pauses: list[tuple[Any, ...]] = []
    for item in agenda:
        minutes = item["minutes"]
        if minutes > 1 and draw(st.booleans()):
            length = draw(st.integers(1, minutes - 1))
            usable = dt.timedelta(minutes=minutes - length)
            pauses.append((draw(st.timedeltas(min_value=ZERO, max_value=usable)), length))
        else:
            pauses.append(())
    return agenda, pauses


@PROPERTY
@given(plan_and_pauses=plans_with_pauses())
def test_running_exactly_to_plan_ends_with_zero_drift(
    plan_and_pauses: tuple[list[dict[str, Any]], list[tuple[Any, ...]]],
) -> None:
    agenda, pauses = plan_and_pauses
    clock = START
    log = [Event(at=clock, kind="start")]

    def state() -> RunState:
        session = session_with(agenda, log)
        run = run_state(session, clock, LONDON)
        check(session, run)
        return run

    for item, pause in zip(agenda, pauses, strict=True):
        assert state().drift == ZERO
        budget = dt.timedelta(minutes=item["minutes"])
        if pause:
            into, length = pause
            clock += into
            log.append(Event(at=clock, kind="pause"))
            clock += dt.timedelta(minutes=length)
            assert state().drift == dt.timedelta(minutes=length)
            # The facilitator makes the paused minutes up on the same item.
            log.append(Event(at=clock, kind="resume"))
            log.append(Event(at=clock, kind="extend", minutes=-length))
            assert state().drift == ZERO
            budget -= dt.timedelta(minutes=length)
            clock += budget - into
        else:
            clock += budget
        # Pressed exactly when the budget is used up.
        assert state().remaining == ZERO
        log.append(Event(at=clock, kind="next"))
    end = state()
    assert end.status == "finished"
    assert end.drift == ZERO
    assert end.finished_at == planned(session_with(agenda))[-1].end
    assert end.elapsed == sum((item.active for item in end.items), ZERO) + end.paused_for
