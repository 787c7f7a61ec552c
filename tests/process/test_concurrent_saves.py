"""Three instances saving one session at once, in separate processes, lose nothing.

A facilitator appends log events while two note-takers each type lines into their own
group's notes, every save through `SessionWriter` and `SyncedSession` as the screens do.
Meanwhile the test reads the file over and over: it must always load. At the end every
event and every line is there exactly once, in order, with no conflict markers.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from sessiontui import session_file
from sessiontui.core.merge import START_MARKER

pytestmark = [pytest.mark.subprocess, pytest.mark.slow]

HELPER = Path(__file__).resolve().parent.parent / "helpers" / "concurrent_saver.py"
SAVES = 150
"""Saves per instance: enough to interleave hundreds of times, few enough for a slow machine."""
DEADLINE = 120.0
"""Seconds before a stuck run fails the test instead of hanging it."""
ITEM = "empathy-breakout"


def start(path: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(HELPER), str(path), *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_three_instances_saving_at_once_lose_nothing(workshop_copy: Path) -> None:
    path = workshop_copy
    before = session_file.load(path).session
    instances = [
        start(path, "facilitator", str(SAVES)),
        start(path, "notes", str(SAVES), "Group 1", ITEM),
        start(path, "notes", str(SAVES), "Group 2", ITEM),
    ]
    try:
        for process in instances:
            assert process.stdout is not None
            assert process.stdout.readline().strip() == "ready", process.stderr
        for process in instances:
            assert process.stdin is not None
            process.stdin.write("go\n")
            process.stdin.flush()
        reads = 0
        deadline = time.monotonic() + DEADLINE
        while any(process.poll() is None for process in instances):
            assert time.monotonic() < deadline, "the instances did not finish in time"
            session_file.load(path)  # raises if a reader ever sees a half-written or broken file
            reads += 1
        for process in instances:
            out, err = process.communicate(timeout=DEADLINE)
            assert process.returncode == 0, f"{out}\n{err}"
            assert out.strip().endswith("done")
    finally:
        for process in instances:
            if process.poll() is None:
                process.kill()
                process.wait(timeout=DEADLINE)
    assert reads > 0

    after = session_file.load(path).session
    texts = [event.text for event in after.log[len(before.log) :]]
    assert texts == [f"facilitator {index}" for index in range(SAVES)]
    assert after.log[: len(before.log)] == before.log
    for group in ("Group 1", "Group 2"):
        (note,) = [n for n in after.notes if (n.item, n.group) == (ITEM, group)]
        assert note.text.split("\n") == [f"{group} line {index}" for index in range(SAVES)]
    assert not any(START_MARKER in note.text for note in after.notes)
    assert after.agenda == before.agenda and after.participants == before.participants
