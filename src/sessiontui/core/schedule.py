"""What the room should see: the plan's times, and the run replayed from the log at a given moment.

Everything here is a pure function of the session (its plan and its append-only log) and of a
`now` passed in by the caller, so the screen, the exporter and the tests all agree, and
reopening a session later is simply the same log read with a later `now`. All arithmetic is
exact `timedelta` arithmetic on UTC datetimes, so nothing drifts however long a session runs.

Times
    The session's `date` with `start`, `end` and each item's `at` are wall-clock times in the
    session's zone (`session_zone`, or the `tz` argument). Log times and `now` are instants.
    Results derived from the log (`actual_start`, `actual_end`, `started_at`, `finished_at`,
    `RunState.now`) are in UTC; results derived from the plan or projected from it
    (`planned_start`, `planned_end`, `projected_finish`, `planned_finish`, `FixedRisk` times,
    `PlannedItem` times) are in the session zone. Durations are computed here in UTC; a caller
    subtracting two session-zone datetimes itself gets wall-clock arithmetic from Python (an
    hour out across a change of clocks), so convert to UTC first or use the durations given.

The plan
    A session started on another day than its `date` (a rehearsal, a rescheduled run) is
    timed against its plan moved to the moment it really started (`plan_shift`); started on
    the planned day, the plan stays where it is, so starting 4 minutes late is 4 min behind.
    `plan_issues` always reads the plan as written.

    Items run back to back from the session's start. An item with `at` starts at that time
    whatever comes before it: a gap if the items before it end earlier, an overlap if they end
    later (`plan_issues` reports both), and the items after it follow on from its end.

Replaying the log
    Events are applied in log order; the log is append-only, so its order is the truth. An
    event whose `at` is earlier than the event before it (two laptops' clocks disagreeing
    slightly) is treated as happening at that earlier event's time, and a `now` earlier than
    the last event is treated as that event's time: what is in the log has happened.

    start
        The session runs and the first item not skipped in advance becomes current (if every
        item is skipped, the session finishes at once). A second start is ignored.
    pause / resume
        Pause the whole session. Paused time is nobody's active time, but the wall clock goes
        on, so the projected finish and the drift grow while paused. A pause while paused and
        a resume while running are ignored. Controls still work while paused (the session
        stays paused).
    next
        The current item is done and the next item not skipped becomes current; after the last
        one the session finishes.
    back
        The current item returns to pending, keeping its active time (that time was spent),
        and the item just before it in the agenda becomes current again and accumulates further
        active time on top of its old. That item may have been skipped: this is how a skip is
        undone. Back on the first item is ignored. Back after the session finished reopens the
        item that was current at the finish (so a stray next on the last item can be undone);
        the time between counts as paused.
    extend
        Adds `minutes` to the current item's budget (negative shortens); the budget never goes
        below zero, and is clamped at each extend, so "+5" after an over-long shortening gives
        5 minutes. `item` is ignored: an extend always concerns what the room is doing.
    skip
        Without `item` (or with the current item's id): the current item is skipped and the run
        moves on as for next. With the id of a later pending item: that item is skipped in
        advance, and start, next and skip pass over it. Skipping an item already done or
        skipped, or an unknown id, is ignored.
    finish
        The current item is done and the session finishes.
    broadcast
        The latest text is shown; an empty text clears it. With `seconds` it stops showing
        that long after it was sent (`RunState.broadcast` is then None at a later `now`).
    pin / hide_ways / show_ways
        The last pin names the way of working every shared screen keeps up (empty text goes
        back to rotating them; a name no longer among the ways of working pins nothing); the
        last of hide_ways and show_ways says whether the room sees them at all.
    replan
        Sets the minutes of the named pending items, replacing any extends they had before.
        Ids that are unknown or not pending are ignored.
    insert / move
        Change the agenda being run (`live_agenda` words how); the replay itself is
        `live_agenda.Replay`, so the items of a `RunState` are the live agenda in running order,
        each with its `origin`, and an index means a place in it, not in the plan.

    Before start only broadcast, pin, hide/show, replan, skip-ahead, insert and move apply
    (they change the plan or what the room sees, not the run); after finish only broadcast,
    pin, hide/show, back, insert and move do (an item added after the finish is listed, never
    run).

Turns
    A pairing item's groups each take one turn per person: pairs 2, threes 3. `RunState.turns`
    has one entry per group size of the current item, worked out by `turns.turns_of` from its
    budget (extends included) and its active time; turns.py words how a turn's length is set.

Projection
    From the current item: t = now + max(remaining, 0); then each later pending item starts at t,
    or at its `at` if that is later, and lasts what is left of its budget (budget - active, so
    time already spent on an item that was stepped back over is not counted twice). Before the
    start, t begins at max(now, session start). Once finished, the projected finish is the
    finish. The drift is the projected finish minus the planned end of the agenda's last item:
    zero when exactly on plan, positive when behind. A fixed-time item absorbs earlier slack,
    as in a real room where tea is at 14:30 however early the talk ends. Each `ItemRun` carries
    its span as things stand (`projected_start`, `projected_end`): actual for what is done,
    projected for what is to come, so every screen shows the same upcoming start times.

The live screen
    `countdown` words the current item's clock. Its phase is "warning" while 0 < remaining <=
    `warning_at` = max(warn_minutes, warn_fraction × budget) ("2 minutes left, or 20% of the
    item, whichever comes sooner"; the item's own settings override the session's, and the
    budget includes extends). At zero it is "time-up" for the first five seconds of overtime,
    so a frame at any ordinary refresh rate shows it, then "overtime". "paused" wins over all
    of these and, the clock being derived, shows the remaining frozen. The text rounds the
    remaining up (a fresh 10-minute item reads 10:00 and 00:00 means exactly zero) and the
    overtime down. `crossed_zero` compares two states, so the bell rings once per crossing
    whatever the refresh rate, and never on reopening a session already in overtime.

    `replan.propose_replan` shortens the pending items so that the projection ends by the
    plan's end (the reference `drift` is measured from), keeping fixed times fixed; replan.py
    words how the cuts are shared out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import tzinfo
from typing import Literal
from zoneinfo import ZoneInfo

from sessiontui.core import grouping
from sessiontui.core.live_agenda import ItemState, Origin, Replay, RunStatus
from sessiontui.core.model import AgendaItem, Session
from sessiontui.core.turns import Turn, turns_of

IssueKind = Literal["overlap", "gap", "past-end", "before-start", "avoid"]
Phase = Literal["planned", "running", "warning", "time-up", "overtime", "paused", "finished"]

TIME_UP_FOR = dt.timedelta(seconds=5)
"""How long after zero the countdown says TIME UP before it counts overtime, so a frame shows it."""

_ALWAYS_ALLOWED = frozenset({"broadcast", "pin", "hide_ways", "show_ways"})
"""Controls of what the room is shown, not of the run: they apply in every status."""

_ZERO = dt.timedelta(0)
_SECOND = dt.timedelta(seconds=1)
_MINUTE = dt.timedelta(minutes=1)


@dataclass(frozen=True, slots=True)
class PlannedItem:
    """One agenda item placed on the clock; the plan view and the run both start from this."""

    index: int
    item: AgendaItem
    start: dt.datetime
    end: dt.datetime


@dataclass(frozen=True, slots=True)
class PlanIssue:
    """Something in the plan that cannot all happen as written, so the editor can say so early."""

    kind: IssueKind
    item_id: str | None
    message: str


@dataclass(frozen=True, slots=True)
class ItemRun:
    """One agenda item as the log has run it, so a screen needs nothing but this to draw it."""

    index: int
    item: AgendaItem
    state: ItemState
    budget: dt.timedelta
    active: dt.timedelta
    actual_start: dt.datetime | None
    actual_end: dt.datetime | None
    planned_start: dt.datetime
    """Where the plan put it; an inserted item's is where it was inserted, zero minutes long."""
    planned_end: dt.datetime
    origin: Origin = "planned"
    """Planned in its place, inserted while running, or moved from its planned place."""
    projected_start: dt.datetime | None = None
    """When it starts as things stand (session zone): actual once begun, else projected.

    None for an item dropped, or left unrun by the finish.
    """
    projected_end: dt.datetime | None = None
    """When it ends as things stand (session zone); None when dropped."""


@dataclass(frozen=True, slots=True)
class FixedRisk:
    """A fixed-time item the run will reach late, so the facilitator can act before it happens."""

    item_id: str
    at: dt.datetime
    projected_start: dt.datetime
    late_by: dt.timedelta


@dataclass(frozen=True, slots=True)
class RunState:
    """Everything the run screen shows at one moment, derived so it cannot disagree with the log."""

    status: RunStatus
    now: dt.datetime
    items: list[ItemRun]
    current: int | None
    remaining: dt.timedelta | None
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    elapsed: dt.timedelta
    paused_for: dt.timedelta
    projected_finish: dt.datetime
    planned_finish: dt.datetime
    drift: dt.timedelta
    broadcast: str | None
    """The message the room is shown now; None when there is none or it has expired."""
    fixed_at_risk: list[FixedRisk]
    plan_shift: dt.timedelta
    turns: list[Turn] = field(default_factory=list)
    """During a pairing round, one per group size of the current item, most people first."""
    broadcast_since: dt.datetime | None = None
    """When the message showing now was sent (UTC); None with no message."""
    broadcast_until: dt.datetime | None = None
    """When it stops showing by itself (UTC); None keeps it until it is cleared or replaced."""
    pinned: str | None = None
    """The way of working kept on every shared screen (its name as the session spells it)."""
    ways_hidden: bool = False
    """True when the facilitator hid the ways of working from the room."""

    @property
    def turn(self) -> Turn | None:
        """The turn of the groups with the most people, for screens that show one turn line."""
        return self.turns[0] if self.turns else None


@dataclass(frozen=True, slots=True)
class Countdown:
    """The current item's clock in words and numbers, so no screen shows a state by colour alone."""

    phase: Phase
    remaining: dt.timedelta
    """Time left on the item, never below zero."""
    overtime: dt.timedelta
    """Time past the item's budget, zero until it runs out."""
    budget: dt.timedelta
    fraction: float
    """Share of the budget used, 0 to 1, for a progress bar."""
    text: str
    """The clock: "12:34", "1:02:03" from an hour, "00:00" while time is up, "+03:12" after."""
    label: str
    """The phase as words: "WARNING: 2 min left", "TIME UP", "OVERTIME +03:12", "PAUSED"..."""


def session_zone(session: Session) -> tzinfo:
    """The zone of the session's wall-clock times, so plan and clock are compared in one frame."""
    if session.timezone is not None:
        return ZoneInfo(session.timezone)
    # The offset in force on the session's own day rather than today's, so a plan written in
    # winter for a summer session still lines up on the day; a naive astimezone() asks the
    # system's zone rules without reading the clock.
    zone = dt.datetime.combine(session.date, session.start).astimezone().tzinfo
    assert zone is not None  # astimezone() always attaches a zone
    return zone


def planned(session: Session, tz: tzinfo | None = None) -> list[PlannedItem]:
    """Where each item falls if everything runs to time, so the plan can be read and checked.

    Moved by `plan_shift` when the session was started on another day than planned.
    """
    zone = zone_of(session, tz)
    return [
        PlannedItem(index, item, start.astimezone(zone), end.astimezone(zone))
        for index, (item, (start, end)) in enumerate(
            zip(session.agenda, plan_utc(session, zone, plan_shift(session, zone)), strict=True)
        )
    ]


def plan_issues(session: Session, tz: tzinfo | None = None) -> list[PlanIssue]:
    """The plan's overlaps, gaps, overruns and unknown `avoid` names, to fix before the day."""
    zone = zone_of(session, tz)
    start = wall_utc(session, session.start, zone)
    end = wall_utc(session, session.end, zone)
    times = plan_utc(session, zone)
    issues: list[PlanIssue] = []

    def clock(moment: dt.datetime) -> str:
        return clock_words(moment, zone, session.date)

    for index, item in enumerate(session.agenda):
        if item.at is None:
            continue
        fixed = times[index][0]
        before = times[index - 1][1] if index else start
        if fixed < start:
            issues.append(
                PlanIssue(
                    "before-start",
                    item.id,
                    f"{item.title} is fixed at {clock(fixed)}, {span_words(start - fixed)} before "
                    f"the session starts at {clock(start)}",
                )
            )
        elif fixed < before:
            issues.append(
                PlanIssue(
                    "overlap",
                    item.id,
                    f"{item.title} is fixed at {clock(fixed)} but the items before it run until "
                    f"{clock(before)} ({span_words(before - fixed)} overlap)",
                )
            )
        elif fixed > before:
            issues.append(
                PlanIssue(
                    "gap",
                    item.id,
                    f"{span_words(fixed - before)} gap before {item.title} "
                    f"({clock(before)}–{clock(fixed)})",
                )
            )
    if times:
        # The latest end rather than the last item's: with an overlap, an earlier item can
        # run later than the last one.
        latest = max(range(len(times)), key=lambda index: times[index][1])
        finish = times[latest][1]
        if finish > end:
            issues.append(
                PlanIssue(
                    "past-end",
                    session.agenda[latest].id,
                    f"The plan runs until {clock(finish)}, {span_words(finish - end)} past the end "
                    f"at {clock(end)}",
                )
            )
    avoids = grouping.unknown_avoids(session.participants)
    issues += [PlanIssue("avoid", None, problem) for problem in avoids]
    return issues


def run_state(session: Session, now: dt.datetime, tz: tzinfo | None = None) -> RunState:
    """The run as the log has it at `now`, so it survives restarts and all screens agree on it."""
    if now.tzinfo is None:
        raise ValueError("now must be an aware datetime, such as dt.datetime.now(dt.UTC)")
    zone = zone_of(session, tz)
    shift = plan_shift(session, zone, now)
    times = plan_utc(session, zone, shift)
    session_start = wall_utc(session, session.start, zone, shift)
    run = Replay(session)
    for event in session.log:
        run.apply(event)
    moment = now.astimezone(dt.UTC)
    if run.last is not None:
        moment = max(moment, run.last)
    run.charge(moment)

    fixed = _fixed_times(session, run.agenda, zone, shift)
    projected, risks, spans = _project(run, fixed, moment, session_start, zone)
    planned_at = _live_plan(run, times, session_start, session.agenda)
    items = [
        ItemRun(
            index=index,
            item=item,
            state=run.state[index],
            budget=run.budget[index],
            active=run.active[index],
            actual_start=run.first_start[index],
            actual_end=run.last_stop[index] if run.state[index] in ("done", "skipped") else None,
            planned_start=planned_at[index][0].astimezone(zone),
            planned_end=planned_at[index][1].astimezone(zone),
            origin=run.origin[index],
            projected_start=None if index not in spans else spans[index][0].astimezone(zone),
            projected_end=None if index not in spans else spans[index][1].astimezone(zone),
        )
        for index, item in enumerate(run.agenda)
    ]
    current = run.current
    remaining = None if current is None else run.budget[current] - run.active[current]
    plan_end = times[-1][1] if times else session_start
    elapsed = _ZERO if run.started_at is None else (run.finished_at or moment) - run.started_at
    until = _broadcast_until(run)
    broadcast = run.broadcast if until is None or moment < until else None
    return RunState(
        status=run.status,
        now=moment,
        items=items,
        current=current,
        remaining=remaining,
        started_at=run.started_at,
        finished_at=run.finished_at,
        elapsed=elapsed,
        paused_for=run.paused_for,
        projected_finish=projected.astimezone(zone),
        planned_finish=wall_utc(session, session.end, zone, shift).astimezone(zone),
        drift=projected - plan_end,
        broadcast=broadcast,
        fixed_at_risk=risks,
        plan_shift=shift,
        turns=[]
        if current is None
        else turns_of(session, run.agenda[current], run.budget[current], run.active[current]),
        broadcast_since=None if broadcast is None else run.broadcast_at,
        broadcast_until=None if broadcast is None else until,
        pinned=_way_named(session, run.pinned),
        ways_hidden=run.ways_hidden,
    )


def current_before_each(session: Session) -> list[AgendaItem | None]:
    """The current item just before each logged event, so a log line can name it."""
    run = Replay(session)
    currents: list[AgendaItem | None] = []
    for event in session.log:
        currents.append(None if run.current is None else run.agenda[run.current])
        run.apply(event)
    return currents


def _fixed_times(
    session: Session, agenda: Sequence[AgendaItem], zone: tzinfo, shift: dt.timedelta
) -> list[dt.datetime | None]:
    """Each live item's fixed start (UTC), moved with the plan; None for those that follow on."""
    return [None if item.at is None else wall_utc(session, item.at, zone, shift) for item in agenda]


def _live_plan(
    run: Replay,
    times: Sequence[tuple[dt.datetime, dt.datetime]],
    session_start: dt.datetime,
    plan: Sequence[AgendaItem],
) -> list[tuple[dt.datetime, dt.datetime]]:
    """Each live item's planned span; an inserted item's is zero long, where it was put."""
    by_id = {item.id: span for item, span in zip(plan, times, strict=True)}
    spans: list[tuple[dt.datetime, dt.datetime]] = []
    before = session_start
    for item in run.agenda:
        span = by_id.get(item.id, (before, before))
        spans.append(span)
        before = span[1]
    return spans


def _project(
    run: Replay,
    fixed: Sequence[dt.datetime | None],
    now: dt.datetime,
    session_start: dt.datetime,
    zone: tzinfo,
) -> tuple[dt.datetime, list[FixedRisk], dict[int, tuple[dt.datetime, dt.datetime]]]:
    """The projected finish, the fixed items reached late, and each item's span as things stand.

    Done items span their actual start and end, the current one its start to now plus what is
    left, and each item to come its place in the walk; dropped items have none.
    """
    spans: dict[int, tuple[dt.datetime, dt.datetime]] = {}
    for index, state in enumerate(run.state):
        start, stop = run.first_start[index], run.last_stop[index]
        if state == "done" and start is not None and stop is not None:
            spans[index] = (start, stop)
    if run.finished_at is not None:
        return run.finished_at, [], spans
    current = run.current
    if current is None:
        moment, first = max(now, session_start), 0
    else:
        moment = now + max(run.budget[current] - run.active[current], _ZERO)
        spans[current] = (run.first_start[current] or now, moment)
        first = current + 1
    risks: list[FixedRisk] = []
    for index in range(first, len(run.agenda)):
        if run.state[index] != "pending":
            continue
        item = run.agenda[index]
        at = fixed[index]
        if at is not None:
            # An item stepped back over has started already; only a first start can be late.
            if moment > at and run.first_start[index] is None:
                risks.append(
                    FixedRisk(item.id, at.astimezone(zone), moment.astimezone(zone), moment - at)
                )
            moment = max(moment, at)
        start = moment
        moment += max(run.budget[index] - run.active[index], _ZERO)
        spans[index] = (start, moment)
    return moment, risks, spans


def _broadcast_until(run: Replay) -> dt.datetime | None:
    """When the last broadcast stops showing by itself; None when it stays until cleared."""
    if run.broadcast_at is None or run.broadcast_seconds is None:
        return None
    return run.broadcast_at + dt.timedelta(seconds=run.broadcast_seconds)


def _way_named(session: Session, name: str | None) -> str | None:
    """The way of working a pin names, as the session spells it; None when none matches now."""
    if name is None:
        return None
    wanted = " ".join(name.split()).casefold()
    return next(
        (
            way.name
            for way in session.ways_of_working
            if " ".join(way.name.split()).casefold() == wanted
        ),
        None,
    )


def zone_of(session: Session, tz: tzinfo | None) -> tzinfo:
    """`tz` when given, else the session's zone: every function here takes an optional zone."""
    return tz if tz is not None else session_zone(session)


def wall_utc(
    session: Session, time: dt.time, zone: tzinfo, shift: dt.timedelta = _ZERO
) -> dt.datetime:
    """A wall-clock time of the session's day as a UTC moment, moved by `shift`."""
    # Arithmetic happens in UTC: Python adds and subtracts same-zone datetimes as wall-clock
    # times, which would be out by an hour across a change of clocks.
    return dt.datetime.combine(session.date, time, tzinfo=zone).astimezone(dt.UTC) + shift


def plan_shift(
    session: Session, tz: tzinfo | None = None, now: dt.datetime | None = None
) -> dt.timedelta:
    """How far the plan moves because the session was started on another day than its `date`.

    A rehearsal, a rescheduled run or someone trying the example today would otherwise be
    "33,000 h behind"; such a run is timed against its plan moved to when it really started.
    A start on the planned day is never moved, so being 4 minutes late shows as 4 min behind.
    Not started yet, and its day already past (given `now`), the plan is previewed at the same
    times today, for the same reason.
    """
    zone = zone_of(session, tz)
    start = next((event.at for event in session.log if event.kind == "start"), None)
    if start is None:
        today = None if now is None else now.astimezone(zone).date()
        if today is None or today <= session.date:
            return _ZERO
        planned_start = dt.datetime.combine(session.date, session.start, tzinfo=zone)
        moved_start = dt.datetime.combine(today, session.start, tzinfo=zone)
        return moved_start.astimezone(dt.UTC) - planned_start.astimezone(dt.UTC)
    if start.astimezone(zone).date() == session.date:
        return _ZERO
    return start - wall_utc(session, session.start, zone)


def plan_utc(
    session: Session, zone: tzinfo, shift: dt.timedelta = _ZERO
) -> list[tuple[dt.datetime, dt.datetime]]:
    """Each item's planned start and end in UTC, so the plan and the run compare exactly."""
    moment = wall_utc(session, session.start, zone, shift)
    times: list[tuple[dt.datetime, dt.datetime]] = []
    for item in session.agenda:
        start = moment if item.at is None else wall_utc(session, item.at, zone, shift)
        moment = start + dt.timedelta(minutes=item.minutes)
        times.append((start, moment))
    return times


def clock_words(moment: dt.datetime, zone: tzinfo, day: dt.date) -> str:
    """A local time as the warnings say it ("14:30", with its day when not the session's)."""
    local = moment.astimezone(zone)
    text = local.strftime("%H:%M:%S" if local.second else "%H:%M")
    if local.date() != day:
        text += f" ({local:%a %d %b})"
    return text


def span_words(delta: dt.timedelta) -> str:
    """A duration to the second ("1 h 5 min", "40 s"), for the plan's warnings and replans."""
    seconds = delta // dt.timedelta(seconds=1)
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    parts = [f"{hours} h"] if hours else []
    if minutes or (hours and seconds):
        parts.append(f"{minutes} min")
    if seconds:
        parts.append(f"{seconds} s")
    return " ".join(parts) or "0 min"


# ---------------------------------------------------------------------------- the live screen


def warning_at(session: Session, item: AgendaItem, budget: dt.timedelta) -> dt.timedelta:
    """Time left at which an item warns: whichever of its minutes and its share comes sooner."""
    minutes = item.warn_minutes if item.warn_minutes is not None else session.warn_minutes
    share = item.warn_fraction if item.warn_fraction is not None else session.warn_fraction
    return max(dt.timedelta(minutes=minutes), max(budget, _ZERO) * share)


def countdown(session: Session, state: RunState) -> Countdown:
    """The clock of the item the room is on (or about to start), worded for the screen."""
    if state.status == "finished":
        return Countdown("finished", _ZERO, _ZERO, _ZERO, 1.0, _clock_text(0), "FINISHED")
    if state.current is None:
        # Before the start: the item start will make current, at its full length.
        upcoming = next((run for run in state.items if run.state == "pending"), None)
        budget = _ZERO if upcoming is None else upcoming.budget
        text = _clock_text(_ceil_seconds(budget))
        return Countdown("planned", budget, _ZERO, budget, 0.0, text, "NOT STARTED")
    run = state.items[state.current]
    left = run.budget - run.active
    remaining, overtime = max(left, _ZERO), max(-left, _ZERO)
    fraction = 1.0 if run.budget <= _ZERO else min(run.active / run.budget, 1.0)
    if left > _ZERO:
        text = _clock_text(_ceil_seconds(left))
    elif overtime < TIME_UP_FOR:
        text = _clock_text(0)
    else:
        text = "+" + _clock_text(overtime // _SECOND)
    phase: Phase
    if state.status == "paused":
        phase, label = "paused", "PAUSED"
    elif overtime >= TIME_UP_FOR:
        phase, label = "overtime", f"OVERTIME {text}"
    elif left <= _ZERO:
        phase, label = "time-up", "TIME UP"
    elif left <= warning_at(session, run.item, run.budget):
        phase, label = "warning", f"WARNING: {whole_minutes_text(-(-left // _MINUTE))} left"
    else:
        phase, label = "running", ""
    return Countdown(phase, remaining, overtime, run.budget, fraction, text, label)


def crossed_zero(before: RunState, after: RunState) -> bool:
    """Whether the current item ran out between two states, so the bell rings once per crossing."""
    if before.current is None or after.current is None or before.current != after.current:
        return False
    if before.items[before.current].item.id != after.items[after.current].item.id:
        return False
    assert before.remaining is not None and after.remaining is not None
    return before.remaining > _ZERO >= after.remaining


def drift_text(drift: dt.timedelta) -> str:
    """The drift as the room says it ("6 min behind"); under a minute either way is on time."""
    size = abs(drift)
    if size < _MINUTE:
        return "on time"
    return f"{whole_minutes_text(size // _MINUTE)} {'behind' if drift > _ZERO else 'ahead'}"


def next_events_allowed(state: RunState) -> set[str]:
    """The controls that would change the run now, so the screen can grey out the others.

    Exact for start, pause, resume, next, back, extend, skip and finish (back needs an item to
    go back to). Broadcast, pin and hiding or showing the ways of working are always on (the
    room sees them before the start and after the finish too); replan until the finish, as
    the log ignores it after.
    """
    if state.status == "planned":
        return {"start", "replan", *_ALWAYS_ALLOWED}
    if state.status == "finished":
        # Back reopens the item the session finished on; a start with nothing to run has none.
        reopenable = any(run.actual_start is not None for run in state.items)
        return {"back", *_ALWAYS_ALLOWED} if reopenable else set(_ALWAYS_ALLOWED)
    allowed = {"next", "extend", "skip", "finish", "replan", *_ALWAYS_ALLOWED}
    allowed.add("pause" if state.status == "running" else "resume")
    if state.current:
        allowed.add("back")
    return allowed


def _ceil_seconds(delta: dt.timedelta) -> int:
    return -(-delta // _SECOND)


def _clock_text(seconds: int) -> str:
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02}:{seconds:02}" if hours else f"{minutes:02}:{seconds:02}"


def whole_minutes_text(minutes: int) -> str:
    """Whole minutes as people say them ("1 h 5 min"), for the replan's message."""
    hours, minutes = divmod(minutes, 60)
    if hours and minutes:
        return f"{hours} h {minutes} min"
    return f"{hours} h" if hours else f"{minutes} min"
