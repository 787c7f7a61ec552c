"""Property tests: any session, with any text in it, survives a save and a load unchanged."""

from __future__ import annotations

import datetime as dt
import tempfile
import zoneinfo
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sessiontui import session_file
from sessiontui.core.model import (
    EARLIEST_DAY,
    LATEST_DAY,
    Action,
    AgendaItem,
    Event,
    Group,
    Note,
    Participant,
    Session,
    Upcoming,
    WayOfWorking,
)

# Pieces that break naive TOML writers: quote runs, line endings, escapes, control
# characters, things that look like TOML structure, and our own placeholder prefix.
HOSTILE = [
    "'''",
    '"""',
    "''",
    "'",
    '"',
    "\\",
    "\\n",
    "\\u0041",
    "\r\n",
    "\r",
    "\n",
    "\t",
    "\x00",
    "\x08",
    "\x1b",
    "\x1f",
    "\x7f",
    "\x85",
    "\u2028",
    "\ufeff",
    "é",
    "🎉",
    "\U0010ffff",
    "#",
    "[[agenda]]",
    "x = 1",
    "#:schema ./x.json",
    "__sessiontui_",
    "_0__",
]

# st.text() draws from all of Unicode except surrogates, which UTF-8 cannot hold.
hostile_text = st.lists(st.one_of(st.sampled_from(HOSTILE), st.text(max_size=6)), max_size=12).map(
    "".join
)
long_text = st.tuples(hostile_text, st.integers(1, 40)).map(lambda pair: pair[0] * pair[1])
any_text = st.one_of(st.text(), hostile_text, long_text)
names = any_text.map(lambda text: (text or "x")[:200])
slugs = st.from_regex(r"[a-z0-9]{1,8}(-[a-z0-9]{1,8}){0,3}", fullmatch=True)
minutes = st.integers(1, 24 * 60)
# The days a session file may name (core.model refuses the rest as out of range).
days = st.dates(EARLIEST_DAY, LATEST_DAY)
utc_times = st.datetimes(
    dt.datetime.combine(EARLIEST_DAY, dt.time()),
    dt.datetime.combine(LATEST_DAY, dt.time.max),
    timezones=st.just(dt.UTC),
)
zones = sorted(zoneinfo.available_timezones())[:20] or ["UTC"]


def short_lists(strategy: st.SearchStrategy[Any], size: int = 3) -> st.SearchStrategy[list[Any]]:
    return st.lists(strategy, max_size=size)


participants = st.builds(
    Participant,
    name=names,
    org=st.none() | any_text,
    absent=st.booleans(),
    avoid=short_lists(names, 2),
)


@st.composite
def agenda_items(draw: st.DrawFn, item_id: str) -> AgendaItem:
    return AgendaItem(
        id=item_id,
        title=draw(names),
        kind=draw(st.sampled_from(["plenary", "pairing", "breakout", "break", "close"])),
        minutes=draw(minutes),
        at=draw(st.none() | st.times()),
        prompts=draw(short_lists(any_text)),
        notes_template=draw(st.none() | st.sampled_from(["free", "empathy-map", "common-purpose"])),
        group_size=draw(st.none() | st.integers(2, 50)),
        turn_minutes=draw(st.none() | st.integers(1, 240)),
        word_limit=draw(st.none() | st.integers(1, 10_000)),
        warn_minutes=draw(st.none() | st.integers(0, 240)),
        warn_fraction=draw(st.none() | st.floats(0, 1)),
        facilitator_notes=draw(any_text),
    )


@st.composite
def events(draw: st.DrawFn, item_ids: list[str]) -> Event:
    kind = draw(st.sampled_from(["start", "next", "extend", "broadcast", "replan", "skip"]))
    fields: dict[str, Any] = {"at": draw(utc_times), "kind": kind}
    if item_ids and draw(st.booleans()):
        fields["item"] = draw(st.sampled_from(item_ids))
    if kind == "extend":
        fields["minutes"] = draw(st.integers(-240, 240))
    if kind == "broadcast":
        fields["text"] = draw(any_text)
    if kind == "replan":
        # Keys are item ids in practice, but nothing stops odd ones: they must be quoted.
        keys = st.sampled_from(item_ids) | any_text if item_ids else any_text
        fields["plan"] = draw(st.dictionaries(keys, minutes, min_size=1, max_size=3))
    return Event(**fields)


@st.composite
def sessions(draw: st.DrawFn) -> Session:
    start, end = sorted(draw(st.lists(st.times(), min_size=2, max_size=2, unique=True)))
    ids = draw(st.lists(slugs.filter(lambda slug: len(slug) <= 64), max_size=4, unique=True))
    agenda = [draw(agenda_items(item_id)) for item_id in ids]
    groups: list[Group] = []
    notes: list[Note] = []
    if ids:
        item = st.sampled_from(ids)
        groups = draw(
            short_lists(
                st.builds(
                    Group,
                    item=item,
                    name=names,
                    members=short_lists(names),
                    seed=st.none() | st.integers(),
                ),
                2,
            )
        )
        notes = draw(
            short_lists(
                st.builds(
                    Note,
                    item=item,
                    group=any_text,
                    edited=st.none() | utc_times,
                    text=any_text,
                    see=any_text,
                    think_feel=any_text,
                    why=any_text,
                ),
                2,
            )
        )
    return Session(
        schema_version=1,
        title=draw(names),
        series=draw(st.none() | any_text),
        date=draw(days),
        start=start,
        end=end,
        venue=draw(any_text),
        timezone=draw(st.none() | st.sampled_from(zones)),
        warn_minutes=draw(st.integers(0, 240)),
        warn_fraction=draw(st.floats(0, 1)),
        facilitators=draw(short_lists(any_text)),
        # Distinct names: the model refuses two people it could not tell apart.
        participants=draw(
            st.lists(
                participants,
                max_size=3,
                unique_by=lambda person: " ".join(person.name.split()).casefold(),
            )
        ),
        ways_of_working=draw(short_lists(st.builds(WayOfWorking, name=names, text=any_text), 2)),
        agenda=agenda,
        upcoming=draw(short_lists(st.builds(Upcoming, date=days, title=names), 2)),
        groups=groups,
        notes=notes,
        actions=draw(
            short_lists(
                st.builds(
                    Action,
                    who=names,
                    what=names,
                    due=st.none() | days,
                    status=st.sampled_from(["open", "done", "dropped"]),
                    item=st.none() | st.sampled_from(ids or ["x"]),
                ),
                2,
            )
        ),
        log=draw(short_lists(events(ids), 4)),
    )


SETTINGS = settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@pytest.mark.slow
@SETTINGS
@given(sessions())
def test_parse_of_dumps_is_the_same_session(session: Session) -> None:
    text = session_file.dumps(session)
    assert session_file.parse(text) == session
    assert text.startswith("#:schema ./session.schema.json\n# Written by sessiontui.")
    # The same session always gives the same text, so saving without a change changes nothing.
    assert session_file.dumps(session_file.parse(text)) == text


@settings(SETTINGS, max_examples=25)
@given(sessions())
def test_save_then_load_is_the_same_session(session: Session) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "x.toml"
        session_file.save(path, session)
        assert session_file.load(path).session == session
        session_file.save(path, session)
        assert session_file.load(path).session == session


@settings(SETTINGS, max_examples=300)
@given(any_text)
def test_any_text_in_any_text_field_round_trips(text: str) -> None:
    item = AgendaItem(
        id="a",
        title=(text or "x")[:200],
        kind="plenary",
        minutes=5,
        prompts=[text],
        facilitator_notes=text,
    )
    session = Session(
        schema_version=1,
        title=(text or "x")[:200],
        date=dt.date(2023, 2, 16),
        start=dt.time(13),
        end=dt.time(16),
        venue=text,
        agenda=[item],
        notes=[Note(item="a", text=text, group=text)],
        log=[Event(at=dt.datetime(2023, 2, 16, 13, tzinfo=dt.UTC), kind="broadcast", text=text)],
    )
    assert session_file.parse(session_file.dumps(session)) == session
