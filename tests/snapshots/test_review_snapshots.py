"""SVG snapshots of the review screen on the recorded run of the reference workshop.

The Timing and Notes tabs at 120x40, and the Timing tab at 80x24. Nothing on the review depends
on the clock, but it is stopped anyway; the settings are given, so nothing is read from the
user's files. Regenerate after an intended change with
`pytest tests/test_review_snapshots.py --snapshot-update` and look at the pictures.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from pilot_helpers import START, settle
from recorded import recorded_example
from sessiontui import session_file
from sessiontui.store.settings import UserConfig
from sessiontui.tui.app import make_app


def _app(tmp_path: Path) -> Any:
    path = tmp_path / "2023-02-16-recorded.toml"
    path.write_text(session_file.dumps(recorded_example()), encoding="utf-8")
    return make_app(session_path=path, clock=lambda: START, config=UserConfig(), mode="review")


@pytest.mark.parametrize(
    ("tab", "size"),
    [("t", (120, 40)), ("n", (120, 40)), ("c", (120, 40)), ("t", (80, 24)), ("n", (80, 24))],
    ids=["timing-120x40", "notes-120x40", "commitments-120x40", "timing-80x24", "notes-80x24"],
)
def test_review_screen(
    snap_compare: Callable[..., bool], tmp_path: Path, tab: str, size: tuple[int, int]
) -> None:
    async def show_tab(pilot: Any) -> None:
        await settle(pilot)
        await pilot.press(tab)
        await settle(pilot)

    assert snap_compare(_app(tmp_path), terminal_size=size, run_before=show_tab)
