"""The shared screen (`present`) and the run screen's broadcast, through Textual's Pilot.

Each test runs a present view and, beside it, a writer that saves events to the same file the
way the facilitator's run screen does (a `SessionWriter`: locked, merged, atomic). The view is
made to look by calling its `poll()` and letting its read worker finish, and the fake clock is
moved by hand, so nothing sleeps and nothing asserts on real time. The session is in
Europe/London in February, so its wall-clock times are UTC times.

The last test is the end-to-end one: a real `run` and two real `present` processes on one
file, each on its own pseudo-terminal (tests/helpers/terminal.py), driven with keys.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import os
import shutil
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from textual.geometry import Region
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Input, Static

from pilot_helpers import START, FakeClock, settle
from sessiontui import session_file
from sessiontui.cli import main
from sessiontui.core.model import Event, Session
from sessiontui.session_file.writer import SessionWriter
from sessiontui.store.settings import UserConfig
from sessiontui.tui.app import SessionApp, make_app
from sessiontui.tui.dialogs.broadcast import BroadcastScreen
from sessiontui.tui.screens.present import PARTS, PresentScreen
from sessiontui.tui.screens.run import RunScreen
from sessiontui.tui.widgets.present import BigDigits

HOSTILE = ["[/]", "[@click=app.quit]x[/]", "\x1b[31mred", "[bold]b[/bold]"]
SHOWN = ["[/]", "[@click=app.quit]x[/]", "␛[31mred", "[bold]b[/bold]"]


class Facilitator:
    """Appends events to the file as the run screen does, from another "instance"."""

    def __init__(self, path: Path) -> None:
        self.writer = SessionWriter(path)
        self.session: Session = session_file.load(path).session
        self.writer.adopt(self.session)

    def record(self, kind: str, minutes_in: float, **fields: Any) -> None:
        event = Event(at=START + dt.timedelta(minutes=minutes_in), kind=kind, **fields)
        self.session = self.session.model_copy(update={"log": [*self.session.log, event]})
        self.writer.submit(self.session)
        self.writer.write_pending()


@pytest.fixture
def path(tmp_path: Path, example_path: Path) -> Path:
    target = tmp_path / "workshop.toml"
    shutil.copy(example_path, target)
    return target


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(START - dt.timedelta(minutes=30))


@asynccontextmanager
async def presenting(
    path: Path,
    clock: FakeClock,
    *,
    size: tuple[int, int] = (120, 40),
    config: UserConfig | None = None,
) -> AsyncIterator[tuple[SessionApp, Pilot[None], PresentScreen]]:
    """The app on the present screen of `path`, loaded."""
    app = make_app(session_path=path, clock=clock, config=config or UserConfig(), mode="present")
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, PresentScreen)
        yield app, pilot, screen


async def look(pilot: Pilot[None], screen: PresentScreen) -> None:
    """Let the view notice the file (as its 0.5 s poll would) and show the clock's time."""
    screen.poll()
    await settle(pilot)
    screen.tick()
    await pilot.pause()


def content(widget: Widget) -> str:
    assert isinstance(widget, Static)
    return str(widget.visual)


def shown(screen: PresentScreen, name: str) -> str:
    """The text of one part of the screen ("title", "next", "phase", "agenda", "groups"...)."""
    return content(screen.query_one(f"#present-{name}"))


def visible(screen: PresentScreen, name: str) -> bool:
    return screen.query_one(f"#present-{name}").display


def agenda_line(screen: PresentScreen, title: str) -> str:
    """The agenda's line for the item of this title, as the room reads it."""
    return next(line for line in shown(screen, "agenda").splitlines() if title in line)


def digits(screen: PresentScreen) -> str:
    return screen.query_one(BigDigits).value


# What the room sees


async def test_before_the_start_it_shows_the_title_date_venue_and_agenda(
    path: Path, clock: FakeClock
) -> None:
    async with presenting(path, clock) as (_app, _pilot, screen):
        assert "Workshop 2: Building common understanding" in shown(screen, "title")
        subtitle = shown(screen, "next")
        assert "Thu 16 Feb 2023" in subtitle and "13:00–16:00" in subtitle
        assert "Online (Zoom, with breakout rooms)" in subtitle
        assert shown(screen, "phase") == "STARTS AT 13:00 · NOW 12:30"
        assert digits(screen) == "13:00"  # the time the room waits for, big
        agenda = shown(screen, "agenda")
        assert screen.query_one("#present-agenda").border_title == "Agenda"
        assert "13:00  Welcome and introduction to the session" in agenda
        assert "14:30  Tea break" in agenda
        # The agenda is what the room reads before the start: the wide column, nothing cut.
        agenda_region = screen.query_one("#present-agenda").region
        assert agenda_region.width > screen.query_one(BigDigits).region.width
        assert "14:50  Breakout groups: what's OUR common purpose? Up to 40 words" in agenda
        assert "…" not in agenda
        assert not visible(screen, "broadcast") and not visible(screen, "notice")


async def test_it_follows_start_next_pause_extend_broadcast_and_finish(
    path: Path, clock: FakeClock
) -> None:
    room = Facilitator(path)
    async with presenting(path, clock) as (_app, pilot, screen):
        room.record("start", 0)
        clock.set(minutes=1)
        await look(pilot, screen)
        assert shown(screen, "title") == "Welcome and introduction to the session"
        assert digits(screen) == "09:00"
        assert shown(screen, "phase") == "RUNNING"

        room.record("next", 10)
        clock.set(minutes=10, seconds=30)
        await look(pilot, screen)
        assert "Randomised Coffee Trials" in shown(screen, "title")
        assert digits(screen) == "04:30"
        assert "unexpected conversations" in shown(screen, "prompts")

        room.record("pause", 11)
        clock.set(minutes=14)
        await look(pilot, screen)
        assert shown(screen, "phase") == "PAUSED"
        assert digits(screen) == "04:00"  # frozen while paused
        assert screen.has_class("-phase-paused")

        room.record("resume", 14)
        room.record("extend", 14, minutes=5)
        await look(pilot, screen)
        assert shown(screen, "phase") == "RUNNING"
        assert digits(screen) == "09:00"

        room.record("broadcast", 14, text="2 minutes left, start wrapping up")
        await look(pilot, screen)
        assert visible(screen, "broadcast")
        assert shown(screen, "broadcast") == "2 minutes left, start wrapping up"

        room.record("broadcast", 15, text="")
        await look(pilot, screen)
        assert not visible(screen, "broadcast")

        clock.set(minutes=24)  # the item ran out at 23:00
        await look(pilot, screen)
        assert shown(screen, "phase") == "OVERTIME +01:00"
        assert digits(screen) == "+01:00"

        room.record("finish", 25)
        clock.set(minutes=26)
        await look(pilot, screen)
        assert "finished" in shown(screen, "title")
        assert shown(screen, "phase") == "FINISHED"
        coming = shown(screen, "prompts")
        assert coming.startswith("Coming up")
        assert "Tue 21 Mar 2023 Dancefloor and Balcony" in coming
        assert "Storytelling and Public Narrative" in coming
        # The clock's rows are not left empty: they thank the room, in the block letters.
        assert digits(screen) == "THANK YOU"
        big = screen.query_one(BigDigits)
        assert visible(screen, "digits") and sum("█" in line for line in big.lines()) >= 3
        assert screen.query_one("#present-prompts").region.y > big.region.y


async def test_a_pairing_round_counts_the_turn_in_the_digits_with_the_item_beside_them(
    path: Path, clock: FakeClock
) -> None:
    room = Facilitator(path)
    room.record("start", 0)
    room.record("next", 10)
    room.record("next", 15)  # the coffee trial: 15 min; 13 present: five pairs and a three
    async with presenting(path, clock) as (_app, pilot, screen):
        clock.set(minutes=16)
        await look(pilot, screen)
        assert digits(screen) == "06:00"  # the pairs' 7-minute turn, not the item's 14:00
        assert shown(screen, "phase") == "Pairs: turn 1 of 2 · Item 14:00 left"
        assert shown(screen, "turns") == "Threes: turn 1 of 3, 4:00"  # 5 minutes each
        assert "Something about you" in shown(screen, "prompts")
        clock.set(minutes=17, seconds=30)
        await look(pilot, screen)
        assert digits(screen) == "04:30"
        assert shown(screen, "turns") == "Threes: turn 1 of 3, 2:30"


async def test_the_swap_is_said_flashed_and_rung_once_right_after_the_turn_ends(
    path: Path, clock: FakeClock
) -> None:
    room = Facilitator(path)
    room.record("start", 0)
    room.record("next", 10)
    room.record("next", 15)
    async with presenting(path, clock) as (app, pilot, screen):
        clock.set(minutes=21)  # the three is on its second turn, the pairs on their first
        await look(pilot, screen)
        rings: list[str] = []
        app.bell = lambda: rings.append("ding")  # type: ignore[method-assign]
        clock.set(minutes=21, seconds=59)  # the pairs swap at 22:00
        await look(pilot, screen)
        assert not screen.has_class("-flash") and rings == []
        clock.set(minutes=22, seconds=1)
        await look(pilot, screen)
        assert shown(screen, "phase") == "SWAP: turn 2 of 2 · Item 7:59 left"
        assert screen.query_one("#present-phase").has_class("-swap")
        assert screen.has_class("-flash")  # the whole screen, for its first seconds
        assert rings == ["ding"]
        clock.set(minutes=22, seconds=4)
        await look(pilot, screen)
        assert not screen.has_class("-flash")
        assert shown(screen, "phase").startswith("SWAP")
        assert rings == ["ding"]  # once per swap, however often the screen ticks
        clock.set(minutes=22, seconds=11)
        await look(pilot, screen)
        assert shown(screen, "phase") == "Pairs: turn 2 of 2 · Item 7:49 left"
        assert not screen.query_one("#present-phase").has_class("-swap")
        clock.set(minutes=25, seconds=1)  # the three's second turn: its own line says so
        await look(pilot, screen)
        assert shown(screen, "turns") == "Threes: SWAP, turn 3 of 3"
        assert screen.has_class("-flash") and rings == ["ding", "ding"]


async def test_m_turns_the_swap_bell_off_and_on(path: Path, clock: FakeClock) -> None:
    room = Facilitator(path)
    room.record("start", 0)
    room.record("next", 10)
    room.record("next", 15)
    async with presenting(path, clock) as (app, pilot, screen):
        clock.set(minutes=21)
        await look(pilot, screen)
        rings: list[str] = []
        app.bell = lambda: rings.append("ding")  # type: ignore[method-assign]
        await pilot.press("m")
        assert not app.bell_enabled
        clock.set(minutes=21, seconds=59)
        await look(pilot, screen)
        clock.set(minutes=22, seconds=1)
        await look(pilot, screen)
        assert screen.has_class("-flash") and rings == []  # the flash and the words stay
        await pilot.press("m")
        assert app.bell_enabled


async def test_a_common_purpose_item_shows_its_word_limit(path: Path, clock: FakeClock) -> None:
    room = Facilitator(path)
    room.record("start", 0)
    room.record("skip", 0, item="welcome")
    for item in ["coffee-setup", "coffee-trial", "coffee-debrief", "complexity"]:
        room.record("skip", 0, item=item)
    for item in ["empathy-breakout", "complexity-plenary", "tea", "common-purpose-intro"]:
        room.record("skip", 0, item=item)
    async with presenting(path, clock) as (_app, pilot, screen):
        clock.set(minutes=1)
        await look(pilot, screen)
        assert "common purpose" in shown(screen, "title")
        prompts = shown(screen, "prompts")
        assert "What do we want to do?" in prompts
        assert "Up to 40 words" in prompts
        assert "Facilitator" not in prompts  # the facilitator's notes are not for the room


async def test_the_ways_of_working_rotate_with_the_setting(path: Path, clock: FakeClock) -> None:
    config = UserConfig(rotate_seconds=5)
    async with presenting(path, clock, config=config) as (_app, _pilot, screen):
        first = shown(screen, "ways")
        clock.now += dt.timedelta(seconds=5)
        screen.tick()
        second = shown(screen, "ways")
        assert first != second
        assert "▶ " in first and "▶ " in second


# Following the file safely


async def test_an_invalid_file_keeps_the_last_good_state_with_a_notice(
    path: Path, clock: FakeClock
) -> None:
    room = Facilitator(path)
    room.record("start", 0)
    async with presenting(path, clock) as (_app, pilot, screen):
        clock.set(minutes=1)
        await look(pilot, screen)
        good = path.read_bytes()
        path.write_text("title = [unclosed\n", encoding="utf-8")
        clock.set(minutes=1, seconds=5)
        await look(pilot, screen)
        assert visible(screen, "notice")
        notice = shown(screen, "notice")
        assert notice.startswith("File unreadable since 13:01:05: ")
        assert notice.endswith("; showing the last good version")
        assert shown(screen, "title") == "Welcome and introduction to the session"
        clock.set(minutes=2)
        await look(pilot, screen)
        assert digits(screen) == "08:00"  # the clock goes on from the last good version
        assert "since 13:01:05" in shown(screen, "notice")

        path.write_bytes(good)
        await look(pilot, screen)
        assert not visible(screen, "notice")
        assert screen.unreadable is None


async def test_a_missing_file_keeps_the_last_good_state_and_recovers(
    path: Path, clock: FakeClock
) -> None:
    room = Facilitator(path)
    room.record("start", 0)
    async with presenting(path, clock) as (_app, pilot, screen):
        clock.set(minutes=1)
        await look(pilot, screen)
        good = path.read_bytes()
        path.unlink()
        await look(pilot, screen)
        assert "no such file" in shown(screen, "notice")
        assert visible(screen, "notice")
        assert shown(screen, "title") == "Welcome and introduction to the session"
        path.write_bytes(good)
        room.record("next", 2)
        clock.set(minutes=3)
        await look(pilot, screen)
        assert not visible(screen, "notice")
        assert "Randomised Coffee Trials" in shown(screen, "title")


async def test_the_view_never_writes_the_file_nor_takes_its_lock(
    path: Path, clock: FakeClock
) -> None:
    before = path.read_bytes()
    mtime = os.stat(path).st_mtime_ns
    async with presenting(path, clock) as (_app, pilot, screen):
        for minutes in range(3):
            clock.set(minutes=minutes)
            await look(pilot, screen)
        screen.poll(force=True)
        await settle(pilot)
    assert path.read_bytes() == before
    assert os.stat(path).st_mtime_ns == mtime
    assert sorted(p.name for p in path.parent.iterdir()) == ["home", "workshop.toml"]


async def test_markup_and_escapes_in_a_broadcast_and_a_prompt_are_shown_literally(
    path: Path, clock: FakeClock
) -> None:
    session = session_file.load(path).session
    first = session.agenda[0].model_copy(update={"prompts": HOSTILE})
    session_file.save(path, session.model_copy(update={"agenda": [first, *session.agenda[1:]]}))
    room = Facilitator(path)
    room.record("start", 0)
    room.record("broadcast", 0, text=" ".join(HOSTILE))
    async with presenting(path, clock) as (app, pilot, screen):
        clock.set(minutes=1)
        await look(pilot, screen)
        assert shown(screen, "broadcast") == " ".join(SHOWN)
        prompts = shown(screen, "prompts")
        for text in SHOWN:
            assert text in prompts
        assert "\x1b" not in prompts
        assert app.is_running


@pytest.mark.parametrize("size", [(80, 24), (200, 60)], ids=["80x24", "200x60"])
async def test_small_and_large_screens_render(
    path: Path, clock: FakeClock, size: tuple[int, int]
) -> None:
    room = Facilitator(path)
    room.record("start", 0)
    room.record("broadcast", 0, text="Back at 14:40")
    async with presenting(path, clock, size=size) as (app, pilot, screen):
        clock.set(minutes=3)
        await look(pilot, screen)
        big = screen.query_one(BigDigits)
        width, height = big.outer_size
        drawn = [strip.text for strip in big.render_lines(Region(0, 0, width, height))]
        assert sum("█" in line for line in drawn) >= 5  # the block digits, not plain text
        assert big.region.bottom <= size[1]
        assert visible(screen, "broadcast") and visible(screen, "next")
        assert screen.query_one("#present-agenda").region.height >= 6
        ways_shown = screen.query_one("#present-ways").region.width > 0
        assert ways_shown == (size[0] >= 100)  # the ways of working go first on a small screen
        if size == (200, 60):
            assert sum("█" in line for line in drawn) >= 10  # it grows with the screen
        assert app.is_running


async def test_a_file_that_does_not_load_is_said_on_screen(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("title = [unclosed\n", encoding="utf-8")
    app = make_app(session_path=bad, clock=FakeClock(START), config=UserConfig(), mode="present")
    async with app.run_test() as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, PresentScreen)
        assert screen.query_one("#present-problems").display
        assert not screen.query_one("#present-body").display


def test_the_present_command_refuses_a_bad_file_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["present", str(tmp_path / "missing.toml")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "no such file" in err[0]


# The run screen's broadcast


async def test_the_run_screens_t_key_records_a_broadcast_and_an_empty_one_clears_it(
    path: Path, clock: FakeClock
) -> None:
    app = make_app(session_path=path, clock=clock, config=UserConfig())
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, RunScreen)
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, BroadcastScreen)
        await pilot.press(*"Back at 2")
        await pilot.press("enter", "enter")  # the message, then how long: until cleared
        await settle(pilot)
        assert app.screen is screen
        log = session_file.load(path).session.log
        assert [(e.kind, e.text) for e in log] == [("broadcast", "Back at 2")]

        await pilot.press("t")
        await pilot.pause()
        modal = app.screen
        assert isinstance(modal, BroadcastScreen)
        assert "Back at 2" in content(modal.query_one("#current"))
        assert modal.query_one(Input).value == ""
        await pilot.press("x", "escape")  # cancelled: nothing recorded
        await settle(pilot)
        assert len(session_file.load(path).session.log) == 1

        await pilot.press("t")
        await pilot.pause()
        await pilot.press("enter")
        await settle(pilot)
        log = session_file.load(path).session.log
        assert [(e.kind, e.text) for e in log][-1] == ("broadcast", "")
        assert screen.state is not None and screen.state.broadcast is None


# Real processes: the facilitator's run and two shared screens on one file


def _terminal_helper() -> Any:
    helper = Path(__file__).resolve().parent.parent / "helpers" / "terminal.py"
    spec = importlib.util.spec_from_file_location("terminal", helper)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


FOLLOW_WITHIN = 5.0
"""Seconds a present process gets to show a change: generous for a loaded CI machine (the
one-second promise is measured by the bench, not asserted here)."""


@pytest.mark.subprocess
@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork and a pseudo-terminal")
def test_two_present_processes_follow_the_run_process(path: Path, tmp_path: Path) -> None:
    terminal = _terminal_helper()
    home = tmp_path / "home"
    started: list[Any] = []
    try:
        run = terminal.Terminal.start(["run", str(path)], home=home, columns=120, rows=40)
        started.append(run)
        screens = []
        for size in [(80, 24), (120, 40)]:
            term = terminal.Terminal.start(
                ["present", str(path)], home=home, columns=size[0], rows=size[1]
            )
            started.append(term)
            screens.append(term)
        run.wait_for("Welcome and introduction")
        for term in screens:
            term.wait_for("STARTS AT 13:00")
            # Its agenda is projected from now: the example's day is long past.
            term.wait_for("Welcome and introduction")

        def follows(text: str) -> None:
            for term in screens:
                term.wait_for(text, timeout=FOLLOW_WITHIN)

        run.send("s")
        follows("RUNNING")
        follows("Welcome and introduction to the session")
        run.send("t")
        run.wait_for("Tell the room")
        run.send("Back at [b]2[/b]")
        time.sleep(0.2)  # the dialog's input has the keys before Enter sends them
        run.send("\r")
        run.wait_for("Until I clear it")  # then how long it stays up: the default
        run.send("\r")
        follows("Back at [b]2[/b]")
        run.send("n")
        follows("Getting to know each other")
        run.send(" ")
        follows("PAUSED")
        assert [e.kind for e in session_file.load(path).session.log] == [
            "start", "broadcast", "next", "pause",
        ]  # fmt: skip
        for term in started:
            term.send(b"\x11")  # ctrl+q
            assert term.wait() == 0
    finally:
        for term in started:
            term.kill()
            term.close()


async def test_the_next_item_and_its_projected_start_follow_every_agenda_change(
    path: Path, clock: FakeClock
) -> None:
    from sessiontui.core import schedule
    from sessiontui.core.model import AgendaItem

    room = Facilitator(path)
    async with presenting(path, clock) as (_app, pilot, screen):
        room.record("start", 0)
        clock.set(minutes=1)
        await look(pilot, screen)
        assert shown(screen, "next").startswith(
            "Next: Getting to know each other: Randomised Coffee Trials at 13:10"
        )

        room.record("extend", 1, minutes=5)
        await look(pilot, screen)
        assert "at 13:15" in shown(screen, "next")

        energiser = AgendaItem(id="energiser", title="Energiser", kind="plenary", minutes=5)
        room.record("insert", 2, new_item=energiser)
        await look(pilot, screen)
        assert shown(screen, "next").startswith("Next: Energiser at 13:15")

        room.record("move", 3, item="coffee-setup", after="welcome")
        await look(pilot, screen)
        assert shown(screen, "next").startswith(
            "Next: Getting to know each other: Randomised Coffee Trials at 13:15"
        )

        room.record("skip", 4, item="coffee-setup")
        await look(pilot, screen)
        assert shown(screen, "next").startswith("Next: Energiser at 13:15")
        # The same time the schedule (and so the run screen's agenda) gives.
        state = schedule.run_state(session_file.load(path).session, clock.now)
        upcoming = next(run for run in state.items if run.item.id == "energiser")
        assert upcoming.projected_start is not None
        assert f"{upcoming.projected_start:%H:%M}" == "13:15"


async def test_before_the_start_the_agenda_is_timed_from_the_planned_start_with_changes(
    path: Path, clock: FakeClock
) -> None:
    from sessiontui.core.model import AgendaItem

    room = Facilitator(path)
    async with presenting(path, clock) as (_app, pilot, screen):
        arrivals = AgendaItem(id="arrivals", title="Arrivals", kind="plenary", minutes=10)
        room.record("insert", -20, new_item=arrivals)
        room.record("skip", -19, item="coffee-setup")
        clock.set(minutes=-10)
        await look(pilot, screen)
        agenda = shown(screen, "agenda")
        assert agenda.startswith("  13:00  Arrivals (added)\n  13:10  Welcome and introduction")
        assert "13:20  Randomised Coffee Trial\n" in agenda  # the dropped setup takes no time
        assert "  13:10  Getting to know each other: Randomised Coffee Trials dropped" in agenda
        clock.set(minutes=20)  # not started yet, and late: projected from now, as the phones
        await look(pilot, screen)
        assert shown(screen, "agenda").startswith("  13:20  Arrivals (added)\n  13:30  Welcome")


DEBRIEF = "  {}  Coffee trial: what did you notice?"


async def test_the_agenda_shows_projected_times_after_an_insert_and_a_plus_five(
    path: Path, clock: FakeClock
) -> None:
    from sessiontui.core.model import AgendaItem

    room = Facilitator(path)
    async with presenting(path, clock) as (_app, pilot, screen):
        room.record("start", 0)
        clock.set(minutes=1)
        await look(pilot, screen)
        assert agenda_line(screen, "Tea break") == "  14:30  Tea break"
        assert agenda_line(screen, "what did you notice") == DEBRIEF.format("13:30")
        assert agenda_line(screen, "Welcome").startswith("▶ 13:00  Welcome")

        room.record("extend", 1, minutes=5)
        await look(pilot, screen)
        assert agenda_line(screen, "Tea break") == "  14:35  Tea break"
        assert agenda_line(screen, "what did you notice") == DEBRIEF.format("13:35")

        energiser = AgendaItem(id="energiser", title="Energiser", kind="plenary", minutes=5)
        room.record("insert", 2, new_item=energiser)
        await look(pilot, screen)
        assert agenda_line(screen, "Energiser") == "  13:15  Energiser (added)"
        assert agenda_line(screen, "Tea break") == "  14:40  Tea break"
        assert agenda_line(screen, "what did you notice") == DEBRIEF.format("13:40")

        room.record("next", 3)  # the welcome ends early: done, dimmed, and the rest moves up
        clock.set(minutes=3)
        await look(pilot, screen)
        assert agenda_line(screen, "Welcome") == "  13:00  Welcome and introduction to the session"
        assert agenda_line(screen, "Energiser") == "▶ 13:03  Energiser (added)"
        assert agenda_line(screen, "what did you notice") == DEBRIEF.format("13:28")
        assert agenda_line(screen, "Tea break") == "  14:30  Tea break"  # not before its time


async def test_a_broadcast_for_some_minutes_is_gone_after_them_and_an_empty_one_clears(
    path: Path, clock: FakeClock
) -> None:
    room = Facilitator(path)
    room.record("start", 0)
    async with presenting(path, clock) as (_app, pilot, screen):
        room.record("broadcast", 1, text="Back in 2 minutes", seconds=120)
        clock.set(minutes=2, seconds=59)
        await look(pilot, screen)
        assert visible(screen, "broadcast")
        assert shown(screen, "broadcast") == "Back in 2 minutes"
        clock.set(minutes=3, seconds=1)
        await look(pilot, screen)
        assert not visible(screen, "broadcast")

        room.record("broadcast", 4, text="Until cleared")
        clock.set(minutes=30)
        await look(pilot, screen)
        assert shown(screen, "broadcast") == "Until cleared"
        room.record("broadcast", 31, text="")
        clock.set(minutes=31)
        await look(pilot, screen)
        assert not visible(screen, "broadcast")


async def test_pinning_and_hiding_the_ways_of_working_reach_the_room(
    path: Path, clock: FakeClock
) -> None:
    room = Facilitator(path)
    room.record("start", 0)
    async with presenting(path, clock) as (_app, pilot, screen):
        room.record("pin", 1, text="Chatham")
        clock.set(minutes=1)
        await look(pilot, screen)
        ways = shown(screen, "ways")
        assert "■ Chatham — What's in the room stays in the room" in ways
        assert screen.query_one("#present-ways").border_title == "Ways of working (pinned)"
        clock.set(minutes=9)  # minutes later it has not rotated
        await look(pilot, screen)
        assert "■ Chatham" in shown(screen, "ways")

        room.record("hide_ways", 9)
        await look(pilot, screen)
        assert not visible(screen, "ways")
        room.record("show_ways", 9)
        room.record("pin", 9, text="")
        await look(pilot, screen)
        assert visible(screen, "ways")
        assert "■" not in shown(screen, "ways") and "▶ " in shown(screen, "ways")


async def test_the_groups_and_where_they_meet_show_during_the_pairing(
    path: Path, clock: FakeClock
) -> None:
    threes_with_rooms(path)
    room = Facilitator(path)
    room.record("start", 0)
    room.record("next", 10)
    room.record("next", 15)
    async with presenting(path, clock) as (_app, pilot, screen):
        clock.set(minutes=21, seconds=30)
        await look(pilot, screen)
        groups = shown(screen, "groups").splitlines()
        assert len(groups) == 4 and groups[0].startswith("Group 1 · Breakout room 1: ")
        assert digits(screen) == "03:30"  # the threes' 5-minute turn
        assert shown(screen, "phase") == "Threes: turn 2 of 3 · Item 8:30 left"
        assert shown(screen, "turns") == "Fours: turn 2 of 4, 1:00"  # 3:45 each
        clock.set(minutes=31)  # the debrief: no groups
        room.record("next", 30)
        await look(pilot, screen)
        assert not visible(screen, "groups")


@pytest.mark.parametrize(
    ("size", "kept"),
    [
        ((120, 40), {"broadcast", "title", "next", "other_turns", "groups", "prompts", "agenda"}),
        ((80, 24), {"broadcast", "title", "next", "other_turns", "groups"}),
        ((40, 12), {"broadcast", "title", "next", "groups"}),
        ((20, 6), {"broadcast", "title"}),
    ],
    ids=["120x40", "80x24", "40x12", "20x6"],
)
async def test_every_size_keeps_the_countdown_and_drops_parts_in_order(
    path: Path, clock: FakeClock, size: tuple[int, int], kept: set[str]
) -> None:
    threes_with_rooms(path)
    room = Facilitator(path)
    room.record("start", 0)
    room.record("next", 10)
    room.record("next", 15)
    room.record("broadcast", 16, text="Cameras on")
    async with presenting(path, clock, size=size) as (_app, pilot, screen):
        clock.set(minutes=21, seconds=30)
        await look(pilot, screen)
        assert screen.shown_parts >= kept
        big = screen.query_one(BigDigits)
        width, height = big.outer_size
        drawn = [strip.text for strip in big.render_lines(Region(0, 0, width, height))]
        assert sum(any(block in line for block in "█▀▄") for line in drawn) >= 3
        assert big.region.bottom < size[1]  # the label under the digits is on screen too
        label = screen.query_one("#present-phase")
        assert label.region.height == 1 and label.region.bottom <= size[1]
        for part in screen.shown_parts:
            region = screen.query_one(PARTS[part]).region
            assert region.height >= 1 and region.bottom <= size[1], part


def threes_with_rooms(path: Path) -> None:
    """The coffee trial drawn in threes (13 present: three threes and a four), each its room."""
    from sessiontui.core import grouping

    session = session_file.load(path).session
    drawn = grouping.draw_groups(session, "coffee-trial", size=3, seed=7)
    rooms = [g.model_copy(update={"where": f"Breakout room {n}"}) for n, g in enumerate(drawn, 1)]
    session_file.save(path, grouping.replace_groups(session, "coffee-trial", rooms))
