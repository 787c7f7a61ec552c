"""`sessiontui groups FILE ITEM`: draws, prints and saves groups, or says why it cannot."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import threading
from pathlib import Path

import pytest

from sessiontui import session_file as session_io
from sessiontui.cli import groups as cli
from sessiontui.cli import main
from sessiontui.core import grouping
from sessiontui.core.model import SCHEMA_VERSION, Event, Group, Participant, Session
from sessiontui.store import atomic as store_atomic

PAIRING = "coffee-trial"
BREAKOUT = "empathy-breakout"
GROUP_LINE = re.compile(r"Group (\d+): (.+)")


@pytest.fixture
def session_file(tmp_path: Path, example_path: Path) -> Path:
    """A copy of the bundled example, alone in its own sessions folder."""
    folder = tmp_path / "sessions"
    folder.mkdir()
    return Path(shutil.copy(example_path, folder / example_path.name))


def edit(path: Path, **changes: object) -> Session:
    session = session_io.load(path).session.model_copy(update=changes, deep=True)
    session_io.save(path, session)
    return session


def printed_groups(out: str) -> list[list[str]]:
    found = [GROUP_LINE.fullmatch(line) for line in out.splitlines()]
    matches = [match for match in found if match]
    assert [int(match.group(1)) for match in matches] == list(range(1, len(matches) + 1))
    return [match.group(2).split(", ") for match in matches]


def earlier_session(
    path: Path, *, series: str | None, days_before: int, groups: list[Group]
) -> Path:
    """Another session of the folder, held `days_before` the example, with these groups."""
    session = session_io.load(path).session
    earlier = session.model_copy(
        update={
            "series": series,
            "date": session.date - dt.timedelta(days=days_before),
            "groups": groups,
        },
        deep=True,
    )
    target = path.with_name(f"earlier-{days_before}-{series}.toml")
    session_io.save(target, earlier)
    return target


def test_groups_prints_the_pairs_and_saves_them_into_the_file(
    session_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = session_io.load(session_file).session

    assert main(["groups", str(session_file), PAIRING, "--seed", "1234"]) == 0

    out = capsys.readouterr().out
    printed = printed_groups(out)
    assert out.splitlines()[-1] == "seed 1234: run again with --seed 1234 to get these groups back"
    assert "repeat" not in out
    after = session_io.load(session_file).session
    saved = grouping.groups_for(after, PAIRING)
    assert [group.members for group in saved] == printed
    assert {group.seed for group in saved} == {1234}
    assert sorted(name for group in printed for name in group) == sorted(
        person.name for person in before.participants
    )
    # Thirteen people: five pairs and one three.
    assert sorted(len(group) for group in printed) == [2, 2, 2, 2, 2, 3]
    assert after.model_copy(update={"groups": []}) == before


def test_the_same_seed_gives_the_same_groups_and_replaces_the_earlier_draw(
    session_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["groups", str(session_file), PAIRING, "--seed", "7"]) == 0
    first = capsys.readouterr().out
    assert main(["groups", str(session_file), BREAKOUT, "--seed", "8"]) == 0
    capsys.readouterr()
    assert main(["groups", str(session_file), PAIRING, "--seed", "7"]) == 0

    assert capsys.readouterr().out == first
    session = session_io.load(session_file).session
    assert len(grouping.groups_for(session, PAIRING)) == 6
    assert len(grouping.groups_for(session, BREAKOUT)) == 3


def test_without_a_seed_the_printed_seed_draws_the_same_groups_again(
    session_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["groups", str(session_file), BREAKOUT]) == 0
    out = capsys.readouterr().out
    match = re.fullmatch(
        r"seed (\d+): run again with --seed \1 to get these groups back", out.splitlines()[-1]
    )
    assert match

    assert main(["groups", str(session_file), BREAKOUT, "--seed", match.group(1)]) == 0
    assert capsys.readouterr().out == out


def test_a_breakout_uses_its_group_size_unless_size_is_given(
    session_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["groups", str(session_file), BREAKOUT, "--seed", "1"]) == 0
    assert sorted(map(len, printed_groups(capsys.readouterr().out))) == [4, 4, 5]
    assert main(["groups", str(session_file), BREAKOUT, "--seed", "1", "--size", "3"]) == 0
    assert sorted(map(len, printed_groups(capsys.readouterr().out))) == [3, 3, 3, 4]


def test_absent_people_are_left_out_and_exclusions_kept(
    session_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    people = session_io.load(session_file).session.participants
    people[0] = people[0].model_copy(update={"absent": True})
    people[1] = people[1].model_copy(update={"avoid": [people[2].name]})
    edit(session_file, participants=people)

    for seed in range(10):
        assert main(["groups", str(session_file), PAIRING, "--seed", str(seed)]) == 0
        printed = printed_groups(capsys.readouterr().out)
        assert all(people[0].name not in group for group in printed)
        assert all({people[1].name, people[2].name} - set(group) for group in printed)
        assert sorted(map(len, printed)) == [2] * 6


def test_pairings_from_earlier_sessions_of_the_series_are_not_repeated(
    session_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    session = session_io.load(session_file).session
    everyone = [person.name for person in session.participants]
    last_time = grouping.draw_groups(session, PAIRING, seed=99)
    earlier_session(session_file, series=session.series, days_before=28, groups=last_time)
    # Everyone together, but in another series and in a later session: neither counts.
    together = [Group(item=PAIRING, name="Group 1", members=everyone)]
    earlier_session(session_file, series="Another series", days_before=14, groups=together)
    earlier_session(session_file, series=session.series, days_before=-7, groups=together)
    old_pairs = set(grouping.group_pairs(last_time))

    for seed in range(5):
        assert main(["groups", str(session_file), PAIRING, "--seed", str(seed)]) == 0
        out = capsys.readouterr().out
        assert "repeat" not in out
        saved = grouping.groups_for(session_io.load(session_file).session, PAIRING)
        assert not set(grouping.group_pairs(saved)) & old_pairs


def test_repeats_that_cannot_be_avoided_are_counted(
    session_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    session = session_io.load(session_file).session
    everyone = [person.name for person in session.participants]
    together = [Group(item=PAIRING, name="Group 1", members=everyone)]
    earlier_session(session_file, series=session.series, days_before=28, groups=together)
    # Broken neighbours are skipped without a word.
    (session_file.parent / "broken.toml").write_text("title = \n", encoding="utf-8")
    (session_file.parent / "folder.toml").mkdir()

    assert main(["groups", str(session_file), PAIRING, "--seed", "5"]) == 0

    captured = capsys.readouterr()
    lines = captured.out.splitlines()
    # Five pairs and a three hold 8 pairs, and every pair of them met last time.
    assert lines[-2] == "8 repeat pairings from earlier sessions of the series could not be avoided"
    assert lines[-1].startswith("seed 5: ")
    assert captured.err == ""


def test_a_run_logged_while_drawing_is_kept(
    session_file: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The app saves its log between the command's first read and its save: the command must
    # read the file again under the lock rather than write its first copy back.
    started = Event(at=dt.datetime(2023, 2, 16, 13, 0, tzinfo=dt.UTC), kind="start")
    real = cli._sessions_beside

    def app_saves_meanwhile(path: Path) -> list[Session]:
        edit(session_file, log=[started])
        return real(path)

    monkeypatch.setattr(cli, "_sessions_beside", app_saves_meanwhile)

    assert main(["groups", str(session_file), PAIRING, "--seed", "3"]) == 0

    after = session_io.load(session_file).session
    assert after.log == [started]
    assert len(grouping.groups_for(after, PAIRING)) == 6


def test_names_are_printed_as_plain_text(
    session_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit(
        session_file,
        participants=[
            Participant(name="\x1b[31mEvil\x1b]0;owned\x07"),
            Participant(name="[b]Ann[/b]"),
        ],
    )

    assert main(["groups", str(session_file), PAIRING, "--seed", "1"]) == 0

    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out
    assert "[b]Ann[/b]" in out
    assert "Evil" in out


def one_line_error(capsys: pytest.CaptureFixture[str], path: Path) -> str:
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert len(lines) == 1, captured.err
    assert lines[0].startswith(str(path))
    return lines[0]


@pytest.mark.parametrize(
    ("item", "extra", "expected"),
    [
        ("nope", [], "no pairing or breakout item has id 'nope'; choose one of: coffee-trial"),
        ("welcome", [], "item 'welcome' is a plenary item, not a pairing or breakout item"),
        ("reflect", [], "item 'reflect' is a reflection item"),
        (PAIRING, ["--size", "1"], "item 'coffee-trial': groups need at least 2 people, not 1"),
        (PAIRING, ["--size", "-3"], "item 'coffee-trial': groups need at least 2 people"),
    ],
)
def test_bad_requests_exit_2_with_one_line_and_leave_the_file_alone(
    session_file: Path,
    capsys: pytest.CaptureFixture[str],
    item: str,
    extra: list[str],
    expected: str,
) -> None:
    original = session_file.read_bytes()

    assert main(["groups", str(session_file), item, *extra]) == 2

    assert expected in one_line_error(capsys, session_file)
    assert session_file.read_bytes() == original


def test_impossible_exclusions_exit_2_naming_the_people(
    session_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    people = session_io.load(session_file).session.participants
    people[0] = people[0].model_copy(update={"avoid": [person.name for person in people[1:]]})
    edit(session_file, participants=people)
    original = session_file.read_bytes()

    assert main(["groups", str(session_file), PAIRING, "--seed", "1"]) == 2

    error = one_line_error(capsys, session_file)
    assert "item 'coffee-trial'" in error
    assert "Amira Patel apart from Ben Clarke, Chloe Evans" in error
    assert session_file.read_bytes() == original


def test_an_error_naming_someone_stays_on_one_line(
    session_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit(
        session_file,
        participants=[Participant(name="Ana\nBen"), Participant(name="Cy", avoid=["Ana\nBen"])],
    )

    assert main(["groups", str(session_file), PAIRING]) == 2

    assert "cannot keep Ana Ben apart from Cy" in one_line_error(capsys, session_file)


def test_too_few_people_present_exit_2(
    session_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit(session_file, participants=[Participant(name="Ana"), Participant(name="Ben", absent=True)])
    original = session_file.read_bytes()

    assert main(["groups", str(session_file), BREAKOUT]) == 2

    assert "need at least 2 people present" in one_line_error(capsys, session_file)
    assert session_file.read_bytes() == original


def test_a_broken_or_missing_file_exits_2_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text("title = \nminutes = \n", encoding="utf-8")
    assert main(["groups", str(broken), PAIRING]) == 2
    assert one_line_error(capsys, broken).startswith(f"{broken}:1:")
    assert broken.read_text(encoding="utf-8") == "title = \nminutes = \n"

    invalid = tmp_path / "invalid.toml"
    invalid.write_text('title = "only a title"\n', encoding="utf-8")
    assert main(["groups", str(invalid), PAIRING]) == 2
    assert "sessiontui check" in one_line_error(capsys, invalid)

    missing = tmp_path / "missing.toml"
    assert main(["groups", str(missing), PAIRING]) == 2
    assert one_line_error(capsys, missing) == f"{missing}: no such file"
    assert not missing.exists()
    assert list(tmp_path.glob(".*lock")) == []


def test_a_file_from_a_newer_version_is_not_written(
    session_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = session_file.read_text(encoding="utf-8").replace(
        "schema_version = 1", "schema_version = 99"
    )
    session_file.write_text(text, encoding="utf-8")

    assert main(["groups", str(session_file), PAIRING]) == 2

    assert one_line_error(capsys, session_file) == (
        f"{session_file} is read-only (written by a newer sessiontui: schema_version 99,"
        f" this one reads up to {SCHEMA_VERSION}), so no groups were drawn"
    )
    assert session_file.read_text(encoding="utf-8") == text


def test_a_file_locked_by_another_program_is_left_alone(
    session_file: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store_atomic, "LOCK_TIMEOUT", 0.05)
    original = session_file.read_bytes()
    held, release = threading.Event(), threading.Event()

    def hold_the_lock() -> None:
        with session_io.lock_for(session_file).acquire():
            held.set()
            release.wait(timeout=30)

    holder = threading.Thread(target=hold_the_lock)
    holder.start()
    try:
        assert held.wait(timeout=30)
        assert main(["groups", str(session_file), PAIRING]) == 2
    finally:
        release.set()
        holder.join(timeout=30)

    error = one_line_error(capsys, session_file)
    assert error == f"{session_file}: another program kept the file locked; no groups saved"
    assert session_file.read_bytes() == original


def test_groups_has_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["groups", "--help"])
    assert exited.value.code == 0
    out = capsys.readouterr().out
    assert "usage: sessiontui groups" in out
    assert "--seed" in out and "--size" in out
