"""SessionWriter: the newest version reaches the disk, whatever order the save threads run in.

No sleeps: threads are steered with events, and every wait has a timeout so a bug fails the
test instead of hanging it.
"""

from __future__ import annotations

import ast
import datetime as dt
import os
import random
import tempfile
import threading
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from sessiontui import session_file
from sessiontui.core.merge import START_MARKER
from sessiontui.core.model import AgendaItem, Event, Note, Session
from sessiontui.session_file import writer
from sessiontui.session_file.writer import (
    SessionWriter,
    SyncedSession,
    describe_error,
    file_identity,
)
from sessiontui.store import atomic as store_atomic
from sessiontui.store import parse as store_parse

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
    return len(session_file.load(path).session.log)


@pytest.fixture
def path(tmp_path: Path) -> Path:
    target = tmp_path / "live.toml"
    session_file.save(target, session(0))
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
    monkeypatch.setattr(store_atomic, "save", lambda target, version: calls.append(1))
    saver = SessionWriter(path)
    saver.write_pending()
    saver.flush()
    assert calls == []


def test_a_slow_old_write_is_followed_by_the_newest_never_the_reverse(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_save = session_file.save
    written: list[int] = []
    first_started, release_first = threading.Event(), threading.Event()

    def save(target: str | Path, version: Session) -> None:
        if not written and not first_started.is_set():
            first_started.set()
            assert release_first.wait(WAIT)
        real_save(target, version)
        written.append(len(version.log))

    monkeypatch.setattr(store_atomic, "save", save)
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
    real_save = session_file.save
    written: list[int] = []
    lock = threading.Lock()

    def save(target: str | Path, version: Session) -> None:
        real_save(target, version)
        with lock:
            written.append(len(version.log))

    monkeypatch.setattr(store_atomic, "save", save)
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
    real_save = session_file.save

    def full(target: str | Path, version: Session) -> None:
        raise OSError(28, f"{target}: cannot save: No space left on device")

    monkeypatch.setattr(store_atomic, "save", full)
    saver = SessionWriter(path)
    saver.submit(session(1))
    with pytest.raises(OSError, match="No space left"):
        saver.write_pending()
    assert saver.pending
    assert saver.last_error is not None and "No space left on device" in saver.last_error
    assert path.read_bytes() == before

    monkeypatch.setattr(store_atomic, "save", real_save)
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
        raise session_file.SessionFileError(["first problem", "second problem"])

    monkeypatch.setattr(store_atomic, "save", broken)
    saver.submit(session(3))
    with pytest.raises(session_file.SessionFileError):
        saver.flush()
    assert saver.last_error == "first problem"
    assert events_on_disk(path) == 2


def test_the_store_lock_held_elsewhere_is_waited_for(path: Path) -> None:
    saver = SessionWriter(path)
    saver.submit(session(4))
    held, release = threading.Event(), threading.Event()

    def holder() -> None:
        with session_file.lock_for(path):
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
        (session_file.SessionFileError(["one", "two"]), "one"),
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
    assert not [name for name in names if name.startswith(("textual", "sessiontui.tui.app"))]


# ---------------------------------------------------------------------------- several instances


def workshop() -> Session:
    """A session with one breakout and a notes entry per group, as the note-takers start."""
    return Session(
        schema_version=1,
        title="Two instances",
        date=dt.date(2023, 2, 16),
        start=dt.time(13, 0),
        end=dt.time(16, 0),
        agenda=[AgendaItem(id="breakout", title="Breakout", kind="breakout", minutes=30)],
        notes=[Note(item="breakout", group="Group 1"), Note(item="breakout", group="Group 2")],
    )


def with_event(session: Session, text: str, second: int) -> Session:
    event = Event(at=START + dt.timedelta(seconds=second), kind="broadcast", text=text)
    return session.model_copy(update={"log": [*session.log, event]})


def with_line(session: Session, group: str, line: str) -> Session:
    notes = [
        note.model_copy(update={"text": f"{note.text}\n{line}" if note.text else line})
        if note.group == group
        else note
        for note in session.notes
    ]
    return session.model_copy(update={"notes": notes})


def group_text(session: Session, group: str) -> str:
    return next(note.text for note in session.notes if note.group == group)


@pytest.fixture
def shared(tmp_path: Path) -> Path:
    target = tmp_path / "shared.toml"
    session_file.save(target, workshop())
    return target


def instance(path: Path) -> tuple[SessionWriter, SyncedSession]:
    """One running app on the file: its writer and its screen's session, as loaded."""
    saver = SessionWriter(path)
    return saver, SyncedSession(saver.adopt(session_file.load(path).session))


def save(saver: SessionWriter, sync: SyncedSession, session: Session) -> tuple[str, ...]:
    """What a screen does on a change: submit, write, take the outcome in."""
    sync.change(session)
    sync.submit(saver)
    saver.write_pending()
    return sync.receive(saver.take_outcome())


def test_two_instances_interleaved_lose_nothing(shared: Path) -> None:
    facilitator, run = instance(shared)
    note_taker, notes = instance(shared)
    other_saver, other = instance(shared)
    for step in range(12):
        assert save(facilitator, run, with_event(run.session, f"event {step}", step)) == ()
        assert save(note_taker, notes, with_line(notes.session, "Group 1", f"one {step}")) == ()
        assert save(other_saver, other, with_line(other.session, "Group 2", f"two {step}")) == ()
        if step % 3 == 0:
            # Screens pick others' saves up only now and then, as a timer would.
            for saver, sync in ((facilitator, run), (note_taker, notes), (other_saver, other)):
                assert sync.receive(saver.poll()) == ()
    on_disk = session_file.load(shared).session
    assert [event.text for event in on_disk.log] == [f"event {step}" for step in range(12)]
    assert group_text(on_disk, "Group 1") == "\n".join(f"one {step}" for step in range(12))
    assert group_text(on_disk, "Group 2") == "\n".join(f"two {step}" for step in range(12))
    for saver, sync in ((facilitator, run), (note_taker, notes), (other_saver, other)):
        sync.receive(saver.poll())
        assert sync.session == on_disk


def test_a_writer_that_never_merges_in_still_keeps_the_others_work(shared: Path) -> None:
    # The plain API: adopt, then submit versions that never include the other's changes.
    first, second = SessionWriter(shared), SessionWriter(shared)
    mine = first.adopt(session_file.load(shared).session).session
    theirs = second.adopt(session_file.load(shared).session).session
    for step in range(5):
        mine = with_line(with_event(mine, f"first {step}", step), "Group 1", f"first {step}")
        first.submit(mine)
        first.write_pending()
        theirs = with_line(theirs, "Group 2", f"second {step}")
        second.submit(theirs)
        second.write_pending()
    on_disk = session_file.load(shared).session
    assert len(on_disk.log) == 5
    assert group_text(on_disk, "Group 1") == "\n".join(f"first {step}" for step in range(5))
    assert group_text(on_disk, "Group 2") == "\n".join(f"second {step}" for step in range(5))


def test_poll_picks_up_another_instances_save_and_is_a_stat_otherwise(
    shared: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    watcher = SessionWriter(shared)
    watcher.adopt(session_file.load(shared).session, file_identity(os.stat(shared)))
    loads: list[Path] = []
    real_load = session_file.load

    def counting_load(target: str | Path) -> session_file.Loaded:
        loads.append(Path(target))
        return real_load(target)

    monkeypatch.setattr(store_parse, "load", counting_load)
    assert watcher.poll() is None
    assert watcher.poll() is None
    assert loads == []

    other, sync = instance(shared)
    save(other, sync, with_event(sync.session, "from the facilitator", 1))
    loads.clear()
    version = watcher.poll()
    assert version is not None and len(loads) == 1
    assert [event.text for event in version.session.log] == ["from the facilitator"]
    assert watcher.poll() is None
    assert len(loads) == 1


def test_poll_sees_a_file_saved_unchanged_as_no_change(shared: Path) -> None:
    watcher = SessionWriter(shared)
    watcher.adopt(session_file.load(shared).session)  # identity unknown: the file is read once
    assert watcher.poll() is None
    session_file.save(shared, session_file.load(shared).session)
    assert watcher.poll() is None


def test_own_saves_come_back_from_take_outcome_not_poll(shared: Path) -> None:
    saver, sync = instance(shared)
    sync.change(with_event(sync.session, "x", 1))
    generation = sync.submit(saver)
    saver.write_pending()
    assert saver.poll() is None
    outcome = saver.take_outcome()
    assert outcome is not None and outcome.generation == generation
    assert outcome.conflicts == ()
    assert saver.take_outcome() is None
    assert sync.receive(outcome) == () and sync.base is outcome


def test_a_hand_broken_file_is_never_overwritten(shared: Path) -> None:
    saver, sync = instance(shared)
    broken = b"schema_version = 1\ntitle = \n"
    shared.write_bytes(broken)
    sync.change(with_event(sync.session, "while broken", 1))
    sync.submit(saver)
    with pytest.raises(session_file.SessionFileError):
        saver.write_pending()
    assert shared.read_bytes() == broken
    assert saver.pending
    error = saver.last_error
    assert error is not None and error.startswith("not overwriting the file, as it does not load")
    assert "shared.toml:2:" in error
    assert saver.poll() is None
    assert saver.poll_error is not None and "shared.toml:2:" in saver.poll_error

    # Someone fixes the file by hand, adding a note; the pending version merges into it.
    fixed = with_line(workshop(), "Group 2", "typed by hand")
    shared.write_text(session_file.dumps(fixed), encoding="utf-8")
    saver.write_pending()
    assert saver.last_error is None and not saver.pending
    on_disk = session_file.load(shared).session
    assert [event.text for event in on_disk.log] == ["while broken"]
    assert group_text(on_disk, "Group 2") == "typed by hand"
    version = saver.take_outcome()
    assert version is not None
    sync.receive(version)
    assert saver.poll() is None and saver.poll_error is None


def test_lines_added_to_one_note_on_two_screens_are_both_kept(shared: Path) -> None:
    one_saver, one = instance(shared)
    two_saver, two = instance(shared)
    assert save(one_saver, one, with_line(one.session, "Group 1", "written on one")) == ()
    assert save(two_saver, two, with_line(two.session, "Group 1", "written on two")) == ()
    text = group_text(session_file.load(shared).session, "Group 1")
    assert text == "written on one\nwritten on two" == group_text(two.session, "Group 1")


def test_the_same_note_edited_on_two_screens_keeps_both_and_says_so(shared: Path) -> None:
    # The same words rewritten on both: merged by words, then letters, they still clash.
    session_file.save(shared, rewritten(session_file.load(shared).session, "Group 1", "a door"))
    one_saver, one = instance(shared)
    two_saver, two = instance(shared)
    assert save(one_saver, one, rewritten(one.session, "Group 1", "written on one")) == ()
    conflicts = save(two_saver, two, rewritten(two.session, "Group 1", "written on two"))
    assert conflicts == (
        "Group 1's notes for Breakout (text) were edited on two screens at once;"
        " both texts are kept, marked",
    )
    text = group_text(session_file.load(shared).session, "Group 1")
    assert "written on one" in text and "written on two" in text and START_MARKER in text
    assert group_text(two.session, "Group 1") == text


def rewritten(session: Session, group: str, text: str) -> Session:
    notes = [n.model_copy(update={"text": text}) if n.group == group else n for n in session.notes]
    return session.model_copy(update={"notes": notes})


def test_rewriting_a_line_before_hearing_about_its_save_is_no_clash(shared: Path) -> None:
    # The screen's first save lands, but the screen changes the same line again before it
    # takes the outcome in: its two versions must not look like two screens' edits.
    saver, sync = instance(shared)
    sync.change(rewritten(sync.session, "Group 1", "the room"))
    sync.submit(saver)
    saver.write_pending()
    sync.change(rewritten(sync.session, "Group 1", "the hall"))
    sync.submit(saver)
    saver.write_pending()
    assert sync.receive(saver.take_outcome()) == ()
    assert group_text(session_file.load(shared).session, "Group 1") == "the hall"
    assert group_text(sync.session, "Group 1") == "the hall"


def test_another_save_arriving_while_ours_is_in_flight_is_no_clash(shared: Path) -> None:
    saver, sync = instance(shared)
    other, other_sync = instance(shared)
    sync.change(rewritten(sync.session, "Group 1", "the room"))
    sync.submit(saver)  # not written yet
    save(other, other_sync, rewritten(other_sync.session, "Group 2", "elsewhere"))
    assert sync.receive(saver.poll()) == ()  # the other save, without ours
    saver.write_pending()  # ours lands; its outcome is not taken in yet
    sync.change(rewritten(sync.session, "Group 1", "the hall"))
    sync.submit(saver)
    saver.write_pending()
    assert sync.receive(saver.take_outcome()) == ()
    on_disk = session_file.load(shared).session
    assert group_text(on_disk, "Group 1") == "the hall"
    assert group_text(on_disk, "Group 2") == "elsewhere"
    assert sync.session == on_disk


def test_a_poll_that_includes_our_save_is_no_clash_with_later_typing(shared: Path) -> None:
    saver, sync = instance(shared)
    other, other_sync = instance(shared)
    sync.change(rewritten(sync.session, "Group 1", "the room"))
    sync.submit(saver)
    saver.write_pending()  # outcome not taken yet
    save(other, other_sync, rewritten(other_sync.session, "Group 2", "elsewhere"))
    sync.change(rewritten(sync.session, "Group 1", "the hall"))  # typed, not yet submitted
    assert sync.receive(saver.poll()) == ()  # has our first save and the other's
    late = saver.take_outcome()  # our first save's outcome, older than the poll's version
    assert sync.receive(late) == ()
    assert group_text(sync.session, "Group 1") == "the hall"
    assert group_text(sync.session, "Group 2") == "elsewhere"
    sync.submit(saver)
    saver.write_pending()
    assert sync.receive(saver.take_outcome()) == ()
    assert sync.session == session_file.load(shared).session


def test_a_late_result_older_than_the_base_changes_nothing(shared: Path) -> None:
    saver, sync = instance(shared)
    sync.change(with_event(sync.session, "a", 1))
    sync.submit(saver)
    saver.write_pending()
    first = saver.take_outcome()
    sync.change(with_event(sync.session, "b", 2))
    sync.submit(saver)
    saver.write_pending()
    second = saver.take_outcome()
    assert sync.receive(second) == ()
    current = sync.session
    assert sync.receive(first) == ()
    assert sync.session is current and sync.base is second


def test_the_screens_session_shares_nothing_with_the_writers_versions(shared: Path) -> None:
    # Screens may change a note in place; the versions the writer merges with must not move.
    saver, sync = instance(shared)
    assert sync.session == sync.base.session
    assert sync.session.notes[0] is not sync.base.session.notes[0]
    other, other_sync = instance(shared)
    save(other, other_sync, with_line(other_sync.session, "Group 2", "elsewhere"))
    version = saver.poll()
    assert sync.receive(version) == ()
    assert version is not None and sync.session == version.session
    assert all(
        mine is not theirs
        for mine, theirs in zip(sync.session.notes, version.session.notes, strict=True)
    )


SCREEN_STEPS = ("type", "rewrite", "event", "save", "look")
"""What a screen mostly does: change its session, save (submit and write), poll and merge."""
SINGLE_STEPS = ("submit", "write", "take", "poll", "deliver")
"""The parts of a save or a poll alone, so one can land or arrive at any point in between."""
STEPS = st.lists(
    st.tuples(st.integers(0, 1), st.sampled_from([*SCREEN_STEPS, *SINGLE_STEPS])),
    max_size=40,
)


@settings(max_examples=60, deadline=None)
@given(STEPS)
# The orders that need the exact base, which random steps reach only now and then: a save
# lands and the screen rewrites the line before the result arrives, with or without another
# screen's save arriving while its own is in flight.
@example([(0, "rewrite"), (0, "save"), (0, "rewrite"), (0, "take"), (0, "deliver")])
@example([(0, "rewrite"), (0, "save"), (0, "rewrite"), (0, "save"), (0, "look")])
@example([(0, "type"), (0, "save"), (0, "take"), (0, "rewrite"), (0, "save")])
@example(
    [
        (0, "rewrite"),
        (0, "submit"),
        (1, "event"),
        (1, "save"),
        (0, "look"),
        (0, "write"),
        (0, "rewrite"),
        (0, "save"),
        (0, "take"),
        (0, "deliver"),
    ]
)
def test_two_screens_in_any_order_never_clash_with_themselves_or_lose_anything(
    steps: list[tuple[int, str]],
) -> None:
    # Each screen edits only its own group's notes (typing on, or rewriting its last line)
    # and appends events; saves, polls and their results happen and arrive in any order.
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "shared.toml"
        session_file.save(path, workshop())
        screens = [instance(path), instance(path)]
        texts = ["", ""]
        inbox: list[list[writer.DiskVersion]] = [[], []]
        events: list[str] = []

        def receive(who: int, version: writer.DiskVersion | None) -> None:
            sync = screens[who][1]
            assert sync.receive(version) == ()
            assert group_text(sync.session, f"Group {who + 1}") == texts[who]

        for index, (who, step) in enumerate(steps):
            saver, sync = screens[who]
            group = f"Group {who + 1}"
            if step == "type":
                texts[who] += f"{index} "
                sync.change(rewritten(sync.session, group, texts[who]))
            elif step == "rewrite":
                texts[who] = texts[who].rpartition("\n")[0] + f"\nline {index}"
                sync.change(rewritten(sync.session, group, texts[who]))
            elif step == "event":
                events.append(f"{who}:{index}")
                sync.change(with_event(sync.session, events[-1], index))
            elif step in ("submit", "save"):
                sync.submit(saver)
                if step == "save":
                    saver.write_pending()
            elif step == "write":
                saver.write_pending()
            elif step == "look":
                receive(who, saver.poll())
            elif step in ("take", "poll"):
                version = saver.take_outcome() if step == "take" else saver.poll()
                if version is not None:
                    inbox[who].append(version)
            elif inbox[who]:
                receive(who, inbox[who].pop(0))
        for who, (saver, sync) in enumerate(screens):
            sync.submit(saver)
            saver.write_pending()
            for version in [*inbox[who], saver.take_outcome()]:
                receive(who, version)
        for who, (saver, _) in enumerate(screens):
            receive(who, saver.poll())
        on_disk = session_file.load(path).session
        assert [group_text(on_disk, f"Group {n}") for n in (1, 2)] == texts
        assert sorted(event.text or "" for event in on_disk.log) == sorted(events)
        assert screens[0][1].session == screens[1][1].session == on_disk
