"""Changing the agenda live on the run screen: insert, drop, move, resize, and the start times.

On a copy of the reference workshop (13:00 London in February, so wall-clock times are UTC),
with a fake clock moved by hand. After every change, and after +5, -1 and a replan, the start
times the agenda shows must be the ones `schedule.run_state` projects from plan + log + now,
and a few are checked against a hand computation too.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.text import Text
from textual.pilot import Pilot
from textual.widgets import DataTable, Input

from pilot_helpers import START, FakeClock, settle, started_run
from sessiontui import session_file
from sessiontui.core import schedule
from sessiontui.store.settings import UserConfig
from sessiontui.tui.app import make_app
from sessiontui.tui.dialogs.agenda_change import InsertItemScreen, MinutesScreen
from sessiontui.tui.dialogs.confirm import ConfirmScreen
from sessiontui.tui.dialogs.replan import ReplanScreen
from sessiontui.tui.screens.run import RunScreen
from sessiontui.tui.widgets.agenda import hhmm


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(START)


def starts_shown(screen: RunScreen) -> dict[str, str]:
    """The agenda's start column by item id: "HH:MM", with any planned time beside it dropped."""
    table = screen.query_one("#agenda", DataTable)
    shown: dict[str, str] = {}
    for index in range(table.row_count):
        key = table.coordinate_to_cell_key((index, 0)).row_key.value
        cell = table.get_row_at(index)[1]
        assert isinstance(cell, Text) and key is not None
        shown[key] = cell.plain[:5] if not cell.plain.startswith("(") else "dropped"
    return shown


def starts_projected(screen: RunScreen, clock: FakeClock) -> dict[str, str]:
    """The same, from the schedule: what every screen must agree with."""
    zone = screen.zone
    assert screen.session is not None and zone is not None
    state = schedule.run_state(screen.session, clock.now, zone)
    return {
        run.item.id: "dropped" if run.projected_start is None else hhmm(run.projected_start, zone)
        for run in state.items
    }


async def agree(pilot: Pilot[None], screen: RunScreen, clock: FakeClock) -> dict[str, str]:
    """Let the screen paint, check it shows the schedule's projection, and return it."""
    screen.tick()
    await settle(pilot)
    shown = starts_shown(screen)
    assert shown == starts_projected(screen, clock)
    return shown


def order(screen: RunScreen) -> list[str]:
    table = screen.query_one("#agenda", DataTable)
    return [
        str(table.coordinate_to_cell_key((index, 0)).row_key.value)
        for index in range(table.row_count)
    ]


async def insert_item(pilot: Pilot[None], title: str, minutes: int) -> None:
    await pilot.press("i")
    await settle(pilot)
    dialog = pilot.app.screen
    assert isinstance(dialog, InsertItemScreen)
    dialog.query_one("#title", Input).value = title
    dialog.query_one("#minutes", Input).value = str(minutes)
    dialog.query_one("#title", Input).focus()
    await pilot.press("enter")
    await settle(pilot)


async def test_insert_drop_move_resize_plus_five_and_replan_move_the_shown_starts(
    workshop_copy: Path, clock: FakeClock
) -> None:
    app = make_app(session_path=workshop_copy, clock=clock, config=UserConfig())
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await started_run(pilot)
        clock.set(minutes=1)
        shown = await agree(pilot, screen, clock)
        assert shown["coffee-setup"] == "13:10"

        await pilot.press("5")  # welcome: 15 min
        shown = await agree(pilot, screen, clock)
        assert shown["coffee-setup"] == "13:15" and shown["complexity"] == "13:45"
        await pilot.press("minus")  # welcome: 14 min
        shown = await agree(pilot, screen, clock)
        assert shown["coffee-setup"] == "13:14"

        await insert_item(pilot, "Energiser", 5)
        assert order(screen)[:3] == ["welcome", "energiser", "coffee-setup"]
        shown = await agree(pilot, screen, clock)
        assert shown["energiser"] == "13:14" and shown["coffee-setup"] == "13:19"
        assert any(
            cell.plain.startswith("+ Energiser")
            for cell in screen.query_one("#agenda", DataTable).get_row_at(1)
        )

        # The new item is highlighted; down to coffee-setup, then drop it.
        await pilot.press("down")
        await pilot.press("x")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("enter")
        await settle(pilot)
        shown = await agree(pilot, screen, clock)
        assert shown["coffee-setup"] == "dropped" and shown["coffee-trial"] == "13:19"

        # Move the closing item up past the reflection.
        screen.selected = "next-steps"
        await pilot.press("left_square_bracket")
        await settle(pilot)
        assert order(screen)[-2:] == ["next-steps", "reflect"]
        await agree(pilot, screen, clock)

        # The reflection down to 15 minutes.
        screen.selected = "reflect"
        await pilot.press("d")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, MinutesScreen)
        dialog.query_one(Input).value = "15"
        await pilot.press("enter")
        await settle(pilot)
        await agree(pilot, screen, clock)

        # Late on the first item: the replan shortens what is to come; starts follow.
        clock.set(minutes=40)
        await agree(pilot, screen, clock)
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, ReplanScreen)
        await pilot.press("enter")
        await settle(pilot)
        await agree(pilot, screen, clock)

        log = session_file.load(workshop_copy).session.log
        assert [event.kind for event in log] == [
            "start", "extend", "extend", "insert", "skip", "move", "replan", "replan",
        ]  # fmt: skip
        assert log[3].new_item is not None and log[3].new_item.id == "energiser"
        assert log[5].item == "next-steps" and log[5].after == "common-purpose-feedback"
        assert log[6].plan == {"reflect": 15}


async def test_the_current_item_cannot_be_dropped_and_done_ones_are_not_offered(
    workshop_copy: Path, clock: FakeClock
) -> None:
    app = make_app(session_path=workshop_copy, clock=clock, config=UserConfig())
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await started_run(pilot)
        clock.set(minutes=10)
        await pilot.press("n")
        await settle(pilot)
        screen.selected = "welcome"  # done: not among the items to come
        highlighted = screen.highlighted()
        assert highlighted is not None and highlighted.item.id == "coffee-trial"
        # Moving the next item up would put it before the current one: refused, nothing logged.
        await pilot.press("left_square_bracket")
        await settle(pilot)
        log = session_file.load(workshop_copy).session.log
        assert [event.kind for event in log] == ["start", "next"]


async def test_before_the_start_an_insert_comes_first_and_moves_every_start(
    workshop_copy: Path, clock: FakeClock
) -> None:
    app = make_app(session_path=workshop_copy, clock=clock, config=UserConfig())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, RunScreen)
        await insert_item(pilot, "Arrivals", 10)
        shown = await agree(pilot, screen, clock)
        assert order(screen)[0] == "arrivals"
        assert shown["arrivals"] == "13:00" and shown["welcome"] == "13:10"


async def test_the_agenda_keys_are_in_the_help_and_off_after_the_finish(
    workshop_copy: Path, clock: FakeClock
) -> None:
    app = make_app(session_path=workshop_copy, clock=clock, config=UserConfig())
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, RunScreen)
        ids = {binding.id for _, binding in screen._bindings}
        for action in ("insert", "drop", "move_up", "move_down", "resize", "edit"):
            assert f"run.{action}" in ids
        await pilot.press("s")
        await pilot.press("f")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert screen.check_action("insert", ()) is None
        await pilot.press("i")
        await settle(pilot)
        assert not isinstance(app.screen, InsertItemScreen)


async def test_the_review_sets_the_plan_against_what_was_run(
    workshop_copy: Path, clock: FakeClock
) -> None:
    from sessiontui.minutes import markdown
    from sessiontui.tui.screens.review import ReviewScreen
    from sessiontui.tui.widgets.timeline import TimingTable

    app = make_app(session_path=workshop_copy, clock=clock, config=UserConfig())
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await started_run(pilot)
        clock.set(minutes=2)
        await insert_item(pilot, "Energiser", 5)
        screen.selected = "coffee-setup"
        await pilot.press("x")
        await settle(pilot)
        await pilot.press("enter")
        screen.selected = "next-steps"
        await pilot.press("left_square_bracket")
        await settle(pilot)
        clock.set(minutes=10)
        await pilot.press("n")
        clock.set(minutes=16)
        await pilot.press("f")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)

    review = make_app(session_path=workshop_copy, clock=clock, config=UserConfig(), mode="review")
    async with review.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert isinstance(review.screen, ReviewScreen)
        table = review.screen.query_one(TimingTable)
        flags = {}
        for row_key in table.rows:
            cells = [
                cell.plain if isinstance(cell, Text) else str(cell)
                for cell in table.get_row(row_key)
            ]
            flags[cells[0]] = cells
        energiser = flags["Energiser"]
        assert energiser[1] == energiser[3] == "—" and energiser[-1] == "unplanned"
        assert flags["Getting to know each other: Randomised Coffe…"][-1] == "dropped"
        assert flags["Summing up and next steps"][-1] == "moved"
        titles = list(flags)
        assert titles.index("Energiser") == 1  # where it ran, not in the plan
    minutes = markdown.render(session_file.load(workshop_copy).session)
    assert "unplanned" in minutes and "dropped" in minutes
    assert "Added Energiser (5 min)" in minutes


async def test_help_and_palette_list_the_agenda_keys_and_e_opens_the_plan_editor(
    workshop_copy: Path, clock: FakeClock
) -> None:
    from sessiontui.tui.dialogs.help import HelpScreen

    app = make_app(session_path=workshop_copy, clock=clock, config=UserConfig())
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await started_run(pilot)
        titles = {command.title for command in app.get_system_commands(screen)}
        assert {"Add", "Drop", "Move up", "Move down", "Length", "Edit"} <= titles
        await pilot.press("f1")
        await settle(pilot)
        modal = app.screen
        assert isinstance(modal, HelpScreen)
        rows = {row.binding_id: row for row in modal.rows}
        assert rows["run.insert"].keys == "i" and rows["run.drop"].keys == "x"
        assert rows["run.move_up"].keys.startswith("[") and rows["run.resize"].keys == "d"
        assert rows["run.next"].keys == "n, →"  # the controls are still listed first
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        assert type(app.screen).__name__ == "PlanEditorScreen"


async def test_notes_open_on_an_item_added_live(workshop_copy: Path, clock: FakeClock) -> None:
    app = make_app(session_path=workshop_copy, clock=clock, config=UserConfig())
    async with app.run_test(size=(120, 40)) as pilot:
        await started_run(pilot)
        await insert_item(pilot, "Energiser", 5)
        clock.set(minutes=10)
        await pilot.press("n")
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        notes = app.screen
        assert type(notes).__name__ == "NotesScreen"
        assert getattr(notes, "item_id", None) == "energiser"
