"""One view-model of a session as it happened: what the minutes say, in the order they say it.

Built from `core.review` (planned against actual, the log in words, notes by template), so
the minutes and the review screen never disagree. The Markdown and the HTML renderers print
these words as they are, each through its own escaping; the order of the sections, when a
section has nothing to show and what it says instead, and the overrun marker live here only.
The strings are still what people typed (escaping is a format's business), and no Textual.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import ClassVar, Final, Literal

from sessiontui.core import note_templates, review
from sessiontui.core.model import Session
from sessiontui.minutes import chart

OVERRUN_MARK: Final = "▲"
"""Marks an overrun wherever one is shown (tables, charts), so it reads without colour too."""
OVERRAN: Final = f"{OVERRUN_MARK} overran"

# The section headings, the same in every format, so a reader of one finds their way in another.
WHO: Final = "Who took part"
AGENDA: Final = "Agenda: planned and actual"
HAPPENED: Final = "What happened"
NOTES: Final = "Notes by breakout"
PURPOSE: Final = "Common purpose"
COMMITMENTS: Final = "Commitments"
WAYS: Final = "Ways of working"
COMING_UP: Final = "Coming up"

# What a section says when it has nothing to show.
NOBODY: Final = "Nobody was listed."
NOT_RUN: Final = "Not run yet."
RAN_AS_PLANNED: Final = "It ran as planned: no pauses, skips, changes or messages."
NO_NOTES: Final = "No notes were taken."
NO_PURPOSE: Final = "No common-purpose statements were written."
NO_COMMITMENTS: Final = "No commitments were recorded."
NO_WAYS: Final = "None were listed."
NOTHING_PLANNED: Final = "Nothing is planned yet."

WHOLE_ROOM: Final = "Whole room"
NO_ANSWER: Final = "—"
"""Shown for a question the group left blank, so the question does not look cut off."""

_MINUTE: Final = dt.timedelta(minutes=1)
_DAYS: Final = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS: Final = (
    *("January", "February", "March", "April", "May", "June"),
    *("July", "August", "September", "October", "November", "December"),
)

# ---------------------------------------------------------------------------- notes templates

NotesLayout = Literal["text", "quadrants", "statement"]


def layout_of(template: str) -> NotesLayout:
    """How a notes template is laid out: plain text, four quadrants, or a counted statement.

    The one place the minutes and the review ask about a template; the answer is the
    template's entry in the registry (`core.note_templates`), free notes being plain text.
    """
    return note_templates.layout_of(template) or "text"


# ---------------------------------------------------------------------------- words


def date_text(day: dt.date) -> str:
    """ "Thursday 16 February 2023", spelt out here so the minutes never depend on the locale."""
    return f"{_DAYS[day.weekday()]} {day.day} {_MONTHS[day.month - 1]} {day.year}"


def summary_text(timing: review.Timing) -> str:
    """The timing in one line, "Started 13:02 (2 min late) · finished 15:59 (1 min early)"."""
    if timing.state == "planned" or timing.started_at is None:
        return "Not run yet"
    parts = [f"Started {review.clock_text(timing.started_at)} ({_late(timing.start_late)})"]
    if timing.finished_at is None:
        parts.append("not finished when last saved")
    else:
        parts.append(f"finished {review.clock_text(timing.finished_at)} ({_late(timing.drift)})")
    if timing.paused_for >= _MINUTE:
        parts.append(f"paused {review.minutes_text(timing.paused_for)}")
    return " · ".join(parts)


def _late(delta: dt.timedelta | None) -> str:
    # lateness_text with an empty verb is exactly the bracketed part: "2 min late", "on time".
    return review.lateness_text(delta, what="").strip()


def words_text(section: review.NoteSection) -> str:
    """ "23 / 40 words", "45 / 40 words · 5 over the limit", or "23 words" without a limit."""
    if section.limit is None:
        return f"{section.words} words"
    text = f"{section.words} / {section.limit} words"
    if section.over_limit:
        text += f" · {section.over_limit} over the limit"
    return text


def bar_mark(bar: chart.Bar) -> str:
    """The words beside an actual bar, "▲ +4 min over" or "skipped", so it reads in print."""
    if bar.skipped:
        return "skipped"
    if bar.over:
        return f"{OVERRUN_MARK} {review.difference_text(bar.row.duration_difference)} over"
    return ""


def short_overrun_mark(bar: chart.Bar) -> str:
    """ "▲ +4": the overrun mark where a chart has a few cells for it, "" without an overrun."""
    return f"{OVERRUN_MARK} +{round(bar.over)}" if bar.over else ""


FlagKind = Literal["dropped", "skipped", "unplanned", "overran", "running", "moved", "not-reached"]


@dataclass(frozen=True, slots=True)
class Flag:
    """What stands out about an agenda item, in a word or two, and its kind for styling."""

    kind: FlagKind
    text: str


def flag_of(row: review.ItemTiming, state: review.SessionState) -> Flag | None:
    """The item's flag, or None when nothing stands out about it.

    The run's changes to the plan come first: an item dropped before it was reached, or added
    while running (unplanned), says so whatever else is true of it.
    """
    if row.dropped:
        return Flag("dropped", "dropped")
    if row.state == "skipped":
        return Flag("skipped", "skipped")
    if row.origin == "inserted":
        return Flag("unplanned", "unplanned")
    if row.overran:
        return Flag("overran", OVERRAN)
    if row.state == "current":
        return Flag("running", "running")
    if row.origin == "moved":
        return Flag("moved", "moved")
    # Only a finished session has items it never reached; a running one may still get there.
    if row.actual_start is None and state == "finished":
        return Flag("not-reached", "not reached")
    return None


# ---------------------------------------------------------------------------- the view-model


@dataclass(frozen=True, slots=True)
class Detail:
    """One line of the header, "Facilitators" and their names (joined by each format)."""

    label: str
    values: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Header:
    """The title, the series and the details under them."""

    title: str
    series: str | None
    details: tuple[Detail, ...]


@dataclass(frozen=True, slots=True)
class People:
    """Who was there and who was not, each as "Name (Organisation)"."""

    kind: ClassVar[str] = "people"
    present: tuple[str, ...]
    absent: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class AgendaRow:
    """One line of the planned-against-actual table, in words every format prints as they are."""

    number: int
    title: str
    planned_start: str
    actual_start: str
    planned: str
    actual: str
    difference: str
    flag: Flag | None


@dataclass(frozen=True, slots=True)
class Agenda:
    """The one-line summary, the table and, when there are items, the chart."""

    kind: ClassVar[str] = "agenda"
    summary: str
    rows: tuple[AgendaRow, ...]
    chart: chart.Chart | None


@dataclass(frozen=True, slots=True)
class LogEntry:
    """One event of the log in words, with its time."""

    clock: str
    text: str


@dataclass(frozen=True, slots=True)
class Happened:
    """The pauses, extends, skips, replans and messages, in time order."""

    kind: ClassVar[str] = "happened"
    entries: tuple[LogEntry, ...]


@dataclass(frozen=True, slots=True)
class Answer:
    """One question and what the group wrote; no question when the notes are one free text."""

    question: str | None
    text: str


@dataclass(frozen=True, slots=True)
class GroupNotes:
    """One group's notes for one item, laid out by its template."""

    name: str
    members: tuple[str, ...]
    layout: NotesLayout
    answers: tuple[Answer, ...]
    words: str | None
    """The statement's word count against its limit, for a statement; else None."""
    over_limit: bool


@dataclass(frozen=True, slots=True)
class ItemNotes:
    """An agenda item's title and its groups' notes."""

    title: str
    groups: tuple[GroupNotes, ...]


@dataclass(frozen=True, slots=True)
class Notes:
    """Notes by item then group (the notes section and the common-purpose section)."""

    kind: ClassVar[str] = "notes"
    items: tuple[ItemNotes, ...]


@dataclass(frozen=True, slots=True)
class Commitment:
    """Who committed to what, by when, and where it stands."""

    who: str
    what: str
    due: str
    status: str


@dataclass(frozen=True, slots=True)
class Commitments:
    """Every commitment, in the order they were made."""

    kind: ClassVar[str] = "commitments"
    rows: tuple[Commitment, ...]


@dataclass(frozen=True, slots=True)
class Way:
    """One ground rule: its name and what it means (possibly nothing)."""

    name: str
    text: str


@dataclass(frozen=True, slots=True)
class Ways:
    """The ways of working the session agreed."""

    kind: ClassVar[str] = "ways"
    ways: tuple[Way, ...]


@dataclass(frozen=True, slots=True)
class Upcoming:
    """One later session of the series: its date in words and its title."""

    day: str
    title: str


@dataclass(frozen=True, slots=True)
class ComingUp:
    """The series' next sessions."""

    kind: ClassVar[str] = "coming-up"
    entries: tuple[Upcoming, ...]


Body = People | Agenda | Happened | Notes | Commitments | Ways | ComingUp


@dataclass(frozen=True, slots=True)
class Section:
    """One section of the minutes: its anchor, its heading, and its body or what it says instead."""

    key: str
    """The section's id in the HTML page, stable for links."""
    heading: str
    nothing: str | None
    """What the section says instead of its body when it has nothing to show; else None."""
    body: Body


@dataclass(frozen=True, slots=True)
class Minutes:
    """The whole session as it happened: the header, then the sections in their order."""

    header: Header
    sections: tuple[Section, ...]


def minutes_of(session: Session) -> Minutes:
    """The minutes of a session, read at its last logged moment like the review."""
    timing = review.timing(session)
    sections = review.note_sections(session)
    notes = [s for s in sections if layout_of(s.template) != "statement"]
    statements = [s for s in sections if layout_of(s.template) == "statement"]
    present = tuple(_person(p.name, p.org) for p in session.participants if not p.absent)
    absent = tuple(_person(p.name, p.org) for p in session.participants if p.absent)
    people = People(present, absent)
    happened = Happened(
        tuple(LogEntry(review.clock_text(line.at), line.text) for line in timing.log)
    )
    commitments = Commitments(
        tuple(
            Commitment(a.who, a.what, "—" if a.due is None else f"{a.due:%Y-%m-%d}", a.status)
            for a in session.actions
        )
    )
    ways = Ways(tuple(Way(way.name, way.text) for way in session.ways_of_working))
    coming_up = ComingUp(tuple(Upcoming(date_text(e.date), e.title) for e in session.upcoming))
    return Minutes(
        header=_header(session),
        sections=(
            Section("people", WHO, None if present or absent else NOBODY, people),
            Section("agenda", AGENDA, None, _agenda(timing)),
            Section("happened", HAPPENED, _happened_instead(timing), happened),
            Section("notes", NOTES, None if notes else NO_NOTES, _notes(notes)),
            Section(
                "common-purpose", PURPOSE, None if statements else NO_PURPOSE, _notes(statements)
            ),
            Section(
                "commitments", COMMITMENTS, _unless(commitments.rows, NO_COMMITMENTS), commitments
            ),
            Section("ways", WAYS, _unless(ways.ways, NO_WAYS), ways),
            Section("coming-up", COMING_UP, _unless(coming_up.entries, NOTHING_PLANNED), coming_up),
        ),
    )


def _unless(shown: tuple[object, ...], nothing: str) -> str | None:
    return None if shown else nothing


def _happened_instead(timing: review.Timing) -> str | None:
    if timing.state == "planned":
        return NOT_RUN
    return None if timing.log else RAN_AS_PLANNED


def _header(session: Session) -> Header:
    planned = f"{session.start:%H:%M} to {session.end:%H:%M}"
    if session.timezone:
        planned += f" ({session.timezone})"
    details = [Detail("Date", (date_text(session.date),)), Detail("Planned", (planned,))]
    if session.venue:
        details.append(Detail("Venue", (session.venue,)))
    if session.facilitators:
        details.append(Detail("Facilitators", tuple(session.facilitators)))
    return Header(session.title, session.series or None, tuple(details))


def _person(name: str, org: str | None) -> str:
    return f"{name} ({org})" if org else name


def _agenda(timing: review.Timing) -> Agenda:
    rows = []
    for row in timing.items:
        skipped = row.state == "skipped"
        rows.append(
            AgendaRow(
                number=row.index + 1,
                title=row.item.title,
                # An item added while running had no planned start.
                planned_start="—"
                if row.origin == "inserted"
                else review.clock_text(row.planned_start),
                actual_start=review.clock_text(row.actual_start),
                planned=review.minutes_text(row.planned),
                actual=review.minutes_text(row.actual),
                # A skipped item's few seconds against its plan would read as "−10 min".
                difference="—" if skipped else review.difference_text(row.duration_difference),
                flag=flag_of(row, timing.state),
            )
        )
    drawn = chart.chart_of(timing) if timing.items else None
    return Agenda(summary_text(timing), tuple(rows), drawn)


def _notes(sections: list[review.NoteSection]) -> Notes:
    by_item: dict[str, list[review.NoteSection]] = {}
    for section in sections:
        by_item.setdefault(section.item.id, []).append(section)
    return Notes(
        tuple(
            ItemNotes(rows[0].item.title, tuple(_group(section) for section in rows))
            for rows in by_item.values()
        )
    )


def _group(section: review.NoteSection) -> GroupNotes:
    layout = layout_of(section.template)
    answers = tuple(
        Answer(question, text if text.strip() else NO_ANSWER) for question, text in section.fields
    )
    if layout == "text" and len(answers) == 1:
        # Free notes are one text: its "Notes" question would only repeat the heading above it.
        answers = (Answer(None, answers[0].text),)
    statement = layout == "statement"
    return GroupNotes(
        name=section.group or WHOLE_ROOM,
        members=tuple(section.members),
        layout=layout,
        answers=answers,
        words=words_text(section) if statement else None,
        over_limit=statement and section.over_limit > 0,
    )
