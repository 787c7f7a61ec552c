"""The plan handout: the agenda as planned, with its prompts, and nothing for the facilitator only.

Its exact text is the golden `handout.md`/`handout.html` (tests/minutes/test_export.py); here
the rules behind it: times from the plan as written (a fixed-time item keeps its time, a run
on another day moves nothing), where each item happens, empty sections left out, and typed
text kept as text in both formats.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from recorded import recorded_example
from sessiontui import session_file
from sessiontui.core.model import Event, Session
from sessiontui.minutes import formats, plan, view


@pytest.fixture
def plan_only(example_path: Path) -> Session:
    return session_file.load(example_path).session


def agenda_of(session: Session) -> view.PlanAgenda:
    handout = plan.handout_of(session)
    (agenda,) = [s.body for s in handout.sections if isinstance(s.body, view.PlanAgenda)]
    return agenda


def test_each_item_has_its_planned_times_length_and_prompts(plan_only: Session) -> None:
    items = agenda_of(plan_only).items
    assert len(items) == len(plan_only.agenda)
    coffee = items[2]
    assert (coffee.start, coffee.end, coffee.title, coffee.length) == (
        "13:15",
        "13:30",
        "Randomised Coffee Trial",
        "15 min",
    )
    assert coffee.prompts == tuple(plan_only.agenda[2].prompts)
    tea = next(item for item in items if item.title == "Tea break")
    assert (tea.start, tea.end) == ("14:30", "14:40")  # fixed at 14:30 in the file


def test_the_handout_is_the_plan_as_written_whatever_was_run(plan_only: Session) -> None:
    # The recorded run started late, and a rehearsal on another day moves `planned`'s times.
    rehearsed = plan_only.model_copy(
        update={"log": [Event(at=dt.datetime(2023, 2, 10, 9, 0, tzinfo=dt.UTC), kind="start")]}
    )
    for session in (recorded_example(), rehearsed):
        assert agenda_of(session) == agenda_of(plan_only)


def test_no_facilitator_notes_and_no_record_of_the_run(plan_only: Session) -> None:
    for fmt in formats.FORMATS:
        text = formats.render_plan(recorded_example(), fmt)
        for item in plan_only.agenda:
            for line in item.facilitator_notes.splitlines():
                if line.strip():
                    assert line.strip() not in text
        for absent in ("Amira Patel", "Lots of energy", "Commitments", "What happened"):
            assert absent not in text


def test_where_an_item_happens_is_printed(plan_only: Session) -> None:
    agenda = list(plan_only.agenda)
    agenda[5] = agenda[5].model_copy(update={"where": "Breakout rooms 1 to 4"})
    session = plan_only.model_copy(update={"agenda": agenda})
    assert "*Where:* Breakout rooms 1 to 4" in formats.render_plan(session, "md")
    assert '<p class="where">Where: Breakout rooms 1 to 4</p>' in formats.render_plan(
        session, "html"
    )


def test_the_sections_are_agenda_ways_and_coming_up_each_left_out_when_empty(
    plan_only: Session,
) -> None:
    keys = [s.key for s in plan.handout_of(plan_only).sections]
    assert keys == ["agenda", "ways", "coming-up"]
    bare = plan_only.model_copy(update={"agenda": [], "ways_of_working": [], "upcoming": []})
    assert plan.handout_of(bare).sections == ()
    assert "## " not in formats.render_plan(bare, "md")


def test_the_chatham_house_rule_is_said_in_the_header_when_it_applies(plan_only: Session) -> None:
    assert plan.handout_of(plan_only).header.notice == plan.CHATHAM_HOUSE
    open_session = plan_only.model_copy(update={"chatham_house": False})
    assert plan.handout_of(open_session).header.notice is None


def test_typed_prompts_stay_text_in_both_formats(plan_only: Session) -> None:
    agenda = list(plan_only.agenda)
    typed = "<script>alert(1)</script> **bold** [link](http://x)"
    agenda[0] = agenda[0].model_copy(update={"prompts": [typed], "title": "# Not a heading"})
    session = plan_only.model_copy(update={"agenda": agenda})
    page = formats.render_plan(session, "html")
    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; **bold** [link](http://x)" in page
    md = formats.render_plan(session, "md")
    assert "- &lt;script&gt;alert(1)&lt;/script&gt; \\*\\*bold\\*\\* \\[link\\](http://x)" in md
    assert re.search(r"^### 13:00–13:10 \\# Not a heading \(10 min\)$", md, flags=re.MULTILINE)
    assert "<title>Plan: Workshop 2" in formats.render_plan(plan_only, "html")
