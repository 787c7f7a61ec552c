"""What a reviewer sees of a past session: planned against actual, the log in words, the notes.

Pure functions of a `Session` (and, for the series, of several), shared by the review screen,
the series screen and the exported minutes, so all three tell the same story. Everything is
derived from the plan and the append-only log through `schedule.run_state`; nothing here
counts time itself. No Textual import, no disk.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import tzinfo
from typing import Final, Literal

from sessiontui.core import note_templates, schedule
from sessiontui.core import notes as notes_rules
from sessiontui.core.live_agenda import ItemState, Origin, RunStatus, live_agenda
from sessiontui.core.model import (
    Action,
    ActionStatus,
    AgendaItem,
    Event,
    Note,
    NotesTemplate,
    Session,
)

_ZERO: Final = dt.timedelta(0)
_MINUTE: Final = dt.timedelta(minutes=1)

SessionState = Literal["planned", "running", "finished"]


@dataclass(frozen=True, slots=True)
class ItemTiming:
    """One agenda item, planned against what happened; times are in the session's zone."""

    index: int
    item: AgendaItem
    state: ItemState
    planned_start: dt.datetime
    planned_end: dt.datetime
    actual_start: dt.datetime | None
    """When the room first reached the item (None if it never did)."""
    actual_end: dt.datetime | None
    """When the room last left it (None if it never did, or it was still current)."""
    planned: dt.timedelta
    """The item's minutes as planned, before any extend or replan; zero for one inserted."""
    actual: dt.timedelta | None
    """Active time spent on it (pauses excluded), or None if it was never reached."""
    origin: Origin = "planned"
    """Planned in its place, inserted while running (unplanned), or moved from its place."""

    @property
    def dropped(self) -> bool:
        """Skipped before the room ever reached it: taken off the agenda, not cut short."""
        return self.state == "skipped" and self.actual_start is None

    @property
    def change(self) -> str:
        """How the run changed this item's plan, in a word: unplanned, moved, dropped or empty."""
        if self.origin == "inserted":
            return "unplanned"
        if self.dropped:
            return "dropped"
        return "moved" if self.origin == "moved" else ""

    @property
    def start_difference(self) -> dt.timedelta | None:
        """How much later (positive) or earlier than planned the item began; None if unplanned."""
        if self.actual_start is None or self.origin == "inserted":
            return None
        return self.actual_start - self.planned_start

    @property
    def duration_difference(self) -> dt.timedelta | None:
        """How much longer (positive) or shorter than planned the item took."""
        return None if self.actual is None else self.actual - self.planned

    @property
    def overran(self) -> bool:
        """True when it took a minute or more longer than planned: the chart marks it.

        Never for an item added while running: all of its time is unplanned, and says so.
        """
        difference = self.duration_difference
        return self.origin != "inserted" and difference is not None and difference >= _MINUTE


@dataclass(frozen=True, slots=True)
class LogLine:
    """One event of the log in words, for the reviewer: pauses, skips, replans, broadcasts."""

    at: dt.datetime
    """When it happened, in the session's zone."""
    kind: str
    text: str


@dataclass(frozen=True, slots=True)
class Timing:
    """The whole session planned against actual."""

    state: SessionState
    items: list[ItemTiming]
    planned_start: dt.datetime
    planned_end: dt.datetime
    """The planned end of the agenda's last item (the session's `end` when the plan fits)."""
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    start_late: dt.timedelta | None
    """How late (positive) or early the session started, or None if it never did."""
    drift: dt.timedelta | None
    """How late (positive) or early it finished against the plan, or None if it did not finish."""
    paused_for: dt.timedelta
    log: list[LogLine]
    zone: tzinfo


def state_of(session: Session) -> SessionState:
    """planned, running or finished: one replay of the log, for a list of many sessions.

    Not `timing(session).state`, which also puts every item and the log into words (a second
    replay) that a list of a thousand sessions never shows.
    """
    if not session.log:
        return "planned"
    return _state(schedule.run_state(session, max(event.at for event in session.log)).status)


def _state(status: RunStatus) -> SessionState:
    # A paused session is still running, as far as anyone looking back is concerned.
    return "running" if status == "paused" else status


def timing(session: Session, tz: tzinfo | None = None) -> Timing:
    """The session as it ran, read at its last logged moment, so a later review changes nothing."""
    zone = tz or schedule.session_zone(session)
    if session.log:
        moment = max(event.at for event in session.log)
    else:
        # Not started: read at its own planned start, so the plan is shown as written and not
        # moved to today the way the live screen previews it.
        moment = dt.datetime.combine(session.date, session.start, tzinfo=zone)
    run = schedule.run_state(session, moment, tz=zone)
    items = [
        ItemTiming(
            index=item.index,
            item=item.item,
            state=item.state,
            planned_start=item.planned_start,
            planned_end=item.planned_end,
            actual_start=_local(item.actual_start, zone),
            actual_end=_local(item.actual_end, zone),
            planned=_ZERO if item.origin == "inserted" else dt.timedelta(minutes=item.item.minutes),
            actual=None if item.actual_start is None else item.active,
            origin=item.origin,
        )
        for item in run.items
    ]
    # The plan's first and last items, wherever the run moved them, so the drift and the
    # late start are measured against the plan as written.
    by_id = {row.item.id: row for row in items}
    plan = [by_id[item.id] for item in session.agenda]
    planned_start = (
        plan[0].planned_start
        if plan
        else dt.datetime.combine(session.date, session.start, tzinfo=zone) + run.plan_shift
    )
    planned_end = plan[-1].planned_end if plan else run.planned_finish
    started_at = _local(run.started_at, zone)
    finished_at = _local(run.finished_at, zone)
    return Timing(
        state=_state(run.status),
        items=items,
        planned_start=planned_start,
        planned_end=planned_end,
        started_at=started_at,
        finished_at=finished_at,
        start_late=None if started_at is None else started_at - planned_start,
        drift=None if finished_at is None else finished_at - planned_end,
        paused_for=run.paused_for,
        log=log_lines(session, zone),
        zone=zone,
    )


def log_lines(session: Session, tz: tzinfo | None = None) -> list[LogLine]:
    """The events a reviewer reads back, in words; plain next, start and finish are in the table."""
    zone = tz or schedule.session_zone(session)
    titles = {item.id: item.title for item in session.agenda}
    titles.update(
        (event.new_item.id, event.new_item.title) for event in session.log if event.new_item
    )
    lines: list[LogLine] = []
    paused_at: dt.datetime | None = None
    currents = schedule.current_before_each(session)
    for event, current in zip(session.log, currents, strict=True):
        at = event.at.astimezone(zone)
        current_title = "" if current is None else current.title
        kind = event.kind
        if kind == "pause":
            if paused_at is None:
                paused_at = at
        elif kind == "resume":
            if paused_at is not None:
                lines.append(
                    LogLine(
                        paused_at,
                        "pause",
                        f"Paused for {span_text(at - paused_at)}"
                        + (f" during {current_title}" if current_title else ""),
                    )
                )
                paused_at = None
        elif kind == "skip" and event.item is not None and event.item != (current and current.id):
            lines.append(LogLine(at, "drop", f"Dropped {titles.get(event.item, event.item)}"))
        elif kind == "skip":
            title = titles.get(event.item or "", "") or current_title
            lines.append(LogLine(at, "skip", f"Skipped {title}" if title else "Skipped an item"))
        elif kind in ("insert", "move"):
            lines.append(LogLine(at, kind, _change_text(event, titles)))
        elif kind == "extend":
            minutes = event.minutes or 0
            verb = "Extended" if minutes >= 0 else "Shortened"
            what = f" {current_title}" if current_title else ""
            lines.append(LogLine(at, "extend", f"{verb}{what} by {abs(minutes)} min"))
        elif kind == "replan":
            changes = ", ".join(
                f"{titles.get(item_id, item_id)} to {minutes} min"
                for item_id, minutes in (event.plan or {}).items()
            )
            lines.append(LogLine(at, "replan", f"Replanned: {changes}"))
        elif kind == "back":
            lines.append(LogLine(at, "back", f"Went back from {current_title or 'the finish'}"))
        elif kind == "broadcast":
            lines.append(LogLine(at, "broadcast", _broadcast_text(event)))
        elif kind == "pin":
            pinned = f"Pinned “{event.text}” for the room" if event.text else "Unpinned"
            lines.append(LogLine(at, "pin", pinned))
        elif kind in ("hide_ways", "show_ways"):
            verb = "Hid" if kind == "hide_ways" else "Showed"
            lines.append(LogLine(at, kind, f"{verb} the ways of working"))
    if paused_at is not None:
        lines.append(LogLine(paused_at, "pause", "Paused (never resumed)"))
    lines.sort(key=lambda line: line.at)
    return lines


def _broadcast_text(event: Event) -> str:
    """A broadcast in words, with how long it stayed up when it had an expiry."""
    if not event.text:
        return "Cleared the message"
    if event.seconds is None:
        return f"Told the room: {event.text}"
    return f"Told the room for {span_text(dt.timedelta(seconds=event.seconds))}: {event.text}"


def _change_text(event: Event, titles: dict[str, str]) -> str:
    """An insert or move in words: what went where."""
    where = "next" if event.after is None else f"after {titles.get(event.after, event.after)}"
    if event.kind == "insert" and event.new_item is not None:
        return f"Added {event.new_item.title} ({event.new_item.minutes} min), {where}"
    return f"Moved {titles.get(event.item or '', event.item or '')} {where}"


@dataclass(frozen=True, slots=True)
class NoteSection:
    """One group's notes for one item, laid out by the item's template."""

    item: AgendaItem
    group: str
    """The group's name, or empty for notes on the whole room."""
    template: NotesTemplate
    fields: list[tuple[str, str]]
    """(question, text) in the template's order."""
    members: list[str]
    words: int
    """Words in the whole statement (what counts against `word_limit`)."""
    limit: int | None
    edited: dt.datetime | None

    @property
    def layout(self) -> note_templates.Layout:
        """How the template lays these notes out: "text", "quadrants" or "statement"."""
        return note_templates.layout_of(self.template)

    @property
    def over_limit(self) -> int:
        """Words over the limit, 0 when within it or when there is none."""
        return 0 if self.limit is None else max(0, self.words - self.limit)

    @property
    def empty(self) -> bool:
        return not any(text.strip() for _, text in self.fields)


def note_sections(session: Session) -> list[NoteSection]:
    """Every note, by agenda order then group order, laid out by its item's template.

    Text kept in a field the template does not ask (a template changed after the notes were
    taken) is not dropped: it follows as an extra field named after the attribute.
    """
    # In running order, so notes on an item inserted live sit where it ran.
    order = {live.item.id: index for index, live in enumerate(live_agenda(session))}
    sections: list[NoteSection] = []
    for note in sorted(session.notes, key=lambda n: (order.get(n.item, 10**9), _group_key(n))):
        try:
            item = session.item(note.item)
        except KeyError:
            continue
        asked = notes_rules.fields_of(item)
        fields = [(question.label, note.answer(question.key)) for question in asked]
        asked_keys = {question.key for question in asked}
        for key, text in note.answers.items():
            if key not in asked_keys and text.strip():
                fields.append((note_templates.label_of(key), text))
        sections.append(
            NoteSection(
                item=item,
                group=note.group,
                template=notes_rules.template_of(item),
                fields=fields,
                members=notes_rules.members_of(session, item.id, note.group),
                words=notes_rules.statement_words(note, item),
                limit=item.word_limit,
                edited=note.edited,
            )
        )
    return [section for section in sections if not section.empty]


def _group_key(note: Note) -> tuple[int, str]:
    # "Group 2" before "Group 10": the number in the name, when there is one, sorts first.
    digits = "".join(ch for ch in note.group if ch.isdigit())
    return (int(digits) if digits else 0, note.group)


def ways_of_working_used(session: Session) -> list[str]:
    """The ground rules as "Name: text" lines, for the minutes."""
    return [f"{way.name}: {way.text}" if way.text else way.name for way in session.ways_of_working]


# ---------------------------------------------------------------------------- the series


@dataclass(frozen=True, slots=True)
class SeriesEntry:
    """One session of a series, with how its timing went."""

    key: str
    """Where it came from (the file's path), so the caller can open or update it."""
    session: Session
    timing: Timing


@dataclass(frozen=True, slots=True)
class Commitment:
    """One commitment of a series, with the session it was made in."""

    key: str
    """Where it came from (the file's path)."""
    session_title: str
    session_date: dt.date
    index: int
    """Its position in that session's `actions`, so a status change finds it."""
    action: Action


def series_of(sessions: Iterable[tuple[str, Session]], series: str) -> list[SeriesEntry]:
    """The sessions of one series, in date order, each with its timing."""
    members = [(key, session) for key, session in sessions if session.series == series]
    members.sort(key=lambda pair: (pair[1].date, pair[1].start, pair[0]))
    return [SeriesEntry(key, session, timing(session)) for key, session in members]


def commitments(entries: Sequence[SeriesEntry]) -> list[Commitment]:
    """Every commitment of the series, oldest session first, in the order they were made."""
    return [
        Commitment(entry.key, entry.session.title, entry.session.date, index, action)
        for entry in entries
        for index, action in enumerate(entry.session.actions)
    ]


def previous_in_series(
    sessions: Iterable[tuple[str, Session]], current: Session
) -> tuple[str, Session] | None:
    """The latest earlier session of the same series: whose commitments to check back on."""
    if not current.series:
        return None
    earlier = [
        (key, session)
        for key, session in sessions
        if session.series == current.series and session.date < current.date
    ]
    if not earlier:
        return None
    return max(earlier, key=lambda pair: (pair[1].date, pair[1].start))


def with_status(session: Session, commitment: Commitment, status: ActionStatus) -> Session:
    """A copy of the session with this commitment's status changed.

    Found at its old position if it is still there, else by who and what (someone may have
    deleted an earlier one since the list was read); raises LookupError if it is gone.
    """
    actions = list(session.actions)
    wanted = commitment.action
    same = [
        position
        for position, action in enumerate(actions)
        if (action.who, action.what, action.item) == (wanted.who, wanted.what, wanted.item)
    ]
    if not same:
        raise LookupError(f"{wanted.who}: {wanted.what!r} is no longer in {session.title}")
    position = commitment.index if commitment.index in same else same[0]
    actions[position] = actions[position].model_copy(update={"status": status})
    return session.model_copy(update={"actions": actions})


# ---------------------------------------------------------------------------- words


def span_text(delta: dt.timedelta) -> str:
    """A duration as people say it: "7 min", "1 h 5 min", "40 s"."""
    seconds = round(abs(delta).total_seconds())
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    if hours:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    if minutes:
        return f"{minutes} min" if seconds < 30 or minutes >= 10 else f"{minutes} min {seconds} s"
    return f"{seconds} s"


def difference_text(delta: dt.timedelta | None) -> str:
    """ "+4 min", "−2 min", "on time" (under a minute either way), or "—" when unknown."""
    if delta is None:
        return "—"
    if abs(delta) < _MINUTE:
        return "on time"
    minutes = round(abs(delta) / _MINUTE)
    sign = "+" if delta > _ZERO else "−"
    return f"{sign}{minutes} min"


def lateness_text(delta: dt.timedelta | None, *, what: str = "finished") -> str:
    """ "finished 12 min late", "finished 3 min early", "finished on time"; "" when unknown."""
    if delta is None:
        return ""
    if abs(delta) < _MINUTE:
        return f"{what} on time"
    minutes = round(abs(delta) / _MINUTE)
    return f"{what} {minutes} min {'late' if delta > _ZERO else 'early'}"


def clock_text(moment: dt.datetime | None) -> str:
    """HH:MM in the moment's own zone, or "—"."""
    return "—" if moment is None else moment.strftime("%H:%M")


def minutes_text(delta: dt.timedelta | None) -> str:
    """A duration as whole minutes ("7 min"), rounded; "—" when unknown."""
    if delta is None:
        return "—"
    return f"{round(delta / _MINUTE)} min"


def _local(moment: dt.datetime | None, zone: tzinfo) -> dt.datetime | None:
    return None if moment is None else moment.astimezone(zone)
