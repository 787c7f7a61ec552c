"""A session from a template, a template from a session, and titles that follow the date."""

from __future__ import annotations

import datetime as dt

import pytest

from sessiontui.core import library
from test_library import make_session


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Retro 2024-03-01", "Retro 2024-04-05"),
        ("Standup, 1 March 2024", "Standup, 5 April 2024"),
        ("March 1, 2024 planning", "April 5, 2024 planning"),
        ("Team day 01/03/2024", "Team day 05/04/2024"),
        ("Workshop 1 Mar 2024", "Workshop 5 Apr 2024"),
        ("Retro 1 March", "Retro 5 April"),
        ("Retro", "Retro"),
        ("Workshop 21 March", "Workshop 21 March"),
        ("Sprint 10 March", "Sprint 10 March"),
    ],
)
def test_retitle_moves_the_date_in_a_title(title: str, expected: str) -> None:
    assert library.retitle(title, dt.date(2024, 3, 1), dt.date(2024, 4, 5)) == expected


def test_next_session_with_a_date_and_no_title_does_not_repeat_the_old_date() -> None:
    source = make_session("Retro 2023-01-19", date=dt.date(2023, 1, 19))
    new = library.next_session(source, dt.date(2023, 2, 2), None, today=dt.date(2023, 1, 20))
    assert new.title == "Retro 2023-02-02"


def test_from_template_takes_the_date_title_and_plan() -> None:
    template = make_session("Team retrospective", date=dt.date(2026, 1, 1))
    made = library.from_template(template, dt.date(2026, 3, 4), None, today=dt.date(2026, 2, 1))
    assert (made.title, made.date, made.agenda) == (
        "Team retrospective",
        dt.date(2026, 3, 4),
        template.agenda,
    )
    today = library.from_template(template, None, "Mine", today=dt.date(2026, 2, 1))
    assert (today.title, today.date) == ("Mine", dt.date(2026, 2, 1))


def test_plan_only_leaves_the_run_and_the_people_behind() -> None:
    ran = make_session(
        "One",
        log=["start", "finish"],
        notes=[{"item": "empathy", "group": "Group 1", "see": "queues"}],
        actions=[{"who": "Ben Clarke", "what": "Call the council"}],
        upcoming=[{"date": dt.date(2023, 2, 16), "title": "Two"}],
    )
    assert ran.participants
    plan = library.plan_only(ran)
    assert (plan.log, plan.notes, plan.actions, plan.groups, plan.upcoming) == ([],) * 5
    assert plan.participants == []
    assert plan.agenda == ran.agenda
    assert plan.ways_of_working == ran.ways_of_working
    kept = library.plan_only(ran, keep_participants=True)
    assert [p.name for p in kept.participants] == [p.name for p in ran.participants]
