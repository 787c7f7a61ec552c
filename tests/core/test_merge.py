"""merge(): two screens' changes to one session, merged without losing either side's work.

The properties run on sessions edited at random on both sides from a shared base: events
appended, actions added and deleted, notes typed, rewritten and cut, groups redrawn,
participants changed. The examples pin the wording people see and the marked texts.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sessiontui import session_file
from sessiontui.core.merge import (
    END_MARKER,
    MID_MARKER,
    START_MARKER,
    merge,
    merge_text,
)
from sessiontui.core.model import Action, AgendaItem, Event, Group, Note, Participant, Session
from sessiontui.core.notes import TEXT_FIELDS as NOTE_FIELDS

START = dt.datetime(2023, 2, 16, 13, 0, tzinfo=dt.UTC)
ITEMS = ("empathy", "purpose", "reflect")
GROUPS = ("Group 1", "Group 2", "")
FIELDS = ("text", "see", "what")
PEOPLE = ("Amira", "Ben", "Chloe", "Dev")

PROPERTY = settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def base_session() -> Session:
    """A small session with a little of everything the app writes while it runs."""
    return Session(
        schema_version=1,
        title="Merge test",
        date=dt.date(2023, 2, 16),
        start=dt.time(13),
        end=dt.time(16),
        participants=[Participant(name=name) for name in PEOPLE],
        agenda=[
            AgendaItem(
                id="empathy", title="Empathy mapping", kind="breakout", minutes=30, group_size=2
            ),
            AgendaItem(id="purpose", title="Common purpose", kind="breakout", minutes=30),
            AgendaItem(id="reflect", title="Reflection", kind="reflection", minutes=10),
        ],
        groups=[
            Group(item="empathy", name="Group 1", members=["Amira", "Ben"]),
            Group(item="empathy", name="Group 2", members=["Chloe", "Dev"]),
        ],
        notes=[
            Note(item="empathy", group="Group 1", text="first\nsecond", see="a wall"),
            Note(item="empathy", group="Group 2", text="one line"),
            Note(item="purpose", group="", what="line a\nline b\nline c\n"),
        ],
        actions=[Action(who="Ben", what="call Dev"), Action(who="Amira", what="write it up")],
        log=[Event(at=START, kind="start")],
    )


# ---------------------------------------------------------------------------- edits

Edit = Callable[[dict[str, Any]], None]


def _note(data: dict[str, Any], item: str, group: str) -> dict[str, Any]:
    for note in data["notes"]:
        if note["item"] == item and note["group"] == group:
            return note
    note = {"item": item, "group": group}
    data["notes"].append(note)
    return note


@st.composite
def edits(draw: st.DrawFn, tag: str, groups: tuple[str, ...] = GROUPS) -> list[Edit]:
    """A random list of changes one screen makes; `tag` keeps its typed text its own."""
    result: list[Edit] = []
    for index in range(draw(st.integers(0, 8))):
        kind = draw(
            st.sampled_from(["event", "shared-event", "action", "drop-action", "note", "note"])
            if groups == GROUPS
            else st.just("note")
        )
        word = f"{tag}{index}"
        if kind in ("event", "shared-event"):
            seconds = draw(st.integers(1, 3600))
            text = f"shared {seconds}" if kind == "shared-event" else word
            event = Event(at=START + dt.timedelta(seconds=seconds), kind="broadcast", text=text)
            result.append(lambda data, event=event: data["log"].append(event.model_dump()))
        elif kind == "action":
            action = Action(who=draw(st.sampled_from(PEOPLE)), what=word)
            result.append(lambda data, action=action: data["actions"].append(action.model_dump()))
        elif kind == "drop-action":
            at = draw(st.integers(0, 5))
            result.append(
                lambda data, at=at: (
                    data["actions"].pop(at % len(data["actions"])) if data["actions"] else None
                )
            )
        else:
            item = draw(st.sampled_from(ITEMS))
            group = draw(st.sampled_from(groups))
            field = draw(st.sampled_from(FIELDS))
            how = draw(st.sampled_from(["append", "type-on", "insert", "replace", "cut"]))
            at = draw(st.integers(0, 5))
            result.append(
                _note_edit(item=item, group=group, field=field, how=how, at=at, word=word)
            )
    return result


def _note_edit(*, item: str, group: str, field: str, how: str, at: int, word: str) -> Edit:
    def edit(data: dict[str, Any]) -> None:
        note = _note(data, item, group)
        text = note.get(field, "")
        lines = text.split("\n") if text else []
        if how == "append":
            lines.append(f"{word} appended")
        elif how == "type-on":
            # Typing at the end of the last line, as people do.
            text = text + f" {word} typed"
            note[field] = text
            return
        elif how == "insert":
            lines.insert(at % (len(lines) + 1), f"{word} inserted")
        elif how == "replace" and lines:
            lines[at % len(lines)] = f"{word} replaced"
        elif how == "cut" and lines:
            del lines[at % len(lines)]
        note[field] = "\n".join(lines)

    return edit


def apply(base: Session, changes: list[Edit]) -> Session:
    data = base.model_dump()
    for change in changes:
        change(data)
    # Each screen appends events as they happen, so its own log is always in time order.
    data["log"].sort(key=lambda event: event["at"])
    return Session.model_validate(data)


def event_counts(session: Session) -> Counter[str]:
    return Counter(event.model_dump_json() for event in session.log)


def added_lines(before: str, after: str) -> list[str]:
    old = set(before.split("\n"))
    return [line for line in after.split("\n") if line.strip() and line not in old]


def note_of(session: Session, item: str, group: str) -> Note | None:
    return next((n for n in session.notes if n.item == item and n.group == group), None)


# ---------------------------------------------------------------------------- properties


@PROPERTY
@given(edits("mine"), edits("theirs"))
def test_no_event_is_lost_or_doubled_and_the_log_stays_in_order(
    mine_edits: list[Edit], their_edits: list[Edit]
) -> None:
    base = base_session()
    mine, theirs = apply(base, mine_edits), apply(base, their_edits)
    merged = merge(base, mine, theirs).session
    counts = event_counts(merged)
    expected = event_counts(mine) | event_counts(theirs)  # the larger count of each event
    assert counts == expected
    assert [e.at for e in merged.log] == sorted(e.at for e in merged.log)


@PROPERTY
@given(edits("mine"), edits("theirs"))
def test_no_typed_word_is_lost_and_the_result_saves(
    mine_edits: list[Edit], their_edits: list[Edit]
) -> None:
    base = base_session()
    mine, theirs = apply(base, mine_edits), apply(base, their_edits)
    result = merge(base, mine, theirs)
    merged = result.session
    for side in (mine, theirs):
        for note in side.notes:
            before = note_of(base, note.item, note.group)
            kept = note_of(merged, note.item, note.group)
            for field in NOTE_FIELDS:
                new = added_lines(getattr(before, field) if before else "", getattr(note, field))
                # Word by word: two people typing into one line keep their words in place,
                # interleaved, so a typed line need not stay whole (issue 16, case 11).
                for line in new:
                    assert kept is not None
                    assert set(line.split()) <= set(getattr(kept, field).split())
    # Marked texts and all: the result is a valid session that saves and reads back.
    assert session_file.parse(session_file.dumps(merged)) == merged
    marked = any(START_MARKER in getattr(n, f) for n in merged.notes for f in NOTE_FIELDS)
    assert marked == bool(result.conflicts)


@PROPERTY
@given(edits("mine"), edits("theirs"))
def test_actions_added_on_either_side_are_kept_once(
    mine_edits: list[Edit], their_edits: list[Edit]
) -> None:
    base = base_session()
    mine, theirs = apply(base, mine_edits), apply(base, their_edits)
    merged = merge(base, mine, theirs).session
    before = {a.model_dump_json() for a in base.actions}
    rows = [a.model_dump_json() for a in merged.actions]
    assert len(rows) == len(set(rows))
    for side in (mine, theirs):
        for action in side.actions:
            if action.model_dump_json() not in before:
                assert action.model_dump_json() in rows
    # A row one side deleted and the other left alone is gone.
    for action in base.actions:
        row = action.model_dump_json()
        gone_mine = row not in {a.model_dump_json() for a in mine.actions}
        gone_theirs = row not in {a.model_dump_json() for a in theirs.actions}
        if gone_mine or gone_theirs:
            assert row not in rows


@PROPERTY
@given(edits("x"))
def test_one_sided_and_same_changes_come_through_unchanged(changes: list[Edit]) -> None:
    base = base_session()
    changed = apply(base, changes)
    assert merge(base, changed, base).session == changed
    assert merge(base, base, changed).session == changed
    assert merge(base, changed, changed).session == changed


@PROPERTY
@given(edits("mine", groups=("Group 1",)), edits("theirs", groups=("Group 2",)))
def test_notes_of_different_groups_never_interfere(
    mine_edits: list[Edit], their_edits: list[Edit]
) -> None:
    base = base_session()
    mine, theirs = apply(base, mine_edits), apply(base, their_edits)
    result = merge(base, mine, theirs)
    assert result.conflicts == ()
    for item in ITEMS:
        assert note_of(result.session, item, "Group 1") == note_of(mine, item, "Group 1")
        assert note_of(result.session, item, "Group 2") == note_of(theirs, item, "Group 2")


# ---------------------------------------------------------------------------- examples


def with_note(session: Session, group: str, **fields: Any) -> Session:
    notes = [
        note.model_copy(update=fields) if (note.item, note.group) == ("empathy", group) else note
        for note in session.notes
    ]
    return session.model_copy(update={"notes": notes})


def test_both_typing_on_the_same_line_keeps_both_words_in_place() -> None:
    base = base_session()
    mine = with_note(base, "Group 1", see="a wall and a window")
    theirs = with_note(base, "Group 1", see="a wall, two doors")
    result = merge(base, mine, theirs)
    see = note_of(result.session, "empathy", "Group 1").see  # type: ignore[union-attr]
    # Added at one place on both sides: both kept whole, in one order whichever screen saves.
    assert (see, result.conflicts) == ("a wall and a window, two doors", ())


def test_both_rewriting_the_same_words_keeps_both_marked_and_says_so() -> None:
    base = base_session()
    mine = with_note(base, "Group 1", see="a gate")
    theirs = with_note(base, "Group 1", see="a hatch")
    result = merge(base, mine, theirs)
    see = note_of(result.session, "empathy", "Group 1").see  # type: ignore[union-attr]
    assert see == f"{START_MARKER}\na hatch\n{MID_MARKER}\na gate\n{END_MARKER}"
    assert result.conflicts == (
        "Group 1's notes for Empathy mapping (see) were edited on two screens at once;"
        " both texts are kept, marked",
    )


def test_lines_appended_on_both_sides_are_both_kept() -> None:
    base = base_session()
    mine = with_note(base, "Group 1", text="first\nsecond\nmine added")
    theirs = with_note(base, "Group 1", text="first\nsecond\ntheirs added")
    text = note_of(merge(base, mine, theirs).session, "empathy", "Group 1").text  # type: ignore[union-attr]
    assert text.startswith("first\nsecond\n")
    assert "mine added" in text and "theirs added" in text


def test_edits_to_different_lines_merge_without_markers() -> None:
    base = "one\ntwo\nthree\nfour\n"
    text, marked = merge_text(base, "one\ntwo\nthree\nFOUR\n", "ONE\ntwo\nthree\nfour\n")
    assert (text, marked) == ("ONE\ntwo\nthree\nFOUR\n", False)


def test_a_screen_that_kept_typing_wins_without_markers() -> None:
    # A stale base: the other side is this screen's own earlier save; nothing is lost.
    assert merge_text("note", "note that grows", "note that") == ("note that grows", False)
    assert merge_text("note", "note that", "note that grows") == ("note that grows", False)


def test_a_whole_room_note_is_named_as_such() -> None:
    base = base_session()

    def purpose(session: Session, what: str) -> Session:
        notes = [
            n.model_copy(update={"what": what}) if n.item == "purpose" else n for n in session.notes
        ]
        return session.model_copy(update={"notes": notes})

    result = merge(base, purpose(base, "ours"), purpose(base, "theirs"))
    assert result.conflicts[0].startswith("The whole room's notes for Common purpose (what)")


def test_edited_is_the_later_of_the_two() -> None:
    base = base_session()
    early, late = START, START + dt.timedelta(minutes=5)
    mine = with_note(base, "Group 1", text="first\nsecond\nx", edited=late)
    theirs = with_note(base, "Group 1", see="a wall\ny", edited=early)
    note = note_of(merge(base, mine, theirs).session, "empathy", "Group 1")
    assert note is not None
    assert (note.text, note.see, note.edited) == ("first\nsecond\nx", "a wall\ny", late)


def test_groups_drawn_on_both_sides_keep_this_screens_draw_and_say_so() -> None:
    base = base_session()
    mine = base.model_copy(
        update={"groups": [Group(item="empathy", name="Group 1", members=PEOPLE[:2])]}
    )
    theirs = base.model_copy(update={"groups": [Group(item="empathy", name="G", members=["Dev"])]})
    result = merge(base, mine, theirs)
    assert result.session.groups == mine.groups
    assert result.conflicts == (
        "The groups for Empathy mapping were drawn again on two screens at once;"
        " this screen's groups are kept",
    )


def test_groups_changed_on_one_side_only_come_through() -> None:
    base = base_session()
    extra = Group(item="purpose", name="Table 1", members=["Ben"])
    mine = base.model_copy(update={"groups": [*base.groups, extra]})
    theirs = base.model_copy(update={"groups": base.groups[:1], "title": "Renamed"})
    merged = merge(base, mine, theirs).session
    assert merged.groups == [base.groups[0], extra]
    assert merged.title == "Renamed"


def test_participants_merge_by_name() -> None:
    base = base_session()
    mine = base.model_copy(
        update={
            "participants": [
                Participant(name="Amira", org="Active Notts"),
                *base.participants[1:],
                Participant(name="Eve"),
            ]
        }
    )
    theirs = base.model_copy(
        update={"participants": [p for p in base.participants if p.name != "Ben"]}
    )
    merged = merge(base, mine, theirs).session
    assert [p.name for p in merged.participants] == ["Amira", "Chloe", "Dev", "Eve"]
    assert merged.participants[0].org == "Active Notts"


def test_an_agenda_item_removed_on_one_side_stays_while_the_other_has_notes_for_it() -> None:
    base = base_session()
    mine = base.model_copy(
        update={
            "agenda": [item for item in base.agenda if item.id != "reflect"],
            "title": "Shorter",
        }
    )
    theirs = base.model_copy(update={"notes": [*base.notes, Note(item="reflect", text="keep me")]})
    result = merge(base, mine, theirs)
    assert [item.id for item in result.session.agenda] == ["empathy", "purpose", "reflect"]
    assert note_of(result.session, "reflect", "").text == "keep me"  # type: ignore[union-attr]
    assert result.session.title == "Shorter"
    assert "Reflection was taken off the agenda" in result.conflicts[0]


def test_start_and_end_move_together() -> None:
    base = base_session()
    mine = base.model_copy(update={"start": dt.time(9), "end": dt.time(10)})
    theirs = base.model_copy(update={"end": dt.time(17)})
    merged = merge(base, mine, theirs).session
    assert (merged.start, merged.end) == (dt.time(9), dt.time(10))


def test_a_row_changed_on_one_side_and_deleted_on_the_other_is_kept() -> None:
    base = base_session()
    mine = base.model_copy(update={"notes": base.notes[1:]})
    theirs = with_note(base, "Group 1", text="first\nsecond\nmore")
    merged = merge(base, mine, theirs).session
    assert note_of(merged, "empathy", "Group 1") == note_of(theirs, "empathy", "Group 1")


def test_a_no_op_merge_returns_the_same_object() -> None:
    base = base_session()
    mine = with_note(base, "Group 1", text="x")
    assert merge(base, mine, base).session is mine
    assert merge(base, base, mine).session is mine


@pytest.mark.parametrize(
    ("base", "mine", "theirs", "expected"),
    [
        ("", "", "typed", "typed"),
        ("a\n", "a\nb\n", "a\n", "a\nb\n"),
        ("a", "a", "", ""),
        ("a\r\nb\r\n", "a\r\nB\r\n", "A\r\nb\r\n", None),  # adjacent lines: marked
        ("a\r\nb\r\n", "a\r\nB\r\n", "a\r\nA\r\n", None),  # the same line: marked
    ],
)
def test_merge_text_cases(base: str, mine: str, theirs: str, expected: str | None) -> None:
    text, marked = merge_text(base, mine, theirs)
    if expected is None:
        assert marked and "B\r\n" in text and "A\r\n" in text
    else:
        assert (text, marked) == (expected, False)


# ---------------------------------------------------------------------------- a new template


@pytest.fixture
def retro_template() -> Iterator[str]:
    """A notes template declared only for this test, whose fields no built-in template has."""
    from sessiontui.core import note_templates

    template = note_templates.Template(
        name="start-stop-continue",
        title="Start, stop, continue",
        description="A retrospective: what to start doing, stop doing and keep doing.",
        questions=(
            note_templates.Question("start_doing", "What should we start doing?", "Start."),
            note_templates.Question("stop_doing", "What should we stop doing?", "Stop."),
        ),
        layout="text",
    )
    note_templates.register(template)
    try:
        yield template.name
    finally:
        note_templates.unregister(template.name)


def test_a_newly_declared_templates_field_keeps_both_writers_texts(retro_template: str) -> None:
    # The data-loss trap: a merge that lists the fields it merges by hand would keep only
    # one side's text of a field added by a new template, and no other test would notice.
    from sessiontui.core import notes

    retro = AgendaItem(
        id="retro",
        title="Retrospective",
        kind="breakout",
        minutes=20,
        notes_template=retro_template,
    )
    base = base_session().model_copy(update={"agenda": [*base_session().agenda, retro]})
    base = notes.with_texts(base, "retro", "Group 1", {"start_doing": "one\ntwo\nthree\n"}, START)
    later = START + dt.timedelta(minutes=1)
    mine = notes.with_texts(
        base, "retro", "Group 1", {"start_doing": "one\ntwo\nthree\nmine\n"}, later
    )
    theirs = notes.with_texts(
        base, "retro", "Group 1", {"start_doing": "theirs\none\ntwo\nthree\n"}, later
    )
    merged = merge(base, mine, theirs).session
    note = note_of(merged, "retro", "Group 1")
    assert note is not None
    assert note.answer("start_doing") == "theirs\none\ntwo\nthree\nmine\n"
    # And the merged session still saves and reads back with the new field.
    assert session_file.parse(session_file.dumps(merged)) == merged
