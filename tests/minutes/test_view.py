"""The view-model decides what the minutes say and in what order; both renderers only print it.

The section order, which sections are left out (every empty one, in every audience), and how
a notes template is laid out are asked of `view` alone: a view-model rearranged by hand comes
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


def test_both_renderers_print_the_sections_in_the_view_models_order() -> None:
    minutes = view.minutes_of(recorded_example())
    # Reversed: the renderers must follow the view-model, not an order of their own.
    rearranged = dataclasses.replace(minutes, sections=tuple(reversed(minutes.sections)))
    expected = [(s.key, s.heading) for s in rearranged.sections]
    assert [key for key, _ in expected][:2] == ["coming-up", "ways"]

    md = markdown.render_minutes(rearranged)
    assert re.findall(r"^## (.+)$", md, flags=re.MULTILINE) == [h for _, h in expected]
    page = html.render_minutes(rearranged)
    assert [(key, heading) for key, heading, _ in html_sections(page)] == expected


def test_the_default_order_is_the_one_both_formats_print(plan_only: Session) -> None:
    for session in (recorded_example(), plan_only):
        minutes = view.minutes_of(session)
        headings = [section.heading for section in minutes.sections]
        md_headings = re.findall(r"^## (.+)$", markdown.render(session), flags=re.MULTILINE)
        html_headings = [h for _, h, _ in html_sections(html.render(session))]
        assert md_headings == html_headings == headings
    assert [s.heading for s in view.minutes_of(recorded_example()).sections] == [
        view.WHO,
        view.AGENDA,
        view.HAPPENED,
        view.NOTES,
        view.PURPOSE,
        view.COMMITMENTS,
        view.WAYS,
        view.COMING_UP,
    ]


@pytest.mark.parametrize("audience", view.AUDIENCES)
def test_a_plan_has_no_empty_sections_in_either_format(
    plan_only: Session, audience: view.Audience
) -> None:
    keys = [s.key for s in view.minutes_of(plan_only, audience).sections]
    people = ["people"] if audience == "facilitators" else []
    assert keys == [*people, "agenda", "ways", "coming-up"]
    md, page = markdown.render(plan_only, audience), html.render(plan_only, audience)
    for heading in (view.HAPPENED, view.NOTES, view.PURPOSE, view.COMMITMENTS):
        assert heading not in md
        assert heading not in page


def assert_every_heading_has_something_under_it(md: str, page: str) -> None:
    """No `##` heading is followed by another `##` or the end; no empty HTML section."""
    assert not re.search(r"^## .+\n\n(?:## |\Z)", md, flags=re.MULTILINE)
    assert not md.rstrip().splitlines()[-1].startswith("#")
    assert not re.search(r"<h2>[^<]*</h2>\n</section>", page)


@pytest.mark.parametrize("audience", view.AUDIENCES)
def test_an_empty_session_is_its_header_and_nothing_else(
    plan_only: Session, audience: view.Audience
) -> None:
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
    assert view.minutes_of(empty, audience).sections == ()
    md, page = markdown.render(empty, audience), html.render(empty, audience)
    assert "## " not in md and "<section" not in page
    assert md.startswith(f"# {plan_only.title}")


@pytest.mark.parametrize("audience", view.AUDIENCES)
def test_no_heading_is_left_empty_in_any_audience(
    plan_only: Session, audience: view.Audience
) -> None:
    session = recorded_example()
    for variant in (
        session,
        plan_only,
        session.model_copy(update={"actions": [], "upcoming": []}),
        session.model_copy(update={"notes": [], "ways_of_working": []}),
    ):
        assert_every_heading_has_something_under_it(
            markdown.render(variant, audience), html.render(variant, audience)
        )


def test_only_absent_people_are_named_as_absent(plan_only: Session) -> None:
    people = [p.model_copy(update={"absent": True}) for p in plan_only.participants]
    minutes = view.minutes_of(plan_only.model_copy(update={"participants": people}))
    section = minutes.sections[0]
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
    assert "notes" not in by_key
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
