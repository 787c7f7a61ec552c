"""Groups for an item inserted during the run: drawn, saved and listed like a planned one."""

from __future__ import annotations

import datetime as dt

import pytest

from sessiontui.core import grouping
from sessiontui.core.model import AgendaItem, Event, Participant, Session

DAY = dt.date(2024, 3, 1)


def at(minute: int) -> dt.datetime:
    return dt.datetime.combine(DAY, dt.time(9, minute), tzinfo=dt.UTC)


def running_with_insert(*, kind: str = "pairing", group_size: int | None = None) -> Session:
    """A session started at 9:00 that had a pairing item added after the welcome at 9:02."""
    new_item = AgendaItem(
        id="quick-pairs", title="Quick pairs", kind=kind, minutes=10, group_size=group_size
    )
    return Session(
        schema_version=1,
        title="Live session",
        date=DAY,
        start=dt.time(9),
        end=dt.time(12),
        participants=[Participant(name=name) for name in ("Ana", "Ben", "Cy", "Di", "Ed")],
        agenda=[
            AgendaItem(id="welcome", title="Welcome", kind="plenary", minutes=5),
            AgendaItem(id="talk", title="Breakout", kind="breakout", minutes=20),
        ],
        log=[
            Event(at=at(0), kind="start"),
            Event(at=at(2), kind="insert", new_item=new_item, after="welcome"),
        ],
    )


def test_an_inserted_pairing_item_is_listed_in_running_order() -> None:
    session = running_with_insert()
    assert [item.id for item in grouping.grouped_items(session)] == ["quick-pairs", "talk"]


def test_an_inserted_plenary_item_is_not_listed() -> None:
    session = running_with_insert(kind="plenary")
    assert [item.id for item in grouping.grouped_items(session)] == ["talk"]


def test_groups_are_drawn_and_saved_for_an_inserted_pairing_item() -> None:
    session = running_with_insert(group_size=2)
    drawn = grouping.draw_groups(session, "quick-pairs", seed=7)
    # Five people in pairs: two groups, the odd one out making one of them three.
    assert sorted(len(group.members) for group in drawn) == [2, 3]
    assert {group.item for group in drawn} == {"quick-pairs"}
    assert drawn == grouping.draw_groups(session, "quick-pairs", seed=7)
    updated = grouping.replace_groups(session, "quick-pairs", drawn)
    # The whole model validates the groups against the items, inserted ones included.
    reloaded = Session.model_validate(updated.model_dump())
    assert grouping.groups_for(reloaded, "quick-pairs") == drawn
    placed = sorted(name for group in drawn for name in group.members)
    assert placed == ["Ana", "Ben", "Cy", "Di", "Ed"]


def test_an_unknown_id_names_the_inserted_items_among_the_choices() -> None:
    with pytest.raises(grouping.GroupingError, match=r"choose one of: quick-pairs, talk$"):
        grouping.grouped_item(running_with_insert(), "nope")
