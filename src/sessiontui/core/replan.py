"""A proposal to shorten the items still to come so that a late session ends on time.

`propose_replan` shortens the pending items so that the projection (`schedule.run_state`)
ends by the plan's end (the reference `drift` is measured from). Each fixed-time item is a
wall: the items between two walls are shortened so that the later wall starts on time, and
those after the last wall so that the session ends on time; cuts are proportional to the
items' budgets, in whole minutes, never below one minute. A wall that cannot start on time
even so gets the shortest items before it, and later segments make up what they can. The
facilitator accepts it as an `Event(kind="replan")`, whose replay `schedule` describes.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import tzinfo
from fractions import Fraction

from sessiontui.core.model import Session
from sessiontui.core.schedule import (
    ItemRun,
    clock_words,
    plan_utc,
    run_state,
    span_words,
    wall_utc,
    whole_minutes_text,
    zone_of,
)

_ZERO = dt.timedelta(0)
_MINUTE = dt.timedelta(minutes=1)


@dataclass(frozen=True, slots=True)
class Replan:
    """Shorter lengths for the items still to come, so a late session can still end on time."""

    changes: dict[str, int]
    """New whole minutes by item id, only for items that change; log as Event(kind="replan")."""
    before: dt.datetime
    """The projected finish now (session zone)."""
    after: dt.datetime
    """The projected finish once the changes are applied (session zone)."""
    feasible: bool
    """False when even one minute per item cannot end on time; `changes` is then empty."""
    message: str


def propose_replan(session: Session, now: dt.datetime, tz: tzinfo | None = None) -> Replan:
    """Shorten the items still to come so the session ends on time, keeping fixed times fixed.

    Build the replan event from a proposal made at the same `now`: in overtime every second
    spent deciding moves the finish on.
    """
    zone = zone_of(session, tz)
    state = run_state(session, now, zone)
    before = state.projected_finish

    def unchanged(feasible: bool, message: str) -> Replan:
        return Replan({}, before, before, feasible, message)

    if state.status == "finished":
        return unchanged(state.drift <= _ZERO, "The session has finished: nothing to shorten")
    if state.drift <= _ZERO:
        return unchanged(True, "Already on time: nothing to shorten")

    times = plan_utc(session, zone, state.plan_shift)
    session_start = wall_utc(session, session.start, zone, state.plan_shift)
    if state.current is None:
        moment, first = max(state.now, session_start), 0
    else:
        assert state.remaining is not None
        moment, first = state.now + max(state.remaining, _ZERO), state.current + 1
    # Same walk as the projection, so `after` is what run_state will say once it is applied.
    changes: dict[int, int] = {}
    late: list[tuple[ItemRun, dt.timedelta]] = []
    segment: list[ItemRun] = []
    for run in state.items[first:]:
        if run.state != "pending":
            continue
        if run.item.at is None:
            segment.append(run)
            continue
        fixed = wall_utc(session, run.item.at, zone, state.plan_shift)
        moment = _shorten(segment, moment, fixed, changes)
        if moment > fixed and run.actual_start is None:
            late.append((run, moment - fixed))
        moment = max(moment, fixed) + max(run.budget - run.active, _ZERO)
        segment = []
    # The reference of the drift, so "on time" means the same here as on the screen.
    target = times[-1][1] if times else session_start
    moment = _shorten(segment, moment, target, changes)

    def clock(instant: dt.datetime) -> str:
        return clock_words(instant, zone, session.date)

    if moment > target:
        return unchanged(
            False,
            f"Cannot finish by {clock(target)}: even at 1 min per item still to come the "
            f"session ends at {clock(moment)}, {span_words(moment - target)} late",
        )
    plan = {state.items[index].item.id: minutes for index, minutes in changes.items()}
    cut = sum(state.items[index].budget // _MINUTE - minutes for index, minutes in changes.items())
    count = f"{len(plan)} item" + ("s" if len(plan) > 1 else "")
    message = f"Shorten {count} by {whole_minutes_text(cut)} in all to finish by {clock(target)}"
    for run, by in late:
        message += f"; {run.item.title} still starts {span_words(by)} late"
    return Replan(plan, before, moment.astimezone(zone), True, message)


def _shorten(
    segment: Sequence[ItemRun], entry: dt.datetime, deadline: dt.datetime, changes: dict[int, int]
) -> dt.datetime:
    """Fit one segment between entry and deadline, recording new minutes; returns its end."""
    left = sum((max(run.budget - run.active, _ZERO) for run in segment), _ZERO)
    if entry + left <= deadline:
        return entry + left
    # Items of a minute or less have nothing to give: every item keeps at least a minute.
    flexible = [run for run in segment if run.budget // _MINUTE > 1]
    rigid = left - sum((max(run.budget - run.active, _ZERO) for run in flexible), _ZERO)
    plan = _fit(flexible, deadline - entry - rigid) or [1] * len(flexible)
    for run, minutes in zip(flexible, plan, strict=True):
        if dt.timedelta(minutes=minutes) != run.budget:
            changes[run.index] = minutes
    return entry + rigid + _cost(flexible, plan)


def _fit(items: Sequence[ItemRun], room: dt.timedelta) -> list[int] | None:
    """The largest proportional whole-minute lengths whose time left fits in room, or None."""
    if _cost(items, [1] * len(items)) > room:
        return None
    # Time left is at least the budget less the time already spent, so no larger total fits;
    # with nothing spent yet (the usual case) the first total tried is the answer.
    spent = sum((run.active for run in items), _ZERO)
    weights = [run.budget // _MINUTE for run in items]
    for total in range(min(sum(weights), (room + spent) // _MINUTE), len(items) - 1, -1):
        plan = _apportion(weights, total)
        if _cost(items, plan) <= room:
            return plan
    raise AssertionError("one minute each was checked to fit")  # pragma: no cover


def _cost(items: Sequence[ItemRun], plan: Sequence[int]) -> dt.timedelta:
    return sum(
        (
            max(dt.timedelta(minutes=minutes) - run.active, _ZERO)
            for run, minutes in zip(items, plan, strict=True)
        ),
        _ZERO,
    )


def _apportion(weights: Sequence[int], total: int) -> list[int]:
    """Split total minutes in proportion to weights, at least one each, by largest remainder.

    Items whose share would fall below a minute get exactly one and the rest is shared again
    among the others, so rounding never takes an item below a minute or above its weight.
    """
    pinned = [False] * len(weights)
    scale = Fraction(1)
    while True:
        free_weight = sum(weight for weight, pin in zip(weights, pinned, strict=True) if not pin)
        if free_weight == 0:
            break
        scale = Fraction(total - sum(pinned), free_weight)
        below = [i for i, weight in enumerate(weights) if not pinned[i] and weight * scale < 1]
        if not below:
            break
        for i in below:
            pinned[i] = True
    shares = [
        Fraction(1) if pin else weight * scale for weight, pin in zip(weights, pinned, strict=True)
    ]
    plan = [math.floor(share) for share in shares]
    spare = total - sum(plan)
    # Ties go to the earlier item, so the same session always gets the same proposal.
    order = sorted(range(len(shares)), key=lambda i: (plan[i] - shares[i], i))
    for i in order[:spare]:
        plan[i] += 1
    return plan
