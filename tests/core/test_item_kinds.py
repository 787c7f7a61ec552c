"""The item-kind registry: one entry per kind, and the model, grouping and timing read it."""

from __future__ import annotations

import datetime as dt

import pytest

from sessiontui.core import grouping, item_kinds, schedule
from sessiontui.core.model import AgendaItem, Event, Session


def test_the_model_allows_exactly_the_declared_kinds() -> None:
    schema = Session.model_json_schema()["$defs"]["AgendaItem"]["properties"]["kind"]
    assert schema["enum"] == list(item_kinds.names())
    for kind in item_kinds.KINDS:
        assert f"`{kind.name}`: {kind.description}" in schema["description"]
    with pytest.raises(ValueError, match="kind"):
        AgendaItem(id="x", title="X", kind="workshop", minutes=5)


def test_grouping_and_turns_follow_the_declarations() -> None:
    assert grouping.GROUPED_KINDS == ("pairing", "breakout")
    assert item_kinds.default_group_size("pairing") == 2
    assert grouping.DEFAULT_BREAKOUT_SIZE == item_kinds.default_group_size("breakout") == 4
    assert [kind.name for kind in item_kinds.KINDS if kind.has_turns] == ["pairing"]
    with pytest.raises(ValueError, match="no groups"):
        item_kinds.default_group_size("plenary")


def test_only_a_kind_with_turns_cues_them_with_its_default_group_size() -> None:
    start = dt.datetime(2023, 2, 16, 13, tzinfo=dt.UTC)
    session = Session(
        schema_version=1,
        title="Turns",
        date=dt.date(2023, 2, 16),
        start=dt.time(13),
        end=dt.time(14),
        timezone="UTC",
        agenda=[
            AgendaItem(id="pairs", title="Pairs", kind="pairing", minutes=10, turn_minutes=5),
            AgendaItem(id="talk", title="Talk", kind="breakout", minutes=10, turn_minutes=5),
        ],
        log=[Event(at=start, kind="start")],
    )
    turn = schedule.run_state(session, start + dt.timedelta(minutes=6), dt.UTC).turn
    assert turn is not None and (turn.number, turn.of) == (2, 2)
    moved_on = [*session.log, Event(at=start + dt.timedelta(minutes=10), kind="next")]
    later = session.model_copy(update={"log": moved_on})
    assert schedule.run_state(later, start + dt.timedelta(minutes=16), dt.UTC).turn is None


def test_a_kind_is_checked_where_it_is_declared() -> None:
    with pytest.raises(ValueError, match="default group size"):
        item_kinds.Kind("circle", "Circle", "Everyone in one circle.", grouped=True)
    with pytest.raises(ValueError, match="turns"):
        item_kinds.Kind("talk", "Talk", "A talk.", has_turns=True)
