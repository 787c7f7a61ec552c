"""Rows of a spreadsheet agenda made into agenda items, every bad cell reported with its line."""

from __future__ import annotations

import datetime as dt

import pytest

from sessiontui.core.agenda_import import (
    Cell,
    agenda_from_rows,
    columns_of,
    session_from_items,
)


def numbered(*rows: list[Cell]) -> list[tuple[int, list[Cell]]]:
    return [(line, row) for line, row in enumerate(rows, start=1)]


def test_headers_are_read_in_any_case_with_synonyms() -> None:
    columns, ignored, problems = columns_of(
        ["Activity", "Duration (min)", "TYPE", "Start time", "Questions", "Owner", ""]
    )
    assert columns == {0: "title", 1: "minutes", 2: "kind", 3: "at", 4: "prompts"}
    assert ignored == ["Owner"]
    assert problems == []


def test_a_table_without_minutes_says_which_header_to_add() -> None:
    result = agenda_from_rows(numbered(["title", "who"], ["Welcome", "Ann"]))
    assert [p.where("a.csv") for p in result.problems] == [
        "a.csv:1: no minutes column (a header such as minutes, mins, min, duration)"
    ]
    assert result.items == []


def test_rows_become_items_with_ids_prompts_and_kinds() -> None:
    result = agenda_from_rows(
        numbered(
            ["title", "minutes", "kind", "at", "prompts", "notes template", "group size"],
            ["Welcome", "10 min", "", "13:30", "Why?|What for?", "", ""],
            ["", "", "", "", "", "", ""],
            ["Pairs", 15.0, "Pairing", "", "Who are you?\nWhat can you offer?", "Free notes", 2],
            ["Tea", dt.time(0, 10), "break", dt.time(14, 30), "", "", ""],
            ["Welcome", "5", "close", "2:45 pm", "", "what-so-what-now-what", ""],
        )
    )
    assert result.problems == []
    items = result.items
    assert [item.id for item in items] == ["welcome", "pairs", "tea", "welcome-2"]
    assert [item.kind for item in items] == ["plenary", "pairing", "break", "close"]
    assert [item.minutes for item in items] == [10, 15, 10, 5]
    assert items[0].prompts == ["Why?", "What for?"]
    assert items[1].prompts == ["Who are you?", "What can you offer?"]
    assert (items[1].notes_template, items[1].group_size) == ("free", 2)
    assert items[2].at == dt.time(14, 30)
    assert items[3].at == dt.time(14, 45)
    assert items[3].notes_template == "what-so-what-now-what"


def test_every_bad_cell_is_reported_with_its_line_and_field() -> None:
    result = agenda_from_rows(
        [
            (1, ["title", "minutes", "kind", "at", "group size"]),
            (2, ["Welcome", "ten", "plenary", "", ""]),
            (4, ["", "5", "", "", ""]),
            (5, ["Tea", "10", "snack", "25:00", "two"]),
            (6, ["Long", "2000", "", "", ""]),
            (7, ["Fine", "5", "", "", ""]),
        ]
    )
    lines = [p.where("agenda.csv") for p in result.problems]
    assert lines[0] == 'agenda.csv:2: minutes: "ten" is not a whole number'
    assert lines[1] == "agenda.csv:4: title: is empty"
    assert lines[2].startswith('agenda.csv:5: kind: "snack" is not a kind: plenary, ')
    assert lines[3] == 'agenda.csv:5: at: "25:00" is not a time of day such as 14:30'
    assert lines[4] == 'agenda.csv:5: group_size: "two" is not a whole number'
    assert lines[5].startswith("agenda.csv:6: minutes: ")
    assert len(lines) == 6


def test_an_empty_table_is_a_problem_not_an_empty_session() -> None:
    assert agenda_from_rows([]).problems[0].message == "the file is empty: no header row"
    only_header = agenda_from_rows(numbered(["title", "minutes"]))
    assert only_header.problems[0].message == "no agenda rows below the header"


def test_the_session_starts_at_the_first_fixed_time_and_ends_with_the_last_item() -> None:
    items = agenda_from_rows(
        numbered(
            ["title", "minutes", "at"],
            ["Welcome", "10", "13:30"],
            ["Tea", "10", "14:30"],
            ["Close", "5", ""],
        )
    ).items
    session = session_from_items(items, title="Mine", date=dt.date(2026, 5, 1))
    assert (session.start, session.end) == (dt.time(13, 30), dt.time(14, 45))
    later = session_from_items(items, title="Mine", date=dt.date(2026, 5, 1), start=dt.time(9))
    assert later.start == dt.time(9)


def test_an_agenda_past_midnight_is_refused() -> None:
    items = agenda_from_rows(numbered(["title", "minutes"], ["All night", "600"])).items
    with pytest.raises(ValueError, match="past midnight"):
        session_from_items(items, title="Late", date=dt.date(2026, 5, 1), start=dt.time(20))
