"""The published JSON Schema, checked by the tools editors and CI use: taplo and check-jsonschema.

taplo is the checker behind Even Better TOML; both tools turn TOML into JSON-like values
their own way (a local time is "13:00:00" to one and "13:00:00Z" to the other), so only
running the real binaries shows the schema accepts every valid session and still refuses
typos and wrong types. Both run offline: the schema is a local file.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from sessiontui import session_file
from sessiontui.core.model import Action, Event, Group, Note, Participant, Session, Upcoming
from test_store_properties import sessions
from workshops import REFERENCE_AGENDA, session_with

REPO = Path(__file__).resolve().parents[2]
SCHEMA = REPO / "sessions" / session_file.SCHEMA_FILENAME
EXAMPLE = REPO / "sessions" / "2023-02-16-building-common-purpose.toml"
TOOLS = Path(sys.executable).parent
EARLY_YEAR = re.compile(r"= 0(\d{3}-\d{2}-\d{2})")


def tool(name: str) -> Path:
    path = TOOLS / name
    assert path.exists(), (
        f"{path} missing: pip install -e '.[test]' installs taplo and check-jsonschema"
    )
    return path


def taplo(
    files: Sequence[Path], *, schema: Path | None = SCHEMA
) -> subprocess.CompletedProcess[str]:
    """taplo check with no config search and no catalogs; --schema wins over a #:schema line."""
    command = [str(tool("taplo")), "check", "--no-auto-config", "--colors", "never"]
    if schema is not None:
        command += ["--schema", schema.as_uri()]
    env = {key: value for key, value in os.environ.items() if not key.startswith("TAPLO")}
    return subprocess.run(
        [*command, *map(str, files)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
        env={**env, "RUST_LOG": "warn"},
    )


def check_jsonschema(files: Sequence[Path]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(tool("check-jsonschema")), "--schemafile", str(SCHEMA), *map(str, files)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def assert_both_accept(files: Sequence[Path]) -> None:
    assert files
    by_taplo = taplo(files)
    assert by_taplo.returncode == 0, by_taplo.stdout + by_taplo.stderr
    by_check_jsonschema = check_jsonschema(files)
    assert by_check_jsonschema.returncode == 0, by_check_jsonschema.stdout


def valid_fixtures() -> list[Path]:
    """Session files kept under tests/ that the app itself accepts (some are broken on purpose)."""
    found = []
    for path in sorted((REPO / "tests").rglob("*.toml")):
        try:
            session_file.open_session(path)
        except session_file.SessionFileError:
            continue
        found.append(path)
    return found


def written(folder: Path, session: Session, name: str) -> Path:
    path = folder / f"{name}.toml"
    path.write_text(session_file.dumps(session), encoding="utf-8")
    return path


def everything_set() -> Session:
    """A session with every table and optional field the app writes, as the app writes them."""
    at = dt.datetime(2023, 2, 16, 13, 0, 4, 250_000, tzinfo=dt.UTC)
    agenda = [
        *REFERENCE_AGENDA,
        {
            "id": "tea-late",
            "title": "Second tea",
            "kind": "break",
            "minutes": 5,
            "at": dt.time(15, 30, 0, 500_000),
            "prompts": ["Stretch"],
            "notes_template": "empathy-map",
            "group_size": 3,
            "turn_minutes": 4,
            "word_limit": 25,
            "warn_minutes": 1,
            "warn_fraction": 0.5,
            "facilitator_notes": "Multi-line\nnotes, with 'quotes' and \"more\".",
        },
    ]
    return session_with(
        agenda,
        log=[
            Event(at=at, kind="start"),
            Event(at=at, kind="extend", minutes=-3, item="welcome"),
            Event(at=at, kind="broadcast", text=""),
            Event(at=at, kind="replan", plan={"complexity": 40, "odd key": 5}),
            Event(at=at, kind="skip", item="reflection"),
            Event(at=at, kind="finish"),
        ],
        series="A series",
        venue="Online",
        facilitators=["Debbie"],
        # One bare name (the writer keeps it bare) and one full table.
        participants=[
            Participant(name="Ann"),
            Participant(name="Bo", org="Org", absent=True, avoid=["Ann"]),
        ],
        ways_of_working=[{"name": "Presence", "text": "Listening"}],
        upcoming=[Upcoming(date=dt.date(2023, 3, 16), title="Workshop 3")],
        groups=[Group(item="coffee-trial", name="Pair 1", members=["Ann", "Bo"], seed=7)],
        notes=[Note(item="common-purpose", group="Pair 1", edited=at, text="We agree")],
        actions=[Action(who="Ann", what="Call Bo", due=dt.date(2023, 3, 1), item="welcome")],
    )


def test_every_bundled_session_and_template_passes_both_tools() -> None:
    bundled = sorted((REPO / "sessions").glob("*.toml"))
    templates = sorted((REPO / "src" / "sessiontui" / "templates").glob("*.toml"))
    assert len(bundled) >= 2
    assert_both_accept([*bundled, *templates])


def test_sessions_the_app_writes_pass_both_tools(tmp_path: Path) -> None:
    fixtures = [
        *valid_fixtures(),
        written(tmp_path, everything_set(), "everything"),
        written(tmp_path, session_with(REFERENCE_AGENDA), "reference"),
    ]
    assert fixtures
    for path in fixtures:
        session_file.open_session(path)
    assert_both_accept(fixtures)


@pytest.mark.slow
def test_any_session_the_app_can_write_passes_both_tools(tmp_path: Path) -> None:
    # Generated sessions are collected first and checked in one run of each tool.
    files: list[Path] = []

    @settings(
        max_examples=60,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(sessions())
    def write(session: Session) -> None:
        path = written(tmp_path, session, f"generated-{len(files)}")
        # taplo 0.9.3 cannot read a date before the year 1000 (tamasfe/taplo#621, #820): its
        # lexer takes the leading 0 for a number. No workshop is dated then, so such years
        # move on by 2000, which keeps every date valid (29 February included).
        text = path.read_text(encoding="utf-8")
        path.write_text(EARLY_YEAR.sub(r"= 2\1", text), encoding="utf-8")
        session_file.open_session(path)
        files.append(path)

    write()
    assert len(files) >= 30
    assert_both_accept(files)


def test_the_schema_line_in_a_bundled_file_finds_the_schema_beside_it() -> None:
    # What Even Better TOML does with no settings: follow "#:schema ./session.schema.json".
    assert EXAMPLE.read_text(encoding="utf-8").startswith("#:schema ./session.schema.json\n")
    result = taplo(sorted((REPO / "sessions").glob("*.toml")), schema=None)
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_plain_name_participant_is_accepted_as_the_app_accepts_it(tmp_path: Path) -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    assert "participants = [\n" in text
    path = tmp_path / "names.toml"
    path.write_text(text.replace("participants = [\n", 'participants = [\n    "Ann",\n', 1))
    assert session_file.open_session(path).session.participants[0].name == "Ann"
    assert_both_accept([path])


BROKEN = [
    pytest.param("minutes = 10\n", "minutse = 10\n", "minutse", id="typo-in-key"),
    pytest.param("minutes = 10\n", 'minutes = "ten"\n', "ten", id="minutes-as-text"),
    pytest.param('kind = "plenary"\n', 'kind = "plenery"\n', "plenery", id="unknown-kind"),
    pytest.param(
        'title = "Welcome and introduction to the session"\n', "", "title", id="item-without-title"
    ),
    pytest.param(
        '{ name = "Amira Patel", org', '{ name = "Amira Patel", orgg', "", id="participant-typo"
    ),
    pytest.param(
        "start = 13:00:00\n", "start = 2023-02-16T13:00:00\n", "", id="date-time-for-time"
    ),
    pytest.param(
        "date = 2023-02-16\n", "date = 2023-02-16T09:00:00Z\n", "", id="date-time-for-date"
    ),
]


@pytest.mark.parametrize(("old", "new", "named"), BROKEN)
def test_both_tools_and_the_app_refuse_a_broken_copy(
    tmp_path: Path, old: str, new: str, named: str
) -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "broken.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(session_file.SessionFileError):
        session_file.open_session(path)
    by_taplo = taplo([path])
    assert by_taplo.returncode != 0
    assert named in by_taplo.stdout + by_taplo.stderr
    by_check_jsonschema = check_jsonschema([path])
    assert by_check_jsonschema.returncode == 1
    assert named in by_check_jsonschema.stdout


def test_check_names_the_line_and_the_fix_for_a_time_without_seconds(tmp_path: Path) -> None:
    path = tmp_path / "hand-written.toml"
    text = EXAMPLE.read_text(encoding="utf-8")
    path.write_text(text.replace("start = 13:00:00\n", "start = 10:00\n", 1), encoding="utf-8")
    line = text.splitlines().index("start = 13:00:00") + 1
    result = subprocess.run(
        [sys.executable, "-m", "sessiontui", "check", str(path)],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == 2
    output = (result.stdout + result.stderr).splitlines()
    assert output == [f"{path}:{line}:9: TOML times need seconds: write start = 10:00:00"]
