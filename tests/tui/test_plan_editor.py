"""The plan editor through Textual's Pilot: a session built from blank, undo, field errors.

Each step types into the fields as a person would and then reads what the screen shows:
the item list's computed times and the warnings line, against the times worked out by hand.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Select, Static, TextArea

from pilot_helpers import START, FakeClock, keys_for, settle, type_at_once
from sessiontui import session_file
from sessiontui.core.model import Session
from sessiontui.core.plan_edit import PLAN_FIELDS
from sessiontui.store.settings import UserConfig
from sessiontui.tui.app import make_app
from sessiontui.tui.screens.plan import PlanEditorScreen
from sessiontui.tui.widgets.plan_items import PlanItemsTable, PlanWarnings


def blank(path: Path) -> Path:
    """A new session file with no items: 13:00 to 15:00 in London."""
    session_file.create(
        path,
        Session(
            schema_version=1,
            title="Team day",
            date=dt.date(2023, 2, 16),
            start=dt.time(13, 0),
            end=dt.time(15, 0),
            timezone="Europe/London",
        ),
    )
    return path


@asynccontextmanager
async def editor(
    path: Path, size: tuple[int, int] = (120, 40)
) -> AsyncIterator[tuple[Pilot[None], PlanEditorScreen]]:
    app = make_app(
        session_path=path,
        folder=path.parent,
        clock=FakeClock(START),
        config=UserConfig(),
        mode="edit",
    )
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, PlanEditorScreen)
        yield pilot, screen


def rows(screen: PlanEditorScreen) -> list[tuple[str, str, str]]:
    """Each item's shown start, end and title."""
    table = screen.query_one(PlanItemsTable)
    shown = []
    for index in range(table.row_count):
        cells = table.row_cells(index)
        shown.append((cells[1], cells[2], cells[6]))
    return shown


def warnings(screen: PlanEditorScreen) -> str:
    return str(screen.query_one(PlanWarnings).render())


def error_of(screen: PlanEditorScreen, field: str) -> str:
    widget = screen.query_one(f"#{field}-error", Static)
    return str(widget.render()) if widget.display else ""


async def type_into(pilot: Pilot[None], selector: str, text: str) -> None:
    """Empty a field and type the text into it, key by key, as fast as a typist can.

    Every key still goes through the field's own key handling; only Pilot's idle wait after
    each key is left out, which made one test take half a minute.
    """
    widget = pilot.app.screen.query_one(selector)
    widget.focus()
    if isinstance(widget, Input):
        widget.value = ""
    elif isinstance(widget, TextArea):
        widget.clear()
    await pilot.pause()
    await type_at_once(pilot, *keys_for(text))


async def choose(pilot: Pilot[None], selector: str, value: object) -> None:
    pilot.app.screen.query_one(selector, Select).value = value
    await pilot.pause()


@pytest.mark.slow
async def test_a_whole_session_from_blank(tmp_path: Path) -> None:
    path = blank(tmp_path / "team-day.toml")
    async with editor(path) as (pilot, screen):
        assert rows(screen) == []
        assert "No items yet" in warnings(screen)

        await pilot.press("ctrl+n")
        await type_into(pilot, "#item-title", "Welcome")
        await type_into(pilot, "#item-minutes", "30")
        assert rows(screen) == [("13:00", "13:30", "Welcome")]
        assert "The plan fits: 1 item." in warnings(screen)

        await pilot.press("ctrl+n")
        await type_into(pilot, "#item-title", "Tea break")
        await choose(pilot, "#item-kind", "break")
        await type_into(pilot, "#item-minutes", "15")
        await type_into(pilot, "#item-at", "14:00")
        assert rows(screen)[1] == ("14:00", "14:15", "Tea break")
        assert "30 min gap before Tea break (13:30–14:00)" in warnings(screen)

        await pilot.press("ctrl+n")
        await type_into(pilot, "#item-title", "Breakouts")
        await choose(pilot, "#item-kind", "breakout")
        await choose(pilot, "#item-group_size", 3)
        await type_into(pilot, "#item-minutes", "50")
        await type_into(pilot, "#item-prompts", "What surprised you?\nWhat next?")
        assert rows(screen)[2] == ("14:15", "15:05", "Breakouts")
        assert "runs until 15:05, 5 min past the end at 15:00" in warnings(screen)
        breakouts = screen.session.agenda[2] if screen.session else None
        assert breakouts is not None
        assert (breakouts.group_size, breakouts.prompts) == (
            3,
            ["What surprised you?", "What next?"],
        )

        # Lengthening the first item runs it into the fixed tea break; the others do not move.
        screen.query_one(PlanItemsTable).move_cursor(row=0)
        await pilot.pause()
        await type_into(pilot, "#item-minutes", "70")
        assert [row[:2] for row in rows(screen)] == [
            ("13:00", "14:10"),
            ("14:00", "14:15"),
            ("14:15", "15:05"),
        ]
        assert "Tea break is fixed at 14:00 but the items before it run until 14:10" in warnings(
            screen
        )
        await type_into(pilot, "#item-minutes", "60")
        assert "overlap" not in warnings(screen) and "gap" not in warnings(screen)

        await pilot.press("f4")
        await type_into(
            pilot,
            "#people-form-participants",
            "Amira Patel | avoid: Ben Clarke\nBen Clarke\nChloe Evans | org: NHS",
        )
        await type_into(pilot, "#people-form-upcoming", "2023-03-16 Workshop 3")
        await pilot.press("f3")
        await type_into(pilot, "#session-form-end", "15:10")
        assert "past the end" not in warnings(screen)
        await type_into(pilot, "#session-form-venue", "https://meet.example/abc")
        screen.query_one("#session-form-chatham_house").focus()
        await pilot.press("space")
        await type_into(pilot, "#session-form-ways_of_working", "Presence: really listening")

        await settle(pilot)
        assert screen.save_now() is None
        shown = screen.session
        assert shown is not None
    saved = session_file.load(path).session
    assert saved == shown
    assert [p.name for p in saved.participants] == ["Amira Patel", "Ben Clarke", "Chloe Evans"]
    assert saved.participants[0].avoid == ["Ben Clarke"]
    assert saved.participants[2].org == "NHS"
    assert [(u.date, u.title) for u in saved.upcoming] == [(dt.date(2023, 3, 16), "Workshop 3")]
    assert saved.end == dt.time(15, 10)
    assert saved.venue == "https://meet.example/abc"
    assert saved.chatham_house is True
    assert saved.ways_of_working[0].text == "really listening"
    assert [item.id for item in saved.agenda] == ["welcome", "tea-break", "breakouts"]
    assert saved.agenda[1].at == dt.time(14, 0)


async def three_items(tmp_path: Path) -> Path:
    path = blank(tmp_path / "three.toml")
    session = session_file.load(path).session
    agenda = [
        {"id": name, "title": name.title(), "kind": "plenary", "minutes": minutes}
        for name, minutes in (("one", 10), ("two", 20), ("three", 30))
    ]
    session_file.save(path, Session.model_validate({**session.model_dump(), "agenda": agenda}))
    return path


async def test_move_and_delete_with_undo_and_redo(tmp_path: Path) -> None:
    path = await three_items(tmp_path)
    async with editor(path) as (pilot, screen):
        assert rows(screen) == [
            ("13:00", "13:10", "One"),
            ("13:10", "13:30", "Two"),
            ("13:30", "14:00", "Three"),
        ]
        await pilot.press("alt+down")  # One below Two
        assert rows(screen)[:2] == [("13:00", "13:20", "Two"), ("13:20", "13:30", "One")]
        assert screen.query_one(PlanItemsTable).cursor_row == 1, "the cursor follows the item"
        await pilot.press("x")  # delete One
        assert [row[2] for row in rows(screen)] == ["Two", "Three"]
        assert rows(screen)[1] == ("13:20", "13:50", "Three")
        await pilot.press("ctrl+z")
        assert [row[2] for row in rows(screen)] == ["Two", "One", "Three"]
        await pilot.press("ctrl+z")
        assert [row[2] for row in rows(screen)] == ["One", "Two", "Three"]
        await pilot.press("ctrl+z")
        assert "Nothing to undo" in str(screen.query_one("#plan-status", Static).render())
        await pilot.press("ctrl+y", "ctrl+y")
        assert [row[2] for row in rows(screen)] == ["Two", "Three"]
        await pilot.press("d")  # duplicate the selected item
        assert [row[2] for row in rows(screen)] == ["Two", "Three", "Three"]
        await settle(pilot)
        assert screen.save_now() is None
        shown = screen.session
    saved = session_file.load(path).session
    assert saved == shown
    assert [item.id for item in saved.agenda] == ["two", "three", "three-2"]


async def test_field_errors_show_on_the_field_and_nothing_invalid_is_saved(
    tmp_path: Path,
) -> None:
    path = await three_items(tmp_path)
    async with editor(path) as (pilot, screen):
        await type_into(pilot, "#item-minutes", "ten")
        assert "whole number" in error_of(screen, "item-minutes")
        status = str(screen.query_one("#plan-status", Static).render())
        assert "Not saved: fix minutes" in status
        assert rows(screen)[0] == ("13:00", "13:10", "One"), "times keep the last valid plan"
        await type_into(pilot, "#item-at", "25:00")
        assert error_of(screen, "item-at")
        await type_into(pilot, "#item-at", "")
        await type_into(pilot, "#item-minutes", "15")
        assert error_of(screen, "item-minutes") == ""
        assert rows(screen)[0] == ("13:00", "13:15", "One")
        assert "Not saved" not in str(screen.query_one("#plan-status", Static).render())

        await pilot.press("f3")
        await type_into(pilot, "#session-form-end", "12:00")
        assert "must be after start" in error_of(screen, "session-form-end")
        await type_into(pilot, "#session-form-date", "16 Feb")
        assert error_of(screen, "session-form-date")
        await pilot.press("f4")
        await type_into(pilot, "#people-form-upcoming", "next week Workshop 3")
        assert "line 1" in error_of(screen, "people-form-upcoming")
        await settle(pilot)
        assert screen.save_now() == "date, upcoming in the plan editor do not check yet"
        assert "Not saved: fix date, upcoming" in str(
            screen.query_one("#plan-status", Static).render()
        )
        assert screen.session is not None
        assert screen.session.end == dt.time(15, 0)
    saved = session_file.load(path).session
    assert saved.end == dt.time(15, 0)
    assert saved.agenda[0].minutes == 15


async def test_delete_refused_when_the_item_has_notes(tmp_path: Path) -> None:
    from sessiontui.core.model import Note

    path = await three_items(tmp_path)
    session = session_file.load(path).session
    session_file.save(path, session.model_copy(update={"notes": [Note(item="one")]}))
    async with editor(path) as (pilot, screen):
        await pilot.press("x")
        await pilot.pause()
        assert [row[2] for row in rows(screen)] == ["One", "Two", "Three"]


@pytest.mark.parametrize("size", [(80, 24), (20, 6)])
async def test_small_terminals_open_and_edit(tmp_path: Path, size: tuple[int, int]) -> None:
    path = await three_items(tmp_path)
    async with editor(path, size) as (pilot, screen):
        await pilot.press("ctrl+n", "f3", "f4", "f2", "escape", "alt+up", "ctrl+z")
        await settle(pilot)
        assert screen.session is not None
        assert {name: getattr(screen.session, name) for name in PLAN_FIELDS}


async def test_quitting_with_a_field_that_does_not_check_asks_first(tmp_path: Path) -> None:
    path = await three_items(tmp_path)
    async with editor(path) as (pilot, screen):
        await type_into(pilot, "#item-minutes", "ten")
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert pilot.app.is_running, "the first ctrl+q says what is not saved"
        assert screen.save_now() == "minutes in the plan editor do not check yet"
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert not pilot.app.is_running
    assert session_file.load(path).session.agenda[0].minutes == 10


async def test_fast_typing_lands_every_key_in_its_field(tmp_path: Path) -> None:
    """Keys sent in one burst, as a terminal delivers fast typing: each lands in its field."""
    from textual import events

    path = await three_items(tmp_path)
    async with editor(path) as (pilot, screen):
        await pilot.press("ctrl+n")
        await pilot.pause()
        driver = pilot.app._driver
        assert driver is not None
        # The title, then Tab, Tab to the minutes, 15, Tab to the fixed time, 13:20, at once.
        typed = [*"Check in round", "\t", "\t", *"15", "\t", *"13:20"]
        names = {" ": "space", "\t": "tab", ":": "colon"}
        for character in typed:
            event = events.Key(names.get(character, character), character)
            event.set_sender(pilot.app)
            driver.send_message(event)
        await settle(pilot)
        assert screen.query_one("#item-title", Input).value == "Check in round"
        assert screen.query_one("#item-minutes", Input).value == "15"
        assert screen.query_one("#item-at", Input).value == "13:20"
        assert rows(screen)[1] == ("13:20", "13:35", "Check in round")
        assert screen.session is not None
        assert screen.session.agenda[1].id == "check-in-round"


async def test_opened_over_the_run_screen_it_goes_back_once_saved(tmp_path: Path) -> None:
    from sessiontui.tui.opening import open_screen

    path = await three_items(tmp_path)
    app = make_app(session_path=path, folder=tmp_path, clock=FakeClock(START), config=UserConfig())
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        run_screen = app.screen
        open_screen(run_screen, "edit", path)
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, PlanEditorScreen)
        await type_into(pilot, "#item-minutes", "25")
        await pilot.press("escape")  # from the field to the list
        assert app.screen is screen
        await pilot.press("escape")  # from the list, back once saved
        await settle(pilot)
        assert app.screen is run_screen
    assert session_file.load(path).session.agenda[0].minutes == 25


async def test_fast_arrows_and_enter_edit_the_item_arrived_at(tmp_path: Path) -> None:
    from textual import events

    path = await three_items(tmp_path)
    async with editor(path) as (pilot, screen):
        driver = pilot.app._driver
        assert driver is not None
        for key, character in [
            ("down", None),
            ("down", None),
            ("enter", "\r"),
            *((letter, letter) for letter in "Trio"),
        ]:
            event = events.Key(key, character)
            event.set_sender(pilot.app)
            driver.send_message(event)
        await settle(pilot)
        assert [row[2] for row in rows(screen)] == ["One", "Two", "Trio"]


async def test_saving_takes_typing_whose_messages_are_still_on_their_way(tmp_path: Path) -> None:
    """A signal or ctrl+q right behind a key: what the fields show is what is saved."""
    path = await three_items(tmp_path)
    async with editor(path) as (pilot, screen):
        await pilot.press("f3")
        await pilot.pause()
        screen.query_one("#item-title", Input).value = "Uno"
        screen.query_one("#session-form-venue", Input).value = "Room 4"
        assert screen.save_now() is None  # before any Changed message is handled
        saved = session_file.load(path).session
        assert saved.agenda[0].title == "Uno"
        assert saved.venue == "Room 4"
        await settle(pilot)
        assert screen.session is not None
        assert screen.session.agenda[0].title == "Uno"
