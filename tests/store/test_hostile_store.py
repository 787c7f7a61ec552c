"""The store under hostile files, and the files it writes: every list of tables as [[tables]]."""

from __future__ import annotations

import datetime as dt
import shutil
import stat
from pathlib import Path

import pytest

from sessiontui import session_file
from sessiontui.core.model import Action, Event, Group, Note, Participant, Session, Upcoming
from sessiontui.session_file.writer import SessionWriter, SyncedSession
from sessiontui.store import atomic, index
from sessiontui.store.errors import SessionFileError

HOSTILE = Path(__file__).parent.parent / "data" / "hostile"


def test_a_file_with_an_overflowing_date_is_one_broken_row(
    tmp_path: Path, example_path: Path
) -> None:
    shutil.copy(example_path, tmp_path / "good.toml")
    shutil.copy(HOSTILE / "event-at-overflows-utc.toml", tmp_path / "overflow.toml")
    shutil.copy(HOSTILE / "session-on-last-day-pago-pago.toml", tmp_path / "pago.toml")

    scan = index.summaries(tmp_path)
    rows = {row.path.name: row for row in index.summarise_files(scan.pending)}

    assert rows["good.toml"].error is None
    assert rows["good.toml"].title
    assert "log[0].at: 9999-12-31T23:00:00-05:00 is out of range" in str(
        rows["overflow.toml"].error
    )
    assert "date: 9999-12-31 is out of range" in str(rows["pago.toml"].error)


def read_only_copy(example_path: Path, folder: Path) -> Path:
    path = folder / "locked.toml"
    shutil.copy(example_path, path)
    path.chmod(0o444)
    return path


def test_a_read_only_file_is_never_replaced_by_a_save(tmp_path: Path, example_path: Path) -> None:
    path = read_only_copy(example_path, tmp_path)
    before = path.read_bytes()
    session = session_file.open_session(path).session
    changed = session.model_copy(update={"title": "Changed"})

    with pytest.raises(SessionFileError) as raised:
        atomic.save(path, changed)

    assert str(raised.value) == (
        f"{path}: the file is read-only (no write permission); not saving it"
    )
    assert path.read_bytes() == before
    assert stat.S_IMODE(path.stat().st_mode) == 0o444


def test_update_refuses_a_read_only_file_before_running_the_change(
    tmp_path: Path, example_path: Path
) -> None:
    path = read_only_copy(example_path, tmp_path)
    before = path.read_bytes()
    ran: list[Session] = []

    def change(session: Session) -> Session:
        ran.append(session)
        return session.model_copy(update={"title": "Changed"})

    with pytest.raises(session_file.ReadOnlyFileError, match="is read-only"):
        session_file.update(path, change)

    assert ran == []
    assert path.read_bytes() == before


def test_a_live_writer_keeps_its_version_and_says_why(tmp_path: Path, example_path: Path) -> None:
    path = read_only_copy(example_path, tmp_path)
    before = path.read_bytes()
    writer = SessionWriter(path)
    sync = SyncedSession(writer.adopt(session_file.open_session(path).session))
    sync.change(sync.session.model_copy(update={"title": "Changed"}))
    sync.submit(writer)

    with pytest.raises(session_file.ReadOnlyFileError):
        writer.write_pending()

    assert writer.pending
    assert writer.last_error == (
        f"{path}: the file is read-only (no write permission); not saving it"
    )
    assert path.read_bytes() == before


def test_a_writable_file_still_saves(workshop_copy: Path) -> None:
    path = workshop_copy
    session_file.update(path, lambda session: session.model_copy(update={"title": "Changed"}))
    assert session_file.open_session(path).session.title == "Changed"


def test_every_list_of_tables_is_written_as_table_headers(example_path: Path) -> None:
    session = session_file.open_session(example_path).session
    at = dt.datetime(2023, 2, 16, 13, tzinfo=dt.UTC)
    short = session.model_copy(
        update={
            "participants": [Participant(name="Ann", org="A"), Participant(name="Bo", absent=True)],
            "upcoming": [Upcoming(date=dt.date(2023, 3, 1), title="Next")],
            "groups": [Group(item="empathy-breakout", name="G", members=["Ann"])],
            "notes": [Note(item="welcome")],
            "actions": [Action(who="Ann", what="do")],
            "log": [
                Event(at=at, kind="start"),
                Event(at=at, kind="extend", minutes=5),
                Event(at=at, kind="replan", plan={"welcome": 5}),
            ],
        }
    )

    text = session_file.dumps(short)

    for table in ("participants", "upcoming", "groups", "notes", "actions", "log"):
        assert f"\n{table} = [" not in text
    assert text.count("\n[[log]]\n") == 3
    assert '\n[[log]]\nat = 2023-02-16T13:00:00Z\nkind = "start"\n' in text
    assert text.count("\n[[participants]]\n") == 2
    assert "sessiontui_" not in text
    assert session_file.parse(text) == short
    assert session_file.dumps(session_file.parse(text)) == text


def test_minutes_are_never_written_over_a_read_only_file(tmp_path: Path) -> None:
    path = tmp_path / "minutes.md"
    path.write_text("kept\n", encoding="utf-8")
    path.chmod(0o444)

    with pytest.raises(OSError) as raised:
        atomic.write_text(path, "# new minutes\n")

    assert raised.value.strerror == (
        f"{path}: the file is read-only (no write permission); not writing it"
    )
    assert path.read_text(encoding="utf-8") == "kept\n"
