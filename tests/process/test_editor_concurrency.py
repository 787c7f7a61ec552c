"""The plan editor and a note-taker saving one file at once, for a while: nothing is lost.

The editor is the real app (`make_app(mode="edit")`) driven through Pilot in this process;
the note-takers are separate processes (tests/helpers/concurrent_saver.py) saving notes
lines the way the notes screen does, one batch after another, each batch a new group. The
editor meanwhile adds items, types their titles and minutes, moves them and retitles the
session. At the end the file holds every note line of every batch, once and in order, and
exactly the plan the editor shows.

The run lasts `SESSIONTUI_SOAK_SECONDS` (default 8 s, so the suite stays quick); the issue's
60-second run is `SESSIONTUI_SOAK_SECONDS=60 pytest tests/process/test_editor_concurrency.py`.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from textual.widgets import Input

from pilot_helpers import START, FakeClock, settle
from sessiontui import session_file
from sessiontui.core import notes
from sessiontui.core.merge import START_MARKER
from sessiontui.core.plan_edit import PLAN_FIELDS
from sessiontui.store.settings import UserConfig
from sessiontui.tui.app import make_app
from sessiontui.tui.screens.plan import PlanEditorScreen

pytestmark = [pytest.mark.subprocess, pytest.mark.slow]

HELPER = Path(__file__).resolve().parent.parent / "helpers" / "concurrent_saver.py"
SECONDS = float(os.environ.get("SESSIONTUI_SOAK_SECONDS", "8"))
"""How long the editor keeps editing while note-takers save."""
LINES_PER_BATCH = 40
"""Notes lines one note-taker process saves before the next one starts."""
ITEM = "empathy-breakout"
DEADLINE = 120.0


def note_taker(path: Path, group: str) -> subprocess.Popen[str]:
    """A note-taker process saving `LINES_PER_BATCH` lines into `group`'s notes, started now."""
    process = subprocess.Popen(
        [sys.executable, str(HELPER), str(path), "notes", str(LINES_PER_BATCH), group, ITEM],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None and process.stdin is not None
    assert process.stdout.readline().strip() == "ready", process.stderr
    process.stdin.write("go\n")
    process.stdin.flush()
    return process


async def test_editor_and_note_taker_on_one_file_lose_nothing(
    tmp_path: Path, workshop_copy: Path
) -> None:
    path = workshop_copy
    app = make_app(
        session_path=path, folder=tmp_path, clock=FakeClock(START), config=UserConfig(), mode="edit"
    )
    groups: list[str] = []
    running: subprocess.Popen[str] | None = None
    edits = 0
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, PlanEditorScreen)
        finish = time.monotonic() + SECONDS
        try:
            while time.monotonic() < finish or running is not None:
                if running is not None and running.poll() is not None:
                    out, err = running.communicate()
                    assert running.returncode == 0, f"{out}\n{err}"
                    running = None
                if running is None and time.monotonic() < finish:
                    groups.append(f"Batch {len(groups) + 1}")
                    running = note_taker(path, groups[-1])
                edits += 1
                await pilot.press("ctrl+n")
                title = screen.query_one("#item-title", Input)
                title.value = ""
                for character in f"Edit {edits}":
                    await pilot.press(character)
                minutes = screen.query_one("#item-minutes", Input)
                minutes.value = ""
                await pilot.press(*str(1 + edits % 9))
                await pilot.press("escape", "alt+up" if edits % 2 else "alt+down")
                if edits % 5 == 0:
                    await pilot.press("f3")
                    session_title = screen.query_one("#session-form-title", Input)
                    session_title.value = f"Workshop, edit {edits}"
                    await pilot.press("escape")
                await pilot.pause()
        finally:
            if running is not None and running.poll() is None:
                running.kill()
                running.wait(timeout=DEADLINE)
        await settle(pilot)
        assert screen.save_now() is None
        await settle(pilot)
        shown = screen.session
        assert shown is not None
        assert "Not saved" not in str(screen.saver.render())
    after = session_file.load(path).session
    assert edits > 3 and groups
    for name in PLAN_FIELDS:
        assert getattr(after, name) == getattr(shown, name), name
    titles = [item.title for item in after.agenda]
    assert [f"Edit {n}" for n in range(1, edits + 1) if f"Edit {n}" not in titles] == []
    for group in groups:
        note = notes.note_for(after, ITEM, group)
        assert note is not None, group
        assert note.text.split("\n") == [f"{group} line {n}" for n in range(LINES_PER_BATCH)]
    assert not any(START_MARKER in note.text for note in after.notes)
