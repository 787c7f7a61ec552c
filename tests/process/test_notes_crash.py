"""Quitting, SIGTERM, SIGHUP and a closed terminal save all typing; kill -9 loses under 2 s.

The issue's promise, checked on the real app: `sessiontui notes` (or `run`, then `o`) in a real
pseudo-terminal (tests/helpers/terminal.py), typed into as a person types, then stopped each
way a note-taker's app gets stopped, on a copy of the example session. The quit and signal
tests stop the app once the typing is on screen, well within the autosave's second, having
checked the file does not have it yet: the save can only come from quitting or the signal.
"""

from __future__ import annotations

import importlib.util
import os
import secrets
import signal
import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from sessiontui import session_file as session_io
from sessiontui.core import notes

pytestmark = [
    pytest.mark.subprocess,
    pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork and a pseudo-terminal"),
]

HELPER = Path(__file__).resolve().parent.parent / "helpers" / "terminal.py"
ITEM, GROUP = "coffee-trial", "Group 1"
CTRL_Q = b"\x11"
NOTES_AREA = "─ Notes ─"
"""The text area's border title: once drawn, the area has the focus (the screen gives it at once)
and typing goes into it; the lines above it are drawn first, before keys would reach it."""
SIZE = {"columns": 100, "rows": 30}

PROMISE = 2.0
"""Seconds of typing a kill -9 may lose, at most: the issue's promise, timed from each key's write.

No slack for the app's own delay in reading keys: it is part of what a typist loses. With two
busy loops on the 2 cores, the newest token lost was written at most 0.8 s before the kill.
"""
TYPING_SECONDS = 4.0
"""How long the kill -9 test types: twice the promise, so half of it must be in the file."""
KEY_GAP = 0.05
"""Seconds between the kill -9 test's tokens (5 keys each): a fast typist's pace, and more."""


def load_helper() -> ModuleType:
    spec = importlib.util.spec_from_file_location("terminal", HELPER)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


terminal = load_helper()


@pytest.fixture
def session_file(workshop_copy: Path) -> Path:
    """A copy of the example session, whose notes are empty: the tests' notes are all there is."""
    return workshop_copy


@pytest.fixture
def start(tmp_path: Path) -> Iterator[Any]:
    """Start `sessiontui ARGS...` in a 100x30 pty; every one started is killed at the end."""
    started: list[Any] = []

    def run(*args: str) -> Any:
        term = terminal.Terminal.start(list(args), home=tmp_path / "home", **SIZE)
        started.append(term)
        return term

    yield run
    for term in started:
        term.kill()
        term.close()


@pytest.fixture
def notes_app(start: Any, session_file: Path) -> Any:
    """`sessiontui notes` on the coffee trial's Group 1, once its text area is on screen."""
    term = start("notes", str(session_file), "--item", ITEM, "--group", GROUP)
    term.wait_for(NOTES_AREA)
    return term


def saved_text(path: Path, item: str = ITEM, group: str = GROUP) -> str | None:
    """The notes text of `group` for `item` in the file, which must load and be writable."""
    loaded = session_io.load(path)
    assert loaded.read_only is None, loaded.read_only
    note = notes.note_for(loaded.session, item, group)
    return note.text if note is not None else None


def type_unsaved(term: Any, path: Path, words: str) -> str:
    """Type a phrase, wait until it is on screen and check it is not in the file; all typed.

    The save under test must be the quit's or the signal's, not the autosave a second after
    typing stops: if a very slow machine let the autosave come first, type another phrase.
    """
    typed = ""
    for _ in range(3):
        phrase = f"{words} {secrets.token_hex(4)}"
        term.send(phrase + " ")
        typed += phrase + " "
        term.wait_for(phrase)
        if phrase not in path.read_text(encoding="utf-8"):
            return typed
    pytest.fail("the autosave came before every attempt to stop the app: too slow to tell")


def assert_clean_exit(term: Any, code: int) -> None:
    """Exit code 0 and no traceback on the terminal: the app handled it, it did not crash."""
    assert code == 0, f"exit code {code}:\n{term.output[-3000:]}"
    assert "Traceback" not in term.output, term.output[-3000:]


@pytest.mark.parametrize("number", [signal.SIGTERM, signal.SIGHUP], ids=["SIGTERM", "SIGHUP"])
def test_a_signal_right_after_typing_saves_it(
    notes_app: Any, session_file: Path, number: signal.Signals
) -> None:
    """SIGTERM and SIGHUP save the typing before exiting: a shutdown or a hang-up loses nothing."""
    typed = type_unsaved(notes_app, session_file, f"kept through {number.name}")
    notes_app.signal(number)
    # 0: the app catches the signal, saves and exits normally (not -15 or -1, killed by it).
    assert_clean_exit(notes_app, notes_app.wait())
    assert saved_text(session_file) == typed


def test_closing_the_terminal_right_after_typing_saves_it(
    notes_app: Any, session_file: Path
) -> None:
    """Closing the terminal window (its side of the pty) saves the typing: the issue's SIGHUP."""
    typed = type_unsaved(notes_app, session_file, "kept when the window closed")
    notes_app.close()  # the kernel hangs the app's terminal up and sends it SIGHUP (and SIGCONT)
    # Watched in the file, not by the exit: see test_closing_the_terminal_ends_the_app.
    deadline = time.monotonic() + 15
    while (text := saved_text(session_file)) != typed and time.monotonic() < deadline:
        time.sleep(0.05)  # polling the file until the deadline
    assert text == typed


def test_closing_the_terminal_ends_the_app(notes_app: Any, session_file: Path) -> None:
    """Closing the terminal ends the app soon after it saved: no process is left behind."""
    typed = type_unsaved(notes_app, session_file, "kept when the window closed")
    notes_app.close()
    # 0: the app caught SIGHUP, saved and exited in order (not -1, killed by it, nor 1 or 120,
    # a crash or a failed flush); what it printed cannot be read, the terminal is gone.
    assert notes_app.wait(timeout=5) == 0
    assert saved_text(session_file) == typed


def test_ctrl_q_right_after_typing_saves_it(notes_app: Any, session_file: Path) -> None:
    """Ctrl+Q straight after typing saves it and exits with 0: quitting never waits on autosave."""
    typed = type_unsaved(notes_app, session_file, "kept through ctrl q")
    notes_app.send(CTRL_Q)
    assert_clean_exit(notes_app, notes_app.wait())
    assert saved_text(session_file) == typed


def test_ctrl_q_read_with_the_typing_saves_all_of_it(notes_app: Any, session_file: Path) -> None:
    """Keys that reach the app before Ctrl+Q are saved, even in the same read: a fast typist's."""
    phrase = "typed just before ctrl q in one burst " * 5
    notes_app.send(phrase.encode() + CTRL_Q)
    assert_clean_exit(notes_app, notes_app.wait())
    assert saved_text(session_file) == phrase


def test_ctrl_q_on_notes_opened_from_the_run_screen_saves_both(
    start: Any, session_file: Path
) -> None:
    """Ctrl+Q on a pushed notes screen saves its typing and the run's log: quit from any screen."""
    term = start("run", str(session_file))
    term.wait_for("Welcome and introduction")  # the agenda: the file is loaded
    term.send("snn")  # start, then next twice: the coffee trial (a pairing) is on
    term.wait_for("Pairs: turn 1 of 2")  # 13 present: pairs and a three, each with its turns
    term.send("o")
    term.wait_for("Notes on the whole room")  # no groups drawn: the notes are the room's
    term.wait_for(NOTES_AREA)
    typed = type_unsaved(term, session_file, "kept from a pushed screen")
    term.send(CTRL_Q)
    assert_clean_exit(term, term.wait())
    assert saved_text(session_file, ITEM, notes.WHOLE_ROOM) == typed
    log = session_io.load(session_file).session.log
    assert [event.kind for event in log] == ["start", "next", "next"]


def test_markup_typed_into_notes_is_kept_as_text(notes_app: Any, session_file: Path) -> None:
    """Markup and escapes typed into notes are stored exactly: text, never acted on or eaten."""
    text = r"[/] [@click=app.quit]x[/] \[b]not bold\[/b] [b]bold? %s {0} \x1b[31m $HOME"
    notes_app.send(text)
    notes_app.wait_for(text)
    assert notes_app.poll() is None, "the app quit on typed text"
    notes_app.send(CTRL_Q)
    assert_clean_exit(notes_app, notes_app.wait())
    assert saved_text(session_file) == text


def test_kill_9_mid_typing_loses_at_most_the_last_two_seconds(
    notes_app: Any, session_file: Path
) -> None:
    """kill -9 while typing keeps all but the last 2 s: autosave runs during continuous typing.

    A token ("w001 ", "w002 ", ...) every KEY_GAP for TYPING_SECONDS, never pausing long enough
    for the idle autosave, then SIGKILL at once: every token written more than PROMISE before the
    kill must be in the file, in order, and the file must load.
    """
    sent: list[tuple[str, float]] = []
    shown: dict[str, float] = {}
    began = time.monotonic()
    while (due := began + len(sent) * KEY_GAP) < began + TYPING_SECONDS:
        if (pause := due - time.monotonic()) > 0:
            time.sleep(pause)  # the typist's pace
        token = f"w{len(sent) + 1:03d}"
        notes_app.send(token + " ")
        sent.append((token, time.monotonic()))
        # When each token first showed on screen, for the message if the test fails.
        screen, now = notes_app.screen, time.monotonic()
        shown.update((name, now) for name, _ in sent[-20:] if name not in shown and name in screen)
    killed = time.monotonic()
    notes_app.signal(signal.SIGKILL)
    assert notes_app.wait() == -signal.SIGKILL

    saved = (saved_text(session_file) or "").split()  # the file must load, whatever it holds
    tokens = [name for name, _ in sent]
    assert saved == tokens[: len(saved)], "the saved text is not what was typed, in order"
    required = [name for name, at in sent if killed - at > PROMISE]
    assert len(required) >= 20, "typed too little before the kill for the test to tell"
    missing = [name for name in required if name not in saved]
    if missing:
        first = missing[0]
        age = killed - dict(sent)[first]
        on_screen = f"{killed - shown[first]:.2f} s" if first in shown else "never seen"
        last = f"{saved[-1]}, written {killed - dict(sent)[saved[-1]]:.2f} s" if saved else "none"
        pytest.fail(
            f"{len(missing)} tokens typed over {PROMISE} s before the kill were lost: the first, "
            f"{first}, was written {age:.2f} s before it (on screen {on_screen} before); "
            f"last saved: {last} before the kill"
        )
