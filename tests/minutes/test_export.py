"""Exported minutes: golden files of the recorded and the plan-only workshop, and the command line.

The golden files are what a facilitator would send; any change to them is a change to the
minutes and must be looked at. `UPDATE_GOLDEN=1 pytest tests/minutes/test_export.py` rewrites them.
"""

from __future__ import annotations

import difflib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from recorded import recorded_example
from sessiontui import session_file
from sessiontui.cli import main
from sessiontui.core.model import Session
from sessiontui.minutes import formats, html, markdown

GOLDEN = Path(__file__).resolve().parent / "golden"


def assert_golden(name: str, text: str) -> None:
    """Compare with tests/minutes/golden/NAME, or rewrite it when UPDATE_GOLDEN=1."""
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN") == "1":
        GOLDEN.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="")
        return
    expected = path.read_text(encoding="utf-8") if path.exists() else ""
    if text != expected:
        diff = "".join(
            difflib.unified_diff(
                expected.splitlines(keepends=True),
                text.splitlines(keepends=True),
                f"tests/minutes/golden/{name}",
                "exported now",
            )
        )
        pytest.fail(
            f"the minutes differ from tests/minutes/golden/{name} "
            f"(UPDATE_GOLDEN=1 rewrites it once the change is intended):\n{diff}",
            pytrace=False,
        )


@pytest.fixture
def plan_only(example_path: Path) -> Session:
    return session_file.load(example_path).session


def test_the_recorded_workshop_as_markdown_matches_its_golden_file() -> None:
    assert_golden("minutes-recorded.md", markdown.render(recorded_example()))


def test_the_recorded_workshop_as_html_matches_its_golden_file() -> None:
    assert_golden("minutes-recorded.html", html.render(recorded_example()))


def test_the_plan_only_workshop_as_markdown_matches_its_golden_file(plan_only: Session) -> None:
    assert_golden("minutes-plan.md", markdown.render(plan_only))


def test_the_plan_only_workshop_as_html_matches_its_golden_file(plan_only: Session) -> None:
    assert_golden("minutes-plan.html", html.render(plan_only))


@pytest.mark.parametrize("fmt", formats.FORMATS)
def test_the_participants_minutes_of_the_recorded_workshop_match_their_golden_file(
    fmt: str,
) -> None:
    assert_golden(
        f"participants-recorded.{fmt}", formats.render(recorded_example(), fmt, "participants")
    )


@pytest.mark.parametrize("fmt", formats.FORMATS)
def test_the_plan_handout_matches_its_golden_file(plan_only: Session, fmt: str) -> None:
    assert_golden(f"handout.{fmt}", formats.render_plan(plan_only, fmt))


def test_the_minutes_hold_what_the_issue_asks_for_in_its_order() -> None:
    text = markdown.render(recorded_example())
    in_order = [
        "# Workshop 2: Building common understanding and common purpose",
        "Series: Active Partners Trust Systems Leadership Workshops",
        "Thursday 16 February 2023",
        "13:00 to 16:00 (Europe/London)",
        "Debbie Sorkin, Katie Crockett, James Cook",
        "## Who took part",
        "- Amira Patel (Active Notts)",
        "Started 13:02 (2 min late) · finished 15:59 (1 min early) · paused 3 min",
        "| 3 | Randomised Coffee Trial | 13:15 | 13:16 | 15 min | 19 min | +4 min | ▲ overran |",
        "| 7 | Discussion in plenary: what's resonating? | 14:20 | 14:31 | 10 min | 0 min | — "
        "| skipped |",
        "## What happened",
        "- 13:52 Paused for 3 min during Working in complexity and systems leadership",
        "## Notes by breakout",
        "Lots of energy.\\\nThree pairs found they work on the same estate.",
        "**What do they see?**",
        "**What do they actually do or expect?**",
        "## Common purpose",
        "*23 / 40 words*",
        "*45 / 40 words · 5 over the limit*",
        "## Commitments",
        "| Amira Patel | Try the common purpose exercise with my team | 2023-03-21 | done |",
        "| Ben Clarke | Have a coffee with someone from the NHS trust | — | open |",
        "## Ways of working",
        "## Coming up",
        "- **Tuesday 21 March 2023:** Dancefloor and Balcony: getting the bigger picture",
    ]
    positions = [text.find(piece) for piece in in_order]
    missing = [piece for piece, at in zip(in_order, positions, strict=True) if at < 0]
    assert missing == []
    assert positions == sorted(positions)


def test_a_session_that_never_ran_says_so_instead_of_inventing_times(plan_only: Session) -> None:
    text = markdown.render(plan_only)
    assert "Not run yet" in text
    # Nothing was noted, logged or committed: those sections are left out, not printed empty.
    for heading in ("## What happened", "## Notes by breakout", "## Commitments"):
        assert heading not in text
    assert "| 1 | Welcome and introduction to the session | 13:00 | — | 10 min | — | — |  |" in text
    page = html.render(plan_only)
    assert 'class="actual"' not in page
    assert page.count('class="plan"') == len(plan_only.agenda)


def test_a_session_still_running_when_last_saved_says_so() -> None:
    session = recorded_example()
    text = markdown.render(session.model_copy(update={"log": session.log[:8]}))
    assert "Started 13:02 (2 min late) · not finished when last saved · paused 3 min" in text
    assert "| 5 | Working in complexity and systems leadership |" in text
    assert "| running |" in text


def test_absent_people_are_named_as_absent(plan_only: Session) -> None:
    people = list(plan_only.participants)
    people[1] = people[1].model_copy(update={"absent": True})
    text = markdown.render(plan_only.model_copy(update={"participants": people}))
    assert "Absent: Ben Clarke (Derbyshire County Council)." in text
    assert "- Ben Clarke" not in text


def test_an_unknown_format_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown minutes format 'pdf'"):
        formats.render(recorded_example(), "pdf")


def test_the_html_page_fetches_nothing_and_forbids_fetching() -> None:
    page = html.render(recorded_example())
    assert (
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'; img-src data:\">" in page
    )
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    for fetching in ("<script", "<link", "src=", "url(", "@import", "http://", "https://"):
        assert fetching not in page.replace('xmlns="http://www.w3.org/2000/svg"', "")


# ---------------------------------------------------------------------------- the command line


@pytest.fixture
def recorded_file(tmp_path: Path) -> Path:
    path = tmp_path / "workshop.toml"
    session_file.save(path, recorded_example())
    return path


def test_export_prints_markdown_by_default(
    recorded_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["export", str(recorded_file)]) == 0
    out = capsys.readouterr().out
    assert out == markdown.render(session_file.load(recorded_file).session)


def test_export_writes_html_to_the_output_file_and_names_it(
    recorded_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "minutes.txt"
    assert main(["export", str(recorded_file), "--format", "html", "-o", str(target)]) == 0
    assert capsys.readouterr().out == f"{target}\n"
    assert target.read_text(encoding="utf-8") == html.render(
        session_file.load(recorded_file).session
    )


@pytest.mark.parametrize(("name", "start"), [("minutes.html", "<!DOCTYPE html>"), ("m.md", "# ")])
def test_export_infers_the_format_from_the_output_name(
    recorded_file: Path, tmp_path: Path, name: str, start: str
) -> None:
    assert main(["export", str(recorded_file), "-o", str(tmp_path / name)]) == 0
    assert (tmp_path / name).read_text(encoding="utf-8").startswith(start)


def test_export_refuses_to_write_minutes_into_a_toml_file(
    recorded_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "other.toml"
    assert main(["export", str(recorded_file), "-o", str(target)]) == 2
    captured = capsys.readouterr()
    assert captured.err == f"{target}: not writing minutes over a session file\n"
    assert not target.exists()


def test_export_over_its_own_session_file_leaves_it_alone(
    recorded_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = recorded_file.read_bytes()
    assert main(["export", str(recorded_file), "-o", str(recorded_file)]) == 2
    assert recorded_file.read_bytes() == before
    assert capsys.readouterr().err.count("\n") == 1


def test_export_to_a_folder_says_so_in_one_line(
    recorded_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    assert main(["export", str(recorded_file), "-o", str(folder)]) == 2
    captured = capsys.readouterr()
    assert captured.err == f"{folder}: is a folder\n"
    assert list(folder.iterdir()) == []


@pytest.mark.subprocess
def test_export_of_a_broken_file_exits_2_with_the_lines_check_prints(
    tmp_path: Path, example_path: Path
) -> None:
    broken = tmp_path / "broken.toml"
    text = example_path.read_text(encoding="utf-8")
    broken.write_text(
        text.replace("minutes = 10\n", "minuts = 10\n", 1).replace(
            "minutes = 5\n", "minutes = 0\n", 1
        ),
        encoding="utf-8",
    )
    command = [sys.executable, "-m", "sessiontui"]
    exported = subprocess.run(
        [*command, "export", str(broken)], capture_output=True, text=True, timeout=60, check=False
    )
    checked = subprocess.run(
        [*command, "check", str(broken)], capture_output=True, text=True, timeout=60, check=False
    )
    assert exported.returncode == checked.returncode == 2
    assert exported.stdout == ""
    assert checked.stdout.count("\n") >= 2
    assert exported.stderr == checked.stdout


def test_the_command_prints_exactly_the_golden_plan_minutes(
    workshop_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The golden tests call the renderers directly; this ties the golden file to what people run.
    assert main(["export", str(workshop_copy)]) == 0
    assert capsys.readouterr().out == (GOLDEN / "minutes-plan.md").read_text(encoding="utf-8")
