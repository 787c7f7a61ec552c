"""The notes-template registry: one entry per template, and the file format follows it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pydantic import ValidationError

from sessiontui.core import note_templates, notes
from sessiontui.core.model import AgendaItem, Note, Session
from sessiontui.core.note_templates import Question, Template


@pytest.fixture
def rose_thorn() -> Iterator[Template]:
    """A template declared only for this test, removed again afterwards."""
    declared = Template(
        name="rose-thorn",
        title="Rose and thorn",
        description="What went well and what hurt.",
        questions=(
            Question("rose", "What went well?", "Rose and thorn: what went well?"),
            Question("thorn", "What hurt?", "Rose and thorn: what hurt?"),
        ),
        layout="text",
    )
    note_templates.register(declared)
    try:
        yield declared
    finally:
        note_templates.unregister(declared.name)


def _schema() -> dict[str, object]:
    return Session.model_json_schema()["$defs"]  # type: ignore[no-any-return]


def test_the_schema_lists_every_template_and_every_question() -> None:
    defs = _schema()
    item = defs["AgendaItem"]["properties"]["notes_template"]  # type: ignore[index]
    assert item["anyOf"][0]["enum"] == list(note_templates.names())
    note = defs["Note"]  # type: ignore[index]
    assert note["additionalProperties"] is False
    for template in note_templates.templates():
        assert f"`{template.name}`: {template.description}" in item["description"]
        for question in template.questions:
            field = note["properties"][question.key]
            assert field == {
                "default": "",
                "description": question.description,
                "title": field["title"],
                "type": "string",
            }


def test_the_first_templates_keep_the_file_format() -> None:
    # Later templates are added after these; the keys and layouts already in files stay.
    assert list(notes.TEXT_FIELDS)[:8] == [
        *("text", "see", "hear", "think_feel", "do_expect", "what", "why", "benefits")
    ]
    first = {t.name: (t.layout, t.counts_words) for t in note_templates.templates()[:3]}
    assert first == {
        "free": ("text", False),
        "empathy-map": ("quadrants", False),
        "common-purpose": ("statement", True),
    }
    assert note_templates.layout_of(None) == "text"


def test_a_note_keeps_its_answers_in_declared_order_and_writes_only_typed_ones() -> None:
    note = Note.model_validate({"item": "a", "why": "because", "see": "posters"}, strict=True)
    assert list(note.answers) == list(notes.TEXT_FIELDS)
    assert (note.answer("see"), note.answer("text"), note.answer("nope")) == ("posters", "", "")
    assert note.model_dump(exclude_defaults=True) == {
        "item": "a",
        "see": "posters",
        "why": "because",
    }
    assert note == Note(item="a", see="posters", why="because", text="")


def test_unknown_keys_and_wrong_types_are_reported_where_they_are() -> None:
    with pytest.raises(ValidationError) as caught:
        Session.model_validate(
            {
                "schema_version": 1,
                "title": "T",
                "date": "2023-02-16",
                "start": "13:00:00",
                "end": "14:00:00",
                "agenda": [{"id": "a", "title": "A", "kind": "plenary", "minutes": 5}],
                "notes": [{"item": "a", "sea": "typo", "hear": 3}],
            }
        )
    found = {(error["type"], error["loc"]) for error in caught.value.errors()}
    assert found == {
        ("string_type", ("notes", 0, "hear")),
        ("extra_forbidden", ("notes", 0, "sea")),
    }


def test_an_unknown_template_is_refused_with_the_known_ones() -> None:
    with pytest.raises(ValidationError) as caught:
        AgendaItem(id="a", title="A", kind="plenary", minutes=5, notes_template="mind-map")
    (error,) = caught.value.errors()
    assert error["type"] == "literal_error"
    *others, last = [repr(name) for name in note_templates.names()]
    assert error["msg"] == f"Input should be {', '.join(others)} or {last}"
    assert error["msg"].startswith("Input should be 'free', 'empathy-map'")


def test_a_template_declared_at_run_time_is_accepted_and_then_forgotten(
    rose_thorn: Template,
) -> None:
    item = AgendaItem(id="a", title="A", kind="breakout", minutes=5, notes_template="rose-thorn")
    assert [q.label for q in notes.fields_of(item)] == ["What went well?", "What hurt?"]
    assert Note(item="a", rose="sunshine").answer("rose") == "sunshine"
    assert "rose" in notes.TEXT_FIELDS
    assert "rose" in _schema()["Note"]["properties"]  # type: ignore[index]
    note_templates.unregister(rose_thorn.name)
    try:
        with pytest.raises(ValidationError):
            Note(item="a", rose="sunshine")
        assert "rose" not in notes.TEXT_FIELDS
    finally:
        note_templates.register(rose_thorn)


@pytest.mark.parametrize(
    ("questions", "problem"),
    [
        ((Question("what", "Again?", "Clash."),), "already used"),
        ((Question("group", "Which?", "Reserved."),), "reserved"),
        ((Question("Bad Key", "Bad?", "Not snake case."),), "snake_case"),
        ((), "at least one question"),
    ],
)
def test_a_template_is_checked_where_it_is_declared(
    questions: tuple[Question, ...], problem: str
) -> None:
    with pytest.raises(ValueError, match=problem):
        note_templates.register(Template("clash", "Clash", "A clash.", questions, "text"))
    assert "clash" not in note_templates.names()


def test_a_taken_name_and_free_notes_are_protected() -> None:
    with pytest.raises(ValueError, match="already called"):
        note_templates.register(
            Template("free", "Free", "Again.", (Question("other", "?", "?"),), "text")
        )
    with pytest.raises(ValueError, match="cannot be removed"):
        note_templates.unregister("free")


def test_the_reserved_keys_are_the_notes_own_fields() -> None:
    # A question may not use a key the table already has; the registry cannot import the model.
    assert set(Note.model_fields) == note_templates.RESERVED_KEYS
