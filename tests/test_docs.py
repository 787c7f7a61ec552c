"""The documentation and the bundled schema must stay in step with the models."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import BaseModel

from sessiontui import session_file
from sessiontui.core import item_kinds, model, note_templates

REPO = Path(__file__).resolve().parent.parent
FORMAT_DOC = (REPO / "docs" / "session-format.md").read_text(encoding="utf-8")
TABLES: list[type[BaseModel]] = [
    model.Session,
    model.Participant,
    model.WayOfWorking,
    model.AgendaItem,
    model.Upcoming,
    model.Group,
    model.Note,
    model.Action,
    model.Event,
]


@pytest.mark.parametrize("table", TABLES, ids=lambda table: table.__name__)
def test_every_field_is_documented_in_the_model_and_the_format_page(
    table: type[BaseModel],
) -> None:
    for name, field in table.model_fields.items():
        assert field.description, f"{table.__name__}.{name} has no docstring"
        assert f"`{name}`" in FORMAT_DOC, f"docs/session-format.md does not mention `{name}`"


def test_the_format_page_says_where_kinds_and_templates_are_declared() -> None:
    # The templates are listed by the schema, not here: a new one is one registry entry,
    # its test and the regenerated schema, and this page stays true without an edit.
    for registry in (item_kinds, note_templates):
        path = Path(str(registry.__file__)).resolve().relative_to(REPO)
        assert f"`{path.as_posix()}`" in FORMAT_DOC
    for kind in item_kinds.names():
        assert f"`{kind}`" in FORMAT_DOC, f"docs/session-format.md does not mention `{kind}`"


def test_the_bundled_schema_file_matches_the_models() -> None:
    bundled = (REPO / "sessions" / session_file.SCHEMA_FILENAME).read_text(encoding="utf-8")
    assert bundled == session_file.schema_json(), (
        "run: sessiontui schema > sessions/session.schema.json"
    )


def test_the_readme_quick_start_has_exactly_two_commands() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    quick_start = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    block = quick_start.split("```sh", 1)[1].split("```", 1)[0]
    commands = [line.split("#")[0].strip() for line in block.strip().splitlines()]
    assert commands == ["make run", "make test"]
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert "\nmake test\n" in ci


def test_the_bundled_series_has_a_first_workshop_to_check_back_on() -> None:
    from sessiontui.core import review

    folder = REPO / "sessions"
    sessions = [
        (str(path), session_file.load(path).session) for path in sorted(folder.glob("*.toml"))
    ]
    assert len(sessions) == 2
    first, second = (session for _, session in sessions)
    assert first.series == second.series and first.date < second.date
    assert review.previous_in_series(sessions, second) == sessions[0]
    assert review.timing(first).state == "finished" and first.actions and first.notes
    assert review.timing(second).state == "planned"


def test_the_format_page_gives_the_models_date_range_and_the_check_usage() -> None:
    first, last = model.EARLIEST_DAY.isoformat(), model.LATEST_DAY.isoformat()
    assert f"lies between {first} and {last}" in FORMAT_DOC
    assert "`sessiontui check [FILE|DIR...]`" in FORMAT_DOC
