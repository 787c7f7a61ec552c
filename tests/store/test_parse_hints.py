"""TOML slips people make by hand get one line: where, and what to write instead."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sessiontui import session_file

GOOD = """\
schema_version = 1
title = "Building common purpose"
date = 2023-02-16
start = 13:00:00
end = 16:00:00
participants = ["Ann", "Bo"]

[[agenda]]
id = "welcome"
title = "Welcome"
kind = "plenary"
minutes = 10
at = 13:00:00
prompts = [
    "Who is here?",
    "What brought you?",
]
"""


def problems(text: str) -> list[str]:
    with pytest.raises(session_file.SessionFileError) as caught:
        session_file.parse(text, "s.toml")
    assert all("\n" not in problem for problem in caught.value.problems)
    return caught.value.problems


def test_the_good_file_parses() -> None:
    assert session_file.parse(GOOD).agenda[0].at is not None


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        # Times: seconds and two-digit hours are required by TOML 1.0.
        (
            "start = 13:00:00",
            "start = 10:00",
            "4:9: TOML times need seconds: write start = 10:00:00",
        ),
        (
            "start = 13:00:00",
            "start = 9:30:00",
            "4:9: TOML times need two-digit hours: write start = 09:30:00",
        ),
        (
            "start = 13:00:00",
            "start = 9:30",
            "4:9: TOML times need two-digit hours and seconds: write start = 09:30:00",
        ),
        ("at = 13:00:00", "at = 14:30 # tea", "13:6: TOML times need seconds: write at = 14:30:00"),
        # Text: unquoted, in curly quotes, or a closing quote missing.
        (
            'title = "Building common purpose"',
            "title = Building common purpose",
            '2:9: text must be in quotes: write title = "Building common purpose"',
        ),
        (
            'title = "Building common purpose"',
            "title = Ann's workshop",
            '2:9: text must be in quotes: write title = "Ann\'s workshop"',
        ),
        (
            'title = "Welcome"',
            "title = “Welcome”",
            '10:9: use straight quotes: write title = "Welcome"',
        ),
        (
            '"What brought you?",',
            "What brought you,",
            '16:5: text must be in quotes: write "What brought you"',
        ),
        (
            'title = "Welcome"',
            'title = "Welcome',
            '10:17: text in quotes must end on its line: add the closing "',
        ),
        # Brackets: a table header or a list left open.
        (
            "[[agenda]]",
            "[[agenda]",
            "8:9: a table header needs its closing brackets: write [[agenda]]",
        ),
        (
            "[[agenda]]",
            "[[agenda",
            "8:9: a table header needs its closing brackets: write [[agenda]]",
        ),
        (
            'participants = ["Ann", "Bo"]',
            'participants = ["Ann", "Bo"',
            "6:16: this list is never closed: add ] after its last value",
        ),
        (
            '    "What brought you?",\n]',
            '    "What brought you?",\n',
            "14:11: this list is never closed: add ] after its last value",
        ),
        (
            'participants = ["Ann", "Bo"]',
            'participants = [{ name = "Ann", org = "X" ]',
            "6:17: this inline table is never closed: add } at the end of its line",
        ),
        # Dates: day-first or month-first, when it can be told which.
        (
            "date = 2023-02-16",
            "date = 16/02/2023",
            "3:8: TOML dates are year-month-day: write date = 2023-02-16",
        ),
        (
            "date = 2023-02-16",
            "date = 02/16/2023",
            "3:8: TOML dates are year-month-day: write date = 2023-02-16",
        ),
        (
            "date = 2023-02-16",
            "date = 16.02.2023",
            "3:8: TOML dates are year-month-day: write date = 2023-02-16",
        ),
        (
            "date = 2023-02-16",
            "date = 2023-2-16",
            "3:8: TOML dates are year-month-day: write date = 2023-02-16",
        ),
        (
            "date = 2023-02-16",
            "date = 03/04/2023",
            "3:8: TOML dates are year-month-day, such as 2023-02-16",
        ),
    ],
)
def test_a_common_slip_gets_its_line_and_a_hint(old: str, new: str, expected: str) -> None:
    assert old in GOOD
    assert problems(GOOD.replace(old, new, 1)) == [f"s.toml:{expected}"]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        # A word where a number or a date belongs: quoting it would not help, so no hint.
        ("minutes = 10", "minutes = ten", "12:11: Invalid value"),
        ("date = 2023-02-16", "date = tomorrow", "3:8: Invalid value"),
        # A key set twice is tomllib's own wording; nothing better to say.
        ('kind = "plenary"', 'kind = "plenary"\nkind = "break"', "12:15: Cannot overwrite a value"),
    ],
)
def test_other_errors_keep_the_toml_message(old: str, new: str, expected: str) -> None:
    assert problems(GOOD.replace(old, new, 1)) == [f"s.toml:{expected}"]


def test_a_time_inside_a_list_is_the_slip_not_the_list() -> None:
    # tomllib calls this list unclosed: after the 10 it wanted a comma or a bracket.
    text = GOOD.replace('"Who is here?",', "10:00,")
    assert problems(text) == ["s.toml:15:5: TOML times need seconds: write 10:00:00"]


def test_windows_line_endings_give_the_same_hint() -> None:
    text = GOOD.replace("start = 13:00:00", "start = 10:00").replace("\n", "\r\n")
    assert problems(text) == ["s.toml:4:9: TOML times need seconds: write start = 10:00:00"]


@given(st.text(alphabet=st.sampled_from(list("[]{}\"'=:,#\n 1a./-“")), max_size=40))
def test_any_broken_text_gives_one_line_and_never_a_traceback(text: str) -> None:
    try:
        session_file.parse(text, "s.toml")
    except session_file.SessionFileError as error:
        assert len(error.problems) >= 1
        assert all("\n" not in problem for problem in error.problems)
