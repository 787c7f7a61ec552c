"""What? So what? Now what? (Liberating Structures' W³): a debrief template from one entry.

Declared by one `Template` in `core.note_templates`; this file, that entry and the
regenerated `sessions/session.schema.json` are all it took. The schema offers it, the notes
screen asks its three questions, and two screens editing one answer keep both texts.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
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
from sessiontui.tui.widgets.notes import NotesPane, WordCount

REPO = Path(__file__).resolve().parents[2]
W3 = "what-so-what-now-what"
QUESTIONS = [
    "What happened? What did you notice, what facts or observations stood out?",
    "So what? Why is that important, what patterns or conclusions are emerging?",
    "Now what? What actions make sense?",
]
DEBRIEF = "coffee-debrief"


@pytest.fixture
def debrief(workshop_copy: Path) -> Path:
    """The reference workshop with its coffee-trial debrief taking W³ notes."""
    path = workshop_copy
    session = session_file.load(path).session
    agenda = [
        item.model_copy(update={"notes_template": W3}) if item.id == DEBRIEF else item
        for item in session.agenda
    ]
    session_file.save(path, session.model_copy(update={"agenda": agenda}))
    return path


@asynccontextmanager
async def notes_screen(path: Path, item: str) -> AsyncIterator[NotesScreen]:
    app = make_app(
        session_path=path,
        folder=path.parent,
        clock=FakeClock(START),
        config=UserConfig(),
        mode="notes",
        item=item,
        group=None,
    )
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, NotesScreen)
        yield screen


def test_the_schema_offers_the_template_and_its_keys() -> None:
    bundled = (REPO / "sessions" / session_file.SCHEMA_FILENAME).read_text(encoding="utf-8")
    for text in (session_file.schema_json(), bundled):
        defs = json.loads(text)["$defs"]
        # No null branch: TOML has no null, so the schema offers the names alone.
        assert W3 in defs["AgendaItem"]["properties"]["notes_template"]["enum"]
        for key in ("what_happened", "so_what", "now_what"):
            assert defs["Note"]["properties"][key]["type"] == "string"


async def test_the_notes_screen_asks_its_three_questions(debrief: Path) -> None:
    async with notes_screen(debrief, DEBRIEF) as screen:
        pane = screen.query_one(NotesPane)
        assert [str(area.border_title) for area in pane.query(TextArea)] == QUESTIONS
        assert [area.id for area in pane.query(TextArea)] == [
            "field-what_happened",
            "field-so_what",
            "field-now_what",
        ]
        assert not pane.query(WordCount)


def test_two_writers_editing_one_answer_keep_both_texts(debrief: Path) -> None:
    first, second = SessionWriter(debrief), SessionWriter(debrief)
    mine = first.adopt(session_file.load(debrief).session).session
    theirs = second.adopt(session_file.load(debrief).session).session
    first.submit(notes.with_texts(mine, DEBRIEF, "", {"so_what": "Trust comes first"}, START))
    first.write_pending()
    second.submit(notes.with_texts(theirs, DEBRIEF, "", {"so_what": "They want more"}, START))
    second.write_pending()
    note = notes.note_for(session_file.load(debrief).session, DEBRIEF, "")
    assert note is not None
    assert "Trust comes first" in note.answer("so_what")
    assert "They want more" in note.answer("so_what")
