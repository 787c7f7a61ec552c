"""The view-model decides what the minutes say and in what order; both renderers only print it.

The section order, which sections have nothing to show and what they say instead, and how a
notes template is laid out are asked of `view` alone: a view-model rearranged by hand comes
out of the Markdown and the HTML rearranged the same way, and patching `view.layout_of` moves
every group's notes.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from recorded import recorded_example
from sessiontui import session_file
from sessiontui.core.model import Session
from sessiontui.minutes import html, markdown, view


@pytest.fixture
def plan_only(example_path: Path) -> Session:
    return session_file.load(example_path).session


def markdown_sections(text: str) -> list[tuple[str, str]]:
    """Each `## heading` of a Markdown text and the first block under it."""
    return re.findall(r"^## (.+)\n\n(.+)$", text, flags=re.MULTILINE)


def html_sections(page: str) -> list[tuple[str, str, str]]:
    """Each section's id, heading and first line under the heading, in page order."""
    return re.findall(r'<section id="([^"]+)"><h2>([^<]+)</h2>\n(.*)\n', page)


def test_both_renderers_print_the_sections_in_the_view_models_order_and_words() -> None:
    minutes = view.minutes_of(recorded_example())
    # Reversed, and every section told it has nothing to show: the renderers must follow.
    rearranged = dataclasses.replace(
        minutes,
        sections=tuple(
            dataclasses.replace(section, nothing=f"Nothing under {section.key} today.")
            for section in reversed(minutes.sections)
        ),
    )
    expected = [(s.key, s.heading, s.nothing) for s in rearranged.sections]
    assert [key for key, _, _ in expected][:2] == ["coming-up", "ways"]

    md = markdown.render_minutes(rearranged)
    assert markdown_sections(md) == [(heading, nothing) for _, heading, nothing in expected]
    page = html.render_minutes(rearranged)
    assert html_sections(page) == [
        (key, heading, f"<p>{nothing}</p>") for key, heading, nothing in expected
    ]
    # Nothing of a section's body is printed once it says it has nothing.
    assert "Randomised Coffee Trial" not in md.split("\n## ", 1)[1]
    assert "<table>" not in page and "<svg" not in page


def test_the_default_order_is_the_one_both_formats_print(plan_only: Session) -> None:
    for session in (recorded_example(), plan_only):
        minutes = view.minutes_of(session)
        headings = [section.heading for section in minutes.sections]
        assert headings == [
            view.WHO,
            view.AGENDA,
            view.HAPPENED,
            view.NOTES,
            view.PURPOSE,
            view.COMMITMENTS,
            view.WAYS,
            view.COMING_UP,
        ]
        md_headings = re.findall(r"^## (.+)$", markdown.render(session), flags=re.MULTILINE)
        html_headings = [h for _, h, _ in html_sections(html.render(session))]
        assert md_headings == html_headings == headings


def test_a_plan_says_nothing_happened_and_nothing_was_noted_in_both_formats(
    plan_only: Session,
) -> None:
    nothing = {s.key: s.nothing for s in view.minutes_of(plan_only).sections}
    assert nothing == {
        "people": None,
        "agenda": None,
        "happened": view.NOT_RUN,
        "notes": view.NO_NOTES,
        "common-purpose": view.NO_PURPOSE,
        "commitments": view.NO_COMMITMENTS,
        "ways": None,
        "coming-up": None,
    }
    md, page = markdown.render(plan_only), html.render(plan_only)
    for said in (text for text in nothing.values() if text):
        assert f"\n\n{said}\n\n" in md
        assert f"<p>{said}</p>" in page


def test_an_empty_session_says_so_in_every_section_that_can_be_empty(plan_only: Session) -> None:
    empty = plan_only.model_copy(
        update={
            "participants": [],
            "agenda": [],
            "notes": [],
            "actions": [],
            "ways_of_working": [],
            "upcoming": [],
        }
    )
    nothing = {s.key: s.nothing for s in view.minutes_of(empty).sections}
    assert nothing["people"] == view.NOBODY
    assert nothing["ways"] == view.NO_WAYS
    assert nothing["coming-up"] == view.NOTHING_PLANNED
    # The agenda is never empty: its summary and table head say the session was not run.
    assert nothing["agenda"] is None
    agenda = view.minutes_of(empty).sections[1].body
    assert isinstance(agenda, view.Agenda) and agenda.chart is None


def test_only_absent_people_are_named_as_absent_without_nobody(plan_only: Session) -> None:
    people = [p.model_copy(update={"absent": True}) for p in plan_only.participants]
    minutes = view.minutes_of(plan_only.model_copy(update={"participants": people}))
    section = minutes.sections[0]
    assert section.nothing is None
    assert isinstance(section.body, view.People)
    assert section.body.present == () and len(section.body.absent) == len(people)


def test_a_session_still_running_has_no_items_it_never_reached() -> None:
    session = recorded_example()
    minutes = view.minutes_of(session.model_copy(update={"log": session.log[:8]}))
    agenda = minutes.sections[1].body
    assert isinstance(agenda, view.Agenda)
    flags = [row.flag.kind if row.flag else None for row in agenda.rows]
    assert "running" in flags and "not-reached" not in flags
    assert flags[2] == "overran"


# ---------------------------------------------------------------------------- templates


def test_each_notes_template_has_its_layout() -> None:
    assert view.layout_of("free") == "text"
    assert view.layout_of("empathy-map") == "quadrants"
    assert view.layout_of("common-purpose") == "statement"
    assert view.layout_of("what-so-what-now-what") == "text"
    # Only declared templates have a layout: the registry names the ones it knows.
    with pytest.raises(KeyError, match="empathy-map"):
        view.layout_of("a template nobody declared")


def test_every_layout_decision_of_the_minutes_goes_through_layout_of(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    session = recorded_example()
    before = view.minutes_of(session)
    groups_before = sum(
        len(item.groups)
        for section in before.sections
        if isinstance(section.body, view.Notes)
        for item in section.body.items
    )
    # Every template a statement: the notes section empties into the common-purpose one.
    monkeypatch.setattr(view, "layout_of", lambda template: "statement")
    after = view.minutes_of(session)
    by_key = {section.key: section for section in after.sections}
    assert by_key["notes"].nothing == view.NO_NOTES
    statements = by_key["common-purpose"].body
    assert isinstance(statements, view.Notes)
    groups = [group for item in statements.items for group in item.groups]
    assert len(groups) == groups_before
    assert all(group.layout == "statement" and group.words for group in groups)
    md, page = markdown.render_minutes(after), html.render_minutes(after)
    assert len(re.findall(r"^\*\d+ (?:/ \d+ )?words", md, flags=re.MULTILINE)) == len(groups)
    assert page.count('<p class="words') == len(groups)
    assert 'class="map"' not in page


def test_the_quadrants_layout_is_a_map_in_html_and_labelled_blocks_in_markdown() -> None:
    minutes = view.minutes_of(recorded_example())
    notes = next(s.body for s in minutes.sections if s.key == "notes")
    assert isinstance(notes, view.Notes)
    quadrants = [g for item in notes.items for g in item.groups if g.layout == "quadrants"]
    assert quadrants and all(len(g.answers) >= 4 for g in quadrants)
    page = html.render_minutes(minutes)
    assert page.count('<div class="map">') == len(quadrants)
    md = markdown.render_minutes(minutes)
    for group in quadrants:
        for answer in group.answers:
            assert f"**{answer.question}**" in md
