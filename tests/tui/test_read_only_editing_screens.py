"""The editing screens call a read-only file read-only, never one they "could not open".

A file from a newer sessiontui opens well but must not be written here; saying "Could not
open X: ...; opened read-only" contradicted itself (issue 16, leftover of case 2). A broken
file still says it could not be opened.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from textual.widgets import Static

from pilot_helpers import START, FakeClock, settle
from sessiontui.core.model import SCHEMA_VERSION
from sessiontui.store.settings import UserConfig
from sessiontui.tui.app import make_app

# Each editing screen, and where it shows why it does not edit the file.
PROBLEM_LINES = {
    "notes": "#notes-problems",
    "groups": "#groups-problem",
    "commitments": "#form-problem",
    "edit": "#plan-status",
}


@pytest.fixture
def newer_file(tmp_path: Path, example_path: Path) -> Path:
    path = Path(shutil.copy(example_path, tmp_path / "newer.toml"))
    text = path.read_text("utf-8")
    newer = text.replace(
        f"schema_version = {SCHEMA_VERSION}", f"schema_version = {SCHEMA_VERSION + 1}"
    )
    assert newer != text
    path.write_text(newer, "utf-8")
    return path


async def problem_shown(path: Path, kind: str) -> str:
    """The line the `kind` screen shows on `path`, pushed over the run screen as the app does."""
    app = make_app(
        session_path=path, folder=path.parent, clock=FakeClock(START), config=UserConfig()
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await app.push_screen(app.screen_for(kind, path))
        await settle(pilot)
        line = app.screen.query_one(PROBLEM_LINES[kind], Static)
        assert line.display
        return str(line.render())


@pytest.mark.parametrize("kind", sorted(PROBLEM_LINES))
async def test_a_newer_file_is_called_read_only_with_its_reason(
    newer_file: Path, kind: str
) -> None:
    before = newer_file.read_bytes()
    shown = await problem_shown(newer_file, kind)
    assert shown == (
        f"newer.toml is read-only: written by a newer sessiontui"
        f" (schema_version {SCHEMA_VERSION + 1}; this one reads up to {SCHEMA_VERSION})"
    )
    assert newer_file.read_bytes() == before


@pytest.mark.parametrize("mode", ["notes", "edit"])
async def test_opened_alone_the_app_exits_2_with_the_same_sentence(
    newer_file: Path, mode: str
) -> None:
    app = make_app(
        session_path=newer_file,
        folder=newer_file.parent,
        clock=FakeClock(START),
        config=UserConfig(),
        exit_on_load_error=True,
        mode=mode,
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
    assert app.return_code == 2
    assert app.load_problems == [
        f"{newer_file} is read-only: written by a newer sessiontui"
        f" (schema_version {SCHEMA_VERSION + 1}; this one reads up to {SCHEMA_VERSION})"
    ]


@pytest.mark.parametrize("kind", sorted(PROBLEM_LINES))
async def test_a_broken_file_still_could_not_be_opened(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "broken.toml"
    path.write_text('title = "Retro"\ndate = 2024-03-01\nstart = 10:00:00\nagenda = 3\n', "utf-8")
    shown = await problem_shown(path, kind)
    assert shown.startswith("Could not open broken.toml: ")
    assert "agenda: must be a list" in shown
    assert "read-only" not in shown
