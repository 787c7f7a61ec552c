"""The plan editor's pure operations: items, text formats, and the undo history."""

from __future__ import annotations

import datetime as dt

import pytest

from sessiontui.core import plan_edit
from sessiontui.core.model import Group, Note, Participant, Session
from workshops import REFERENCE_AGENDA, session_with


@pytest.fixture
def session() -> Session:
    return session_with(REFERENCE_AGENDA)


def ids(session: Session) -> list[str]:
    return [item.id for item in session.agenda]


def test_unique_id_is_a_slug_of_the_title_not_used_yet() -> None:
    assert plan_edit.unique_id("Tea break", []) == "tea-break"
    assert plan_edit.unique_id("Tea break", ["tea-break"]) == "tea-break-2"
    assert plan_edit.unique_id("Tea break", ["tea-break", "tea-break-2"]) == "tea-break-3"
    assert plan_edit.unique_id("!!!", []) == "item"
    assert plan_edit.unique_id("Session review", []) == "session-review"
    assert len(plan_edit.unique_id("word " * 40, [])) <= plan_edit.MAX_ID_LENGTH


def test_new_item_gets_an_unused_id(session: Session) -> None:
    first = plan_edit.new_item(session)
    second = plan_edit.new_item(plan_edit.insert_item(session, 0, first))
    assert (first.id, second.id) == ("new-item", "new-item-2")
    assert first.minutes == 10


def test_insert_duplicate_move_delete(session: Session) -> None:
    added = plan_edit.insert_item(session, 1, plan_edit.new_item(session))
    assert ids(added)[:3] == ["welcome", "new-item", "coffee-trial"]
    copied = plan_edit.duplicate_item(session, 3)  # the fixed tea break
    assert ids(copied)[3:5] == ["tea", "tea-break"]
    assert copied.agenda[4].at is None, "a copy follows the original instead of overlapping it"
    moved = plan_edit.move_item(session, 0, 1)
    assert ids(moved)[:2] == ["coffee-trial", "welcome"]
    assert ids(plan_edit.move_item(session, 0, -1)) == ids(session), "clamped at the top"
    deleted = plan_edit.delete_item(session, 0)
    assert ids(deleted) == ids(session)[1:]


def test_delete_drops_the_items_groups_and_refuses_when_it_has_notes(session: Session) -> None:
    grouped = session.model_copy(
        update={"groups": [Group(item="coffee-trial", name="Group 1", members=["A", "B"])]}
    )
    assert plan_edit.delete_item(grouped, 1).groups == []
    noted = session.model_copy(update={"notes": [Note(item="coffee-trial")]})
    with pytest.raises(plan_edit.PlanEditError, match="has notes"):
        plan_edit.delete_item(noted, 1)


def test_with_plan_keeps_the_run_and_refuses_to_orphan_notes(session: Session) -> None:
    added = plan_edit.insert_item(session, 0, plan_edit.new_item(session))
    noted = added.model_copy(update={"notes": [Note(item="new-item")]})
    # Undoing the add would leave the note without its item.
    with pytest.raises(plan_edit.PlanEditError):
        plan_edit.with_plan(noted, session)
    retitled = session.model_copy(update={"title": "Other"})
    restored = plan_edit.with_plan(
        session.model_copy(update={"notes": [Note(item="welcome")]}), retitled
    )
    assert restored.title == "Other"
    assert restored.notes == [Note(item="welcome")]


def test_participants_round_trip_and_bad_lines() -> None:
    people = [
        Participant(name="Amira Patel", avoid=["Ben Clarke"]),
        Participant(name="Ben Clarke", org="NHS", absent=True),
        Participant(name="Chloe"),
    ]
    text = plan_edit.participants_text(people)
    assert text.splitlines()[0] == "Amira Patel | avoid: Ben Clarke"
    assert plan_edit.parse_participants(text) == (people, [])
    parsed, problems = plan_edit.parse_participants("Dan\n| avoid: Dan\nDan\nEve | shy")
    assert [person.name for person in parsed] == ["Dan", "Eve"]
    assert [problem.line for problem in problems] == [2, 3, 4]


def test_ways_and_upcoming_round_trip_and_bad_lines() -> None:
    ways, problems = plan_edit.parse_ways("Presence: really listening\nCuriosity\n: nameless")
    assert [(way.name, way.text) for way in ways] == [
        ("Presence", "really listening"),
        ("Curiosity", ""),
    ]
    assert [problem.line for problem in problems] == [3]
    assert plan_edit.parse_ways(plan_edit.ways_text(ways))[0] == ways
    coming, problems = plan_edit.parse_upcoming("2023-03-16 Workshop 3\n16 March Workshop 4\n")
    assert [(c.date, c.title) for c in coming] == [(dt.date(2023, 3, 16), "Workshop 3")]
    assert problems[0].line == 2
    assert plan_edit.parse_upcoming(plan_edit.upcoming_text(coming))[0] == coming


def test_error_text_names_the_field() -> None:
    from pydantic import ValidationError

    with pytest.raises(ValidationError) as caught:
        Session.model_validate(
            {
                "schema_version": 1,
                "title": "x",
                "date": "2023-02-16",
                "start": "13:00",
                "end": "12:00",
            }
        )
    assert plan_edit.error_text(caught.value) == {"end": "must be after start"}


def test_history_undoes_a_fields_typing_in_one_step(session: Session) -> None:
    history = plan_edit.History()
    versions = [session.model_copy(update={"title": "T" * n}) for n in range(1, 5)]
    history.record(session, key=("session", "title"))
    history.record(versions[0], key=("session", "title"))
    history.record(versions[1], key=("session", "title"))
    history.record(versions[2], key="other")
    assert history.undo(versions[3]) is versions[2]
    assert history.undo(versions[2]) is session
    assert history.undo(session) is None
    assert history.redo(session) is versions[2]
    assert history.redo(versions[2]) is versions[3]
    assert history.redo(versions[3]) is None
    history.record(versions[3], key="new")
    assert history.redo(versions[3]) is None, "a new change forgets what was undone"


def test_history_put_back_cancels_an_undo(session: Session) -> None:
    history = plan_edit.History()
    later = session.model_copy(update={"title": "Later"})
    history.record(session)
    restored = history.undo(later)
    assert restored is session
    history.put_back(restored, undone=True)
    assert history.undo(later) is session


def test_a_new_items_id_follows_its_title_until_something_refers_to_it(session: Session) -> None:
    added = plan_edit.insert_item(session, 0, plan_edit.new_item(session))
    titled = plan_edit.id_following_title(
        added, 0, added.agenda[0].model_copy(update={"title": "Check-in"})
    )
    assert titled.id == "check-in"
    # The reference workshop's ids were chosen by hand: "tea" stays "tea".
    tea = session.agenda[3].model_copy(update={"title": "Lunch"})
    assert plan_edit.id_following_title(session, 3, tea).id == "tea"
    noted = added.model_copy(update={"notes": [Note(item="new-item")]})
    renamed = added.agenda[0].model_copy(update={"title": "Check-in"})
    assert plan_edit.id_following_title(noted, 0, renamed).id == "new-item"


def test_error_text_words_the_common_slips_plainly() -> None:
    from pydantic import ValidationError

    from sessiontui.core.model import AgendaItem

    with pytest.raises(ValidationError) as caught:
        AgendaItem.model_validate(
            {"id": "a", "title": "", "kind": "plenary", "minutes": "ten", "at": "25:00"}
        )
    assert plan_edit.error_text(caught.value) == {
        "title": "cannot be empty",
        "minutes": "write a whole number, e.g. 15",
        "at": "write a time such as 14:30",
    }
