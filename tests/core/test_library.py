"""The library: summaries, the folder index, search and its prefilter, and the next session."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
import threading
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sessiontui import session_file
from sessiontui.core import library
from sessiontui.core.library import Hit, Summary
from sessiontui.core.model import Session
from sessiontui.store import index as folder_index
from sessiontui.store import parse as store_parse

UTC = dt.UTC


def make_session(
    title: str = "Workshop 1",
    *,
    date: dt.date = dt.date(2023, 1, 19),
    start: dt.time = dt.time(13, 0),
    series: str | None = "Systems Leadership",
    log: list[str] = (),  # type: ignore[assignment]
    notes: list[dict[str, Any]] = (),  # type: ignore[assignment]
    actions: list[dict[str, Any]] = (),  # type: ignore[assignment]
    upcoming: list[dict[str, Any]] = (),  # type: ignore[assignment]
) -> Session:
    moment = dt.datetime.combine(date, start, tzinfo=UTC)
    return Session.model_validate(
        {
            "schema_version": 1,
            "title": title,
            "series": series,
            "date": date,
            "start": start,
            "end": dt.time(16, 0),
            "timezone": "UTC",
            "participants": ["Amira Patel", "Ben Clarke", "Chloe Evans", "Femi Adeyemi"],
            "agenda": [
                {"id": "welcome", "title": "Welcome", "kind": "plenary", "minutes": 10},
                {
                    "id": "empathy",
                    "title": "Breakout groups: empathy mapping",
                    "kind": "breakout",
                    "minutes": 30,
                    "notes_template": "empathy-map",
                },
                {
                    "id": "purpose",
                    "title": "Our common purpose",
                    "kind": "breakout",
                    "minutes": 30,
                    "notes_template": "common-purpose",
                },
                {"id": "close", "title": "One practical thing", "kind": "close", "minutes": 10},
            ],
            "notes": list(notes),
            "actions": list(actions),
            "upcoming": list(upcoming),
            "log": [
                {"at": moment + dt.timedelta(minutes=index), "kind": kind}
                for index, kind in enumerate(log)
            ],
        }
    )


def write(folder: Path, name: str, session: Session) -> Path:
    path = folder / name
    session_file.save(path, session)
    return path


# ---------------------------------------------------------------------------- summaries


def test_summarise_counts_notes_with_text_and_commitments() -> None:
    session = make_session(
        log=["start", "finish"],
        notes=[
            {"item": "empathy", "group": "Group 1", "see": "queues"},
            {"item": "empathy", "group": "Group 2", "hear": "   "},
            {"item": "purpose", "group": "", "what": "work together"},
        ],
        actions=[{"who": "Amira Patel", "what": "Call the council"}],
    )
    summary = library.summarise(Path("a.toml"), session)
    assert summary == Summary(
        Path("a.toml"),
        dt.date(2023, 1, 19),
        dt.time(13, 0),
        "Workshop 1",
        "Systems Leadership",
        "finished",
        2,
        1,
        None,
        exact=True,
    )


@pytest.mark.parametrize(
    ("log", "state"),
    [([], "planned"), (["start"], "running"), (["start", "pause"], "running")],
)
def test_summarise_state(log: list[str], state: str) -> None:
    assert library.summarise(Path("a.toml"), make_session(log=log)).state == state


def test_newest_first_by_date_then_start_with_broken_and_undated_last_by_name() -> None:
    def row(name: str, date: dt.date | None, start: dt.time | None = None, **kw: Any) -> Summary:
        fields: dict[str, Any] = {"error": None, "exact": True} | kw
        return Summary(Path(name), date, start, name, "", "", 0, 0, **fields)

    rows = [
        row("old.toml", dt.date(2023, 1, 1), dt.time(9)),
        row("z-broken.toml", None, error="z-broken.toml: bad"),
        row("late.toml", dt.date(2023, 2, 1), dt.time(15)),
        row("a-broken.toml", dt.date(2023, 5, 1), error="a-broken.toml: bad"),
        row("early.toml", dt.date(2023, 2, 1), dt.time(9)),
        row("header-only.toml", None, exact=False),
    ]
    names = [summary.path.name for summary in library.newest_first(rows)]
    assert names == [
        "late.toml",
        "early.toml",
        "old.toml",
        "a-broken.toml",
        "header-only.toml",
        "z-broken.toml",
    ]


# ---------------------------------------------------------------------------- the folder


def finishes(call: Any) -> Any:
    """Run call in a thread and fail (instead of hanging) if it blocks on a FIFO."""
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
        pytest.fail("the call blocked")
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    base = tmp_path / "sessions"
    base.mkdir()
    write(base, "2023-01-19-one.toml", make_session("One", log=["start", "finish"]))
    write(base, "2023-02-16-two.toml", make_session("Two", date=dt.date(2023, 2, 16)))
    (base / "broken.toml").write_text('title = "no date"\nschema_version = 1\n', "utf-8")
    (base / "notes.txt").write_text("not a session", "utf-8")
    (base / ".hidden.toml").write_text("", "utf-8")
    (base / "d.toml").mkdir()
    (base / "dangling.toml").symlink_to(base / "missing.toml")
    if hasattr(os, "mkfifo"):
        os.mkfifo(base / "pipe.toml")
    return base


def test_summaries_list_from_headers_then_full_reads_make_them_exact(folder: Path) -> None:
    listing = finishes(lambda: folder_index.summaries(folder))
    assert [row.path.name for row in listing.summaries] == [
        "2023-02-16-two.toml",
        "2023-01-19-one.toml",
        "broken.toml",
    ]
    assert not any(row.exact for row in listing.summaries)
    assert sorted(path.name for path in listing.pending) == [
        "2023-01-19-one.toml",
        "2023-02-16-two.toml",
        "broken.toml",
    ]
    guessed = {row.path.name: row for row in listing.summaries}
    assert guessed["2023-01-19-one.toml"].title == "One"
    assert guessed["2023-01-19-one.toml"].state == "finished"
    assert guessed["broken.toml"].error is None
    exact = {
        row.path.name: row
        for row in finishes(lambda: folder_index.summarise_files(listing.pending))
    }
    assert all(row.exact for row in exact.values())
    assert exact["2023-01-19-one.toml"].state == "finished"
    assert exact["2023-02-16-two.toml"].state == "planned"
    problem = exact["broken.toml"].error
    assert problem is not None and problem.startswith(f"{folder / 'broken.toml'}:")
    again = finishes(lambda: folder_index.summaries(folder))
    assert again.pending == []
    assert [row.path.name for row in again.summaries] == [
        "2023-02-16-two.toml",
        "2023-01-19-one.toml",
        "broken.toml",
    ]
    assert again.summaries[2].error == problem


def test_a_missing_folder_lists_nothing(tmp_path: Path) -> None:
    assert folder_index.summaries(tmp_path / "nope") == folder_index.FolderScan([], [])
    assert folder_index.search(tmp_path / "nope", "anything") == []


def test_the_index_spares_reading_unchanged_files(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder_index.summarise_files(folder_index.summaries(folder).pending)
    opened: list[str] = []
    real = store_parse._read_bytes

    def counting(path: Path, name: str, what: str = "session file") -> Any:
        opened.append(Path(path).name)
        return real(path, name, what)

    monkeypatch.setattr(folder_index, "_read_bytes", counting)
    listing = folder_index.summaries(folder)
    assert listing.pending == []
    assert all(row.exact for row in listing.summaries)
    assert [name for name in opened if name.endswith(".toml")] == []


@pytest.mark.parametrize("change", ["mtime", "size", "inode"])
def test_a_changed_file_is_read_again(folder: Path, change: str) -> None:
    folder_index.summarise_files(folder_index.summaries(folder).pending)
    path = folder / "2023-01-19-one.toml"
    info = path.stat()
    if change == "mtime":
        os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns + 1_000_000_000))
    elif change == "size":
        path.write_text(path.read_text("utf-8") + "\n", "utf-8")
    else:
        copy = folder / ".copy"
        shutil.copy2(path, copy)
        os.replace(copy, path)
        assert path.stat().st_mtime_ns == info.st_mtime_ns
    listing = folder_index.summaries(folder)
    assert listing.pending == [path]


def test_a_corrupt_or_foreign_index_is_ignored_and_rebuilt(folder: Path, tmp_path: Path) -> None:
    index = folder_index.index_path(folder)
    index.parent.mkdir(parents=True, exist_ok=True)
    index.write_text("{not json", "utf-8")
    listing = folder_index.summaries(folder)
    assert len(listing.pending) == 3
    folder_index.summarise_files(listing.pending)
    assert folder_index.summaries(folder).pending == []
    # Another folder's index, under this folder's name, is not trusted.
    other = tmp_path / "other"
    shutil.copytree(folder, other, symlinks=True, ignore=shutil.ignore_patterns("pipe.toml"))
    shutil.copy(index, folder_index.index_path(other))
    assert len(folder_index.summaries(other).pending) == 3
    index.write_text('{"format": "sessiontui folder index", "version": 99}', "utf-8")
    assert len(folder_index.summaries(folder).pending) == 3


def test_entries_of_deleted_files_leave_the_index(folder: Path) -> None:
    folder_index.summarise_files(folder_index.summaries(folder).pending)
    (folder / "2023-01-19-one.toml").unlink()
    write(folder, "2023-03-01-three.toml", make_session("Three", date=dt.date(2023, 3, 1)))
    folder_index.summarise_files(folder_index.summaries(folder).pending)
    import json

    files = json.loads(folder_index.index_path(folder).read_text("utf-8"))["files"]
    assert sorted(files) == ["2023-02-16-two.toml", "2023-03-01-three.toml", "broken.toml"]


def test_an_unwritable_cache_only_costs_time(folder: Path, tmp_path: Path) -> None:
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the cache folder should be", "utf-8")
    index = blocked / "index.json"
    rows = folder_index.summarise_files(
        folder_index.summaries(folder, index=index).pending, index=index
    )
    assert len(rows) == 3
    assert len(folder_index.summaries(folder, index=index).pending) == 3


log_kinds = st.lists(st.sampled_from(["start", "pause", "resume", "next", "finish"]), max_size=5)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    title=st.text(min_size=1, max_size=120),
    series=st.one_of(st.none(), st.text(max_size=60)),
    date=st.dates(dt.date(1990, 1, 1), dt.date(2100, 1, 1)),
    start=st.times(dt.time(0, 0), dt.time(15, 0)).map(lambda t: t.replace(microsecond=0)),
    notes=st.integers(0, 3),
    actions=st.integers(0, 3),
    log=log_kinds,
)
def test_the_header_read_agrees_with_the_full_read(  # noqa: PLR0917
    title: str,
    series: str | None,
    date: dt.date,
    start: dt.time,
    notes: int,
    actions: int,
    log: list[str],
) -> None:
    session = make_session(
        title,
        series=series,
        date=date,
        start=start,
        log=["start", *log] if "finish" in log else log,
        notes=[
            {"item": "empathy", "group": f"Group {n}", "see": f"note {n}"} for n in range(notes)
        ],
        actions=[{"who": "Ben Clarke", "what": f"thing {n}"} for n in range(actions)],
    )
    with tempfile.TemporaryDirectory() as where:
        folder = Path(where)
        write(folder, "s.toml", session)
        index = folder / ".index.json"
        [guess] = folder_index.summaries(folder, index=index).summaries
        [exact] = folder_index.summarise_files([folder / "s.toml"], index=index)
    assert not guess.exact and exact.exact
    assert dataclass_fields(guess) == dataclass_fields(exact)


def dataclass_fields(summary: Summary) -> tuple[Any, ...]:
    return (
        summary.date,
        summary.start,
        summary.title,
        summary.series,
        summary.state,
        summary.notes,
        summary.actions,
        summary.error,
    )


# ---------------------------------------------------------------------------- search


def searched() -> Session:
    return make_session(
        "Workshop 2: Common purpose",
        notes=[
            {"item": "empathy", "group": "Group 2", "think_feel": "Worried about\nthe Jargon"},
            {"item": "empathy", "group": "Group 10", "see": "Long queues and jargon"},
            {"item": "empathy", "group": "", "hear": "Nothing about jargon here"},
            {"item": "purpose", "group": "Group 1", "what": "Cut the jargon out"},
        ],
        actions=[
            {"who": "Amira Patel", "what": "Write a jargon buster", "item": "close"},
            {"who": "Ben Clarke", "what": "Call the council"},
        ],
    )


def test_search_session_finds_every_field_in_agenda_order() -> None:
    hits = library.search_session(Path("s.toml"), searched(), "JARGON")
    empathy = "Breakout groups: empathy mapping"
    assert [(hit.kind, hit.item, hit.group, hit.where) for hit in hits] == [
        (
            "note",
            "empathy",
            "",
            f"{empathy} · Whole room · What do they hear?",
        ),
        (
            "note",
            "empathy",
            "Group 2",
            "Breakout groups: empathy mapping · Group 2 · What do they think and feel?",
        ),
        (
            "note",
            "empathy",
            "Group 10",
            f"{empathy} · Group 10 · What do they see?",
        ),
        ("note", "purpose", "Group 1", "Our common purpose · Group 1 · What do we want to do?"),
        ("commitment", "close", None, "One practical thing · Amira Patel"),
    ]
    for hit in hits:
        assert hit.snippet[hit.span[0] : hit.span[1]].casefold() == "jargon"
        assert "\n" not in hit.snippet
        assert hit.session_title == "Workshop 2: Common purpose"
        assert hit.session_date == dt.date(2023, 1, 19)
    assert hits[1].snippet == "Worried about ⏎ the Jargon"


def test_search_session_titles_commitments_and_several_words() -> None:
    session = searched()
    [title] = library.search_session(Path("s.toml"), session, "workshop")
    assert (title.kind, title.item, title.where) == ("title", None, "Session title")
    [series] = library.search_session(Path("s.toml"), session, "systems leadership")
    assert series.snippet == "Systems Leadership"
    [item] = library.search_session(Path("s.toml"), session, "practical")
    assert (item.kind, item.item, item.where) == ("title", "close", "Agenda: One practical thing")
    [who] = library.search_session(Path("s.toml"), session, "clarke council")
    assert (who.kind, who.item, who.where) == ("commitment", None, "Commitment · Ben Clarke")
    # Every word, in any order, but within one text.
    [queues] = library.search_session(Path("s.toml"), session, "jargon queues")
    assert queues.group == "Group 10"
    assert queues.snippet[slice(*queues.span)] == "queues"
    assert library.search_session(Path("s.toml"), session, "queues worried") == []
    assert library.search_session(Path("s.toml"), session, "   ") == []


def test_search_is_casefolded() -> None:
    session = make_session("Große Straße", notes=[{"item": "welcome", "text": "ΣΊΣΥΦΟΣ rolls"}])
    [hit] = library.search_session(Path("s.toml"), session, "STRASSE")
    assert hit.snippet[slice(*hit.span)] == "Straße"
    [hit] = library.search_session(Path("s.toml"), session, "σίσυφος")
    assert hit.snippet[slice(*hit.span)] == "ΣΊΣΥΦΟΣ"


def test_a_long_text_gives_a_short_snippet_around_the_match() -> None:
    text = ("lorem ipsum " * 40) + "the needle is here\n" + ("dolor sit " * 40)
    session = make_session(notes=[{"item": "welcome", "text": text}])
    [hit] = library.search_session(Path("s.toml"), session, "needle")
    assert len(hit.snippet) <= library.SNIPPET_LENGTH
    assert hit.snippet.startswith("…") and hit.snippet.endswith("…")
    assert hit.snippet[slice(*hit.span)] == "needle"
    assert "⏎" in hit.snippet


def test_store_search_orders_newest_first_and_skips_what_does_not_load(tmp_path: Path) -> None:
    write(tmp_path, "old.toml", searched())
    newer = searched().model_copy(update={"date": dt.date(2024, 1, 1), "title": "Later"})
    write(tmp_path, "new.toml", newer)
    (tmp_path / "broken.toml").write_text('title = "jargon"\n', "utf-8")
    if hasattr(os, "mkfifo"):
        os.mkfifo(tmp_path / "pipe.toml")
    hits = finishes(lambda: folder_index.search(tmp_path, "jargon"))
    assert [hit.path.name for hit in hits] == ["new.toml"] * 5 + ["old.toml"] * 5
    assert folder_index.search(tmp_path, "jargon", limit=3) == hits[:3]
    assert folder_index.search(tmp_path, "nowhere to be found") == []
    assert folder_index.search(tmp_path, "") == []


def test_store_search_does_not_parse_files_that_cannot_match(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, "a.toml", searched())
    write(tmp_path, "b.toml", make_session("Other"))
    folder_index._SEARCH_CACHE.clear()
    parsed: list[str] = []
    real = store_parse._parse

    def counting(text: str, name: str) -> Any:
        parsed.append(Path(name).name)
        return real(text, name)

    monkeypatch.setattr(folder_index, "_parse", counting)
    assert len(folder_index.search(tmp_path, "jargon")) == 5
    assert parsed == ["a.toml"]
    assert len(folder_index.search(tmp_path, "jargon buster")) == 1
    assert parsed == ["a.toml"]  # the second search parses nothing: the cache has it


# Text people type: letters of several scripts, quotes, backslashes, newlines, tabs, controls.
typed = st.text(
    alphabet=st.one_of(
        st.sampled_from(list("aAßẞİıΣσςﬁKkſ'\"\\\n\t\r é😀{}[]#=")),
        st.characters(codec="utf-8", exclude_categories=("Cs",)),
    ),
    min_size=1,
    max_size=60,
)


@pytest.mark.slow
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=typed, data=st.data())
def test_the_prefilter_never_rejects_a_file_that_matches(text: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    query = data.draw(st.sampled_from([text[start:end], text[start:end].upper(), text]))
    long = data.draw(st.booleans())
    note = ("Some words first.\n" + text + "\nand after") if long else text
    session = make_session(
        text.strip() or "Title",
        notes=[{"item": "welcome", "text": note}],
        actions=[{"who": text.strip() or "Someone", "what": note}],
    )
    with tempfile.TemporaryDirectory() as where:
        path = write(Path(where), "s.toml", session)
        loaded = session_file.load(path).session
        expected = library.search_session(path, loaded, query)
        assert folder_index.search(Path(where), query) == expected
    if library.query_words(query):
        assert expected, "a query taken from a note finds that note"


def test_hits_are_values() -> None:
    hit = Hit(Path("a"), "T", dt.date(2023, 1, 1), "note", "x", "", "w", "s", (0, 1))
    assert hit == Hit(Path("a"), "T", dt.date(2023, 1, 1), "note", "x", "", "w", "s", (0, 1))


# ---------------------------------------------------------------------------- the next session


def with_upcoming() -> Session:
    return make_session(
        log=["start", "finish"],
        notes=[{"item": "welcome", "text": "hello"}],
        actions=[{"who": "Ben Clarke", "what": "Call"}],
        upcoming=[
            {"date": dt.date(2022, 12, 1), "title": "Earlier"},
            {"date": dt.date(2023, 2, 16), "title": "Two"},
            {"date": dt.date(2023, 3, 16), "title": "Three"},
        ],
    )


def test_next_session_takes_the_first_upcoming_entry() -> None:
    new = library.next_session(with_upcoming(), None, None, today=dt.date(2030, 1, 1))
    assert (new.date, new.title) == (dt.date(2023, 2, 16), "Two")
    assert [entry.title for entry in new.upcoming] == ["Three"]
    assert (new.notes, new.actions, new.log, new.groups) == ([], [], [], [])


def test_next_session_from_a_chosen_entry_drops_it_and_the_earlier_ones() -> None:
    new = library.next_session(
        with_upcoming(), dt.date(2023, 3, 16), "Three", today=dt.date(2030, 1, 1)
    )
    assert (new.date, new.title, new.upcoming) == (dt.date(2023, 3, 16), "Three", [])


def test_a_copy_keeps_the_plan_and_the_upcoming_list() -> None:
    source = with_upcoming()
    copy = library.next_session(source, dt.date(2023, 5, 1), "Copy", today=dt.date(2030, 1, 1))
    assert copy.agenda == source.agenda and copy.upcoming == source.upcoming
    alone = make_session()
    assert library.next_session(alone, None, None, today=dt.date(2030, 1, 1)).date == dt.date(
        2030, 1, 1
    )


def test_next_session_names_the_bad_field() -> None:
    with pytest.raises(ValueError, match=r"^title: "):
        library.next_session(make_session(), dt.date(2023, 5, 1), "", today=dt.date(2030, 1, 1))


def test_file_name_is_date_and_slug() -> None:
    assert library.file_name(dt.date(2023, 2, 16), "../../Our Purpose!") == (
        "2023-02-16-our-purpose.toml"
    )


def test_create_never_overwrites(tmp_path: Path) -> None:
    target = tmp_path / "x.toml"
    session_file.create(target, make_session("First"))
    assert session_file.load(target).session.title == "First"
    with pytest.raises(session_file.SessionFileError, match="already exists"):
        session_file.create(target, make_session("Second"))
    assert session_file.load(target).session.title == "First"
    (tmp_path / "link.toml").symlink_to(tmp_path / "nowhere.toml")
    with pytest.raises(session_file.SessionFileError, match="already exists"):
        session_file.create(tmp_path / "link.toml", make_session("Third"))
    assert not (tmp_path / "nowhere.toml").exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []
