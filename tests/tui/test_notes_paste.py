"""Pasted and typed text reaches the notes without escape sequences or control characters.

Issue 16, case 8: a paste holding ESC, BEL or Ctrl-Q garbled the notes, and (through Textual
8.2.8's xterm parser) the characters after a pasted ESC came back as keys that fired bindings.
Here: the notes' text area cleans what it is given (Pilot), and the parser the app's driver uses
turns a bracketed paste into one clean `Paste`, never keys. The real terminal is in
tests/process/test_paste.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual import events
from textual._xterm_parser import XTermParser
from textual.message import Message
from textual.widgets import TextArea

from pilot_helpers import START, FakeClock, settle
from sessiontui import session_file
from sessiontui.core import notes
from sessiontui.store.settings import UserConfig
from sessiontui.tui.app import make_app
from sessiontui.tui.screens.notes import NotesScreen
from sessiontui.tui.terminal_input import (
    PASTE_END,
    PASTE_START,
    BracketedPasteFilter,
    PasteSafeParser,
    clean_pasted_text,
)


@pytest.mark.parametrize(
    ("pasted", "kept"),
    [
        ("hello\x07\x11world", "helloworld"),
        ("\x1b[31mred\x1b[0m text", "red text"),
        ("a\r\nb\rc\nd", "a\nb\nc\nd"),
        ("tab\tkept", "tab\tkept"),
        ("\x1b]0;title\x07after", "after"),
        ("\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\", "link"),
        ("nul\x00del\x7fc1\x9bend", "nuldelc1end"),
        ("lone\x1b", "lone"),
        ("émoji 👩‍💻 and العربية", "émoji 👩‍💻 and العربية"),
    ],
)
def test_clean_pasted_text(pasted: str, kept: str) -> None:
    assert clean_pasted_text(pasted) == kept


def parse(parser: XTermParser, *chunks: str) -> list[Message]:
    return [event for chunk in chunks for event in parser.feed(chunk)]


HOSTILE_PASTE = f"{PASTE_START}a\x1bb\x11c\x07d{PASTE_END}"
"""A paste whose ESC made Textual's parser give back "b", ctrl+q and "c" as keys."""


def test_textual_parser_alone_fires_keys_from_a_paste() -> None:
    """The cause, kept as a test: if Textual fixes its parser this fails, and the filter can go."""
    keys = [e.key for e in parse(XTermParser(), HOSTILE_PASTE) if isinstance(e, events.Key)]
    assert "ctrl+q" in keys


@pytest.mark.parametrize("chunk_size", [1, 2, 3, 5, 7, 1000])
def test_the_apps_parser_gives_one_clean_paste_and_no_keys(chunk_size: int) -> None:
    """However the terminal's bytes are split into reads, the paste is one clean `Paste`."""
    data = f"x{HOSTILE_PASTE}y\x1b[200~hello\x07\x11world\x1b[201~z"
    chunks = [data[i : i + chunk_size] for i in range(0, len(data), chunk_size)]
    parsed = parse(PasteSafeParser(), *chunks)
    assert [e.key for e in parsed if isinstance(e, events.Key)] == ["x", "y", "z"]
    assert [e.text for e in parsed if isinstance(e, events.Paste)] == ["abcd", "helloworld"]


def test_the_filter_never_holds_back_keys_outside_a_paste() -> None:
    """A lone ESC (the escape key) or a half start marker reaches the parser at once."""
    paste_filter = BracketedPasteFilter()
    assert paste_filter.feed("\x1b") == "\x1b"
    assert paste_filter.feed("[20") == "[20"
    assert paste_filter.feed("0~held") == "0~"
    assert paste_filter.in_paste
    assert paste_filter.feed("\x1b[31mstill\x1b[201") == ""
    assert paste_filter.feed("~after") == f"heldstill{PASTE_END}after"
    assert not paste_filter.in_paste


async def test_a_paste_into_the_notes_is_cleaned_and_saved(workshop_copy: Path) -> None:
    clock = FakeClock(START)
    app = make_app(
        session_path=workshop_copy,
        folder=workshop_copy.parent,
        clock=clock,
        config=UserConfig(),
        mode="notes",
        item="coffee-trial",
        group=notes.WHOLE_ROOM,
    )
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        area = app.screen.query_one("#field-text", TextArea)
        area.focus()
        await pilot.pause()
        app.post_message(events.Paste("hello\x07\x11world\r\n\x1b[31mred\x1b[0m\tend"))
        await settle(pilot)
        assert area.text == "helloworld\nred\tend"
        # Typed control keys (BEL is ctrl+g) and the app's clipboard add no control characters.
        await pilot.press("ctrl+g", "ctrl+underscore")
        app.copy_to_clipboard("+\x1b[1mclip\x00")
        area.action_paste()
        await settle(pilot)
        assert area.text == "helloworld\nred\tend+clip"
        assert app.is_running
        clock.advance(seconds=2)
        screen = app.screen
        assert isinstance(screen, NotesScreen)
        screen.autosave_if_due()
        await settle(pilot)
    saved = notes.note_for(
        session_file.load(workshop_copy).session, "coffee-trial", notes.WHOLE_ROOM
    )
    assert saved is not None and saved.text == "helloworld\nred\tend+clip"


@pytest.mark.parametrize(
    ("textual_driver", "expected"),
    [
        (None, "PasteSafeDriver"),
        ("textual.drivers.web_driver:WebDriver", "PasteSafeWebDriver"),  # textual-serve's tabs
        ("textual.drivers.headless_driver:HeadlessDriver", "HeadlessDriver"),
    ],
)
def test_the_app_reads_the_terminal_and_the_browser_through_the_paste_filter(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, textual_driver: str | None, expected: str
) -> None:
    from textual import constants

    monkeypatch.setattr(constants, "DRIVER", textual_driver)
    app = make_app(folder=tmp_path, config=UserConfig())
    assert app.get_driver_class().__name__ == expected
