"""Reading and writing session files: one clear line per problem, and saves never half done."""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
import stat
import threading
import tomllib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest

from sessiontui import session_file
from sessiontui.core import model
from sessiontui.core.model import AgendaItem, Event, Note, Participant, Session
from sessiontui.store import atomic as store_atomic
from sessiontui.store import parse as store_parse
from sessiontui.store import toml_writer as store_toml_writer

T = TypeVar("T")

GOOD = """\
schema_version = 1
title = "Building common purpose"
date = 2023-02-16
start = 13:00:00
end = 16:00:00

[[agenda]]
id = "welcome"
title = "Welcome"
kind = "plenary"
minutes = 10

[[agenda]]
id = "pairs"
title = "Pairs"
kind = "pairing"
minutes = 20
"""


def write(folder: Path, name: str, text: str | bytes) -> Path:
    path = folder / name
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8", newline="")
    else:
        path.write_bytes(text)
    return path


def problems(path: Path) -> list[str]:
    with pytest.raises(session_file.SessionFileError) as caught:
        session_file.load(path)
    assert str(caught.value) == "\n".join(caught.value.problems)
    assert "Traceback" not in str(caught.value)
    assert all("\n" not in line for line in caught.value.problems)
    return caught.value.problems


def parse_problems(text: str, name: str = "sessions/x.toml") -> list[str]:
    with pytest.raises(session_file.SessionFileError) as caught:
        session_file.parse(text, name)
    return caught.value.problems


def finishes(call: Callable[[], T], unblock: Path | None = None) -> T:
    """Run call in a thread and fail (instead of hanging) if it blocks, e.g. on a FIFO."""
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["value"] = call()
        except BaseException as exc:
            outcome["error"] = exc

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(timeout=10)
    if thread.is_alive():
        if unblock is not None:
            # A reader stuck opening the FIFO is released once a writer opens it.
            os.close(os.open(unblock, os.O_WRONLY | os.O_NONBLOCK))
        pytest.fail("the call blocked")
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]  # type: ignore[no-any-return]


def sample(**changes: Any) -> Session:
    session = session_file.parse(GOOD)
    return session.model_copy(update=changes) if changes else session


def temporaries(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir() if path.name.endswith(".tmp"))


@pytest.fixture
def good(tmp_path: Path) -> Path:
    return write(tmp_path, "good.toml", GOOD)


# ---------------------------------------------------------------------------- loading


def test_a_good_file_loads(good: Path) -> None:
    loaded = session_file.load(good)
    assert loaded.path == good
    assert loaded.read_only is None
    assert loaded.migrated_from is None
    assert loaded.session.title == "Building common purpose"
    assert [item.id for item in loaded.session.agenda] == ["welcome", "pairs"]


def test_load_accepts_a_string_path(good: Path) -> None:
    assert session_file.load(str(good)).path == good


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("minutes = 20", "minutes = twenty", "17:11: Invalid value"),
        (
            'title = "Pairs"',
            'title = "Pairs',
            '15:15: text in quotes must end on its line: add the closing "',
        ),
        ('id = "pairs"', 'id = "pairs"\nid = "x"', "15:9: Cannot overwrite a value"),
        (
            "end = 16:00:00",
            "end = 16:00",
            "5:7: TOML times need seconds: write end = 16:00:00",
        ),
        (
            "minutes = 20\n",
            "minutes = 20\nprompts = [1,\n",
            "18:11: this list is never closed: add ] after its last value",
        ),
    ],
)
def test_toml_syntax_errors_give_file_line_column(
    tmp_path: Path, old: str, new: str, expected: str
) -> None:
    path = write(tmp_path, "x.toml", GOOD.replace(old, new))
    assert problems(path) == [f"{path}:{expected}"]


def test_toml_error_at_end_of_document_points_past_the_last_character() -> None:
    assert parse_problems('title = "x"\nagenda = [') == ["sessions/x.toml:2:11: Invalid value"]


def test_toml_error_attributes_are_used_when_present(monkeypatch: pytest.MonkeyPatch) -> None:
    # Python 3.14 gives lineno/colno/msg; the message then has the suffix as well.
    error = tomllib.TOMLDecodeError("Invalid value (at line 4, column 2)")
    error.lineno = 4  # type: ignore[attr-defined]
    error.colno = 2  # type: ignore[attr-defined]
    error.msg = "Invalid value"  # type: ignore[attr-defined]

    def broken(text: str) -> dict[str, Any]:
        raise error

    monkeypatch.setattr(store_parse.tomllib, "loads", broken)
    assert parse_problems("x") == ["sessions/x.toml:4:2: Invalid value"]


def test_crlf_files_report_the_same_columns(tmp_path: Path) -> None:
    text = GOOD.replace("minutes = 20", "minutes = twenty").replace("\n", "\r\n")
    path = write(tmp_path, "x.toml", text)
    assert problems(path) == [f"{path}:17:11: Invalid value"]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "minutes = 20",
            "minutes = 20.5",
            ["17: agenda[1].minutes: must be a whole number of minutes"],
        ),
        (
            "minutes = 20",
            "minuts = 20",
            [
                "13: agenda[1].minutes: required field is missing",
                "17: agenda[1]: unknown key 'minuts' (did you mean 'minutes'?)",
            ],
        ),
        (
            'kind = "pairing"',
            'kind = "pair"',
            [
                "16: agenda[1].kind: must be one of: plenary, presentation, pairing, breakout,"
                " break, reflection, close"
            ],
        ),
        (
            'id = "pairs"',
            'id = "Pairs!"',
            ["14: agenda[1].id: must be a slug: lowercase letters, digits and dashes"],
        ),
        (
            "start = 13:00:00",
            'start = "1pm"',
            ["4: start: must be a TOML local time such as 13:00:00"],
        ),
        (
            "date = 2023-02-16",
            'date = "16/02/2023"',
            ["3: date: must be a TOML local date such as 2023-02-16"],
        ),
        (
            'id = "pairs"',
            'id = "welcome"',
            ["14: agenda[1].id: 'welcome' is used by an earlier item"],
        ),
        ("end = 16:00:00", "end = 12:00:00", ["5: end: must be after start"]),
        ('title = "Pairs"', 'title = ""', ["15: agenda[1].title: must not be empty"]),
        ("minutes = 20", "minutes = 2000", ["17: agenda[1].minutes: must be at most 1440"]),
        (
            "minutes = 20",
            'minutes = "a lot"',
            ["17: agenda[1].minutes: must be a whole number of minutes"],
        ),
        (
            "end = 16:00:00",
            'end = 16:00:00\nvenu = "Hall"',
            ["6: unknown key 'venu' (did you mean 'venue'?)"],
        ),
        ("end = 16:00:00", 'end = 16:00:00\ncolour = "red"', ["6: unknown key 'colour'"]),
        (
            "end = 16:00:00",
            'end = 16:00:00\ntimezone = "Mars/Olympus"',
            ["6: timezone: unknown time zone 'Mars/Olympus'"],
        ),
        (
            "end = 16:00:00",
            'end = 16:00:00\nfacilitators = "Ann"',
            ["6: facilitators: must be a list in square brackets"],
        ),
        (
            "end = 16:00:00",
            "end = 16:00:00\nwarn_minutes = true",
            ["6: warn_minutes: must be a whole number of minutes"],
        ),
        (
            "minutes = 20",
            'minutes = "20"',
            ["17: agenda[1].minutes: must be a whole number of minutes"],
        ),
        (
            "date = 2023-02-16",
            'date = "2023-02-16"',
            ["3: date: must be a TOML local date such as 2023-02-16"],
        ),
        (
            "start = 13:00:00",
            "start = 1979-05-27T07:32:00Z",
            ["4: start: must be a TOML local time such as 13:00:00"],
        ),
        (
            "end = 16:00:00",
            'end = 16:00:00\nparticipants = [{ name = "A", absent = 1 }]',
            ["6: participants[0].absent: must be true or false"],
        ),
        (
            "end = 16:00:00",
            "end = 16:00:00\nparticipants = [3]",
            ["6: participants[0]: must be a name in quotes or a table with a name"],
        ),
        ("end = 16:00:00", "end = 16:00:00\nvenue = 3", ["6: venue: must be text in quotes"]),
        (
            "end = 16:00:00",
            'end = 16:00:00\nwarn_fraction = "20%"',
            ["6: warn_fraction: must be a number such as 0.2"],
        ),
        (
            "end = 16:00:00",
            "end = 16:00:00\nwarn_fraction = 20",
            ["6: warn_fraction: must be at most 1"],
        ),
        (
            "end = 16:00:00",
            "end = 16:00:00\nwarn_fraction = nan",
            ["6: warn_fraction: must be a finite number"],
        ),
        (
            "minutes = 20",
            "minutes = 20\nwarn_fraction = -0.1",
            ["18: agenda[1].warn_fraction: must be at least 0"],
        ),
    ],
)
def test_schema_errors_name_line_and_field(
    tmp_path: Path, old: str, new: str, expected: list[str]
) -> None:
    path = write(tmp_path, "x.toml", GOOD.replace(old, new, 1))
    assert problems(path) == [f"{path}:{line}" for line in expected]


def test_missing_top_level_fields_have_no_line(tmp_path: Path) -> None:
    text = GOOD.replace('title = "Building common purpose"\n', "")
    text = text.replace("schema_version = 1\n", "")
    path = write(tmp_path, "x.toml", text)
    assert problems(path) == [
        f"{path}: schema_version: required field is missing",
        f"{path}: title: required field is missing",
    ]


def test_schema_version_must_be_a_whole_number(tmp_path: Path) -> None:
    path = write(tmp_path, "x.toml", GOOD.replace("schema_version = 1", 'schema_version = "1"'))
    assert problems(path) == [f"{path}:1: schema_version: must be a whole number such as 1"]


def test_errors_inside_inline_tables_and_arrays_are_located() -> None:
    text = GOOD + (
        'participants = ["Ann", { name = "Bob", orgg = "X" }, 3]\n'
        "\n[[log]]\n"
        "at = 2023-02-16T13:00:00Z\n"
        'kind = "broadcast"\n'
    )
    # participants after [[agenda]] belongs to agenda[1]; move it to the top level instead.
    text = text.replace('participants = ["Ann", { name = "Bob", orgg = "X" }, 3]\n', "")
    text = text.replace(
        "end = 16:00:00\n",
        'end = 16:00:00\nparticipants = ["Ann", { name = "Bob", orgg = "X" },\n  3]\n',
    )
    assert parse_problems(text) == [
        "sessions/x.toml:6: participants[1]: unknown key 'orgg' (did you mean 'org'?)",
        "sessions/x.toml:7: participants[2]: must be a name in quotes or a table with a name",
        "sessions/x.toml:21: log[0]: a broadcast event needs `text` (empty to clear)",
    ]


def test_model_validator_paths_are_not_doubled() -> None:
    text = GOOD + '\n[[notes]]\nitem = "nope"\ntext = "x"\n'
    assert parse_problems(text) == [
        "sessions/x.toml:20: notes[0].item: no agenda item has id 'nope'"
    ]


def test_replan_minutes_name_the_quoted_key() -> None:
    text = GOOD + (
        '\n[[log]]\nat = 2023-02-16T13:00:00Z\nkind = "replan"\n'
        'plan = { welcome = 2.5, "odd key" = 0 }\n'
    )
    assert parse_problems(text) == [
        "sessions/x.toml:22: log[0].plan.welcome: must be a whole number of minutes",
        'sessions/x.toml:22: log[0].plan."odd key": must be at least 1',
    ]


def test_multi_line_strings_do_not_confuse_line_numbers() -> None:
    trap = "[[agenda]]\\nminutes = 1\n[[agenda]]\nminutes = 2\n# not a comment\n"
    text = GOOD.replace(
        'title = "Welcome"',
        f'title = "Welcome"\nfacilitator_notes = \'\'\'\n{trap}\'\'\'\nprompts = ["""\n{trap}"""]',
    )
    text = text.replace("minutes = 20", "minutes = 0")
    line = text.splitlines().index("minutes = 0") + 1
    assert parse_problems(text) == [
        f"sessions/x.toml:{line}: agenda[1].minutes: must be at least 1"
    ]


def test_array_of_inline_tables_points_at_the_element() -> None:
    text = (
        'schema_version = 1\ntitle = "T"\ndate = 2023-02-16\nstart = 13:00:00\nend = 16:00:00\n'
        "agenda = [\n"
        '  { id = "a", title = "A", kind = "plenary", minutes = 5 },\n'
        '  { id = "b", title = "B", kind = "plenary", minutes = 5.5 },\n'
        "]\n"
    )
    assert parse_problems(text) == [
        "sessions/x.toml:8: agenda[1].minutes: must be a whole number of minutes"
    ]


def test_many_problems_are_capped() -> None:
    rows = "".join(
        f'\n[[agenda]]\nid = "i{n}"\ntitle = "x"\nkind = "nope"\nminutes = 1\n' for n in range(150)
    )
    found = parse_problems(GOOD + rows)
    assert len(found) == 101
    assert found[-1] == "sessions/x.toml: … and 50 more problems"


@pytest.mark.parametrize("text", ["", "   \n\n\t\n", "# only a comment\n\n# and another\n"])
def test_empty_file(tmp_path: Path, text: str) -> None:
    path = write(tmp_path, "x.toml", text)
    assert problems(path) == [
        f"{path}: the file is empty; a session needs at least schema_version, title, date,"
        " start and end"
    ]


def test_invalid_utf8_gives_line_column_and_byte(tmp_path: Path) -> None:
    path = write(tmp_path, "x.toml", b'schema_version = 1\ntitle = "Caf\xff"\n')
    assert problems(path) == [f"{path}:2:13: not valid UTF-8 (byte 0xff)"]


def test_invalid_utf8_column_counts_characters_not_bytes(tmp_path: Path) -> None:
    path = write(tmp_path, "x.toml", 'title = "é🎉'.encode() + b'\xc3("\n')
    assert problems(path) == [f"{path}:1:12: not valid UTF-8 (byte 0xc3)"]


def test_byte_order_mark(tmp_path: Path) -> None:
    path = write(tmp_path, "x.toml", b"\xef\xbb\xbf" + GOOD.encode())
    assert problems(path) == [
        f"{path}: starts with a UTF-8 byte-order mark; save it as UTF-8 without BOM"
    ]
    assert parse_problems("\ufeff" + GOOD, "t") == [
        "t: starts with a UTF-8 byte-order mark; save it as UTF-8 without BOM"
    ]


def test_directory(tmp_path: Path) -> None:
    folder = tmp_path / "d.toml"
    folder.mkdir()
    assert problems(folder) == [f"{folder}: is a directory, not a session file"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "x.toml"
    os.mkfifo(fifo)
    found = finishes(lambda: problems(fifo), unblock=fifo)
    assert found == [f"{fifo}: is not a regular file"]


@pytest.mark.skipif(not hasattr(socket, "AF_UNIX"), reason="needs Unix sockets")
def test_socket_is_refused(tmp_path_factory: pytest.TempPathFactory) -> None:
    path = Path(os.path.relpath(tmp_path_factory.mktemp("sock") / "s.toml"))
    if len(os.fsencode(path)) > 100:
        pytest.skip("socket path too long")
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(os.fspath(path))
        assert finishes(lambda: problems(path)) == [f"{path}: is not a regular file"]
    finally:
        server.close()


def test_device_is_refused() -> None:
    if not os.path.exists("/dev/zero"):
        pytest.skip("no /dev/zero")
    assert finishes(lambda: problems(Path("/dev/zero"))) == ["/dev/zero: is not a regular file"]


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nope.toml"
    assert problems(path) == [f"{path}: no such file"]


def test_broken_symlink(tmp_path: Path) -> None:
    link = tmp_path / "b.toml"
    link.symlink_to(tmp_path / "gone.toml")
    assert problems(link) == [f"{link}: is a symbolic link to a file that does not exist"]


def test_permission_denied(good: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Simulated, because tests often run as root, who may read anything.
    real_open = os.open

    def refuse(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        if os.fspath(path) == os.fspath(good):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(store_atomic.os, "open", refuse)
    assert problems(good) == [f"{good}: permission denied; cannot read it"]


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root reads anything")
def test_permission_denied_for_real(good: Path) -> None:
    good.chmod(0)
    try:
        assert problems(good) == [f"{good}: permission denied; cannot read it"]
    finally:
        good.chmod(0o644)


def test_over_the_size_cap(good: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store_parse, "MAX_BYTES", 100)
    size = good.stat().st_size
    assert problems(good) == [
        f"{good}: is {size} bytes, larger than the 100 bytes limit for a session file"
    ]


def test_size_cap_message_in_megabytes(good: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert store_parse.MAX_BYTES == 16 * 1024 * 1024
    with good.open("ab") as f:
        f.truncate(17 * 1024 * 1024 + 300_000)
    assert problems(good) == [f"{good}: is 17.3 MB, larger than the 16 MB limit for a session file"]


def test_session_file_error_accepts_one_line() -> None:
    error = session_file.SessionFileError("x.toml: no such file")
    assert error.problems == ["x.toml: no such file"]
    assert str(error) == "x.toml: no such file"


# ---------------------------------------------------------------------------- versions

NEWER = (
    GOOD.replace("schema_version = 1", "schema_version = 3").replace(
        "end = 16:00:00", 'end = 16:00:00\nhologram = "on"'
    )
    + "colour = 'teal'\n"
)


def test_newer_file_loads_read_only_without_its_unknown_keys(tmp_path: Path) -> None:
    path = write(tmp_path, "new.toml", NEWER)
    loaded = session_file.load(path)
    assert loaded.read_only == (
        f"{path}: written by a newer sessiontui (schema_version 3; this one reads up to 1);"
        " opened read-only"
    )
    assert loaded.session.schema_version == 3
    assert loaded.session.agenda[1].minutes == 20
    assert loaded.migrated_from is None


def test_newer_file_still_reports_real_errors(tmp_path: Path) -> None:
    path = write(tmp_path, "new.toml", NEWER.replace("minutes = 20", "minutes = 0"))
    assert problems(path) == [f"{path}:18: agenda[1].minutes: must be at least 1"]


def test_save_refuses_to_overwrite_a_newer_file(tmp_path: Path) -> None:
    path = write(tmp_path, "new.toml", NEWER)
    loaded = session_file.load(path)
    with pytest.raises(session_file.SessionFileError) as caught:
        session_file.save(path, loaded.session)
    assert str(caught.value) == (
        f"{path}: written by a newer sessiontui (schema_version 3; this one reads up to 1);"
        " not saving it"
    )
    with pytest.raises(session_file.SessionFileError) as caught:
        session_file.save(path, sample())
    assert str(caught.value).endswith(
        "(schema_version 3; this one reads up to 1); not overwriting it"
    )
    assert path.read_text(encoding="utf-8") == NEWER
    assert temporaries(tmp_path) == []


def test_save_refuses_a_newer_file_it_cannot_even_parse(tmp_path: Path) -> None:
    path = write(tmp_path, "new.toml", NEWER + "broken = [\n")
    with pytest.raises(session_file.SessionFileError, match="not overwriting it"):
        session_file.save(path, sample())
    assert path.read_text(encoding="utf-8").endswith("broken = [\n")


def test_save_refuses_an_old_version_session_in_memory(tmp_path: Path) -> None:
    with pytest.raises(session_file.SessionFileError, match="schema_version: the session says 0"):
        session_file.save(tmp_path / "x.toml", sample(schema_version=0))


@pytest.fixture
def version_two(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Pretend this build writes version 2, where version 1's `room` became `venue`."""
    calls: list[int] = []

    def room_becomes_venue(data: dict[str, Any]) -> dict[str, Any]:
        calls.append(data["schema_version"])
        data = dict(data)
        if "room" in data:
            data["venue"] = data.pop("room")
        return data

    monkeypatch.setattr(model, "SCHEMA_VERSION", 2)
    monkeypatch.setattr(store_parse, "MIGRATIONS", {1: room_becomes_venue})
    return calls


OLD = GOOD.replace("end = 16:00:00", 'end = 16:00:00\nroom = "Hall 2"')


def test_older_file_is_migrated_in_memory(tmp_path: Path, version_two: list[int]) -> None:
    path = write(tmp_path, "old.toml", OLD)
    loaded = session_file.load(path)
    assert version_two == [1]
    assert loaded.migrated_from == 1
    assert loaded.read_only is None
    assert loaded.session.schema_version == 2
    assert loaded.session.venue == "Hall 2"
    assert path.read_text(encoding="utf-8") == OLD


def test_first_save_after_migration_keeps_a_backup_once(
    tmp_path: Path, version_two: list[int]
) -> None:
    path = write(tmp_path, "old.toml", OLD)
    backup = tmp_path / "old.toml.v1.bak"
    session = session_file.load(path).session
    session_file.save(path, session)
    assert backup.read_text(encoding="utf-8") == OLD
    assert tomllib.loads(path.read_text(encoding="utf-8"))["schema_version"] == 2
    assert tomllib.loads(path.read_text(encoding="utf-8"))["venue"] == "Hall 2"

    session.title = "Renamed"
    session_file.save(path, session)
    assert backup.read_text(encoding="utf-8") == OLD
    assert session_file.load(path).session.title == "Renamed"
    assert session_file.load(path).migrated_from is None
    assert temporaries(tmp_path) == []


def test_an_existing_backup_is_never_overwritten(tmp_path: Path, version_two: list[int]) -> None:
    path = write(tmp_path, "old.toml", OLD)
    backup = write(tmp_path, "old.toml.v1.bak", "an older backup")
    session_file.save(path, session_file.load(path).session)
    assert backup.read_text(encoding="utf-8") == "an older backup"


def test_backup_is_made_even_when_the_file_was_not_loaded_here(
    tmp_path: Path, version_two: list[int]
) -> None:
    path = write(tmp_path, "old.toml", OLD)
    session_file.save(path, sample(schema_version=2))
    assert (tmp_path / "old.toml.v1.bak").read_text(encoding="utf-8") == OLD


def test_migrations_chain_in_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    steps: list[str] = []

    def step(label: str) -> Callable[[dict[str, Any]], dict[str, Any]]:
        def run(data: dict[str, Any]) -> dict[str, Any]:
            steps.append(f"{label}:{data['schema_version']}")
            return data

        return run

    monkeypatch.setattr(model, "SCHEMA_VERSION", 3)
    monkeypatch.setattr(store_parse, "MIGRATIONS", {1: step("a"), 2: step("b")})
    loaded = session_file.load(write(tmp_path, "x.toml", GOOD))
    assert steps == ["a:1", "b:2"]
    assert loaded.migrated_from == 1
    assert loaded.session.schema_version == 3


def test_missing_migration_step(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(model, "SCHEMA_VERSION", 3)
    monkeypatch.setattr(store_parse, "MIGRATIONS", {1: lambda data: data})
    path = write(tmp_path, "x.toml", GOOD)
    assert problems(path) == [
        f"{path}: schema_version: this sessiontui cannot upgrade a file from version 2"
    ]


def test_failing_migration_is_one_line(tmp_path: Path, version_two: list[int]) -> None:
    def explode(data: dict[str, Any]) -> dict[str, Any]:
        raise KeyError("agenda")

    store_parse.MIGRATIONS[1] = explode
    path = write(tmp_path, "x.toml", GOOD)
    assert problems(path) == [f"{path}: could not upgrade it from schema_version 1 to 2: 'agenda'"]


def test_migrated_file_errors_have_no_misleading_line(
    tmp_path: Path, version_two: list[int]
) -> None:
    path = write(tmp_path, "x.toml", OLD.replace("minutes = 20", "minutes = 0"))
    assert problems(path) == [f"{path}: agenda[1].minutes: must be at least 1"]


def test_version_zero_is_not_a_version(tmp_path: Path) -> None:
    path = write(tmp_path, "x.toml", GOOD.replace("schema_version = 1", "schema_version = 0"))
    assert problems(path) == [f"{path}: schema_version: must be 1 or more"]


# ---------------------------------------------------------------------------- saving


def test_saved_file_starts_with_the_header_and_reads_back(tmp_path: Path) -> None:
    path = tmp_path / "x.toml"
    session = sample()
    session_file.save(path, session)
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    assert lines[0] == "#:schema ./session.schema.json"
    assert lines[1].startswith("# Written by sessiontui.")
    assert "facilitator_notes" in lines[1]
    assert "schema_version = 1" in lines
    assert text.endswith("\n")
    assert session_file.load(path).session == session


def test_dumps_matches_what_save_writes(tmp_path: Path) -> None:
    path = tmp_path / "x.toml"
    session = sample()
    session_file.save(path, session)
    assert path.read_text(encoding="utf-8") == session_file.dumps(session)
    assert session_file.dumps(session).startswith(session_file.HEADER)


def test_defaults_are_left_out_but_schema_version_kept() -> None:
    text = session_file.dumps(sample())
    data = tomllib.loads(text)
    assert data["schema_version"] == 1
    assert "warn_minutes" not in data
    assert "warn_fraction" not in data
    assert "venue" not in data
    assert "facilitator_notes" not in data["agenda"][0]
    assert "at" not in data["agenda"][0]


def test_schema_file_is_written_beside_once(tmp_path: Path) -> None:
    session_file.save(tmp_path / "x.toml", sample())
    schema = tmp_path / session_file.SCHEMA_FILENAME
    assert schema.read_text(encoding="utf-8") == session_file.schema_json()
    schema.write_text("{}\n", encoding="utf-8")
    session_file.save(tmp_path / "y.toml", sample())
    assert schema.read_text(encoding="utf-8") == "{}\n"


def test_schema_json_is_the_model_schema() -> None:
    # Adjusted for TOML checkers (times, bare names); tests/process/test_schema_tools.py
    # runs taplo and check-jsonschema on it.
    text = session_file.schema_json()
    assert text.endswith("}\n")
    schema, models = json.loads(text), Session.model_json_schema()
    assert schema["properties"].keys() == models["properties"].keys()
    assert schema["$defs"].keys() == models["$defs"].keys()


def test_invalid_session_is_not_written(good: Path) -> None:
    before = good.read_bytes()
    session = session_file.load(good).session
    # In-place list changes bypass validate_assignment; save must still catch them.
    session.agenda.append(session.agenda[0])
    with pytest.raises(session_file.SessionFileError) as caught:
        session_file.save(good, session)
    assert caught.value.problems == [f"{good}: agenda[2].id: 'welcome' is used by an earlier item"]
    assert good.read_bytes() == before
    assert temporaries(good.parent) == []


def test_text_that_is_not_unicode_is_not_written(tmp_path: Path) -> None:
    with pytest.raises(session_file.SessionFileError) as caught:
        session_file.save(tmp_path / "x.toml", sample(title="half an emoji \ud83c"))
    assert str(caught.value) == (
        f"{tmp_path / 'x.toml'}: title: contains a lone surrogate, which cannot be saved as UTF-8"
    )
    assert not (tmp_path / "x.toml").exists()
    assert temporaries(tmp_path) == []


def test_dumps_of_an_invalid_session_names_it() -> None:
    session = sample()
    session.agenda.append(session.agenda[0])
    with pytest.raises(
        session_file.SessionFileError, match=r"^<session>: agenda\[2\]\.id: 'welcome'"
    ):
        session_file.dumps(session)


def test_serialisation_failure_leaves_the_file(good: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = good.read_bytes()

    def broken(*args: Any, **kwargs: Any) -> str:
        raise TypeError("Object of type 'X' is not TOML serializable")

    monkeypatch.setattr(store_toml_writer.tomli_w, "dumps", broken)
    with pytest.raises(session_file.SessionFileError) as caught:
        session_file.save(good, sample())
    assert str(caught.value) == (
        f"{good}: cannot be written as TOML: Object of type 'X' is not TOML serializable"
    )
    assert good.read_bytes() == before
    assert temporaries(good.parent) == []


def test_failing_replace_leaves_the_file_and_no_temporary(
    good: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = good.read_bytes()

    def no_space(src: Any, dst: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(store_atomic.os, "replace", no_space)
    with pytest.raises(OSError) as caught:
        session_file.save(good, sample(title="Changed"))
    assert str(caught.value) == f"[Errno 28] {good}: cannot save: No space left on device"
    assert good.read_bytes() == before
    assert temporaries(good.parent) == []


def test_failing_write_leaves_the_file_and_no_temporary(
    good: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = good.read_bytes()

    def broken_disk(fd: int) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(store_atomic.os, "fsync", broken_disk)
    with pytest.raises(OSError, match="cannot save: Input/output error"):
        session_file.save(good, sample(title="Changed"))
    assert good.read_bytes() == before
    assert temporaries(good.parent) == []


def test_os_errors_keep_their_type(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any, **kwargs: Any) -> tuple[int, str]:
        raise PermissionError(13, "Permission denied", "/somewhere/.x.toml.123.tmp")

    monkeypatch.setattr(store_atomic.tempfile, "mkstemp", refuse)
    path = tmp_path / "x.toml"
    with pytest.raises(PermissionError) as caught:
        session_file.save(path, sample())
    assert str(caught.value) == f"[Errno 13] {path}: cannot save: Permission denied"


def test_save_into_a_directory_path_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "d.toml"
    folder.mkdir()
    with pytest.raises(session_file.SessionFileError, match=r"is a directory, not a session file$"):
        session_file.save(folder, sample())


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_save_over_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "x.toml"
    os.mkfifo(fifo)

    def attempt() -> str:
        with pytest.raises(session_file.SessionFileError) as caught:
            session_file.save(fifo, sample())
        return str(caught.value)

    assert finishes(attempt, unblock=fifo) == f"{fifo}: is not a regular file; not overwriting it"
    assert stat.S_ISFIFO(fifo.stat().st_mode)


def test_permission_bits_are_kept(good: Path) -> None:
    good.chmod(0o640)
    session_file.save(good, sample(title="Changed"))
    assert stat.S_IMODE(good.stat().st_mode) == 0o640
    good.chmod(0o604)
    session_file.save(good, sample(title="Again"))
    assert stat.S_IMODE(good.stat().st_mode) == 0o604


def test_new_files_follow_the_umask(tmp_path: Path) -> None:
    old = os.umask(0o027)
    try:
        session_file.save(tmp_path / "x.toml", sample())
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "x.toml").stat().st_mode) == 0o640


def test_lock_file_sits_beside_the_data_file(tmp_path: Path) -> None:
    path = tmp_path / "x.toml"
    lock = session_file.lock_for(path)
    assert lock.lock_file == os.path.join(os.path.realpath(tmp_path), ".x.toml.lock")
    assert lock.timeout == 10
    session_file.save(path, sample())
    assert (tmp_path / ".x.toml.lock").exists()
    assert session_file.lock_for(str(path)) is lock


def test_save_waits_for_the_lock_and_gives_up_clearly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path, "x.toml", GOOD)
    before = path.read_bytes()
    held, done = threading.Event(), threading.Event()

    def holder() -> None:
        with session_file.lock_for(path):
            held.set()
            done.wait(30)

    thread = threading.Thread(target=holder, daemon=True)
    thread.start()
    try:
        assert held.wait(10)
        monkeypatch.setattr(store_atomic, "LOCK_TIMEOUT", 0.05)
        with pytest.raises(TimeoutError) as caught:
            session_file.save(path, sample(title="Changed"))
    finally:
        done.set()
        thread.join(10)
    assert str(caught.value).startswith(f"{path}: another program kept the lock ")
    assert path.read_bytes() == before
    session_file.save(path, sample(title="Changed"))
    assert session_file.load(path).session.title == "Changed"


def test_save_works_while_the_caller_holds_the_lock(tmp_path: Path) -> None:
    path = tmp_path / "x.toml"
    with session_file.lock_for(path):
        session_file.save(path, sample())
    assert session_file.load(path).session == sample()


def test_stale_temporaries_of_a_killed_saver_are_removed(tmp_path: Path) -> None:
    write(tmp_path, ".x.toml.abc_1234.tmp", "half a file")
    write(tmp_path, ".x.toml.v1.bak.abc_1234.tmp", "half a backup")
    write(tmp_path, ".other.toml.abc_1234.tmp", "another file's")
    write(tmp_path, ".x.toml.y.toml.abc_1234.tmp", "x.toml.y.toml's")
    session_file.save(tmp_path / "x.toml", sample())
    assert temporaries(tmp_path) == [".other.toml.abc_1234.tmp", ".x.toml.y.toml.abc_1234.tmp"]


def test_save_through_a_symlink_writes_the_target(tmp_path: Path) -> None:
    real = write(tmp_path, "real.toml", GOOD)
    link = tmp_path / "link.toml"
    link.symlink_to(real)
    session_file.save(link, sample(title="Through the link"))
    assert link.is_symlink()
    assert session_file.load(real).session.title == "Through the link"


def test_save_creates_a_missing_folder_for_its_lock(tmp_path: Path) -> None:
    path = tmp_path / "new" / "x.toml"
    session_file.save(path, sample())
    assert session_file.load(path).session == sample()


# ---------------------------------------------------------------------------- serialisation


def rich_session() -> Session:
    at = dt.datetime(2023, 2, 16, 13, 5, 7, 250_000, tzinfo=dt.UTC)
    return sample(
        participants=[
            Participant(name="Ann"),
            Participant(name="Bob", org="Acme"),
            Participant(name="Cy", absent=True, avoid=["Ann"]),
        ],
        notes=[
            Note(item="pairs", group="Group 1", text="line one\r\nline two\rthree\n", see="x"),
            Note(item="welcome", text="a" * 200),
        ],
        log=[
            Event(at=at, kind="start"),
            Event(at=at, kind="broadcast", text=""),
            Event(at=at, kind="replan", plan={"pairs": 25, "not a slug!": 3}),
            Event(at=at, kind="extend", minutes=-2),
        ],
    )


@pytest.mark.parametrize(
    "text",
    [
        "plain",
        "multi\nline\n",
        "\nstarts with a newline",
        "windows\r\nline\r\nends",
        "lone\rcarriage",
        "ends with a quote'",
        "ends with two quotes''",
        "has ''' three",
        'has """ three doubles',
        'ends with a double"',
        "back\\slash \\n not an escape",
        "tab\there",
        "bell\x07 nul\x00 esc\x1b del\x7f",
        "unicode é ü ß ✓ 🎉 \u2028 \u0085 \ufeff",
        "x" * 81,
        "long line " * 20 + "'",
        "'''" + "x" * 100,
        "#:schema not a comment\n[[agenda]]\nid = 'fake'\n",
        "__sessiontui_0123456789abcdef_0__",
        "",
    ],
)
def test_hostile_text_round_trips(text: str) -> None:
    item = AgendaItem(
        id="welcome",
        title="Welcome",
        kind="plenary",
        minutes=10,
        facilitator_notes=text,
        prompts=[text, "ok"],
    )
    session = sample(title=text[:200] or "x", agenda=[item], venue=text, facilitators=[text])
    assert session_file.parse(session_file.dumps(session)) == session


def test_long_and_multi_line_text_is_written_as_literal_blocks() -> None:
    session = rich_session()
    text = session_file.dumps(session)
    assert "text = '''\n" + "a" * 200 + "'''\n" in text
    # CR cannot go in a literal block; it stays an escaped basic string, losing nothing.
    assert 'text = "line one\\r\\nline two\\rthree\\n"' in text
    assert session_file.parse(text) == session


def test_literal_blocks_keep_tables_out_of_inline_form() -> None:
    session = sample(notes=[Note(item="pairs", text="short\nnote")])
    text = session_file.dumps(session)
    assert "[[notes]]\nitem = \"pairs\"\ntext = '''\nshort\nnote'''\n" in text


def test_times_are_written_in_utc_with_z() -> None:
    text = session_file.dumps(rich_session())
    assert "at = 2023-02-16T13:05:07.250000Z" in text
    assert "+00:00" not in text


def test_participants_with_only_a_name_are_bare_strings() -> None:
    session = rich_session()
    text = session_file.dumps(session)
    data = tomllib.loads(text)
    assert data["participants"] == [
        "Ann",
        {"name": "Bob", "org": "Acme"},
        {"name": "Cy", "absent": True, "avoid": ["Ann"]},
    ]
    assert session_file.parse(text) == session


def test_replan_keys_that_are_not_bare_are_quoted() -> None:
    text = session_file.dumps(rich_session())
    assert '"not a slug!" = 3' in text


def test_dumps_is_stable() -> None:
    text = session_file.dumps(rich_session())
    assert session_file.dumps(session_file.parse(text)) == text


def test_save_load_round_trip_on_disk(tmp_path: Path) -> None:
    path = tmp_path / "x.toml"
    session = rich_session()
    session_file.save(path, session)
    assert session_file.load(path).session == session


# ---------------------------------------------------------------------------- scanning


def dated(day: str, title: str) -> str:
    return GOOD.replace("2023-02-16", day).replace("Building common purpose", title)


@pytest.fixture
def folder(tmp_path: Path) -> Iterator[Path]:
    base = tmp_path / "sessions"
    base.mkdir()
    write(base, "a-old.toml", dated("2022-05-01", "Old"))
    write(base, "b-new.toml", dated("2024-01-10", "New"))
    write(base, "c-same-day-late.toml", dated("2023-03-03", "Late").replace("13:00:00", "14:00:00"))
    write(base, "d-same-day-early.toml", dated("2023-03-03", "Early"))
    write(base, "broken.toml", GOOD.replace("minutes = 20", "minutes = twenty"))
    write(base, "also-broken.toml", "")
    write(base, "notes.txt", "not a session")
    write(base, ".hidden.toml", GOOD)
    write(base, ".x.toml.123.tmp", GOOD)
    (base / "d.toml").mkdir()
    (base / "b.toml").symlink_to(base / "missing.toml")
    (base / "linked.toml").symlink_to(base / "a-old.toml")
    if hasattr(os, "mkfifo"):
        os.mkfifo(base / "x.toml")
    yield base


def test_scan_lists_sessions_newest_first_and_broken_files_last(folder: Path) -> None:
    listings = finishes(lambda: session_file.scan(folder), unblock=folder / "x.toml")
    summary = [
        (item.path.name, item.session.title if item.session else None, item.error)
        for item in listings
    ]
    assert summary == [
        ("b-new.toml", "New", None),
        ("c-same-day-late.toml", "Late", None),
        ("d-same-day-early.toml", "Early", None),
        ("a-old.toml", "Old", None),
        ("linked.toml", "Old", None),
        (
            "also-broken.toml",
            None,
            f"{folder / 'also-broken.toml'}: the file is empty; a session needs at least"
            " schema_version, title, date, start and end",
        ),
        ("broken.toml", None, f"{folder / 'broken.toml'}:17:11: Invalid value"),
    ]
    assert all(item.path.parent == folder for item in listings)


def test_scan_of_a_missing_folder_is_empty(tmp_path: Path) -> None:
    assert session_file.scan(tmp_path / "nope") == []


def test_scan_lists_newer_files(tmp_path: Path) -> None:
    write(tmp_path, "new.toml", NEWER)
    [listing] = session_file.scan(tmp_path)
    assert listing.session is not None
    assert listing.session.schema_version == 3
    assert listing.error is None


def test_a_mistyped_notes_key_is_told_the_templates_question_it_is_close_to() -> None:
    # A note's text keys come from the notes-template registry, not from Note's own fields.
    text = GOOD + '\n[[notes]]\nitem = "pairs"\ngroup = "Group 1"\nsea = "posters"\n'
    problems = parse_problems(text)
    assert problems == [
        "sessions/x.toml:22: notes[0]: unknown key 'sea' (did you mean 'see'?)",
    ]
