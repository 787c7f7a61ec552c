"""The built-in templates (package data) and the user's own (their data folder)."""

from __future__ import annotations

from pathlib import Path

import pytest

from sessiontui import session_file
from sessiontui.core import library, schedule
from sessiontui.store import templates

PACKAGE_TEMPLATES = Path(templates.__file__).resolve().parents[1] / "templates"


def test_every_template_file_is_described_and_every_description_has_a_file() -> None:
    files = {path.stem for path in PACKAGE_TEMPLATES.glob("*.toml")}
    assert files == set(templates.BUILT_IN)


@pytest.mark.parametrize("name", list(templates.BUILT_IN))
def test_each_built_in_template_is_a_clean_plan(name: str) -> None:
    session = templates.load(name)
    assert session.agenda
    # A plan to start from: nothing recorded, nobody's name, no plan warnings.
    assert (session.log, session.notes, session.actions, session.groups) == ([], [], [], [])
    assert session.participants == []
    assert session.facilitators == []
    assert schedule.plan_issues(session) == []
    # Loads as a file too, the way `sessiontui check` reads it.
    assert session_file.load(PACKAGE_TEMPLATES / f"{name}.toml").session == session


def test_the_liberating_structures_timings_are_the_real_ones() -> None:
    agenda = {item.id: item for item in templates.load("liberating-structures").agenda}
    assert [agenda[key].minutes for key in ("one", "two", "four", "all")] == [1, 2, 4, 5]
    assert [agenda[key].group_size for key in ("two", "four")] == [2, 4]
    troika = agenda["troika"]
    assert (troika.group_size, troika.turn_minutes, troika.minutes) == (3, 10, 30)


def test_the_listing_gives_title_length_and_source() -> None:
    listing = {info.name: info for info in templates.listing()}
    retro = listing["retro"]
    assert (retro.title, retro.minutes, retro.source) == ("Team retrospective", 90, "built-in")
    assert retro.items == 5
    assert retro.description.startswith("A 90-minute team retrospective")


def test_an_unknown_name_lists_the_known_ones() -> None:
    with pytest.raises(templates.UnknownTemplateError, match="known: blank, retro, "):
        templates.load("retroo")
    with pytest.raises(templates.UnknownTemplateError):
        templates.load("../blank")


def test_a_saved_template_is_listed_after_the_built_in_ones_and_never_overwritten(
    isolated_user_dirs: Path,
) -> None:
    plan = library.plan_only(templates.load("retro"))
    plan.title = "Our retro"
    path = templates.save_user_template("our-retro", plan)
    assert path.parent == templates.user_folder()
    assert str(path).startswith(str(isolated_user_dirs))
    assert templates.names()[-1] == "our-retro"
    assert templates.load("our-retro").title == "Our retro"
    info = templates.info("our-retro")
    assert (info.source, info.title) == ("user", "Our retro")

    plan.title = "Changed"
    with pytest.raises(session_file.SessionFileError, match="already exists"):
        templates.save_user_template("our-retro", plan)
    assert templates.load("our-retro").title == "Our retro"
    templates.save_user_template("our-retro", plan, replace=True)
    assert templates.load("our-retro").title == "Changed"


@pytest.mark.parametrize("name", ["retro", "Our Retro", "../x", ""])
def test_a_template_name_must_be_a_new_slug(name: str) -> None:
    with pytest.raises(ValueError, match="template name"):
        templates.save_user_template(name, templates.load("blank"))


def test_a_broken_user_template_is_listed_with_its_problem() -> None:
    folder = templates.user_folder()
    folder.mkdir(parents=True)
    (folder / "broken.toml").write_text("title = \n", encoding="utf-8")
    info = templates.info("broken")
    assert info.problem is not None
    assert info.problem.startswith(str(folder / "broken.toml") + ":1:")
