"""The series screen, checking back at the start of the next session, and search (Pilot)."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import DataTable, Input, OptionList

from pilot_helpers import START, FakeClock, settle
from recorded import NOTE_PHRASE, recorded_example
from sessiontui import session_file
from sessiontui.core.model import Action, Session
from sessiontui.tui.app import SessionApp, make_app
from sessiontui.tui.dialogs.checkback import CheckBackScreen
from sessiontui.tui.screens.review import ReviewScreen
from sessiontui.tui.screens.run import RunScreen
from sessiontui.tui.screens.search import SearchScreen
from sessiontui.tui.screens.series import SeriesScreen
from sessiontui.tui.widgets.series import CommitmentTable, LatenessChart

SERIES = "Active Partners Trust Systems Leadership Workshops"


def shifted(session: Session, weeks: int, title: str, *, late: int = 0) -> Session:
    """The session a number of weeks later (all in GMT), started `late` minutes later."""
    days = dt.timedelta(weeks=weeks)
    log = [
        event.model_copy(update={"at": event.at + days + dt.timedelta(minutes=late)})
        for event in session.log
    ]
    return session.model_copy(update={"date": session.date + days, "title": title, "log": log})


def series_folder(tmp_path: Path) -> Path:
    """Three recorded workshops of the series a week apart, another series, a broken file."""
    folder = tmp_path / "sessions"
    folder.mkdir()
    base = recorded_example()
    session_file.save(folder / "w1.toml", shifted(base, 0, "Workshop 1"))
    session_file.save(folder / "w2.toml", shifted(base, 1, "Workshop 2", late=12))
    session_file.save(folder / "w3.toml", shifted(base, 2, "Workshop 3"))
    session_file.save(folder / "other.toml", base.model_copy(update={"series": "Another series"}))
    (folder / "broken.toml").write_text("title = \n", encoding="utf-8")
    return folder


def cells(table: DataTable[object], row: int) -> list[str]:
    return [str(getattr(cell, "plain", cell)) for cell in table.get_row_at(row)]


@asynccontextmanager
async def series_shown(tmp_path: Path) -> AsyncIterator[tuple[SessionApp, Pilot[None], Path]]:
    """The series screen of `series_folder`, loaded, pushed over the home screen."""
    folder = series_folder(tmp_path)
    app = make_app(folder=folder, clock=FakeClock(START))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await app.push_screen(SeriesScreen(folder, SERIES, app.clock))
        await settle(pilot)
        yield app, pilot, folder


async def test_the_series_shows_each_session_and_every_commitment(tmp_path: Path) -> None:
    async with series_shown(tmp_path) as (app, _pilot, _folder):
        chart = app.screen.query_one(LatenessChart)
        drawn = chart.render().plain
        assert [entry.session.title for entry in chart.entries] == [
            "Workshop 1",
            "Workshop 2",
            "Workshop 3",
        ]
        assert "Another" not in drawn
        assert drawn.count("finished 1 min early") == 2
        assert "finished 11 min late" in drawn and "started 14 min late" in drawn
        table = app.screen.query_one(CommitmentTable)
        assert table.row_count == 9
        assert cells(table, 0)[1:] == [
            "Amira Patel",
            "Try the common purpose exercise with my team",
            "2023-03-21",
            "done",
        ]
        assert cells(table, 0)[0] == "16 Feb 2023" and cells(table, 8)[0] == "02 Mar 2023"


async def test_space_changes_a_status_and_saves_it_in_its_file(tmp_path: Path) -> None:
    async with series_shown(tmp_path) as (app, pilot, folder):
        table = app.screen.query_one(CommitmentTable)
        table.focus()
        table.move_cursor(row=4)  # Workshop 2, Ben Clarke, open
        # Someone adds a commitment to that file meanwhile: it must survive the status change.
        path = folder / "w2.toml"
        session = session_file.load(path).session
        extra = Action(who="Isaac Moore", what="Ring the CVS")
        session_file.save(path, session.model_copy(update={"actions": [extra, *session.actions]}))
        await pilot.press("space", "space")
        await settle(pilot)
        assert cells(table, 4)[-1] == "dropped"
        saved = session_file.load(path).session.actions
        assert [(a.who, a.status) for a in saved] == [
            ("Isaac Moore", "open"),
            ("Amira Patel", "done"),
            ("Ben Clarke", "dropped"),
            ("Chloe Evans", "dropped"),
        ]
        # The other files are untouched.
        assert session_file.load(folder / "w1.toml").session.actions[1].status == "open"


async def test_a_status_that_cannot_be_saved_is_said_on_screen(tmp_path: Path) -> None:
    async with series_shown(tmp_path) as (app, pilot, folder):
        table = app.screen.query_one(CommitmentTable)
        table.focus()
        (folder / "w1.toml").write_text("broken = [\n", encoding="utf-8")
        await pilot.press("space")
        await settle(pilot)
        messages = [str(n.message) for n in app._notifications]
        assert any("w1.toml" in message for message in messages), messages
        # Read again from disk: the broken file drops out, its row with it.
        assert table.row_count == 6


async def test_starting_the_next_session_brings_up_last_times_commitments(tmp_path: Path) -> None:
    folder = tmp_path / "sessions"
    folder.mkdir()
    previous = recorded_example()
    session_file.save(folder / "w2.toml", previous)
    plan = previous.model_copy(
        update={
            "date": dt.date(2023, 3, 21),
            "title": "Workshop 3",
            "log": [],
            "notes": [],
            "actions": [],
            "groups": [],
        }
    )
    path = folder / "w3.toml"
    session_file.save(path, plan)
    clock = FakeClock(dt.datetime(2023, 3, 21, 13, 0, tzinfo=dt.UTC))
    app = make_app(session_path=path, folder=folder, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, RunScreen)  # nothing pops up before the start
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, CheckBackScreen)
        table = app.screen.query_one(CommitmentTable)
        assert [cells(table, row)[0] for row in range(table.row_count)] == [
            "Amira Patel",
            "Ben Clarke",
            "Chloe Evans",
        ]
        table.move_cursor(row=1)
        await pilot.press("space")
        await settle(pilot)
        assert session_file.load(folder / "w2.toml").session.actions[1].status == "done"
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, RunScreen)
        await pilot.press("l")
        await settle(pilot)
        assert isinstance(app.screen, CheckBackScreen)
        assert cells(app.screen.query_one(CommitmentTable), 1)[-1] == "done"


async def test_a_session_outside_a_series_starts_without_checking_back(tmp_path: Path) -> None:
    folder = tmp_path / "sessions"
    folder.mkdir()
    session_file.save(folder / "w2.toml", recorded_example().model_copy(update={"series": None}))
    plan = recorded_example().model_copy(
        update={"series": None, "date": dt.date(2023, 3, 21), "log": [], "actions": []}
    )
    session_file.save(folder / "w3.toml", plan)
    clock = FakeClock(dt.datetime(2023, 3, 21, 13, 0, tzinfo=dt.UTC))
    app = make_app(session_path=folder / "w3.toml", folder=folder, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, RunScreen)
        await pilot.press("l")
        await settle(pilot)
        assert isinstance(app.screen, RunScreen)
        assert "not part of a series" in str(list(app._notifications)[-1].message)


async def test_search_finds_a_phrase_from_a_note_and_opens_its_review(tmp_path: Path) -> None:
    folder = series_folder(tmp_path)
    app = make_app(folder=folder, clock=FakeClock(START))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await app.push_screen(SearchScreen(folder, app.clock))
        await settle(pilot)
        await pilot.press(*"Owns the WHOLE")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        assert len(screen.hits) == 4  # the three workshops and the other series
        assert {hit.path.name for hit in screen.hits} == {
            "w1.toml",
            "w2.toml",
            "w3.toml",
            "other.toml",
        }
        first = screen.hits[0]
        assert first.session_title == "Workshop 3"
        assert first.snippet[first.span[0] : first.span[1]] == "owns the whole"
        await pilot.press("enter", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        assert app.screen.path == folder / "w3.toml"
        assert app.screen.focus_note == ("empathy-breakout", "Group 1")


async def test_search_says_when_nothing_matches_and_shows_text_literally(tmp_path: Path) -> None:
    folder = series_folder(tmp_path)
    app = make_app(folder=folder, clock=FakeClock(START))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await app.push_screen(SearchScreen(folder, app.clock, query="[b]nowhere[/]"))
        await settle(pilot)
        assert app.screen.query_one(OptionList).option_count == 0
        status = app.screen.query_one("#search-status").render()
        assert "No matches for [b]nowhere[/]" in str(getattr(status, "plain", status))
        app.screen.query_one(Input).value = NOTE_PHRASE
        await settle(pilot)
        assert app.screen.query_one(OptionList).option_count == 4


async def test_home_opens_the_series_and_search(tmp_path: Path) -> None:
    from sessiontui.tui.screens.home import HomeScreen

    folder = series_folder(tmp_path)
    app = make_app(folder=folder, clock=FakeClock(START))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, SeriesScreen)
        assert app.screen.series == SERIES  # the newest session, Workshop 3, is highlighted
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("slash")
        await settle(pilot)
        assert isinstance(app.screen, SearchScreen)
        await pilot.press(*"cynical")
        await settle(pilot)
        assert len(app.screen.hits) == 4
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
