"""The app end to end through Textual's Pilot: home screen, run screen, errors and resizing."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from textual.geometry import Region
from textual.widget import Widget
from textual.widgets import DataTable, Static

from pilot_helpers import settle
from sessiontui import session_file
from sessiontui.store import parse as store_parse
from sessiontui.tui.app import SessionApp, make_app
from sessiontui.tui.screens import HomeScreen, RunScreen

NOW = dt.datetime(2023, 2, 16, 12, 0, tzinfo=dt.UTC)


def clock() -> dt.datetime:
    return NOW


def agenda() -> list[dict[str, Any]]:
    return [
        {
            "id": "welcome",
            "title": "Welcome",
            "kind": "plenary",
            "minutes": 10,
            "prompts": ["Who is in the room?"],
            "facilitator_notes": "Introduce the team.",
        },
        {
            "id": "empathy",
            "title": "Empathy mapping",
            "kind": "breakout",
            "minutes": 20,
            "group_size": 4,
            "prompts": ["What do they SEE?", "What do they HEAR?"],
        },
        {"id": "tea", "title": "Tea break", "kind": "break", "minutes": 10, "at": dt.time(13, 30)},
        {"id": "close", "title": "Next steps", "kind": "close", "minutes": 5},
    ]


def session(title: str, date: dt.date, **extra: Any) -> dict[str, Any]:
    return {
        "schema_version": 1,
        "title": title,
        "series": "Systems Leadership",
        "date": date,
        "start": dt.time(13, 0),
        "end": dt.time(14, 0),
        "venue": "Online",
        "timezone": "Europe/London",
        "facilitators": ["Debbie Sorkin", "James Cook"],
        "participants": ["Amira Patel", {"name": "Ben Clarke", "org": "Derbyshire CC"}],
        "ways_of_working": [{"name": "Presence", "text": "Really listening to each other"}],
        "agenda": agenda(),
        **extra,
    }


def write(folder: Path, name: str, data: dict[str, Any]) -> Path:
    path = folder / name
    path.write_text(tomli_w.dumps(data), encoding="utf-8")
    return path


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Two good sessions (one finished, with notes and commitments) and a broken one."""
    sessions = tmp_path / "sessions"
    sessions.mkdir()
    finished = session(
        "Workshop 1: Getting started",
        dt.date(2023, 1, 19),
        notes=[
            {"item": "empathy", "group": "Group 1", "text": "They see queues."},
            {"item": "empathy", "group": "Group 2", "text": "They hear jargon."},
        ],
        actions=[{"who": "Amira Patel", "what": "Call the council", "item": "close"}],
        log=[
            {"at": dt.datetime(2023, 1, 19, 13, 0, tzinfo=dt.UTC), "kind": "start"},
            {"at": dt.datetime(2023, 1, 19, 14, 0, tzinfo=dt.UTC), "kind": "finish"},
        ],
    )
    write(sessions, "2023-01-19-getting-started.toml", finished)
    write(sessions, "2023-02-16-common-purpose.toml", session("Workshop 2", dt.date(2023, 2, 16)))
    (sessions / "broken.toml").write_text('title = "no date"\nschema_version = 1\n', "utf-8")
    return sessions


def text_of(widget: Widget) -> str:
    width, height = widget.outer_size
    return "\n".join(strip.text for strip in widget.render_lines(Region(0, 0, width, height)))


def content(widget: Widget) -> str:
    """The whole text of a Static-based widget, before wrapping."""
    assert isinstance(widget, Static)
    return str(widget.visual)


def row(table: DataTable[Any], index: int) -> list[str]:
    return [cell.plain for cell in table.get_row_at(index)]


# Home screen


async def test_home_lists_sessions_newest_first_with_state_and_counts(folder: Path) -> None:
    app = make_app(folder=folder, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        table = app.screen.query_one("#sessions", DataTable)
        assert table.row_count == 3
        assert row(table, 0) == [
            "2023-02-16",
            "Workshop 2",
            "Systems Leadership",
            "planned",
            "0",
            "0",
        ]
        assert row(table, 1) == [
            "2023-01-19",
            "Workshop 1: Getting started",
            "Systems Leadership",
            "finished",
            "2",
            "1",
        ]


async def test_a_broken_file_shows_its_error_line(folder: Path) -> None:
    app = make_app(folder=folder, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#sessions", DataTable)
        cells = row(table, 2)
        assert cells[3] == "error"
        assert cells[1].startswith("broken.toml: ")
        assert "date" in cells[1]
        listed = text_of(table)
        assert "broken.toml: " in listed
        problem = session_file.scan(folder)[-1].error
        assert problem is not None
        await pilot.press("down", "down")
        assert problem in content(app.screen.query_one("#detail"))


async def test_an_empty_folder_says_how_to_create_a_session(tmp_path: Path) -> None:
    app = make_app(folder=tmp_path, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        message = content(app.screen.query_one("#empty"))
        assert "No sessions yet" in message
        assert "sessiontui" in message and "new --template" in message
        assert not app.screen.query_one("#sessions").display


async def test_enter_opens_the_run_screen_and_escape_returns_home(folder: Path) -> None:
    app = make_app(folder=folder, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("down", "enter")
        await settle(pilot)
        assert isinstance(app.screen, RunScreen)
        assert app.screen.path.name == "2023-01-19-getting-started.toml"
        assert app.screen.title == "Workshop 1: Getting started"
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)


# Run screen


async def test_the_run_screen_shows_the_agenda_with_kind_labels(folder: Path) -> None:
    path = folder / "2023-02-16-common-purpose.toml"
    app = make_app(session_path=path, folder=folder, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, RunScreen)
        table = app.screen.query_one("#agenda", DataTable)
        assert table.row_count == 4
        # Marker, start, kind, title, actual, took: nothing has run yet, and the first item to
        # come is the one the agenda keys act on (›).
        assert row(table, 0) == ["›", "13:00", "Plenary", "Welcome", "", ""]
        assert row(table, 1) == ["", "13:10", "Breakout", "Empathy mapping", "", ""]
        assert row(table, 2)[1:4] == ["13:30", "Break", "Tea break"]
        assert row(table, 3)[2] == "Close"
        summary = content(app.screen.query_one("#summary"))
        assert "Thu 16 Feb 2023 · 13:00–14:00" in summary
        assert "Online" in summary and "Debbie Sorkin, James Cook" in summary
        assert "Really listening to each other" in content(app.screen.query_one("#reminders"))


async def test_before_the_start_the_prompts_are_the_first_items(folder: Path) -> None:
    path = folder / "2023-02-16-common-purpose.toml"
    app = make_app(session_path=path, folder=folder, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        prompts = text_of(app.screen.query_one("#prompts"))
        assert "Up first: Welcome" in prompts
        assert "Who is in the room?" in prompts
        assert "Introduce the team." in prompts


async def test_plan_warnings_are_shown_on_one_line(tmp_path: Path) -> None:
    data = session("Overlapping", dt.date(2023, 2, 16))
    data["agenda"][2]["at"] = dt.time(13, 20)  # tea while the breakout still runs
    path = write(tmp_path, "overlap.toml", data)
    app = make_app(session_path=path, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        warnings = app.screen.query_one("#warnings")
        assert warnings.display
        assert warnings.outer_size.height == 1
        assert "Tea break is fixed at 13:20" in text_of(warnings)


async def test_a_sound_plan_shows_no_warning_line(folder: Path) -> None:
    path = folder / "2023-02-16-common-purpose.toml"
    app = make_app(session_path=path, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert not app.screen.query_one("#warnings").display


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (None, "no such file"),
        ("title = \n", "broken.toml:1"),
        ('schema_version = 1\ntitle = "x"\n', "required field is missing"),
    ],
    ids=["missing", "bad-toml", "invalid"],
)
async def test_a_file_that_cannot_load_shows_its_problem_not_a_traceback(
    tmp_path: Path, text: str | None, expected: str
) -> None:
    path = tmp_path / "broken.toml"
    if text is not None:
        path.write_text(text, encoding="utf-8")
    app = make_app(session_path=path, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.is_running
        problems = app.screen.query_one("#problems")
        assert problems.display
        assert "Could not open broken.toml" in text_of(problems)
        shown = content(problems)
        assert expected in shown
        assert "Traceback" not in shown
        assert not app.screen.query_one("#body").display


async def test_a_newer_file_opens_read_only_and_says_so(tmp_path: Path) -> None:
    path = write(tmp_path, "newer.toml", {**session("From the future", dt.date(2030, 1, 1))})
    path.write_text(path.read_text("utf-8").replace("schema_version = 1", "schema_version = 99"))
    app = make_app(session_path=path, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert "Read-only:" in content(app.screen.query_one("#summary"))


async def test_reload_reads_the_file_again(folder: Path) -> None:
    path = folder / "2023-02-16-common-purpose.toml"
    app = make_app(session_path=path, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        path.write_text(path.read_text("utf-8").replace("Workshop 2", "Workshop Two"), "utf-8")
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert app.screen.title == "Workshop Two"


# Both screens


@pytest.mark.parametrize("start", ["home", "run"])
async def test_resizing_to_1x1_and_back_does_not_crash(folder: Path, start: str) -> None:
    path = folder / "2023-02-16-common-purpose.toml" if start == "run" else None
    app = make_app(session_path=path, folder=folder, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for size in [(1, 1), (120, 40), (1, 1), (80, 24), (40, 10)]:
            await pilot.resize_terminal(*size)
            await pilot.pause()
        await pilot.resize_terminal(80, 24)
        await pilot.press("down", "up")
        await pilot.pause()
        assert app.is_running
        table = app.screen.query_one("#agenda" if path else "#sessions", DataTable)
        assert table.row_count >= 3
        assert table.region.width == 80


async def test_files_are_read_off_the_ui_thread(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    readers: list[str] = []
    real_load, real_scan = session_file.load, session_file.scan

    def load(path: str | Path) -> session_file.Loaded:
        readers.append(threading.current_thread().name)
        return real_load(path)

    def scan(where: str | Path) -> list[session_file.Listing]:
        readers.append(threading.current_thread().name)
        return real_scan(where)

    monkeypatch.setattr(store_parse, "load", load)
    monkeypatch.setattr(session_file, "scan", scan)
    app = make_app(folder=folder, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, RunScreen)
    # Every file's full read for the home listing, and the run screen's read, in workers.
    assert len(readers) >= len(list(folder.glob("*.toml"))) + 1
    assert threading.main_thread().name not in readers


async def test_screen_actions_are_in_the_command_palette(folder: Path) -> None:
    app = make_app(folder=folder, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        titles = {command.title for command in app.get_system_commands(app.screen)}
        assert {"Open: run", "Run", "Notes", "Present", "Review", "New", "Refresh"} <= titles
        assert "Quit" in titles
        await pilot.press("enter")
        await settle(pilot)
        titles = {command.title for command in app.get_system_commands(app.screen)}
        assert {"Sessions", "Reload", "Quit"} <= titles
        back = next(c for c in app.get_system_commands(app.screen) if c.title == "Sessions")
        await back.callback()
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)


async def test_back_is_not_offered_when_the_app_opened_on_the_session(folder: Path) -> None:
    path = folder / "2023-02-16-common-purpose.toml"
    app = make_app(session_path=path, folder=folder, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        run = app.screen
        titles = {command.title for command in app.get_system_commands(run)}
        assert "Sessions" not in titles
        assert "Reload" in titles
        await pilot.press("ctrl+p")  # the palette asks while it is on top of the stack
        await pilot.pause()
        assert app.screen is not run
        titles = {command.title for command in app.get_system_commands(run)}
        assert "Sessions" not in titles
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is run
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, RunScreen)


async def test_keys_can_be_remapped_by_binding_id(folder: Path) -> None:
    app = make_app(folder=folder, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.set_keymap({"run.leave": "backspace"})
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("backspace")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)


async def test_ctrl_q_quits(folder: Path) -> None:
    app = make_app(folder=folder, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert not app.is_running
    assert isinstance(app, SessionApp)
