"""A session, and with it the series' coming-up sessions, as an iCalendar file.

Made with the `icalendar` library, never by hand: one VEVENT per session with its planned
start and end in the session's time zone (TZID, with the VTIMEZONE the zone needs on those
days, so a calendar shows the right hour across a change of clocks), the title as SUMMARY,
the venue as LOCATION and the agenda's planned times as DESCRIPTION. A session without a
`timezone` is planned in the computer's zone (`schedule.session_zone`); it is written in UTC,
as that zone has no name another computer would know. The series' `upcoming` entries that
have no session file are all-day events. Every UID is stable, so importing the file again
updates the events instead of doubling them. Pure: the caller reads the files and passes
`stamp` (DTSTAMP, when the file was made).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from sessiontui import __version__
from sessiontui.core import review, schedule
from sessiontui.core.model import Session, Upcoming

if TYPE_CHECKING:
    import icalendar

PRODUCT: Final = f"-//sessiontui//sessiontui {__version__}//EN"
UID_DOMAIN: Final = "sessiontui"


@dataclass(frozen=True, slots=True)
class SessionFile:
    """A session and the name of its file, which its UID is made from."""

    name: str
    session: Session


def calendar_of(
    this: SessionFile,
    others: Sequence[SessionFile] = (),
    *,
    series: bool = False,
    stamp: dt.datetime,
) -> str:
    """The iCalendar text of one session (CRLF lines); with `series`, also the later sessions.

    `others` are the other readable session files of its folder: with `series`, those of the
    same series dated after it become events too, and its `upcoming` entries dated after it
    for which no such file exists become all-day events.
    """
    import icalendar

    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODUCT)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add_component(_session_event(this, stamp))
    days = [this.session.date]
    if series:
        later = sorted(
            (
                other
                for other in others
                if other.session.series == this.session.series
                and other.session.series
                and other.session.date > this.session.date
            ),
            key=lambda other: (other.session.date, other.session.start, other.name),
        )
        for other in later:
            calendar.add_component(_session_event(other, stamp))
            days.append(other.session.date)
        with_files = {other.session.date for other in later}
        for entry in this.session.upcoming:
            if entry.date > this.session.date and entry.date not in with_files:
                calendar.add_component(_upcoming_event(this.session, entry, stamp))
                days.append(entry.date)
    # Each zone's rules for the years of the events: a calendar shows the right hour even
    # across a change of clocks, without 70 years of transitions in the file.
    first, last = min(days), max(days)
    calendar.add_missing_timezones(
        first_date=dt.date(first.year, 1, 1), last_date=dt.date(last.year + 1, 1, 1)
    )
    data: bytes = calendar.to_ical()
    return data.decode("utf-8")


def uid_of(*parts: str) -> str:
    """A UID made from what identifies an event, stable from one export to the next."""
    digest = hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()[:24]
    return f"{digest}@{UID_DOMAIN}"


def planned_span(session: Session) -> tuple[dt.datetime, dt.datetime]:
    """The session's planned start and end: in its own zone, or in UTC without a `timezone`."""
    zone = schedule.session_zone(session)
    start = dt.datetime.combine(session.date, session.start, tzinfo=zone)
    end = dt.datetime.combine(session.date, session.end, tzinfo=zone)
    if session.timezone is None:
        return start.astimezone(dt.UTC), end.astimezone(dt.UTC)
    return start, end


def agenda_lines(session: Session) -> list[str]:
    """ "13:00–13:10 Welcome" per item, at the plan's times as written (in the session's zone)."""
    as_written = session.model_copy(update={"log": []})
    return [
        f"{review.clock_text(placed.start)}–{review.clock_text(placed.end)} {placed.item.title}"
        for placed in schedule.planned(as_written)
    ]


def _session_event(entry: SessionFile, stamp: dt.datetime) -> icalendar.Event:
    import icalendar

    session = entry.session
    start, end = planned_span(session)
    event = icalendar.Event()
    # The file's name and the day, not the title: fixing a typo in the title updates the event.
    event.add("uid", uid_of(entry.name, session.date.isoformat()))
    event.add("dtstamp", stamp.astimezone(dt.UTC))
    event.add("summary", session.title)
    event.add("dtstart", start)
    event.add("dtend", end)
    if session.venue:
        event.add("location", session.venue)
    lines = agenda_lines(session)
    if session.timezone is None:
        local = start.astimezone(schedule.session_zone(session))
        lines.insert(0, f"Times are local time ({local.tzname()})")
    if session.series:
        lines.insert(0, session.series)
    if lines:
        event.add("description", "\n".join(lines))
    return event


def _upcoming_event(session: Session, entry: Upcoming, stamp: dt.datetime) -> icalendar.Event:
    import icalendar

    event = icalendar.Event()
    event.add("uid", uid_of(session.series or session.title, entry.date.isoformat(), entry.title))
    event.add("dtstamp", stamp.astimezone(dt.UTC))
    event.add("summary", entry.title)
    event.add("dtstart", entry.date)
    event.add("dtend", entry.date + dt.timedelta(days=1))
    if session.series:
        event.add("description", session.series)
    return event
