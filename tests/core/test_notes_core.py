"""The note-taking rules: templates, word counts, edits to notes and commitments, autosave."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sessiontui import session_file
from sessiontui.core import notes
from sessiontui.core.model import Note, Session

T0 = dt.datetime(2023, 2, 16, 14, 40, tzinfo=dt.UTC)


@pytest.fixture
def workshop(example_path: Path) -> Session:
    return session_file.load(example_path).session


def test_each_template_asks_the_workshops_questions(workshop: Session) -> None:
    assert [f.key for f in notes.fields_of(workshop.item("coffee-trial"))] == ["text"]
    assert [f.key for f in notes.fields_of(workshop.item("empathy-breakout"))] == [
        "see",
        "hear",
        "think_feel",
        "do_expect",
    ]
    assert [f.label for f in notes.fields_of(workshop.item("common-purpose"))] == [
        "What do we want to do?",
        "Why do we want to do it?",
        "What will the benefits be?",
    ]
    # An item with no template still takes free notes.
    assert [f.key for f in notes.fields_of(workshop.item("welcome"))] == ["text"]


def test_every_template_field_is_a_note_attribute() -> None:
    # The template fields are declared in note_templates, not written out on Note.
    assert all(hasattr(Note(item="x"), name) for name in notes.TEXT_FIELDS)


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("", 0),
        ("   \n\t ", 0),
        ("We want to work collaboratively", 5),
        ("people's place-based care", 3),
        ("health and well-being; and to encourage", 6),
        ("— – ...", 0),
        ("2023 was year one", 4),
    ],
)
def test_words_are_counted_as_a_person_would(text: str, count: int) -> None:
    assert notes.word_count(text) == count


def test_the_word_limit_counts_the_whole_statement(workshop: Session) -> None:
    item = workshop.item("common-purpose")
    assert item.word_limit == 40
    note = Note(item=item.id, group="Group 1", what="one " * 20, why="two " * 15, benefits="x " * 5)
    assert notes.statement_words(note, item) == 40
    assert notes.over_limit(note, item) == 0
    longer = note.model_copy(update={"benefits": "x " * 8})
    assert notes.over_limit(longer, item) == 3


def test_no_limit_means_never_over(workshop: Session) -> None:
    item = workshop.item("empathy-breakout")
    note = Note(item=item.id, see="word " * 500)
    assert notes.over_limit(note, item) == 0


def test_with_texts_creates_then_updates_one_groups_notes(workshop: Session) -> None:
    first = notes.with_texts(workshop, "empathy-breakout", "Group 1", {"see": "posters"}, T0)
    assert workshop.notes == []  # the original is untouched
    note = notes.note_for(first, "empathy-breakout", "Group 1")
    assert note is not None and note.see == "posters" and note.edited == T0
    later = T0 + dt.timedelta(minutes=1)
    second = notes.with_texts(first, "empathy-breakout", "Group 1", {"hear": "jargon"}, later)
    assert len(second.notes) == 1
    note = notes.note_for(second, "empathy-breakout", "Group 1")
    assert note is not None and (note.see, note.hear, note.edited) == ("posters", "jargon", later)
    assert notes.note_for(second, "empathy-breakout", "Group 2") is None


def test_an_unchanged_text_does_not_move_edited(workshop: Session) -> None:
    first = notes.with_texts(workshop, "coffee-trial", "", {"text": "same"}, T0)
    again = notes.with_texts(first, "coffee-trial", "", {"text": "same"}, T0 + dt.timedelta(1))
    assert again is first


def test_with_texts_refuses_a_field_no_template_has(workshop: Session) -> None:
    with pytest.raises(ValueError, match="not a notes field: edited"):
        notes.with_texts(workshop, "coffee-trial", "", {"edited": "x"}, T0)


@given(st.text(max_size=200))
def test_any_typed_text_is_stored_exactly_and_survives_the_file(text: str) -> None:
    session = session_file.parse(
        'schema_version = 1\ntitle = "t"\ndate = 2023-02-16\nstart = 13:00:00\nend = 16:00:00\n'
        '[[agenda]]\nid = "a"\ntitle = "A"\nkind = "breakout"\nminutes = 5\n'
    )
    # TOML cannot hold a lone surrogate; a terminal cannot type one either.
    text = text.encode("utf-8", "replace").decode("utf-8")
    edited = notes.with_texts(session, "a", "[/] [@click=app.quit]", {"text": text}, T0)
    again = session_file.parse(session_file.dumps(edited))
    note = notes.note_for(again, "a", "[/] [@click=app.quit]")
    # Typing nothing into a fresh pane leaves no notes entry behind.
    assert (note.text if note is not None else "") == text


def test_group_names_come_from_groups_then_from_notes(workshop: Session) -> None:
    from sessiontui.core.model import Group

    session = workshop.model_copy(
        update={
            "groups": [
                Group(item="coffee-trial", name="Group 1", members=["A", "B"]),
                Group(item="coffee-trial", name="Group 2", members=["C", "D"]),
                Group(item="common-purpose", name="Table 9", members=["E"]),
            ]
        }
    )
    session = notes.with_texts(session, "coffee-trial", "Stragglers", {"text": "x"}, T0)
    session = notes.with_texts(session, "coffee-trial", "", {"text": "room"}, T0)
    assert notes.group_names(session, "coffee-trial") == ["Group 1", "Group 2", "Stragglers"]
    assert notes.members_of(session, "coffee-trial", "Group 2") == ["C", "D"]
    assert notes.members_of(session, "coffee-trial", "Nobody") == []


def test_commitments_are_added_and_removed(workshop: Session) -> None:
    due = dt.date(2023, 3, 16)
    session = notes.with_action(
        workshop, "  Ana ", " Try common purpose at work ", due, "next-steps"
    )
    session = notes.with_action(session, "Ben", "Ask one question", None, None)
    assert [(a.who, a.what, a.due, a.item) for a in session.actions] == [
        ("Ana", "Try common purpose at work", due, "next-steps"),
        ("Ben", "Ask one question", None, None),
    ]
    assert [a.who for a in notes.without_action(session, 0).actions] == ["Ben"]


@pytest.mark.parametrize(("who", "what", "message"), [("", "x", "who:"), ("Ana", "  ", "what:")])
def test_a_blank_commitment_is_refused(
    workshop: Session, who: str, what: str, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        notes.with_action(workshop, who, what, None, None)


def test_due_dates_are_typed_as_iso_dates() -> None:
    assert notes.parse_due(" 2023-03-16 ") == dt.date(2023, 3, 16)
    assert notes.parse_due("") is None
    with pytest.raises(ValueError, match="due: '16/3' is not a date like 2023-03-16"):
        notes.parse_due("16/3")


def test_autosave_waits_a_second_after_typing_stops() -> None:
    assert notes.autosave_due(T0, T0) == T0 + dt.timedelta(seconds=1)
    last = T0 + dt.timedelta(seconds=0.3)
    assert notes.autosave_due(T0, last) == last + dt.timedelta(seconds=1)


def test_continuous_typing_is_saved_often_enough_that_a_crash_loses_under_two_seconds() -> None:
    last = T0 + dt.timedelta(seconds=1.4)
    assert notes.autosave_due(T0, last) == T0 + dt.timedelta(seconds=1.5)
    assert dt.timedelta(seconds=2) > notes.AUTOSAVE_MAX
