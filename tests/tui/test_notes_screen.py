"""The note-taker's screen and the commitments form, through Textual's Pilot.

The clock is a fake the tests move by hand; autosave is driven by calling
`autosave_if_due()` after moving it, so nothing sleeps and nothing depends on real time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Select, Static, TextArea

from pilot_helpers import START, FakeClock, settle
from sessiontui import session_file
from sessiontui.core import notes
from sessiontui.core.model import Group
from sessiontui.session_file.writer import SessionWriter
from sessiontui.store import atomic as store_atomic
from sessiontui.store.settings import UserConfig
from sessiontui.tui.app import SessionApp, make_app
from sessiontui.tui.screens.commitments import CommitmentsScreen
from sessiontui.tui.screens.notes import NotesScreen
from sessiontui.tui.widgets.notes import NotesPane, WordCount


@pytest.fixture
def workshop(workshop_copy: Path) -> Path:
    """A copy of the reference workshop with two coffee-trial pairs drawn."""
    path = workshop_copy
    session = session_file.load(path).session
    groups = [
        Group(item="coffee-trial", name="Group 1", members=["Amira Patel", "Ben Clarke"]),
        Group(item="coffee-trial", name="Group 2", members=["Chloe Evans", "Dan Okafor"]),
    ]
    session_file.save(path, session.model_copy(update={"groups": groups}))
    return path


@asynccontextmanager
async def notes_app(
    path: Path, clock: FakeClock, *, item: str | None = None, group: str | None = None
) -> AsyncIterator[tuple[SessionApp, Pilot[None], NotesScreen]]:
    app = make_app(
        session_path=path,
        folder=path.parent,
        clock=clock,
        config=UserConfig(),
        mode="notes",
        item=item,
        group=group,
    )
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, NotesScreen)
        yield app, pilot, screen


def on_disk(path: Path, item: str, group: str) -> dict[str, str]:
    note = notes.note_for(session_file.load(path).session, item, group)
    return {} if note is None else {name: getattr(note, name) for name in notes.TEXT_FIELDS}


async def type_into(pilot: Pilot[None], area: TextArea, text: str) -> None:
    area.focus()
    await pilot.pause()
    before = area.text
    await pilot.press(*[("space" if c == " " else c) for c in text])
    # Keys wait in the text area's own queue; carry on once it has them all.
    for _ in range(100):
        if len(area.text) >= len(before) + len(text):
            return
        await pilot.pause()
    raise AssertionError(f"the text area never got {text!r}: {area.text!r}")


async def test_each_template_has_its_questions(workshop: Path) -> None:
    clock = FakeClock(START)
    async with notes_app(workshop, clock, item="empathy-breakout", group="Group 1") as (_, _, s):
        pane = s.query_one(NotesPane)
        labels = [str(area.border_title) for area in pane.query(TextArea)]
        assert labels == [
            "What do they see?",
            "What do they hear?",
            "What do they think and feel?",
            "What do they actually do or expect?",
        ]
        assert not pane.query(WordCount)
    async with notes_app(workshop, clock, item="common-purpose") as (_, _, screen):
        assert len(screen.query(TextArea)) == 3
        assert "0 / 40 words" in str(screen.query_one(WordCount).render())
    async with notes_app(workshop, clock, item="coffee-trial", group="Group 2") as (_, _, s):
        assert [a.id for a in s.query(TextArea)] == ["field-text"]
        assert "Group 2: Chloe Evans, Dan Okafor" in str(s.query_one("#members", Static).render())


async def test_typing_is_saved_a_second_after_it_stops(workshop: Path) -> None:
    clock = FakeClock(START)
    async with notes_app(workshop, clock, item="coffee-trial", group="Group 1") as (_, pilot, s):
        await type_into(pilot, s.query_one("#field-text", TextArea), "trust first")
        clock.advance(seconds=0.9)
        s.autosave_if_due()
        await settle(pilot)
        assert on_disk(workshop, "coffee-trial", "Group 1") == {}
        clock.advance(seconds=0.2)
        s.autosave_if_due()
        await settle(pilot)
        assert on_disk(workshop, "coffee-trial", "Group 1")["text"] == "trust first"


async def test_continuous_typing_is_saved_within_the_autosave_limit(workshop: Path) -> None:
    clock = FakeClock(START)
    async with notes_app(workshop, clock, item="coffee-trial", group="Group 1") as (_, pilot, s):
        area = s.query_one("#field-text", TextArea)
        for word in ["a", "b", "c", "d"]:
            await type_into(pilot, area, word)
            clock.advance(seconds=0.5)  # never a whole second's pause
            s.autosave_if_due()
            await settle(pilot)
        # 1.5 s after the first keystroke it was saved, though typing never stopped.
        assert on_disk(workshop, "coffee-trial", "Group 1")["text"].startswith("abc")


async def test_quitting_saves_typing_at_once(workshop: Path) -> None:
    clock = FakeClock(START)
    async with notes_app(workshop, clock, item="empathy-breakout", group="Group 2") as (
        app,
        pilot,
        screen,
    ):
        await type_into(pilot, screen.query_one("#field-hear", TextArea), "jargon")
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert on_disk(workshop, "empathy-breakout", "Group 2")["hear"] == "jargon"
    assert app.return_code in (0, None)


async def test_markup_and_escapes_typed_are_stored_exactly_and_shown_literally(
    workshop: Path,
) -> None:
    clock = FakeClock(START)
    hostile = "[/] [@click=app.quit]x[/] \x1b[31mred"
    async with notes_app(workshop, clock, item="coffee-trial", group="Group 1") as (_, pilot, s):
        area = s.query_one("#field-text", TextArea)
        area.focus()
        area.insert(hostile)
        await pilot.pause()
        s.save_now()
        shown = "\n".join(
            "".join(segment.text for segment in area.render_line(y)) for y in range(3)
        )
        assert "[/] [@click=app.quit]x[/]" in shown
        assert "\x1b" not in shown
    assert on_disk(workshop, "coffee-trial", "Group 1")["text"] == hostile


async def test_the_word_count_flags_going_over_without_blocking(workshop: Path) -> None:
    clock = FakeClock(START)
    async with notes_app(workshop, clock, item="common-purpose", group="Group 1") as (_, p, s):
        what = s.query_one("#field-what", TextArea)
        what.insert("word " * 38)
        await p.pause()
        count = s.query_one(WordCount)
        assert "38 / 40 words · 2 to spare" in str(count.render())
        assert not count.has_class("-over")
        s.query_one("#field-why", TextArea).insert("because it matters")
        await p.pause()
        assert "41 / 40 words · 1 over the 40-word limit" in str(count.render())
        assert count.has_class("-over")
        s.save_now()
    saved = on_disk(workshop, "common-purpose", "Group 1")
    assert saved["why"] == "because it matters"  # typing over the limit was kept


async def test_switching_group_keeps_what_was_typed_for_each(workshop: Path) -> None:
    clock = FakeClock(START)
    async with notes_app(workshop, clock, item="coffee-trial", group="Group 1") as (_, pilot, s):
        await type_into(pilot, s.query_one("#field-text", TextArea), "one")
        s.query_one("#group", Select).value = "Group 2"
        await settle(pilot)
        assert s.group == "Group 2"
        area = s.query_one("#field-text", TextArea)
        assert area.text == ""
        await type_into(pilot, area, "two")
        s.query_one("#group", Select).value = "Group 1"
        await settle(pilot)
        assert s.query_one("#field-text", TextArea).text == "one"
        s.save_now()
    assert on_disk(workshop, "coffee-trial", "Group 1")["text"] == "one"
    assert on_disk(workshop, "coffee-trial", "Group 2")["text"] == "two"


async def test_another_screens_save_shows_here_and_both_texts_survive(workshop: Path) -> None:
    clock = FakeClock(START)
    async with notes_app(workshop, clock, item="coffee-trial", group="Group 1") as (_, pilot, s):
        # Another note-taker, on Group 2, in another instance.
        other = SessionWriter(workshop)
        loaded = session_file.load(workshop).session
        other.adopt(loaded)
        other.submit(notes.with_texts(loaded, "coffee-trial", "Group 2", {"text": "theirs"}, START))
        other.write_pending()
        await type_into(pilot, s.query_one("#field-text", TextArea), "mine")
        s.saver._look()
        await settle(pilot)
        assert notes.note_for(s.session, "coffee-trial", "Group 2") is not None  # type: ignore[arg-type]
        s.save_now()
    assert on_disk(workshop, "coffee-trial", "Group 1")["text"] == "mine"
    assert on_disk(workshop, "coffee-trial", "Group 2")["text"] == "theirs"


async def test_the_same_notes_edited_on_two_screens_keeps_both_and_says_so(
    workshop: Path,
) -> None:
    clock = FakeClock(START)
    # The same word rewritten on both screens: text only added on both would merge unmarked.
    start = session_file.load(workshop).session
    session_file.save(
        workshop, notes.with_texts(start, "coffee-trial", "Group 1", {"text": "a door"}, START)
    )
    async with notes_app(workshop, clock, item="coffee-trial", group="Group 1") as (_, pilot, s):
        # Typed here first (not saved yet: the clock stands still), then saved elsewhere, so
        # whichever way it comes in (this screen's save, or its poll) it is a clash.
        s.query_one("#field-text", TextArea).replace("mine", (0, 2), (0, 6))
        await settle(pilot)
        other = SessionWriter(workshop)
        loaded = session_file.load(workshop).session
        other.adopt(loaded)
        other.submit(
            notes.with_texts(loaded, "coffee-trial", "Group 1", {"text": "a theirs"}, START)
        )
        other.write_pending()
        s.save_now()
        await settle(pilot)
        text = s.query_one("#field-text", TextArea).text
        assert "mine" in text and "theirs" in text
        banner = s.query_one("#conflict", Static)
        assert banner.display
    saved = on_disk(workshop, "coffee-trial", "Group 1")["text"]
    assert "mine" in saved and "theirs" in saved


async def test_commitments_are_added_from_the_form_and_saved(workshop: Path) -> None:
    clock = FakeClock(START)
    async with notes_app(workshop, clock, item="next-steps") as (app, pilot, _):
        await pilot.press("ctrl+o")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, CommitmentsScreen)
        who = form.query_one("#who", Select)
        who.value = "Amira Patel"
        form.query_one("#what", Input).value = "Try common purpose with my team"
        form.query_one("#due", Input).value = "16/3"
        form.action_add()
        await pilot.pause()
        problem = form.query_one("#form-problem", Static)
        assert problem.display and "not a date like 2023-03-16" in str(problem.render())
        form.query_one("#due", Input).value = "2023-03-16"
        form.action_add()
        await settle(pilot)
        assert form.query_one("#actions", DataTable).row_count == 1
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, NotesScreen)
    actions = session_file.load(workshop).session.actions
    assert [(a.who, a.what, a.due, a.item) for a in actions] == [
        ("Amira Patel", "Try common purpose with my team", dt.date(2023, 3, 16), "next-steps")
    ]


async def test_the_run_screen_opens_notes_for_the_current_item(workshop: Path) -> None:
    clock = FakeClock(START)
    app = make_app(session_path=workshop, folder=workshop.parent, clock=clock, config=UserConfig())
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        for key in ("s", "n", "n"):
            await pilot.press(key)
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, NotesScreen)
        assert screen.item_id == "coffee-trial"
        assert "Now: " in str(screen.query_one("#now", Static).render())
        await type_into(pilot, screen.query_one("#field-text", TextArea), "hi")
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, NotesScreen)
        await pilot.press("n")  # the run screen's next save keeps the notes
        await settle(pilot)
    session = session_file.load(workshop).session
    assert notes.note_for(session, "coffee-trial", "Group 1") is not None
    assert [event.kind for event in session.log] == ["start", "next", "next", "next"]


async def test_a_broken_file_is_said_on_screen(tmp_path: Path) -> None:
    path = tmp_path / "broken.toml"
    path.write_text("title = [\n", encoding="utf-8")
    clock = FakeClock(START)
    app = make_app(
        session_path=path, folder=tmp_path, clock=clock, config=UserConfig(), mode="notes"
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        problem = app.screen.query_one("#notes-problems", Static)
        assert problem.display
        assert "broken.toml:" in str(problem.render())


async def test_a_failing_disk_keeps_the_text_says_so_and_retries(
    workshop: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    clock = FakeClock(START)
    before = workshop.read_bytes()
    real_save = session_file.save

    def disk_full(path: Path, session: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    async with notes_app(workshop, clock, item="coffee-trial", group="Group 1") as (
        app,
        pilot,
        screen,
    ):
        monkeypatch.setattr(store_atomic, "save", disk_full)
        await type_into(pilot, screen.query_one("#field-text", TextArea), "keep me")
        screen.save_typing()
        await settle(pilot)
        banner = screen.query_one("#saving", Static)
        assert banner.display
        assert "Not saved: No space left on device; retrying" in str(banner.render())
        assert workshop.read_bytes() == before  # the file on disk untouched
        assert screen.query_one("#field-text", TextArea).text == "keep me"
        # Quitting while it fails asks first...
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert app.is_running
        # ...and once the disk has room again, the retry saves it.
        monkeypatch.setattr(store_atomic, "save", real_save)
        screen.saver.retry()
        await settle(pilot)
        assert not banner.display
    assert on_disk(workshop, "coffee-trial", "Group 1")["text"] == "keep me"


async def test_a_read_only_file_says_it_is_retried_and_saves_once_writable(
    workshop: Path,
) -> None:
    clock = FakeClock(START)
    async with notes_app(workshop, clock, item="coffee-trial", group="Group 1") as (
        _app,
        pilot,
        screen,
    ):
        workshop.chmod(0o444)
        try:
            await type_into(pilot, screen.query_one("#field-text", TextArea), "keep me")
            screen.save_typing()
            await settle(pilot)
            shown = str(screen.query_one("#saving", Static).render())
            assert shown.startswith("Not saved: ") and "read-only" in shown
            assert shown.endswith("(no write permission); retrying"), shown
        finally:
            workshop.chmod(0o644)
        screen.saver.retry()
        await settle(pilot)
    assert on_disk(workshop, "coffee-trial", "Group 1")["text"] == "keep me"


@pytest.mark.parametrize(
    ("old", "new", "offset", "expected"),
    [
        ("mine", "<<<\ntheirs\n===\nmine\n>>>", 4, len("<<<\ntheirs\n===\nmine")),
        ("ab", "x\nab", 1, 3),  # another screen's line arrived above
        ("hello world", "hello there world", 11, 17),  # not found: same distance from the end
        ("abc", "zzz", 2, 2),
    ],
)
def test_the_cursor_stays_after_the_same_text_when_a_merge_rewrites_it(
    old: str, new: str, offset: int, expected: int
) -> None:
    from sessiontui.tui.widgets.notes import _moved_offset

    assert _moved_offset(old, new, offset) == expected
