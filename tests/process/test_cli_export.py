"""`sessiontui export` for participants, the plan handout and the calendar file, as people run it.

In process through `cli.main` (the parsing and the files written), and once as a real process
writing a calendar file of the series that `icalendar` reads back. Options that do not go
together are one line on stderr and exit 2, before the session is even read.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import icalendar
import pytest

from recorded import recorded_example
from sessiontui import session_file
from sessiontui.cli import main
from sessiontui.minutes import formats

SESSIONS = Path(__file__).resolve().parents[2] / "sessions"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A copy of the bundled series: workshop 1 and workshop 2."""
    copy = tmp_path / "sessions"
    copy.mkdir()
    for path in SESSIONS.glob("*.toml"):
        shutil.copy(path, copy / path.name)
    return copy


@pytest.fixture
def second(folder: Path) -> Path:
    return folder / "2023-02-16-building-common-purpose.toml"


@pytest.fixture
def in_tmp_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run from the test's folder, so a relative -o could only land there."""
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def recorded_file(tmp_path: Path) -> Path:
    path = tmp_path / "workshop.toml"
    session_file.save(path, recorded_example())
    return path


def test_for_participants_prints_the_participants_minutes(
    recorded_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["export", str(recorded_file), "--for", "participants"]) == 0
    out = capsys.readouterr().out
    session = session_file.load(recorded_file).session
    assert out == formats.render(session, "md", "participants")
    assert "Amira Patel" not in out and "## Who took part" not in out


def test_for_facilitators_is_the_default(
    recorded_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["export", str(recorded_file), "--for", "facilitators"]) == 0
    chosen = capsys.readouterr().out
    assert main(["export", str(recorded_file)]) == 0
    assert capsys.readouterr().out == chosen
    assert "- Amira Patel (Active Notts)" in chosen


def test_the_participants_minutes_as_html_by_the_output_name(
    recorded_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "for-participants.html"
    assert main(["export", str(recorded_file), "--for", "participants", "-o", str(target)]) == 0
    assert capsys.readouterr().out == f"{target}\n"
    session = session_file.load(recorded_file).session
    assert target.read_text(encoding="utf-8") == formats.render(session, "html", "participants")


@pytest.mark.parametrize(("args", "fmt"), [([], "md"), (["--format", "html"], "html")])
def test_plan_prints_the_handout(
    second: Path, capsys: pytest.CaptureFixture[str], args: list[str], fmt: str
) -> None:
    assert main(["export", str(second), "--plan", *args]) == 0
    out = capsys.readouterr().out
    assert out == formats.render_plan(session_file.load(second).session, fmt)
    assert "13:15–13:30" in out
    assert "One practical thing you" in out  # a prompt
    # Facilitator notes never reach a handout.
    assert "Cynefin" not in out


def test_plan_writes_html_by_the_output_name(
    second: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "handout.html"
    assert main(["export", str(second), "--plan", "-o", str(target)]) == 0
    page = target.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert "<title>Plan: Workshop 2: Building common understanding and common purpose</title>" in (
        page
    )
    capsys.readouterr()


def test_ics_writes_the_session_and_series_as_a_calendar(
    folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = folder / "2023-01-19-leading-beyond-your-organisation.toml"
    target = tmp_path / "series.ics"
    assert main(["export", str(first), "--ics", "--series", "-o", str(target)]) == 0
    assert capsys.readouterr().out == f"{target}\n"
    parsed = icalendar.Calendar.from_ical(target.read_bytes())
    summaries = [str(event["summary"]) for event in parsed.events]
    assert summaries[:2] == [
        "Workshop 1: Leading beyond your organisation",
        "Workshop 2: Building common understanding and common purpose",
    ]
    assert len(summaries) == 6  # the two files, then four upcoming dates without a file
    assert target.read_bytes().count(b"\r\n") == target.read_bytes().count(b"\n")


def test_ics_without_series_is_one_event_printed(
    second: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["export", str(second), "--ics"]) == 0
    parsed = icalendar.Calendar.from_ical(capsys.readouterr().out)
    assert len(parsed.events) == 1


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--ics", "--plan"], "--ics and --plan write different files; choose one"),
        (
            ["--ics", "--for", "participants"],
            "--for chooses whose minutes; a calendar file (--ics) is the same for everyone",
        ),
        (["--ics", "--format", "md"], "--format is md or html; --ics always writes"),
        (["--plan", "--for", "participants"], "--plan is the handout for everyone"),
        (["--series"], "--series adds the series' sessions to a calendar file: use it with --ics"),
        (["-o", "cal.ics"], "cal.ics is a calendar file's name: add --ics"),
    ],
)
@pytest.mark.usefixtures("in_tmp_path")
def test_options_that_do_not_go_together_are_one_line_and_exit_2(
    second: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], says: str
) -> None:
    assert main(["export", str(second), *args]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1
    assert captured.err.startswith(f"sessiontui export: {says}")
    assert list(tmp_path.glob("*.ics")) == []


def test_a_clash_is_reported_before_the_file_is_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "no-such.toml"
    assert main(["export", str(missing), "--ics", "--plan"]) == 2
    assert "choose one" in capsys.readouterr().err


def test_ics_keeps_the_refusals_of_minutes(
    second: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    real = tmp_path / "real.ics"
    real.write_text("mine\n", encoding="utf-8")
    link = tmp_path / "link.ics"
    link.symlink_to(real)
    assert main(["export", str(second), "--ics", "-o", str(link)]) == 2
    assert capsys.readouterr().err == (
        f"{link}: is a symbolic link; not writing minutes through it\n"
    )
    assert real.read_text(encoding="utf-8") == "mine\n"
    assert main(["export", str(second), "--ics", "-o", str(second)]) == 2
    assert "not writing minutes over a session file" in capsys.readouterr().err


@pytest.mark.subprocess
def test_a_real_process_writes_a_calendar_file_a_calendar_library_reads(
    second: Path, tmp_path: Path
) -> None:
    target = tmp_path / "workshop.ics"
    done = subprocess.run(
        [sys.executable, "-m", "sessiontui", "export", str(second), "--ics", "-o", str(target)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert (done.returncode, done.stderr) == (0, "")
    (event,) = icalendar.Calendar.from_ical(target.read_bytes()).events
    assert str(event["summary"]) == "Workshop 2: Building common understanding and common purpose"
    assert str(event.start.tzinfo) == "Europe/London"
