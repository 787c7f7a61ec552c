"""The home screen over a folder: two-step listing, odd files, the open keys and new sessions."""

from __future__ import annotations

import datetime as dt
import os
import threading
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import DataTable, Input, OptionList

from pilot_helpers import START, FakeClock, settle
from sessiontui import session_file
from sessiontui.core.model import Note
from sessiontui.store import index as folder_index
from sessiontui.store import templates
from sessiontui.tui.app import make_app
from sessiontui.tui.dialogs.template_picker import TemplatePicker
from sessiontui.tui.screens.home import HomeScreen
from test_library import make_session, write


def cells(table: DataTable[Any], index: int) -> list[str]:
    return [cell.plain for cell in table.get_row_at(index)]


def rows(app: Any) -> list[list[str]]:
    table = app.screen.query_one("#sessions", DataTable)
    return [cells(table, index) for index in range(table.row_count)]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Sessions planned, running and finished, with notes and commitments."""
    base = tmp_path / "sessions"
    base.mkdir()
    write(
        base,
        "2023-01-19-one.toml",
        make_session(
            "One",
            log=["start", "finish"],
            notes=[
                {"item": "empathy", "group": "Group 1", "see": "queues"},
                {"item": "empathy", "group": "Group 2", "hear": "jargon"},
            ],
            actions=[{"who": "Ben Clarke", "what": "Call the council"}],
            upcoming=[
                {"date": dt.date(2023, 2, 16), "title": "Two"},
                {"date": dt.date(2023, 3, 16), "title": "Three: the bigger picture"},
            ],
        ),
    )
    write(
        base,
        "2023-02-16-two.toml",
        make_session("Two", date=dt.date(2023, 2, 16), log=["start"]),
    )
    write(base, "2023-04-20-four.toml", make_session("Four", date=dt.date(2023, 4, 20)))
    return base


def app_for(folder: Path, **kwargs: Any) -> Any:
    return make_app(folder=folder, clock=FakeClock(START), **kwargs)


async def test_sessions_newest_first_with_state_and_counts(folder: Path) -> None:
    app = app_for(folder)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert rows(app) == [
            ["2023-04-20", "Four", "Systems Leadership", "planned", "0", "0"],
            ["2023-02-16", "Two", "Systems Leadership", "running", "0", "0"],
            ["2023-01-19", "One", "Systems Leadership", "finished", "2", "1"],
        ]


async def test_odd_files_are_listed_or_skipped_and_nothing_blocks(folder: Path) -> None:
    (folder / "broken.toml").write_text('title = "no date"\nschema_version = 1\n', "utf-8")
    (folder / "empty.toml").write_text("", "utf-8")
    (folder / "x.toml").mkdir()
    (folder / "dangling.toml").symlink_to(folder / "missing.toml")
    (folder / "notes.txt").write_text("not a session", "utf-8")
    if hasattr(os, "mkfifo"):
        os.mkfifo(folder / "pipe.toml")
    app = app_for(folder)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        listed = rows(app)
        assert [row[1].split(":")[0] for row in listed] == [
            "Four",
            "Two",
            "One",
            "broken.toml",
            "empty.toml",
        ]
        assert [row[3] for row in listed[3:]] == ["error", "error"]
        assert "date" in listed[3][1]


async def test_header_rows_come_first_then_exact_rows(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    release = threading.Event()
    real = folder_index.summarise_files
    full_reads: list[int] = []

    def slow(paths: Any, **kwargs: Any) -> Any:
        full_reads.append(len(paths))
        release.wait(10)
        return real(paths, **kwargs)

    monkeypatch.setattr(folder_index, "summarise_files", slow)
    # An empty note: the header counts a [[notes]] table, the full read counts notes with text.
    path = folder / "2023-04-20-four.toml"
    session = session_file.load(path).session
    session_file.save(
        path,
        session.model_copy(
            update={"notes": [Note(item="welcome", text="x" * 200), Note(item="close")]}
        ),
    )
    app = app_for(folder)
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(100):
            await pilot.pause()
            if app.screen.query_one("#sessions", DataTable).row_count == 3:
                break
        screen = app.screen
        assert isinstance(screen, HomeScreen)
        assert screen.loading
        table = screen.query_one("#sessions", DataTable)
        await pilot.press("down")
        assert rows(app)[0][3:] == ["planned…", "2", "0"]
        assert rows(app)[2][3] == "finished…"
        release.set()
        await settle(pilot)
        assert rows(app)[0][3:] == ["planned", "1", "0"]
        assert rows(app)[2][3] == "finished"
        assert table.cursor_row == 1  # the cursor stayed on the same file
        # A second visit comes from the index: no file is read in full.
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert rows(app)[0][3] == "planned"
        assert full_reads == [3]


@pytest.mark.parametrize(
    ("key", "screen_class"),
    [
        ("r", "sessiontui.tui.screens.run.RunScreen"),
        ("o", "sessiontui.tui.screens.notes.NotesScreen"),
        ("p", "sessiontui.tui.screens.present.PresentScreen"),
        ("v", "sessiontui.tui.screens.review.ReviewScreen"),
    ],
)
async def test_keys_open_the_highlighted_session(folder: Path, key: str, screen_class: str) -> None:
    app = app_for(folder)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("down", key)
        await pilot.pause()
        opened = app.screen
        assert f"{type(opened).__module__}.{type(opened).__name__}" == screen_class
        assert opened.path == folder / "2023-02-16-two.toml"  # type: ignore[attr-defined]


@pytest.mark.parametrize("mode", ["run", "notes", "present", "review"])
async def test_enter_opens_as_the_app_was_asked(folder: Path, mode: str) -> None:
    app = app_for(folder, mode=mode)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        titles = {command.title for command in app.get_system_commands(app.screen)}
        assert f"Open: {mode}" in titles
        await pilot.press("enter")
        await pilot.pause()
        assert type(app.screen).__name__ == f"{mode.capitalize()}Screen"


async def test_the_table_fits_80_by_24(folder: Path) -> None:
    app = app_for(folder)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#sessions", DataTable)
        assert table.region.width == 80
        assert table.virtual_size.width <= 80


async def test_n_creates_the_next_session_from_an_upcoming_entry(folder: Path) -> None:
    app = app_for(folder)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("down", "down", "n")
        await settle(pilot)
        assert isinstance(app.screen, TemplatePicker)
        choices = app.screen.query_one(OptionList)
        # Two upcoming entries, a copy, then (after a separator line) every template.
        assert choices.option_count == 3 + len(templates.BUILT_IN)
        await pilot.press("down", "enter")  # the second entry
        await settle(pilot)
        created = folder / "2023-03-16-three-the-bigger-picture.toml"
        new = session_file.load(created).session
        assert (new.title, new.date, new.upcoming) == (
            "Three: the bigger picture",
            dt.date(2023, 3, 16),
            [],
        )
        assert (new.notes, new.actions, new.log) == ([], [], [])
        assert isinstance(app.screen, HomeScreen)
        assert app.screen.query_one("#sessions", DataTable).cursor_row == 1
        assert rows(app)[1][1] == "Three: the bigger picture"


async def test_n_makes_a_copy_with_a_date_and_title_and_never_overwrites(folder: Path) -> None:
    app = app_for(folder)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        await pilot.press("enter")  # the copy: first option (Four has no upcoming entries)
        screen = app.screen
        assert isinstance(screen, TemplatePicker)
        screen.query_one("#date", Input).value = "2023-02-16"
        screen.query_one("#title", Input).value = "Two"
        before = (folder / "2023-02-16-two.toml").read_bytes()
        screen.query_one("#title", Input).focus()
        await pilot.press("enter")
        await settle(pilot)
        # The name is taken: nothing is written, and the screen says so.
        assert (folder / "2023-02-16-two.toml").read_bytes() == before
        assert any("already exists" in str(n.message) for n in app._notifications)
        await pilot.press("n")
        await settle(pilot)
        await pilot.press("enter")
        screen = app.screen
        assert isinstance(screen, TemplatePicker)
        screen.query_one("#date", Input).value = "not a date"
        screen.query_one("#title", Input).focus()
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is screen  # stays open and says why
        screen.query_one("#date", Input).value = "2024-05-01"
        screen.query_one("#title", Input).value = "A copy"
        screen.query_one("#title", Input).focus()
        await pilot.press("enter")
        await settle(pilot)
        copy = session_file.load(folder / "2024-05-01-a-copy.toml").session
        assert copy.title == "A copy"
        assert rows(app)[0][1] == "A copy"
        assert app.screen.query_one("#sessions", DataTable).cursor_row == 0


async def test_escape_cancels_the_new_session_dialog(folder: Path) -> None:
    app = app_for(folder)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert len(list(folder.glob("*.toml"))) == 3


def option_ids(app: Any) -> list[str]:
    choices = app.screen.query_one(OptionList)
    return [choices.get_option_at_index(i).id or "" for i in range(choices.option_count)]


async def test_an_empty_folder_offers_the_templates_and_n_starts_one(tmp_path: Path) -> None:
    folder = tmp_path / "fresh"  # not there yet, as after a fresh install
    app = app_for(folder)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        empty = str(app.screen.query_one("#empty").render())
        assert "Press n to start one from a template" in empty
        assert "Team retrospective" in empty
        assert "2023-02-16-building-common-purpose.toml" not in empty
        await pilot.press("n")
        await settle(pilot)
        picker = app.screen
        assert isinstance(picker, TemplatePicker)
        assert option_ids(app) == [f"template:{name}" for name in templates.BUILT_IN]
        await pilot.press("down", "enter")  # retro
        assert picker.query_one("#title", Input).value == "Team retrospective"
        assert picker.query_one("#date", Input).value == START.date().isoformat()
        picker.query_one("#date", Input).value = "2026-12-10"
        picker.query_one("#title", Input).value = "Sprint 14 retro"
        picker.query_one("#title", Input).focus()
        await pilot.press("enter")
        await settle(pilot)
        created = folder / "2026-12-10-sprint-14-retro.toml"
        session = session_file.load(created).session
        assert session.agenda == templates.load("retro").agenda
        assert isinstance(app.screen, HomeScreen)
        assert rows(app)[0][1] == "Sprint 14 retro"
        assert app.screen.query_one("#sessions", DataTable).cursor_row == 0


async def test_escape_from_the_fields_goes_back_to_the_list(folder: Path) -> None:
    app = app_for(folder)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        picker = app.screen
        assert isinstance(picker, TemplatePicker)
        await pilot.press("enter")  # a copy of Four: the fields
        assert picker.has_class("-fields")
        await pilot.press("escape")
        assert app.screen is picker and not picker.has_class("-fields")
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)


async def test_a_copy_gets_a_title_without_the_old_date(tmp_path: Path) -> None:
    write(tmp_path, "retro.toml", make_session("Retro 2023-01-19", date=dt.date(2023, 1, 19)))
    app = app_for(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        await pilot.press("enter")  # the copy
        picker = app.screen
        title = picker.query_one("#title", Input)
        assert title.value == f"Retro {START.date().isoformat()}"
        picker.query_one("#date", Input).value = "2024-05-01"
        await pilot.pause()
        assert title.value == "Retro 2024-05-01"


async def test_your_own_templates_are_offered_too(folder: Path) -> None:
    templates.save_user_template("our-retro", templates.load("retro"))
    app = app_for(folder)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert option_ids(app)[-1] == "template:our-retro"


async def test_e_opens_the_highlighted_session_in_the_plan_editor(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = app_for(folder)
    opened: list[tuple[str, Path]] = []
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        monkeypatch.setattr(app, "open_screen", lambda kind, path, **_: opened.append((kind, path)))
        await pilot.press("down", "e")
        await pilot.pause()
        assert opened == [("edit", folder / "2023-02-16-two.toml")]


async def test_n_on_a_broken_session_offers_the_templates_and_says_why(folder: Path) -> None:
    (folder / "zz-broken.toml").write_text("title = \n", "utf-8")
    app = app_for(folder)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("down", "down", "down", "n")  # the broken file, listed last
        await settle(pilot)
        assert isinstance(app.screen, TemplatePicker)
        assert option_ids(app) == [f"template:{name}" for name in templates.BUILT_IN]
        assert any("zz-broken.toml does not load" in str(n.message) for n in app._notifications)
