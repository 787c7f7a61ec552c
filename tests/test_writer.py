"""SessionWriter: the newest version reaches the disk, whatever order the save threads run in.

No sleeps: threads are steered with events, and every wait has a timeout so a bug fails the
test instead of hanging it.
"""

from __future__ import annotations

import ast
import datetime as dt
import random
import threading
from pathlib import Path

import pytest

from sessiontui import store, writer
from sessiontui.model import Event, Session
from sessiontui.writer import SessionWriter, describe_error

WAIT = 10.0
START = dt.datetime(2023, 2, 16, 13, 0, tzinfo=dt.UTC)


def session(events: int) -> Session:
    """Version `events` of a session: its log has that many events."""
    log = [
        Event(at=START + dt.timedelta(seconds=second), kind="extend", minutes=1)
        for second in range(events)
    ]
    return Session(
        schema_version=1,
        title="Writer test",
        date=dt.date(2023, 2, 16),
        start=dt.time(13, 0),
        end=dt.time(14, 0),
        log=log,
    )


def events_on_disk(path: Path) -> int:
    return len(store.load(path).session.log)


@pytest.fixture
def path(tmp_path: Path) -> Path:
    target = tmp_path / "live.toml"
    store.save(target, session(0))
    return target


def test_submit_takes_a_copy_and_numbers_versions(path: Path) -> None:
    saver = SessionWriter(path)
    version = session(1)
    assert saver.submit(version) == 1
    version.log.append(Event(at=START, kind="pause"))  # changed after submitting
    assert saver.submit(session(2)) == 2
    assert saver.generation == 2 and saver.saved == 0 and saver.pending
    saver.write_pending()
    assert saver.saved == 2 and not saver.pending
    assert events_on_disk(path) == 2


def test_the_submitted_copy_is_written_not_later_changes(path: Path) -> None:
    saver = SessionWriter(path)
    version = session(1)
    saver.submit(version)
    version.log.append(Event(at=START, kind="pause"))
    saver.write_pending()
    assert events_on_disk(path) == 1


def test_nothing_pending_writes_nothing(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    monkeypatch.setattr(store, "save", lambda target, version: calls.append(1))
    saver = SessionWriter(path)
    saver.write_pending()
    saver.flush()
    assert calls == []


def test_a_slow_old_write_is_followed_by_the_newest_never_the_reverse(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_save = store.save
    written: list[int] = []
    first_started, release_first = threading.Event(), threading.Event()

    def save(target: str | Path, version: Session) -> None:
        if not written and not first_started.is_set():
            first_started.set()
            assert release_first.wait(WAIT)
        real_save(target, version)
        written.append(len(version.log))

    monkeypatch.setattr(store, "save", save)
    saver = SessionWriter(path)
    saver.submit(session(1))
    slow = threading.Thread(target=saver.write_pending)
    slow.start()
    assert first_started.wait(WAIT)  # worker A is inside save() with version 1
    saver.submit(session(2))
    saver.submit(session(3))
    fast = threading.Thread(target=saver.write_pending)
    fast.start()  # worker B queues behind A
    release_first.set()
    slow.join(WAIT)
    fast.join(WAIT)
    assert not slow.is_alive() and not fast.is_alive()
    # A wrote 1, then went on to the newest (3); B found nothing left; 2 was never written.
    assert written == [1, 3]
    assert events_on_disk(path) == 3
    assert saver.saved == 3 and not saver.pending


def test_many_racing_workers_only_ever_move_the_file_forward(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_save = store.save
    written: list[int] = []
    lock = threading.Lock()

    def save(target: str | Path, version: Session) -> None:
        real_save(target, version)
        with lock:
            written.append(len(version.log))

    monkeypatch.setattr(store, "save", save)
    saver = SessionWriter(path)
    rng = random.Random(7)
    go = threading.Barrier(9)

    def worker() -> None:
        go.wait(WAIT)
        saver.write_pending()

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for version in range(1, 21):
        saver.submit(session(version))
        if version == 1:
            go.wait(WAIT)
        if rng.random() < 0.3:
            extra = threading.Thread(target=saver.write_pending)
            threads.append(extra)
            extra.start()
    for thread in threads:
        thread.join(WAIT)
    saver.flush()
    assert written == sorted(written)
    assert len(set(written)) == len(written)
    assert written[-1] == 20
    assert events_on_disk(path) == 20


def test_a_failed_write_keeps_the_version_pending_and_the_file_untouched(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = path.read_bytes()
    real_save = store.save

    def full(target: str | Path, version: Session) -> None:
        raise OSError(28, f"{target}: cannot save: No space left on device")

    monkeypatch.setattr(store, "save", full)
    saver = SessionWriter(path)
    saver.submit(session(1))
    with pytest.raises(OSError, match="No space left"):
        saver.write_pending()
    assert saver.pending
    assert saver.last_error is not None and "No space left on device" in saver.last_error
    assert path.read_bytes() == before

    monkeypatch.setattr(store, "save", real_save)
    saver.write_pending()
    assert not saver.pending
    assert saver.last_error is None
    assert events_on_disk(path) == 1


def test_flush_writes_now_and_raises_when_it_cannot(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    saver = SessionWriter(path)
    saver.submit(session(2))
    saver.flush()
    assert events_on_disk(path) == 2

    def broken(target: str | Path, version: Session) -> None:
        raise store.SessionFileError(["first problem", "second problem"])

    monkeypatch.setattr(store, "save", broken)
    saver.submit(session(3))
    with pytest.raises(store.SessionFileError):
        saver.flush()
    assert saver.last_error == "first problem"
    assert events_on_disk(path) == 2


def test_the_store_lock_held_elsewhere_is_waited_for(path: Path) -> None:
    saver = SessionWriter(path)
    saver.submit(session(4))
    held, release = threading.Event(), threading.Event()

    def holder() -> None:
        with store.lock_for(path):
            held.set()
            assert release.wait(WAIT)

    other = threading.Thread(target=holder)
    other.start()
    assert held.wait(WAIT)
    done = threading.Event()

    def write() -> None:
        saver.write_pending()
        done.set()

    writing = threading.Thread(target=write)
    writing.start()
    assert events_on_disk(path) == 0  # cannot have written: the lock is held
    release.set()
    other.join(WAIT)
    writing.join(WAIT)
    assert done.is_set()
    assert events_on_disk(path) == 4


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (OSError(13, "x.toml: cannot save: Permission denied"), "x.toml: cannot save: Permission"),
        (OSError("plain message"), "plain message"),
        (store.SessionFileError(["one", "two"]), "one"),
        (RuntimeError("first line\nsecond"), "first line"),
        (RuntimeError(), "RuntimeError"),
    ],
)
def test_describe_error_is_one_line(error: BaseException, expected: str) -> None:
    assert describe_error(error).startswith(expected)
    assert "\n" not in describe_error(error)


def test_the_writer_imports_no_textual() -> None:
    tree = ast.parse(Path(writer.__file__).read_text(encoding="utf-8"))
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            names.append(node.module or "")
    assert not [name for name in names if name.startswith(("textual", "sessiontui.app"))]
