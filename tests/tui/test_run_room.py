"""The facilitator's side of the room: telling it something for a while, and seeing what it sees.

Issue 17: a broadcast may expire (the Tell dialog asks for how long), the run screen has a
line saying what the room sees now (the message and its time left, the pinned way of working,
hidden ways) with a key to clear the message, and pin and hide are events in the log, so the
projector and the phones follow them and reopening the file keeps them. The clock is a fake
moved by hand; the time left is read off the screen after each move, never waited for.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Input, Static

from pilot_helpers import START, FakeClock, running, settle, type_at_once
from sessiontui import session_file
from sessiontui.core.model import Event
from sessiontui.store.settings import UserConfig
from sessiontui.tui.dialogs.broadcast import BroadcastScreen, parse_duration
from sessiontui.tui.keymap import declaring_classes
from sessiontui.tui.screens.run import RunScreen
from sessiontui.tui.widgets.room_line import time_left

WAYS = ["Presence", "Attention", "Curiosity", "Chatham", "Engaging", "Respect"]


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(START)


def log(path: Path) -> list[Event]:
    return session_file.load(path).session.log


def content(widget: Widget) -> str:
    assert isinstance(widget, Static)
    return str(widget.visual)


def room(screen: RunScreen) -> str | None:
    """The room line as shown, or None while it is hidden."""
    line = screen.query_one("#room")
    return content(line) if line.display else None


def letters(text: str) -> list[str]:
    return ["space" if character == " " else character for character in text]


async def tell(pilot: Pilot[None], message: str, *keys: str) -> None:
    """Open the Tell dialog, type the message, Enter, then these keys (the duration).

    The message is typed at once (Pilot's idle wait after each key made the long ones slow);
    Enter and the duration keys go one by one, as each may move the focus.
    """
    await pilot.press("t")
    await pilot.pause()
    assert isinstance(pilot.app.screen, BroadcastScreen)
    await type_at_once(pilot, *letters(message))
    await pilot.press("enter", *keys)
    await settle(pilot)


# The dialog


@pytest.mark.parametrize(
    ("keys", "seconds"),
    [
        (["enter"], None),  # the default: until I clear it
        (["down", "enter"], 60),
        (["down", "down", "enter"], 120),
        (["end", "enter"], 600),
        (["7", "enter"], 420),  # a digit on the list starts typing minutes
        (["tab", "9", "0", "enter"], 5400),
    ],
)
async def test_the_dialog_writes_the_message_and_how_long_it_stays(
    workshop_copy: Path, clock: FakeClock, keys: list[str], seconds: int | None
) -> None:
    async with running(workshop_copy, clock) as (app, pilot, _screen):
        clock.set(minutes=3)
        await tell(pilot, "Coffee is in the hall", *keys)
        assert isinstance(app.screen, RunScreen)
        [event] = log(workshop_copy)
        assert (event.kind, event.text, event.seconds, event.at) == (
            "broadcast", "Coffee is in the hall", seconds, clock.now,
        )  # fmt: skip


@pytest.mark.parametrize("typed", ["0", "1441", "-5", ""])
async def test_a_bad_duration_is_said_on_the_dialog_and_nothing_is_sent(
    workshop_copy: Path, clock: FakeClock, typed: str
) -> None:
    async with running(workshop_copy, clock) as (app, pilot, _screen):
        await tell(pilot, "Back at three", "tab", *typed, "enter")
        dialog = app.screen
        assert isinstance(dialog, BroadcastScreen)
        problem = content(dialog.query_one("#problem"))
        assert problem.startswith("Minutes: a whole number from 1 to 1440"), problem
        assert log(workshop_copy) == []
        minutes = dialog.query_one("#minutes", Input)
        minutes.value = "3"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, RunScreen)
        assert [(e.text, e.seconds) for e in log(workshop_copy)] == [("Back at three", 180)]


def test_typed_minutes_are_whole_minutes_up_to_a_day() -> None:
    assert parse_duration(" 5 ") == 300
    assert parse_duration("1440") == 86_400
    for bad in ["0", "1441", "1.5", "five", "", "-1", "٣"]:
        assert parse_duration(bad) is None, bad


async def test_an_empty_message_clears_and_escape_sends_nothing(
    workshop_copy: Path, clock: FakeClock
) -> None:
    async with running(workshop_copy, clock) as (app, pilot, _screen):
        await pilot.press("t", "escape")
        await settle(pilot)
        assert log(workshop_copy) == []
        await tell(pilot, "")
        assert isinstance(app.screen, RunScreen)
        assert [(e.kind, e.text, e.seconds) for e in log(workshop_copy)] == [
            ("broadcast", "", None)
        ]


async def test_message_enter_enter_typed_at_once_sends_it(
    workshop_copy: Path, clock: FakeClock
) -> None:
    async with running(workshop_copy, clock) as (app, pilot, _screen):
        await pilot.press("t")
        await pilot.pause()
        # Every key queued before the first is handled, as tmux send-keys or a fast typist does.
        await type_at_once(pilot, *letters("Wrap up"), "enter", "down", "enter")
        assert isinstance(app.screen, RunScreen)
        assert [(e.text, e.seconds) for e in log(workshop_copy)] == [("Wrap up", 60)]


async def test_the_dialog_says_what_the_room_sees_now_and_fits_80x24(
    workshop_copy: Path, clock: FakeClock
) -> None:
    async with running(workshop_copy, clock, size=(80, 24)) as (app, pilot, _screen):
        await tell(pilot, "Coffee", "down", "down", "enter")
        clock.advance(seconds=30)
        await pilot.press("t")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, BroadcastScreen)
        assert content(dialog.query_one("#current")) == "Showing now: Coffee (1:30 left)"
        visible = dialog.region
        for selector in ("#message", "#durations", "#minutes", "#hint"):
            region = dialog.query_one(selector).region
            assert region.height >= 1 and visible.contains_region(region), selector


# The room line


async def test_the_room_line_counts_down_by_the_clock_and_goes_at_expiry(
    workshop_copy: Path, clock: FakeClock
) -> None:
    async with running(workshop_copy, clock) as (_app, pilot, screen):
        assert room(screen) is None  # the room sees only the countdown: no line
        await pilot.press("s")
        clock.set(minutes=1)
        await tell(pilot, "Back in the main room", "down", "down", "enter")  # 2 minutes
        line = room(screen)
        assert line == "Room sees: message 2:00 left (T clears): Back in the main room"
        for moved, left in [(0.4, "2:00"), (1, "1:59"), (47, "1:13"), (119, "0:01")]:
            clock.set(minutes=1, seconds=moved)
            screen.tick()
            await pilot.pause()
            assert f"message {left} left" in (room(screen) or ""), moved
        clock.set(minutes=3)
        screen.tick()
        await pilot.pause()
        assert room(screen) is None
        assert screen.state is not None and screen.state.broadcast is None


async def test_a_message_without_expiry_stays_until_cleared_with_the_clear_key(
    workshop_copy: Path, clock: FakeClock
) -> None:
    async with running(workshop_copy, clock) as (app, pilot, screen):
        assert screen.check_action("clear_broadcast", ()) is None  # nothing to clear: greyed
        titles = {command.title for command in app.get_system_commands(screen)}
        assert "Clear message" not in titles
        await tell(pilot, "Phones away, please", "enter")
        assert room(screen) == "Room sees: message until cleared (T clears): Phones away, please"
        clock.set(hours=2)
        screen.tick()
        await pilot.pause()
        assert "Phones away, please" in (room(screen) or "")
        titles = {command.title for command in app.get_system_commands(screen)}
        assert "Clear message" in titles
        await pilot.press("T")
        await settle(pilot)
        assert room(screen) is None
        assert [(e.kind, e.text, e.at) for e in log(workshop_copy)][-1] == (
            "broadcast",
            "",
            clock.now,
        )
        assert screen.check_action("clear_broadcast", ()) is None


async def test_the_room_line_names_the_clear_key_as_remapped(
    workshop_copy: Path, clock: FakeClock
) -> None:
    config = UserConfig(keys={"run.clear_broadcast": "ctrl+t"})
    async with running(workshop_copy, clock, config=config) as (_app, pilot, screen):
        await tell(pilot, "Hi", "enter")
        assert "(^t clears)" in (room(screen) or "")
        await pilot.press("ctrl+t")
        await settle(pilot)
        assert log(workshop_copy)[-1].text == ""


async def test_the_message_is_text_never_markup(workshop_copy: Path, clock: FakeClock) -> None:
    async with running(workshop_copy, clock) as (_app, pilot, screen):
        await tell(pilot, "[@click=app.quit]x[/] [bold]b", "enter")
        assert (room(screen) or "").endswith("(T clears): [@click=app.quit]x[/] [bold]b")


async def test_a_pinned_way_s_name_is_text_never_markup(
    workshop_copy: Path, clock: FakeClock
) -> None:
    data = session_file.load(workshop_copy).session
    hostile = "[@click=app.quit]x[/] \x1b[31m"
    ways = [way.model_copy(update={"name": hostile}) for way in data.ways_of_working]
    session_file.update(workshop_copy, lambda s: s.model_copy(update={"ways_of_working": ways}))
    async with running(workshop_copy, clock) as (_app, pilot, screen):
        await pilot.press("p")
        await settle(pilot)
        assert room(screen) == "Room sees: pinned: [@click=app.quit]x[/] ␛[31m"


# Pin and hide are events


async def test_pin_and_hide_are_logged_and_survive_reopening(
    workshop_copy: Path, clock: FakeClock
) -> None:
    config = UserConfig(rotate_seconds=20)
    base = int(START.timestamp()) // 20 % len(WAYS)
    async with running(workshop_copy, clock, config=config) as (_app, pilot, screen):
        await pilot.press("p")
        await settle(pilot)
        assert [(e.kind, e.text) for e in log(workshop_copy)] == [("pin", WAYS[base])]
        assert room(screen) == f"Room sees: pinned: {WAYS[base]}"
        await pilot.press("h")
        await settle(pilot)
        assert [e.kind for e in log(workshop_copy)][-1] == "hide_ways"
        assert not screen.query_one("#reminders").display
        assert room(screen) == f"Room sees: ways hidden · pinned: {WAYS[base]}"

    clock.set(seconds=20 * 3)  # the rotation has moved on; the pin holds
    async with running(workshop_copy, clock, config=config) as (_app, pilot, screen):
        assert not screen.query_one("#reminders").display
        assert screen.query_one("#reminders").border_title == "Ways of working (pinned)"
        assert f"■ {WAYS[base]}" in content(screen.query_one("#reminders"))
        await pilot.press("h", "p")
        await settle(pilot)
        assert [(e.kind, e.text) for e in log(workshop_copy)][-2:] == [
            ("show_ways", None),
            ("pin", ""),
        ]
        assert screen.query_one("#reminders").display
        assert room(screen) is None

    async with running(workshop_copy, clock, config=config) as (_app, _pilot, screen):
        assert screen.query_one("#reminders").display
        assert f"▶ {WAYS[(base + 3) % len(WAYS)]}" in content(screen.query_one("#reminders"))


async def test_pin_and_hide_work_before_the_start_and_after_the_finish(
    workshop_copy: Path, clock: FakeClock
) -> None:
    async with running(workshop_copy, clock) as (_app, pilot, screen):
        for action in ("pin_reminder", "hide_reminders", "broadcast"):
            assert screen.check_action(action, ()) is True, action
        await pilot.press("s", "f", "enter")
        await settle(pilot)
        assert screen.has_class("-finished")
        await pilot.press("p", "h")
        await settle(pilot)
        assert [e.kind for e in log(workshop_copy)] == ["start", "finish", "pin", "hide_ways"]


# Sizes and keys


async def test_everything_the_room_sees_fits_one_line_at_80x24(
    workshop_copy: Path, clock: FakeClock
) -> None:
    async with running(workshop_copy, clock, size=(80, 24)) as (app, pilot, screen):
        await pilot.press("s", "n", "n", "p", "h")
        await tell(pilot, "A long message " * 12, "down", "enter")
        visible = app.screen.region
        for selector in ("#digits", "#next", "#clock", "#room", "#agenda"):
            region = screen.query_one(selector).region
            assert region.height >= 1 and visible.contains_region(region), selector
        assert screen.query_one("#room").region.height == 1
        assert screen.query_one("#agenda").region.height >= 7
        for size in [(20, 6), (1, 1), (80, 24)]:
            await pilot.resize_terminal(*size)
            screen.tick()
            await pilot.pause()
        assert app.is_running


def test_time_left_is_a_clock_rounded_up() -> None:
    start = START
    assert time_left(start.replace(minute=2, second=13), start) == "2:13 left"
    assert time_left(start.replace(minute=0, second=1), start.replace(microsecond=1)) == (
        "0:01 left"
    )
    assert time_left(start.replace(hour=14, minute=2, second=3), start) == "1:02:03 left"
    assert time_left(start, start.replace(minute=5)) == "0:00 left"


def test_every_binding_id_is_one_key_of_one_class() -> None:
    """A keymap entry moves exactly one binding: no two classes or actions share an id."""
    owners: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for cls, binding in declaring_classes():
        if binding.id is not None:
            owners[binding.id].add((cls.__qualname__, binding.action))
    shared = {binding_id: found for binding_id, found in owners.items() if len(found) > 1}
    assert shared == {}
    for binding_id in ("run.broadcast", "run.clear_broadcast", "run.pin_reminder",
                       "run.hide_reminders", "broadcast.advance", "broadcast.cancel"):  # fmt: skip
        assert binding_id in owners, binding_id
