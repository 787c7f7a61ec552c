"""SVG snapshots of the shared screen (`present`): mid-item with a broadcast, and a round of
threes at every size the room might have (120x40, 80x24, 40x12, 20x6), and a swap's flash.

Regenerate after an intended change with
`pytest tests/snapshots/test_present_snapshots.py --snapshot-update` and look at the report.
As in test_snapshots.py, the session and the clock are fixed (the clock stopped, the settings
given, so nothing is read from the user's files) and nothing on the screen blinks or animates.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
import tomli_w

from pilot_helpers import settle
from sessiontui import session_file
from sessiontui.core import grouping
from sessiontui.core.model import Event
from sessiontui.store.settings import UserConfig
from sessiontui.tui.app import make_app
from test_snapshots import SESSION, START, at

BROADCAST = [
    {"at": START, "kind": "start"},
    {"at": START + dt.timedelta(minutes=2), "kind": "broadcast", "text": "Cameras on, please"},
]


def test_present_screen_mid_item_with_a_broadcast(
    snap_compare: Callable[..., bool], tmp_path: Path
) -> None:
    path = tmp_path / "2023-02-16-workshop-2.toml"
    path.write_text(tomli_w.dumps({**SESSION, "log": BROADCAST}), encoding="utf-8")
    app = make_app(
        session_path=path,
        clock=at(START + dt.timedelta(minutes=4, seconds=12)),
        config=UserConfig(theme="sessiontui-high-contrast"),
        mode="present",
    )
    assert snap_compare(app, terminal_size=(120, 40), run_before=settle)


def round_of_threes(example_path: Path, target: Path) -> Path:
    """The reference workshop in its coffee trial, drawn in threes, each group in its room.

    Thirteen people present make three threes and a four: the threes' 5-minute turns on the
    digits, the four's 3:45 turns on their own line, and a broadcast for ten minutes.
    """
    session = session_file.load(example_path).session
    drawn = grouping.draw_groups(session, "coffee-trial", size=3, seed=7)
    rooms = [g.model_copy(update={"where": f"Breakout room {n}"}) for n, g in enumerate(drawn, 1)]
    session = grouping.replace_groups(session, "coffee-trial", rooms)
    minutes = dt.timedelta(minutes=1)
    log = [
        Event(at=START, kind="start"),
        Event(at=START + 10 * minutes, kind="next"),
        Event(at=START + 15 * minutes, kind="next"),
        Event(at=START + 16 * minutes, kind="broadcast", text="Cameras on, please", seconds=600),
    ]
    session_file.save(target, session.model_copy(update={"log": log}))
    return target


@pytest.mark.parametrize(
    "size", [(120, 40), (80, 24), (40, 12), (20, 6)], ids=["120x40", "80x24", "40x12", "20x6"]
)
def test_present_screen_in_a_round_of_threes(
    snap_compare: Callable[..., bool], tmp_path: Path, example_path: Path, size: tuple[int, int]
) -> None:
    path = round_of_threes(example_path, tmp_path / "workshop.toml")
    app = make_app(
        session_path=path,
        clock=at(START + dt.timedelta(minutes=21, seconds=30)),
        config=UserConfig(),
        mode="present",
    )
    assert snap_compare(app, terminal_size=size, run_before=settle)


def test_present_screen_flashes_at_a_swap(
    snap_compare: Callable[..., bool], tmp_path: Path, example_path: Path
) -> None:
    path = round_of_threes(example_path, tmp_path / "workshop.toml")
    app = make_app(
        session_path=path,
        clock=at(START + dt.timedelta(minutes=25, seconds=1)),  # the threes' third turn
        config=UserConfig(),
        mode="present",
    )
    assert snap_compare(app, terminal_size=(80, 24), run_before=settle)


def test_present_screen_before_the_start_gives_the_agenda_the_wide_column(
    snap_compare: Callable[..., bool], tmp_path: Path, example_path: Path
) -> None:
    path = tmp_path / "workshop.toml"
    session = session_file.load(example_path).session
    session_file.save(path, session.model_copy(update={"log": []}))
    app = make_app(
        session_path=path,
        clock=at(START - dt.timedelta(minutes=20)),
        config=UserConfig(),
        mode="present",
    )
    assert snap_compare(app, terminal_size=(120, 40), run_before=settle)


def test_present_screen_after_the_finish_thanks_the_room_over_what_comes_next(
    snap_compare: Callable[..., bool], tmp_path: Path, example_path: Path
) -> None:
    path = tmp_path / "workshop.toml"
    session = session_file.load(example_path).session
    hours = dt.timedelta(hours=1)
    log = [Event(at=START, kind="start"), Event(at=START + 3 * hours, kind="finish")]
    session_file.save(path, session.model_copy(update={"log": log}))
    app = make_app(
        session_path=path,
        clock=at(START + 3 * hours + dt.timedelta(minutes=5)),
        config=UserConfig(),
        mode="present",
    )
    assert snap_compare(app, terminal_size=(80, 24), run_before=settle)
