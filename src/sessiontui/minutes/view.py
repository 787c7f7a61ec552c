"""One view-model of a session as it happened: what the minutes say, in the order they say it.

Built from `core.review` (planned against actual, the log in words, notes by template), so
the minutes and the review screen never disagree. The Markdown and the HTML renderers print
these words as they are, each through its own escaping; the order of the sections, which
sections are left out (an empty one, in every audience), what each audience is shown and the
overrun marker live here only. The strings are still what people typed (escaping is a
format's business), and no Textual.

Two audiences: the facilitators' minutes are the whole record. The participants' leave out
the run log (pauses, time changes, replans, messages shown on screen: the facilitator's
working) and anything facilitator-only; and when the session is held under the Chatham
House Rule they name nobody and no organisation: no list of people, no group members, the
commitments without who made them, and every participant's and facilitator's name (whole,
or any word of it as written) and organisation typed into a note, a group's name or a
commitment is replaced by "[name]" or "[organisation]".
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
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

# What the review screen says for an empty list; the minutes leave an empty section out.
NO_COMMITMENTS: Final = "No commitments were recorded."
NOTHING_PLANNED: Final = "Nothing is planned yet."

Audience = Literal["facilitators", "participants"]
AUDIENCES: Final[tuple[Audience, ...]] = ("facilitators", "participants")

CHATHAM_HOUSE_FOR_PARTICIPANTS: Final = (
    "Held under the Chatham House Rule: what was said may be used, but these minutes name "
    "nobody and no organisation."
)
CHATHAM_HOUSE_FOR_FACILITATORS: Final = (
    "Held under the Chatham House Rule: these facilitators' minutes name people; for "
    "participants, export the minutes with --for participants, which name nobody."
)
A_NAME: Final = "[name]"
AN_ORGANISATION: Final = "[organisation]"

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
    """The title, the series, the details under them, and a notice to the reader, if any."""

    title: str
    series: str | None
    details: tuple[Detail, ...]
    notice: str | None = None
    """A sentence under the details, such as that the Chatham House Rule applies."""


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
    """Who committed to what, by when, and where it stands; no who when nobody may be named."""

    who: str | None
    what: str
    due: str
    status: str


@dataclass(frozen=True, slots=True)
class Commitments:
    """Every commitment, in the order they were made."""

    kind: ClassVar[str] = "commitments"
    rows: tuple[Commitment, ...]
    named: bool = True
    """False when the table has no Who column (the Chatham House Rule, for participants)."""


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


@dataclass(frozen=True, slots=True)
class PlanItem:
    """One agenda item of the handout: when it is planned, where, and what the room is asked."""

    start: str
    end: str
    title: str
    length: str
    where: str
    prompts: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class PlanAgenda:
    """The agenda as planned, for the handout before the session."""

    kind: ClassVar[str] = "plan-agenda"
    items: tuple[PlanItem, ...]


Body = People | Agenda | Happened | Notes | Commitments | Ways | ComingUp | PlanAgenda


@dataclass(frozen=True, slots=True)
class Section:
    """One section of a document: its anchor, its heading and its body (never empty)."""

    key: str
    """The section's id in the HTML page, stable for links."""
    heading: str
    body: Body


@dataclass(frozen=True, slots=True)
class Minutes:
    """A whole document: the header, then the sections in their order.

    The minutes of a session as it happened, or (`plan.handout_of`) the handout before it;
    `kind` names which, for the page's title.
    """

    header: Header
    sections: tuple[Section, ...]
    kind: str = "Minutes"


def minutes_of(session: Session, audience: Audience = "facilitators") -> Minutes:
    """The minutes of a session for an audience, read at its last logged moment like the review.

    A section with nothing to show is left out, for every audience.
    """
    for_participants = audience == "participants"
    anonymous = for_participants and session.chatham_house
    hide = anonymiser(session) if anonymous else _as_typed
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
            Commitment(
                None if anonymous else a.who,
                hide(a.what),
                "—" if a.due is None else f"{a.due:%Y-%m-%d}",
                a.status,
            )
            for a in session.actions
        ),
        named=not anonymous,
    )
    notice = None
    if session.chatham_house:
        notice = CHATHAM_HOUSE_FOR_PARTICIPANTS if anonymous else CHATHAM_HOUSE_FOR_FACILITATORS
    candidates = [
        Section("people", WHO, people) if not anonymous and (present or absent) else None,
        Section("agenda", AGENDA, _agenda(timing)) if timing.items else None,
        # The log is the facilitator's working: pauses, time changes and what was on screen.
        Section("happened", HAPPENED, happened) if timing.log and not for_participants else None,
        Section("notes", NOTES, _notes(notes, hide, anonymous)) if notes else None,
        Section("common-purpose", PURPOSE, _notes(statements, hide, anonymous))
        if statements
        else None,
        Section("commitments", COMMITMENTS, commitments) if commitments.rows else None,
        _ways_section(session),
        _coming_up_section(session),
    ]
    return Minutes(
        header=header_of(session, notice),
        sections=tuple(section for section in candidates if section is not None),
    )


def _ways_section(session: Session) -> Section | None:
    ways = Ways(tuple(Way(way.name, way.text) for way in session.ways_of_working))
    return Section("ways", WAYS, ways) if ways.ways else None


def _coming_up_section(session: Session) -> Section | None:
    entries = tuple(Upcoming(date_text(e.date), e.title) for e in session.upcoming)
    return Section("coming-up", COMING_UP, ComingUp(entries)) if entries else None


def _as_typed(text: str) -> str:
    return text


def anonymiser(session: Session) -> Callable[[str], str]:
    """A function replacing every name and organisation of the session in a text.

    Whole names and organisations are matched whatever their case; each word of a name
    (two letters or more) as it is written in the file, so "Amira" alone is caught but the
    word "grace" in a sentence is not taken for Grace O'Neill. Longest first, so a whole
    name goes before a word of it.
    """
    people = [p.name for p in session.participants] + list(session.facilitators)
    orgs = [p.org for p in session.participants if p.org and p.org.strip()]
    whole: dict[str, str] = {}
    for org in orgs:
        whole[" ".join(org.split()).casefold()] = AN_ORGANISATION
    for name in people:
        whole[" ".join(name.split()).casefold()] = A_NAME
    words = {word for name in people for word in re.findall(r"\w[\w'’-]*\w", name)}
    if not whole:
        return _as_typed
    whole_pattern = _alternatives(whole, flags=re.IGNORECASE)
    word_pattern = _alternatives(words, flags=0) if words else None

    def hide(text: str) -> str:
        text = whole_pattern.sub(
            lambda match: whole.get(" ".join(match.group(0).split()).casefold(), A_NAME), text
        )
        return word_pattern.sub(A_NAME, text) if word_pattern is not None else text

    return hide


def _alternatives(phrases: Iterable[str], *, flags: int) -> re.Pattern[str]:
    """One pattern matching any of the phrases as whole words, spaces matching any spacing."""
    ordered = sorted(set(phrases), key=len, reverse=True)
    body = "|".join(r"\s+".join(re.escape(part) for part in p.split()) for p in ordered)
    return re.compile(rf"(?<!\w)(?:{body})(?!\w)", flags)


def header_of(session: Session, notice: str | None = None) -> Header:
    """The title, series, date, planned times, venue and facilitators: the minutes' and the
    handout's header alike, so the two read as one set."""
    planned = f"{session.start:%H:%M} to {session.end:%H:%M}"
    if session.timezone:
        planned += f" ({session.timezone})"
    details = [Detail("Date", (date_text(session.date),)), Detail("Planned", (planned,))]
    if session.venue:
        details.append(Detail("Venue", (session.venue,)))
    if session.facilitators:
        details.append(Detail("Facilitators", tuple(session.facilitators)))
    return Header(session.title, session.series or None, tuple(details), notice)


def ways_and_coming_up(session: Session) -> tuple[Section, ...]:
    """The ways of working and coming-up sections, each left out when empty (the handout's too)."""
    return tuple(s for s in (_ways_section(session), _coming_up_section(session)) if s)


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


def _notes(
    sections: list[review.NoteSection], hide: Callable[[str], str], anonymous: bool
) -> Notes:
    by_item: dict[str, list[review.NoteSection]] = {}
    for section in sections:
        by_item.setdefault(section.item.id, []).append(section)
    return Notes(
        tuple(
            ItemNotes(
                rows[0].item.title, tuple(_group(section, hide, anonymous) for section in rows)
            )
            for rows in by_item.values()
        )
    )


def _group(section: review.NoteSection, hide: Callable[[str], str], anonymous: bool) -> GroupNotes:
    layout = layout_of(section.template)
    answers = tuple(
        Answer(question, hide(text) if text.strip() else NO_ANSWER)
        for question, text in section.fields
    )
    if layout == "text" and len(answers) == 1:
        # Free notes are one text: its "Notes" question would only repeat the heading above it.
        answers = (Answer(None, answers[0].text),)
    statement = layout == "statement"
    return GroupNotes(
        name=hide(section.group) if section.group else WHOLE_ROOM,
        members=() if anonymous else tuple(section.members),
        layout=layout,
        answers=answers,
        words=words_text(section) if statement else None,
        over_limit=statement and section.over_limit > 0,
    )
