"""The live run screen through Textual's Pilot, on a copy of the reference workshop.

The clock is a fake that tests move on by hand, then call `screen.tick()` (or press a key);
nothing sleeps and nothing asserts on real time. The session is in Europe/London in February,
so its wall-clock times are UTC times.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from rich.text import Text
from textual.color import Color
from textual.geometry import Region
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import DataTable, Digits, Static

from pilot_helpers import START, FakeClock, running, settle
from sessiontui import session_file
from sessiontui.store import atomic as store_atomic
from sessiontui.store.settings import UserConfig
from sessiontui.tui.app import SessionApp
from sessiontui.tui.dialogs.confirm import ConfirmScreen
from sessiontui.tui.dialogs.help import HelpScreen
from sessiontui.tui.dialogs.replan import ReplanScreen
from sessiontui.tui.screens.run import RunScreen
from sessiontui.tui.widgets.agenda import AgendaTable
from sessiontui.tui.widgets.clock import SessionClock
from sessiontui.tui.widgets.prompts import PromptsPanel
from sessiontui.tui.widgets.reminders import Reminders
from sessiontui.tui.widgets.saving import SaveStatus

HOSTILE = ["[/]", "[@click=app.quit]x[/]", "\x1b[31mred", "\u202egnp.exe", "[bold]b[/bold]"]
SHOWN = ["[/]", "[@click=app.quit]x[/]", "␛[31mred", "⟨U+202E⟩gnp.exe", "[bold]b[/bold]"]


@pytest.fixture
def path(workshop_copy: Path) -> Path:
    return workshop_copy


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(START)


async def at(pilot: Pilot[None], screen: RunScreen, clock: FakeClock, **delta: float) -> None:
    """Move the clock to START + delta and let the screen show it."""
    clock.set(**delta)
    screen.tick()
    await pilot.pause()


def kinds(path: Path) -> list[str]:
    return [event.kind for event in session_file.load(path).session.log]


def absent(path: Path, name: str) -> None:
    """Mark one participant absent in the file, as the roster screen would."""

    def change(session: Any) -> Any:
        people = [
            person.model_copy(update={"absent": True}) if person.name == name else person
            for person in session.participants
        ]
        assert people != session.participants, name
        return session.model_copy(update={"participants": people})

    session_file.update(path, change)


def content(widget: Widget) -> str:
    assert isinstance(widget, Static)
    return str(widget.visual)


def rendered(widget: Widget) -> str:
    """What a widget paints, line by line (for widgets whose content is not plain text)."""
    width, height = widget.outer_size
    return "\n".join(strip.text for strip in widget.render_lines(Region(0, 0, width, height)))


def shown(screen: RunScreen, selector: str) -> str:
    return content(screen.query_one(selector))


def digits(screen: RunScreen) -> str:
    return screen.query_one("#digits", Digits).value


def phase(screen: RunScreen) -> str:
    panel = screen.query_one("#countdown")
    found = [name[1:] for name in panel.classes if name.startswith("-")]
    assert len(found) == 1, found
    return found[0]


def row(screen: RunScreen, index: int) -> list[str]:
    table = screen.query_one("#agenda", DataTable)
    return [cell.plain if isinstance(cell, Text) else str(cell) for cell in table.get_row_at(index)]


def terminal_text(app: SessionApp) -> str:
    strips = app.screen._compositor.render_strips()
    return "\n".join(
        "".join(segment.text for segment in strip if not segment.control) for strip in strips
    )


# Controls and the log


async def test_every_control_appends_its_event_and_the_file_has_it(
    path: Path, clock: FakeClock
) -> None:
    steps: list[tuple[str, str, dict[str, Any]]] = [
        ("s", "start", {}),
        ("n", "next", {}),
        ("b", "back", {}),
        ("plus", "extend", {"minutes": 1}),
        ("equals_sign", "extend", {"minutes": 1}),
        ("5", "extend", {"minutes": 5}),
        ("minus", "extend", {"minutes": -1}),
        ("space", "pause", {}),
        ("space", "resume", {}),
        ("k", "skip", {}),
        ("right", "next", {}),
        ("left", "back", {}),
    ]
    async with running(path, clock) as (_app, pilot, _screen):
        for count, (key, kind, fields) in enumerate(steps, start=1):
            clock.set(minutes=count)
            await pilot.press(key)
            await settle(pilot)
            log = session_file.load(path).session.log
            assert len(log) == count, key
            event = log[-1]
            assert event.kind == kind, key
            assert event.at == clock.now
            for name, value in fields.items():
                assert getattr(event, name) == value
        await pilot.press("f")
        await pilot.pause()
        assert isinstance(pilot.app.screen, ConfirmScreen)
        await pilot.press("enter")
        await settle(pilot)
        assert kinds(path)[-1] == "finish"


async def test_controls_that_do_not_apply_now_are_greyed_and_refused(
    path: Path, clock: FakeClock
) -> None:
    async with running(path, clock) as (_app, pilot, screen):
        for action in ("next", "back", "extend", "skip", "finish", "pause"):
            assert screen.check_action(action, ()) is None, action  # shown, greyed
        assert screen.check_action("start", ()) is True
        disabled = {b.binding.action for b in screen.active_bindings.values() if not b.enabled}
        assert {"next", "back", "extend", "skip", "finish", "pause"} <= disabled
        await pilot.press("n", "b", "plus", "k", "f", "space", "minus", "5")
        await settle(pilot)
        assert isinstance(pilot.app.screen, RunScreen)
        assert kinds(path) == []
        await pilot.press("s")
        await settle(pilot)
        assert screen.check_action("start", ()) is None
        assert screen.check_action("next", ()) is True
        assert screen.check_action("back", ()) is None  # nothing before the first item
        await pilot.press("s")
        await settle(pilot)
        assert kinds(path) == ["start"]


async def test_the_command_palette_offers_what_can_be_done_now(
    path: Path, clock: FakeClock
) -> None:
    async with running(path, clock) as (app, pilot, screen):
        titles = {command.title for command in app.get_system_commands(screen)}
        assert {"Start", "Replan", "Help", "Bell", "Hide", "Pin", "Quit"} <= titles
        assert "Next" not in titles
        start = next(c for c in app.get_system_commands(screen) if c.title == "Start")
        await start.callback()
        await settle(pilot)
        assert kinds(path) == ["start"]
        titles = {command.title for command in app.get_system_commands(screen)}
        assert {"Next", "Pause", "Skip", "Finish", "+1 min", "+5 min", "-1 min"} <= titles
        assert "Start" not in titles


async def test_next_on_the_last_item_asks_first(path: Path, clock: FakeClock) -> None:
    async with running(path, clock) as (_app, pilot, screen):
        await pilot.press("s")
        for _ in range(12):  # to the last of the 13 items
            await pilot.press("n")
        await settle(pilot)
        assert kinds(path).count("next") == 12
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(pilot.app.screen, ConfirmScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert kinds(path).count("next") == 12
        await pilot.press("n")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot)
        assert kinds(path).count("next") == 13
        assert screen.state is not None and screen.state.status == "finished"


async def test_finish_is_confirmed_and_can_be_cancelled(path: Path, clock: FakeClock) -> None:
    async with running(path, clock) as (_app, pilot, screen):
        await pilot.press("s", "f")
        await pilot.pause()
        assert isinstance(pilot.app.screen, ConfirmScreen)
        await pilot.press("n")
        await settle(pilot)
        assert kinds(path) == ["start"]
        assert screen.state is not None and screen.state.status == "running"


# The countdown


async def test_warning_time_up_and_overtime(path: Path, clock: FakeClock) -> None:
    async with running(path, clock) as (_app, pilot, screen):
        assert phase(screen) == "planned"
        assert digits(screen) == "10:00"
        assert shown(screen, "#phase") == "NOT STARTED"
        await pilot.press("s")
        await settle(pilot)
        assert phase(screen) == "running"
        await at(pilot, screen, clock, minutes=7, seconds=59)
        assert phase(screen) == "running"
        assert digits(screen) == "02:01"
        await at(pilot, screen, clock, minutes=8)
        assert phase(screen) == "warning"
        assert shown(screen, "#phase") == "WARNING: 2 min left"
        await at(pilot, screen, clock, minutes=10)
        assert phase(screen) == "time-up"
        assert shown(screen, "#phase") == "TIME UP"
        assert digits(screen) == "00:00"
        await at(pilot, screen, clock, minutes=13, seconds=12)
        assert phase(screen) == "overtime"
        assert digits(screen) == "+03:12"
        assert shown(screen, "#phase") == "OVERTIME +03:12"


async def test_pause_freezes_the_countdown(path: Path, clock: FakeClock) -> None:
    async with running(path, clock) as (_app, pilot, screen):
        await pilot.press("s")
        await at(pilot, screen, clock, minutes=3)
        await pilot.press("space")
        await settle(pilot)
        assert phase(screen) == "paused"
        assert shown(screen, "#phase") == "PAUSED"
        await at(pilot, screen, clock, minutes=9)
        assert digits(screen) == "07:00"
        assert "6 min behind" in shown(screen, "#clock")
        await pilot.press("space")
        await at(pilot, screen, clock, minutes=10)
        assert phase(screen) == "running"
        assert digits(screen) == "06:00"


async def test_drift_projected_finish_and_fixed_time_at_risk(path: Path, clock: FakeClock) -> None:
    async with running(path, clock) as (_app, pilot, screen):
        line = shown(screen, "#clock")
        assert "13:00 · not started · on time · finish ~16:00 (planned 16:00)" in line
        assert not screen.query_one("#risks").display
        await pilot.press("s")
        await at(pilot, screen, clock, minutes=4)
        assert "elapsed 4 min · on time · finish ~16:00" in shown(screen, "#clock")
        await at(pilot, screen, clock, minutes=16)
        line = shown(screen, "#clock")
        assert "13:16 · elapsed 16 min · 6 min behind · finish ~16:06 (planned 16:00)" in line
        risks = screen.query_one("#risks")
        assert risks.display
        assert "Tea break 14:30 at risk: projected 14:36" in content(risks)
        await pilot.press("minus")  # shortening does not make the time already spent vanish
        await settle(pilot)
        assert "6 min behind" in shown(screen, "#clock")


async def test_done_and_skipped_items_show_what_really_happened(
    path: Path, clock: FakeClock
) -> None:
    async with running(path, clock) as (_app, pilot, screen):
        await pilot.press("s")
        await at(pilot, screen, clock, minutes=12)
        assert row(screen, 0)[0] == "▶"
        assert row(screen, 0)[-1] == "12 min so far"
        await pilot.press("n")
        await at(pilot, screen, clock, minutes=13)
        await pilot.press("k")
        await settle(pilot)
        assert row(screen, 0) == [
            "✓", "13:00", "Plenary", row(screen, 0)[3], "13:00–13:12", "12 min (+2)",
        ]  # fmt: skip
        assert row(screen, 1)[0] == "–"
        assert row(screen, 1)[-1] == "skipped"
        assert row(screen, 2)[0] == "▶"
        assert row(screen, 2)[4] == "13:13–"
        assert screen.query_one("#agenda", DataTable).cursor_row == 2
        assert "Next: Coffee trial: what did you notice?" in shown(screen, "#next")


async def test_a_round_of_one_group_size_shows_its_turns_and_a_swap_cue(
    path: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    absent(path, "Chloe Evans")  # twelve people: six pairs, so one group size
    async with running(path, clock) as (app, pilot, screen):
        rings: list[dt.datetime] = []
        monkeypatch.setattr(app, "bell", lambda: rings.append(clock.now))
        await pilot.press("s", "n", "n")  # the coffee trial: 15 min, 7 min turns
        await settle(pilot)
        turn = screen.query_one("#turn")
        assert turn.display
        assert content(turn) == "Turn 1 of 2 · 7:00 left in this turn"
        await at(pilot, screen, clock, minutes=2, seconds=48)
        assert content(turn) == "Turn 1 of 2 · 4:12 left in this turn"
        assert not turn.has_class("-swap")
        await at(pilot, screen, clock, minutes=7)
        assert content(turn) == "SWAP: next person's turn"
        assert turn.has_class("-swap")
        assert len(rings) == 1
        await at(pilot, screen, clock, minutes=7, seconds=5)
        assert content(turn) == "SWAP: next person's turn"
        assert len(rings) == 1
        await at(pilot, screen, clock, minutes=7, seconds=10)
        assert content(turn) == "Turn 2 of 2 · 6:50 left in this turn"
        assert not turn.has_class("-swap")
        await at(pilot, screen, clock, minutes=14, seconds=2)
        assert content(turn).startswith("TIME: all 2 turns done")
        assert len(rings) == 2
        await at(pilot, screen, clock, minutes=15)
        assert len(rings) == 3  # the item's own zero
        await pilot.press("n")
        await settle(pilot)
        assert not screen.query_one("#turn").display


async def test_a_round_of_pairs_and_a_three_shows_each_size_s_turn_on_one_line(
    path: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Thirteen people: five pairs with 7-minute turns, and a three sharing the 15 minutes.
    async with running(path, clock) as (app, pilot, screen):
        rings: list[dt.datetime] = []
        monkeypatch.setattr(app, "bell", lambda: rings.append(clock.now))
        await pilot.press("s", "n", "n")
        await at(pilot, screen, clock, minutes=2, seconds=48)
        turn = screen.query_one("#turn")
        assert content(turn) == "Pairs: turn 1 of 2 · 4:12 left · Threes: turn 1 of 3 · 2:12"
        assert not turn.has_class("-swap")
        await at(pilot, screen, clock, minutes=5)  # the three swaps; the pairs carry on
        assert content(turn) == "Pairs: turn 1 of 2 · 2:00 left · Threes: SWAP, turn 2 of 3"
        assert turn.has_class("-swap")
        assert len(rings) == 1  # the three's swap rings too, not only the pairs'
        await at(pilot, screen, clock, minutes=5, seconds=10)
        assert content(turn) == "Pairs: turn 1 of 2 · 1:50 left · Threes: turn 2 of 3 · 4:50"
        assert not turn.has_class("-swap")
        await at(pilot, screen, clock, minutes=7)
        assert content(turn) == "Pairs: SWAP, turn 2 of 2 · Threes: turn 2 of 3 · 3:00"
        assert turn.has_class("-swap")
        assert len(rings) == 2
        await at(pilot, screen, clock, minutes=14, seconds=5)
        assert content(turn) == (
            "Pairs: TIME, all 2 turns done; wrap up · Threes: turn 3 of 3 · 0:55"
        )
        await at(pilot, screen, clock, minutes=14, seconds=30)
        assert content(turn) == "Pairs: all 2 turns done · Threes: turn 3 of 3 · 0:30"
        assert not turn.has_class("-swap")


@pytest.mark.parametrize(
    ("width", "said"),
    [
        (80, "Pairs: turn 1 of 2 · 4:12 left · Threes: turn 1 of 3 · 2:12"),
        (60, "Pairs: turn 1 of 2 · 4:12 left · Threes 1/3 · 2:12"),
        (44, "Pairs: turn 1 of 2 · 4:12 left"),
    ],
)
async def test_a_narrow_terminal_shortens_the_other_group_sizes_first(
    path: Path, clock: FakeClock, width: int, said: str
) -> None:
    async with running(path, clock, size=(width, 24)) as (app, pilot, screen):
        await pilot.press("s", "n", "n")
        await at(pilot, screen, clock, minutes=2, seconds=48)
        turn = screen.query_one("#turn")
        assert content(turn) == said
        assert screen.region.contains_region(turn.region)
        assert said in terminal_text(app)


async def test_the_bell_rings_once_at_zero_and_not_when_muted(
    path: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with running(path, clock) as (app, pilot, screen):
        rings: list[dt.datetime] = []
        monkeypatch.setattr(app, "bell", lambda: rings.append(clock.now))
        await pilot.press("s")
        for second in (9 * 60 + 58, 9 * 60 + 59, 10 * 60, 10 * 60 + 1, 10 * 60 + 7, 11 * 60):
            await at(pilot, screen, clock, seconds=second)
        assert rings == [START + dt.timedelta(minutes=10)]
        await pilot.press("n")  # the next item, 5 minutes
        await pilot.press("m")
        await settle(pilot)
        assert app.config is not None and app.config.bell is False
        assert "bell off" in shown(screen, "#clock")
        await at(pilot, screen, clock, minutes=17)
        assert len(rings) == 1
        await pilot.press("m")
        await settle(pilot)
        assert app.bell_enabled


async def test_reopening_a_session_already_in_overtime_does_not_ring(
    path: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with running(path, clock) as (_app, pilot, _screen):
        await pilot.press("s")
        await settle(pilot)
    clock.set(minutes=12)
    async with running(path, clock) as (app, pilot, screen):
        rings: list[int] = []
        monkeypatch.setattr(app, "bell", lambda: rings.append(1))
        await at(pilot, screen, clock, minutes=12, seconds=1)
        assert phase(screen) == "overtime"
        assert rings == []


# Resume


async def test_reopening_resumes_where_the_room_is(path: Path, clock: FakeClock) -> None:
    async with running(path, clock) as (_app, pilot, screen):
        await pilot.press("s")
        await at(pilot, screen, clock, minutes=10)
        await pilot.press("n")
        await settle(pilot)
        assert row(screen, 1)[0] == "▶"
    assert kinds(path) == ["start", "next"]
    clock.set(minutes=12, seconds=30)  # the app was closed for two and a half minutes
    async with running(path, clock) as (_app, pilot, screen):
        assert screen.state is not None and screen.state.current == 1
        assert row(screen, 1)[0] == "▶"
        assert digits(screen) == "02:30"
        assert "Getting to know each other" in shown(screen, "#item-title")
        assert screen.check_action("next", ()) is True


async def test_quitting_writes_what_the_save_workers_did_not(
    path: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(SaveStatus, "_save", lambda self: None)  # no worker ever saves
    async with running(path, clock) as (app, pilot, _screen):
        await pilot.press("s", "n", "plus")
        await pilot.pause()
        assert kinds(path) == []
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert kinds(path) == ["start", "next", "extend"]
    assert app.return_code in (0, None)


async def test_a_second_s_tick_redraws_only_what_changed(
    path: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = UserConfig(rotate_seconds=600)  # no reminder turns during the minute
    async with running(path, clock, config=config) as (_app, pilot, screen):
        await pilot.press("s")
        await settle(pilot)
        drawn: list[str] = []
        spied: list[tuple[type[Widget], str]] = [
            (AgendaTable, "show"),
            (PromptsPanel, "show"),
            (Reminders, "show"),
            (SessionClock, "update"),  # show() runs each tick; update() repaints
        ]
        for widget, method in spied:
            original = getattr(widget, method)

            def spy(self: Any, *args: Any, _original: Any = original, **kwargs: Any) -> None:
                drawn.append(type(self).__name__)
                _original(self, *args, **kwargs)

            monkeypatch.setattr(widget, method, spy)
        for second in range(1, 30):  # within one minute and one reminder
            await at(pilot, screen, clock, seconds=second)
        # The clock line is to the minute: within one, only the digits (and the bar) change.
        assert drawn == []
        await at(pilot, screen, clock, minutes=1)  # the current row's "1 min so far"
        assert sorted(drawn) == ["AgendaTable", "SessionClock"]
        assert row(screen, 0)[-1] == "1 min so far"


# Saving


async def test_a_failed_save_warns_keeps_the_file_and_succeeds_on_retry(
    path: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = path.read_bytes()
    real_save = session_file.save

    def full(target: str | Path, session: object) -> None:
        raise OSError(28, f"{target}: cannot save: No space left on device")

    monkeypatch.setattr(store_atomic, "save", full)
    async with running(path, clock) as (_app, pilot, screen):
        await pilot.press("s")
        await settle(pilot)
        warning = screen.query_one("#saving")
        assert warning.display
        text = content(warning)
        assert text.startswith("Not saved: ")
        assert "No space left on device" in text and text.endswith("; retrying")
        assert path.read_bytes() == before
        assert screen.state is not None and screen.state.status == "running"  # kept in memory
        await pilot.press("n")  # still failing: still pending, still warned
        await settle(pilot)
        assert warning.display and path.read_bytes() == before

        monkeypatch.setattr(store_atomic, "save", real_save)
        screen.saver.retry()  # what the retry timer calls
        await settle(pilot)
        assert not warning.display
        assert kinds(path) == ["start", "next"]


async def test_saves_happen_off_the_ui_thread(
    path: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading

    threads: list[str] = []
    real_save = session_file.save

    def save(target: str | Path, session: Any) -> None:
        threads.append(threading.current_thread().name)
        real_save(target, session)

    monkeypatch.setattr(store_atomic, "save", save)
    async with running(path, clock) as (_app, pilot, _screen):
        await pilot.press("s")
        await settle(pilot)
    assert threads and threading.main_thread().name not in threads


async def test_a_save_that_still_fails_at_quit_says_so_and_leaves_the_file(
    path: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = path.read_bytes()

    def broken(target: str | Path, session: object) -> None:
        raise OSError(13, f"{target}: cannot save: Permission denied")

    monkeypatch.setattr(store_atomic, "save", broken)
    async with running(path, clock) as (app, pilot, _screen):
        await pilot.press("s")
        await settle(pilot)
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert app.return_code == 1
    assert path.read_bytes() == before


# Replan


async def test_replan_applies_only_when_confirmed_and_proposes_again(
    path: Path, clock: FakeClock
) -> None:
    from sessiontui.core.replan import propose_replan

    async with running(path, clock) as (_app, pilot, screen):
        await pilot.press("s")
        await at(pilot, screen, clock, minutes=30)  # welcome ran 20 minutes over
        assert "20 min behind" in shown(screen, "#clock")
        await pilot.press("r")
        await pilot.pause()
        modal = pilot.app.screen
        assert isinstance(modal, ReplanScreen)
        proposal = content(modal.query_one("#proposal"))
        assert "Shorten" in proposal
        assert "Projected finish: 16:20 → 16:00" in proposal
        assert "→" in proposal and "Breakout groups: empathy mapping" in proposal
        await pilot.press("escape")
        await settle(pilot)
        assert kinds(path) == ["start"]

        await pilot.press("r")
        await pilot.pause()
        clock.set(minutes=31)  # time moves on while the proposal is read
        session = screen.session
        assert session is not None
        expected = propose_replan(session, clock.now).changes
        await pilot.press("enter")
        await settle(pilot)
        log = session_file.load(path).session.log
        assert [event.kind for event in log] == ["start", "replan"]
        assert log[-1].plan == expected
        assert "on time" in shown(screen, "#clock")


async def test_an_infeasible_replan_only_says_so(path: Path, clock: FakeClock) -> None:
    async with running(path, clock) as (_app, pilot, screen):
        await pilot.press("s")
        await at(pilot, screen, clock, hours=3)
        await pilot.press("r")
        await pilot.pause()
        modal = pilot.app.screen
        assert isinstance(modal, ReplanScreen)
        assert content(modal.query_one("#proposal")).startswith("Cannot finish by 16:00")
        await pilot.press("enter")
        await settle(pilot)
        assert kinds(path) == ["start"]


# A finished session


def finished_copy(path: Path) -> None:
    data = session_file.load(path).session.model_dump(mode="python", exclude_defaults=True)
    data["log"] = [
        {"at": START, "kind": "start"},
        *({"at": START + dt.timedelta(minutes=15 * i), "kind": "next"} for i in range(1, 12)),
        {"at": START + dt.timedelta(hours=3, minutes=4), "kind": "finish"},
    ]
    path.write_text(tomli_w.dumps({"schema_version": 1, **data}), encoding="utf-8")


async def test_a_finished_session_opens_as_a_read_only_summary(
    path: Path, clock: FakeClock
) -> None:
    finished_copy(path)
    before = path.read_bytes()
    clock.set(hours=5)
    async with running(path, clock) as (app, pilot, screen):
        assert screen.has_class("-finished")
        assert not screen.query_one("#countdown").display
        summary = shown(screen, "#finished")
        assert summary.startswith("Finished at 16:04 (4 min behind)")
        assert "read-only" in summary
        assert row(screen, 0)[-2:] == ["13:00–13:15", "15 min (+5)"]
        assert "Coming up" in shown(screen, "#prompts")
        assert "Dancefloor and Balcony" in shown(screen, "#prompts")
        for action in ("start", "next", "back", "extend", "skip", "finish", "replan", "pause"):
            assert screen.check_action(action, ()) is False, action  # not even shown
        for action in ("mute", "hide_reminders", "pin_reminder"):
            assert screen.check_action(action, ()) is False, action
        titles = {command.title for command in app.get_system_commands(screen)}
        assert titles.isdisjoint({"Start", "Next", "Back", "Finish", "Replan", "Bell"})
        await pilot.press("s", "n", "b", "left", "plus", "k", "f", "r", "space", "m", "h", "p")
        await settle(pilot)
        assert isinstance(app.screen, RunScreen)
        assert path.read_bytes() == before
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)


async def test_finishing_live_shows_the_summary_and_back_reopens(
    path: Path, clock: FakeClock
) -> None:
    async with running(path, clock) as (_app, pilot, screen):
        await pilot.press("s")
        await at(pilot, screen, clock, minutes=5)
        await pilot.press("f", "enter")
        await settle(pilot)
        assert screen.has_class("-finished")
        assert shown(screen, "#finished").startswith("Finished at 13:05 (2 h 55 min ahead)")
        assert screen.check_action("back", ()) is True
        assert screen.check_action("next", ()) is None
        await pilot.press("b")
        await settle(pilot)
        assert not screen.has_class("-finished")
        assert kinds(path) == ["start", "finish", "back"]


# Prompts and reminders


async def test_prompts_follow_the_item(path: Path, clock: FakeClock) -> None:
    async with running(path, clock) as (_app, pilot, screen):
        assert "Up first: Welcome and introduction" in shown(screen, "#prompts")
        await pilot.press("s", "n")
        await settle(pilot)
        prompts = shown(screen, "#prompts")
        assert "Now: Getting to know each other" in prompts
        assert "Sometimes the most unexpected conversations are the most fruitful" in prompts


async def test_ways_of_working_rotate_by_the_clock_pin_and_hide(
    path: Path, clock: FakeClock
) -> None:
    names = ["Presence", "Attention", "Curiosity", "Chatham", "Engaging", "Respect"]
    base = int(START.timestamp()) // 20 % 6

    def highlighted(screen: RunScreen) -> str:
        lines = [line for line in shown(screen, "#reminders").splitlines() if line[:1] in "▶■"]
        assert len(lines) == 1
        return lines[0]

    config = UserConfig(rotate_seconds=20)
    async with running(path, clock, config=config) as (_app, pilot, screen):
        assert highlighted(screen).startswith(f"▶ {names[base]} — ")
        await at(pilot, screen, clock, seconds=19)
        assert highlighted(screen).startswith(f"▶ {names[base]}")
        await at(pilot, screen, clock, seconds=20)
        assert highlighted(screen).startswith(f"▶ {names[(base + 1) % 6]}")
        await at(pilot, screen, clock, seconds=20 * 6)
        assert highlighted(screen).startswith(f"▶ {names[base]}")
        await pilot.press("p")
        await pilot.pause()
        assert highlighted(screen).startswith(f"■ {names[base]}")
        assert screen.query_one("#reminders").border_title == "Ways of working (pinned)"
        await at(pilot, screen, clock, seconds=20 * 8)
        assert highlighted(screen).startswith(f"■ {names[base]}")
        await pilot.press("p")
        await pilot.pause()
        assert highlighted(screen).startswith(f"▶ {names[(base + 2) % 6]}")
        await pilot.press("h")
        await pilot.pause()
        assert not screen.query_one("#reminders").display
        await pilot.press("h")
        await pilot.pause()
        assert screen.query_one("#reminders").display


# Keys


async def test_the_help_screen_lists_every_binding_with_its_current_key(
    path: Path, clock: FakeClock
) -> None:
    config = UserConfig(keys={"run.next": "x"})
    async with running(path, clock, config=config) as (app, pilot, screen):
        await pilot.press("f1")
        await pilot.pause()
        modal = app.screen
        assert isinstance(modal, HelpScreen)
        rows = {row.binding_id: row for row in modal.rows}
        for binding_id in [
            "run.start", "run.pause", "run.next", "run.back", "run.extend", "run.extend_five",
            "run.shorten", "run.skip", "run.finish", "run.replan", "run.mute",
            "run.hide_reminders", "run.pin_reminder", "run.help", "run.reload", "app.quit",
        ]:  # fmt: skip
            assert binding_id in rows, binding_id
        assert rows["run.next"].keys == "x"
        assert rows["run.back"].keys == "b, ←"
        assert rows["run.extend"].keys == "+, ="
        assert rows["run.help"].keys == "?, f1"
        assert rows["run.start"].available and not rows["run.next"].available
        listed = rendered(modal.query_one("#keys"))
        assert "Pause or resume the session" in listed and "(not now)" in listed
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen


async def test_the_help_screen_scrolls_on_a_small_terminal(path: Path, clock: FakeClock) -> None:
    async with running(path, clock, size=(80, 24)) as (app, pilot, _screen):
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert "Edit the plan" not in terminal_text(app)
        await pilot.press("end")
        await pilot.pause()
        assert "Edit the plan" in terminal_text(app)
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, RunScreen)


async def test_keys_are_remapped_by_binding_id(path: Path, clock: FakeClock) -> None:
    config = UserConfig(keys={"run.next": "x", "run.start": "g"})
    async with running(path, clock, config=config) as (_app, pilot, _screen):
        await pilot.press("s")
        await settle(pilot)
        assert kinds(path) == []
        await pilot.press("g", "n", "right")
        await settle(pilot)
        assert kinds(path) == ["start"]
        await pilot.press("x")
        await settle(pilot)
        assert kinds(path) == ["start", "next"]


# Hostile text, sizes


def hostile_copy(path: Path) -> None:
    data = session_file.load(path).session.model_dump(mode="python", exclude_defaults=True)
    raw = " ".join(HOSTILE)
    data["title"] = raw
    data["ways_of_working"] = [{"name": h, "text": raw} for h in HOSTILE]
    for item in data["agenda"]:
        item["title"] = raw
        item["prompts"] = list(HOSTILE)
        item["facilitator_notes"] = raw
    data["upcoming"] = [{"date": dt.date(2023, 3, 21), "title": raw}]
    path.write_text(tomli_w.dumps({"schema_version": 1, **data}), encoding="utf-8")


def assert_literal(app: SessionApp) -> None:
    text = terminal_text(app)
    assert "\x1b" not in text and "\u202e" not in text
    for expected in SHOWN:
        assert expected in text, expected


async def test_hostile_text_is_shown_literally_everywhere_on_the_screen(
    path: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    hostile_copy(path)
    quits: list[int] = []
    async with running(path, clock, size=(200, 60)) as (app, pilot, screen):

        async def record_quit() -> None:
            quits.append(1)

        monkeypatch.setattr(app, "action_quit", record_quit)
        assert_literal(app)
        for selector in ("#item-title", "#next", "#prompts"):
            assert "[@click=app.quit]x[/]" in shown(screen, selector), selector
        await pilot.press("s")
        await at(pilot, screen, clock, hours=1, minutes=40)  # tea break at risk
        assert_literal(app)
        assert "[@click=app.quit]x[/]" in shown(screen, "#risks")
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, ReplanScreen)
        assert_literal(app)
        await pilot.press("escape", "question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape", "f")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("enter")
        await settle(pilot)
        assert_literal(app)
        for selector in ("#summary", "#finished", "#prompts", "#agenda", "#reminders", "#clock"):
            await pilot.click(selector)
        await pilot.pause()
        assert quits == []
        assert app.is_running
        assert session_file.load(path).session.title == " ".join(HOSTILE)


@pytest.mark.parametrize("status", ["planned", "running", "finished"])
async def test_resizing_to_1x1_and_back_does_not_crash(
    path: Path, clock: FakeClock, status: str
) -> None:
    async with running(path, clock, size=(80, 24)) as (app, pilot, screen):
        if status != "planned":
            await pilot.press("s", "n", "n")
            await at(pilot, screen, clock, minutes=7)
        if status == "finished":
            await pilot.press("f", "enter")
        await settle(pilot)
        for size in [(1, 1), (200, 60), (1, 1), (80, 24), (40, 10), (2, 30), (120, 40)]:
            await pilot.resize_terminal(*size)
            screen.tick()
            await pilot.pause()
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert app.is_running
        assert screen.query_one("#agenda").region.width == 80


async def test_at_80x24_the_essentials_fit(path: Path, clock: FakeClock) -> None:
    async with running(path, clock, size=(80, 24)) as (app, pilot, screen):
        await pilot.press("s", "n", "n")
        await at(pilot, screen, clock, minutes=3)
        assert screen.has_class("-narrow") and screen.has_class("-short")
        assert not screen.query_one("#side").display
        visible = app.screen.region
        for selector in ("#item-title", "#digits", "#phase", "#turn", "#next", "#clock"):
            region = screen.query_one(selector).region
            assert region.height >= 1 and visible.contains_region(region), selector
        table = screen.query_one("#agenda", DataTable)
        assert table.region.height >= 8
        text = terminal_text(app)
        assert "Randomised Coffee Trial" in text and "Pairs: turn 1 of 2" in text


async def test_the_high_contrast_theme_styles_every_phase_from_theme_colours(
    path: Path, clock: FakeClock
) -> None:
    config = UserConfig(theme="sessiontui-high-contrast")
    async with running(path, clock, config=config) as (app, pilot, screen):
        assert app.theme == "sessiontui-high-contrast"
        await pilot.press("s")
        await at(pilot, screen, clock, minutes=8)
        theme = app.current_theme
        digits_widget = screen.query_one("#digits")

        def near(actual: Color, colour: str | None) -> bool:
            expected = Color.parse(colour or "")
            return max(abs(a - b) for a, b in zip(actual.rgb, expected.rgb, strict=True)) <= 2

        assert near(digits_widget.styles.color, theme.warning)
        await at(pilot, screen, clock, minutes=12)
        assert near(digits_widget.styles.color, theme.error)
        assert near(screen.query_one("#countdown").styles.border_top[1], theme.error)


def test_the_clock_line_says_when_the_plan_was_moved_to_another_day(example_path: Path) -> None:
    from sessiontui import session_file
    from sessiontui.core.model import Event
    from sessiontui.core.schedule import run_state
    from sessiontui.tui.widgets.clock import clock_line

    session = session_file.load(example_path).session
    on_the_day = dt.datetime(2023, 2, 16, 13, 2, tzinfo=dt.UTC)
    another_day = dt.datetime(2026, 11, 25, 10, 0, tzinfo=dt.UTC)

    for started, moved in ((on_the_day, False), (another_day, True)):
        session.log = [Event(at=started, kind="start")]
        line = clock_line(run_state(session, started), dt.UTC, bell=True).plain
        assert ("plan moved to the real start" in line) is moved
        assert "behind" not in line or not moved


async def test_the_command_palette_shows_remapped_keys(path: Path, clock: FakeClock) -> None:
    async with running(path, clock) as (app, _pilot, screen):
        app.set_keymap({"run.start": "x"})
        start = next(c for c in app.get_system_commands(screen) if c.title == "Start")
        assert start.help.endswith("(x)")
