"""The calendar file, read back with the real `icalendar` library as a calendar program would.

Start and end round-trip in the session's zone, also through the VTIMEZONE written in the file
itself (as a program without a time-zone database reads it), across a change of clocks; the
series' later sessions and its upcoming list come in as timed and all-day events; UIDs stay
the same from one export to the next.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest

from sessiontui import session_file
from sessiontui.core.model import Session
from sessiontui.minutes import calendar

LONDON = ZoneInfo("Europe/London")
STAMP = dt.datetime(2023, 1, 1, 9, 0, tzinfo=dt.UTC)
SESSIONS = Path(__file__).resolve().parents[2] / "sessions"
FIRST = SESSIONS / "2023-01-19-leading-beyond-your-organisation.toml"


@pytest.fixture
def workshop(example_path: Path) -> calendar.SessionFile:
    return calendar.SessionFile(example_path.name, session_file.load(example_path).session)


@pytest.fixture
def first_workshop() -> calendar.SessionFile:
    return calendar.SessionFile(FIRST.name, session_file.load(FIRST).session)


def read(text: str) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(text)


def only_event(text: str) -> icalendar.Event:
    events = read(text).events
    assert len(events) == 1
    return events[0]


def test_the_session_is_one_event_in_its_zone_with_its_title_venue_and_agenda(
    workshop: calendar.SessionFile,
) -> None:
    text = calendar.calendar_of(workshop, stamp=STAMP)
    event = only_event(text)
    assert event.start == dt.datetime(2023, 2, 16, 13, 0, tzinfo=LONDON)
    assert event.end == dt.datetime(2023, 2, 16, 16, 0, tzinfo=LONDON)
    assert str(event.start.tzinfo) == "Europe/London"
    assert "DTSTART;TZID=Europe/London:20230216T130000" in text.splitlines()
    assert str(event["summary"]) == workshop.session.title
    assert str(event["location"]) == "Online (Zoom, with breakout rooms)"
    description = str(event["description"]).splitlines()
    assert description[0] == "Active Partners Trust Systems Leadership Workshops"
    assert description[1] == "13:00–13:10 Welcome and introduction to the session"
    assert description[-1] == "15:55–16:00 Summing up and next steps"
    assert event["dtstamp"].dt == STAMP
    timezones = read(text).timezones
    assert [zone.tz_name for zone in timezones] == ["Europe/London"]
    # Lines end in CRLF, as RFC 5545 says.
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")


def test_a_session_across_the_change_of_clocks_round_trips_in_its_zone(
    workshop: calendar.SessionFile,
) -> None:
    # Europe/London springs forward at 01:00 GMT on 26 March 2023: 00:30 to 03:30 on the
    # clock is two hours of real time.
    session = workshop.session.model_copy(
        update={"date": dt.date(2023, 3, 26), "start": dt.time(0, 30), "end": dt.time(3, 30)}
    )
    parsed = read(calendar.calendar_of(calendar.SessionFile("dst.toml", session), stamp=STAMP))
    event = parsed.events[0]
    assert event.start == dt.datetime(2023, 3, 26, 0, 30, tzinfo=LONDON)
    assert event.end == dt.datetime(2023, 3, 26, 3, 30, tzinfo=LONDON)
    assert event.end.astimezone(dt.UTC) - event.start.astimezone(dt.UTC) == dt.timedelta(hours=2)
    assert (event.start.utcoffset(), event.end.utcoffset()) == (
        dt.timedelta(0),
        dt.timedelta(hours=1),
    )
    # The VTIMEZONE in the file says the same, read without the time-zone database.
    (component,) = parsed.timezones
    written = component.to_tz(lookup_tzid=False)
    assert not isinstance(written, ZoneInfo)
    start = event.start.replace(tzinfo=written)
    end = event.end.replace(tzinfo=written)
    assert end.astimezone(dt.UTC) - start.astimezone(dt.UTC) == dt.timedelta(hours=2)
    assert start.astimezone(dt.UTC) == dt.datetime(2023, 3, 26, 0, 30, tzinfo=dt.UTC)
    assert end.astimezone(dt.UTC) == dt.datetime(2023, 3, 26, 2, 30, tzinfo=dt.UTC)
    # The agenda's times are wall-clock times in the zone, the gap skipped.
    description = str(event["description"]).splitlines()
    assert description[1] == "00:30–00:40 Welcome and introduction to the session"


@pytest.fixture
def computer_in_new_york(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The computer's own zone set to New York, and put back afterwards."""
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.mark.usefixtures("computer_in_new_york")
def test_a_session_without_a_zone_is_written_in_utc_from_the_computers_zone(
    workshop: calendar.SessionFile,
) -> None:
    session = workshop.session.model_copy(update={"timezone": None})
    text = calendar.calendar_of(calendar.SessionFile("local.toml", session), stamp=STAMP)
    event = only_event(text)
    # 13:00 in New York on 16 February (EST, UTC-5) is 18:00 UTC.
    assert event.start == dt.datetime(2023, 2, 16, 18, 0, tzinfo=dt.UTC)
    assert event.end == dt.datetime(2023, 2, 16, 21, 0, tzinfo=dt.UTC)
    assert "DTSTART:20230216T180000Z" in text.splitlines()
    assert read(text).timezones == []
    assert str(event["description"]).splitlines()[1] == "Times are local time (EST)"


def test_the_uid_stays_when_the_title_changes_and_differs_between_files(
    workshop: calendar.SessionFile,
) -> None:
    def uid(entry: calendar.SessionFile, stamp: dt.datetime = STAMP) -> str:
        return str(only_event(calendar.calendar_of(entry, stamp=stamp))["uid"])

    first = uid(workshop)
    assert first == uid(workshop, stamp=STAMP + dt.timedelta(days=30))
    retitled = workshop.session.model_copy(update={"title": "Workshop 2 (typo fixed)"})
    assert uid(calendar.SessionFile(workshop.name, retitled)) == first
    assert uid(calendar.SessionFile("another.toml", workshop.session)) != first
    assert first.endswith("@sessiontui")


def test_without_series_only_the_session_is_written(
    first_workshop: calendar.SessionFile, workshop: calendar.SessionFile
) -> None:
    text = calendar.calendar_of(first_workshop, [workshop], stamp=STAMP)
    assert len(read(text).events) == 1


def test_the_series_brings_later_sessions_timed_and_upcoming_entries_all_day(
    first_workshop: calendar.SessionFile, workshop: calendar.SessionFile
) -> None:
    other_series = calendar.SessionFile(
        "other.toml",
        workshop.session.model_copy(update={"series": "Another programme"}),
    )
    text = calendar.calendar_of(first_workshop, [workshop, other_series], series=True, stamp=STAMP)
    events = read(text).events
    summaries = [str(event["summary"]) for event in events]
    assert summaries == [
        "Workshop 1: Leading beyond your organisation",
        # The file of 16 February, with its times; its upcoming entry is not repeated.
        "Workshop 2: Building common understanding and common purpose",
        "Dancefloor and Balcony: getting the bigger picture",
        "Who's in my system? Rich Pictures and Stakeholder/Actor Mapping",
        "How can I influence? Framing and reframing",
        "How can I influence? Storytelling and Public Narrative",
    ]
    assert events[1].start == dt.datetime(2023, 2, 16, 13, 0, tzinfo=LONDON)
    assert events[2].start == dt.date(2023, 3, 21)
    assert events[2].end == dt.date(2023, 3, 22)
    assert not isinstance(events[2].start, dt.datetime)
    assert len({str(event["uid"]) for event in events}) == len(events)
    # One zone for all, with the rules of every year an event falls in.
    assert [zone.tz_name for zone in read(text).timezones] == ["Europe/London"]


def test_the_series_never_goes_back_in_time(
    first_workshop: calendar.SessionFile, workshop: calendar.SessionFile
) -> None:
    # From the second workshop, the first (earlier) is not coming up.
    text = calendar.calendar_of(workshop, [first_workshop], series=True, stamp=STAMP)
    summaries = [str(event["summary"]) for event in read(text).events]
    assert "Workshop 1: Leading beyond your organisation" not in summaries
    assert len(summaries) == 1 + len(workshop.session.upcoming)


def test_a_later_session_in_another_zone_keeps_its_own(
    first_workshop: calendar.SessionFile, workshop: calendar.SessionFile
) -> None:
    abroad: Session = workshop.session.model_copy(update={"timezone": "Europe/Paris"})
    text = calendar.calendar_of(
        first_workshop, [calendar.SessionFile(workshop.name, abroad)], series=True, stamp=STAMP
    )
    events = read(text).events
    assert events[1].start == dt.datetime(2023, 2, 16, 13, 0, tzinfo=ZoneInfo("Europe/Paris"))
    assert sorted(zone.tz_name for zone in read(text).timezones) == [
        "Europe/London",
        "Europe/Paris",
    ]
