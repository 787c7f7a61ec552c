"""Keys typed while another note-taker's save is merged in are kept (issue 16, case 11).

A key changes the text area at once, but the pane hears of it only when the area's `Changed`
message is handled, later. A merge arriving in between used to put the merged text into the
area over that key: the key was in neither the session nor the merge, so it was gone. Here
the key and the merge come in the same synchronous step, so the race is certain, not timed.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import TextArea

from pilot_helpers import START, FakeClock, settle
from sessiontui import session_file
from sessiontui.core import notes
from sessiontui.session_file.writer import SessionWriter
from sessiontui.store.settings import UserConfig
from sessiontui.tui.app import make_app
from sessiontui.tui.screens.notes import NotesScreen
from sessiontui.tui.widgets.notes import _moved_offset

ITEM, GROUP = "coffee-trial", "Group 1"


def saved_text(path: Path) -> str:
    note = notes.note_for(session_file.load(path).session, ITEM, GROUP)
    return "" if note is None else note.text


def other_note_taker_appends(path: Path, line: str) -> None:
    """Another instance adds a line to the same group's notes, as its own save does."""
    other = SessionWriter(path)
    loaded = session_file.load(path).session
    other.adopt(loaded)
    note = notes.note_for(loaded, ITEM, GROUP)
    text = (note.text if note is not None else "") + "\n" + line
    other.submit(notes.with_texts(loaded, ITEM, GROUP, {"text": text}, START))
    other.write_pending()


async def test_a_key_typed_as_a_merge_arrives_is_kept(workshop_copy: Path) -> None:
    path = workshop_copy
    app = make_app(
        session_path=path,
        folder=path.parent,
        clock=FakeClock(START),
        config=UserConfig(),
        mode="notes",
        item=ITEM,
        group=GROUP,
    )
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, NotesScreen)
        area = screen.query_one("#field-text", TextArea)
        area.focus()
        area.insert("first")
        await settle(pilot)
        screen.save_now()
        await settle(pilot)
        assert saved_text(path) == "first"

        other_note_taker_appends(path, "theirs")
        writer = screen.saver.writer
        assert writer is not None
        version = writer.poll()
        assert version is not None
        # A key lands in the area; before its Changed message is handled, the merge comes in.
        area.move_cursor((0, len("first")))
        area.insert(" typed")
        screen.saver.receive(version)
        await settle(pilot)
        assert area.text == "first typed\ntheirs"
        # Typing goes on where it was, after the key, not before it.
        area.insert(" on")
        await settle(pilot)
        screen.save_now()
        await settle(pilot)
    assert saved_text(path) == "first typed on\ntheirs"


@pytest.mark.parametrize(
    ("old", "new", "offset", "expected"),
    [
        # The other's half-typed word merged in right after this typist's: stay before it.
        ("x b0 y a00", "x a1 b0 y a00b0", len("x b0 y a00"), len("x a1 b0 y a00")),
        # ...or merged in before it: stay after this typist's own letters.
        ("Seen: b0", "Seen: a00b0", len("Seen: b0"), len("Seen: a00b0")),
        ("Seen: a0 b1", "Seen: a0 a2b1 b3", len("Seen: a0 b1"), len("Seen: a0 a2b1")),
    ],
)
def test_the_cursor_stays_right_after_the_typists_own_last_letter(
    old: str, new: str, offset: int, expected: int
) -> None:
    """After a merge the next key lands after the typist's own text, not the other's word."""
    assert _moved_offset(old, new, offset) == expected
