"""A file from a newer sessiontui says why its keys do nothing, on every terminal size.

The run screen's summary line says so too, but it is hidden on short terminals: the save
line, which always stays, carries the reason (issue 16, case 2).
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from textual.widgets import Static

from pilot_helpers import settle
from sessiontui.tui.app import make_app


def clock() -> dt.datetime:
    return dt.datetime(2023, 2, 16, 12, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_a_newer_file_says_why_it_is_read_only(
    tmp_path: Path, example_path: Path, size: tuple[int, int]
) -> None:
    path = tmp_path / "newer.toml"
    shutil.copy(example_path, path)
    path.write_text(path.read_text("utf-8").replace("schema_version = 1", "schema_version = 2"))
    before = path.read_bytes()
    app = make_app(session_path=path, clock=clock)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        line = app.screen.query_one("#saving", Static)
        assert line.display
        assert line.region.height == 1
        shown = str(line.visual)
        assert shown.startswith(
            "Read-only: written by a newer sessiontui (schema_version 2); nothing is saved."
        )
        assert shown.endswith("newer.toml")
        await pilot.press("s", "space", "n")
        await settle(pilot)
        assert line.display
    assert path.read_bytes() == before


async def test_a_current_file_shows_no_save_line(workshop_copy: Path) -> None:
    app = make_app(session_path=workshop_copy, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert not app.screen.query_one("#saving", Static).display
