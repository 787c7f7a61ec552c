"""The command line for new sessions: templates, new --template, --from beside, import, edit."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from sessiontui import session_file
from sessiontui.cli import _build_parser, main
from sessiontui.store import templates


def test_templates_lists_every_template_with_title_length_and_source(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["templates"]) == 0
    out = capsys.readouterr().out
    for name in templates.BUILT_IN:
        assert f"\n{name} " in f"\n{out}"
    assert "Team retrospective · 1h30 · 5 items · built-in" in out
    assert str(templates.user_folder()) in out


@pytest.mark.parametrize("name", list(templates.BUILT_IN))
def test_new_from_each_template_passes_check(
    tmp_path: Path, name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        [
            "--dir",
            str(tmp_path),
            "new",
            "--template",
            name,
            "--title",
            "Mine",
            "--date",
            "2026-12-10",
        ]
    )
    assert code == 0
    written = Path(capsys.readouterr().out.strip())
    assert written == tmp_path / "2026-12-10-mine.toml"
    session = session_file.load(written).session
    assert (session.title, session.date) == ("Mine", dt.date(2026, 12, 10))
    assert main(["check", str(written)]) == 0
    assert capsys.readouterr().out == f"{written}: ok\n"


def test_new_from_a_template_defaults_to_the_sessions_folder_and_its_title(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["new", "--template", "retro", "--date", "2026-12-10"]) == 0
    assert capsys.readouterr().out.strip() == "sessions/2026-12-10-team-retrospective.toml"
    # Never over an existing file.
    assert main(["new", "--template", "retro", "--date", "2026-12-10"]) == 2
    assert "already exists" in capsys.readouterr().err


def test_an_unknown_template_is_one_line_listing_the_known_ones(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "sessions"
    assert main(["--dir", str(folder), "new", "--template", "retroo"]) == 2
    err = capsys.readouterr().err
    assert err == (
        "sessiontui new: no template is called 'retroo'; known: "
        + ", ".join(templates.BUILT_IN)
        + "\n"
    )
    assert not folder.exists()


def test_new_from_a_file_writes_beside_it_unless_told(
    tmp_path: Path,
    example_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    series = tmp_path / "series"
    series.mkdir()
    source = series / example_path.name
    shutil.copy(example_path, source)
    monkeypatch.chdir(tmp_path)
    assert main(["new", "--from", str(source), "--date", "2023-09-01"]) == 0
    written = Path(capsys.readouterr().out.strip())
    assert written.parent == series
    elsewhere = tmp_path / "elsewhere"
    assert (
        main(["--dir", str(elsewhere), "new", "--from", str(source), "--date", "2023-09-02"]) == 0
    )
    assert Path(capsys.readouterr().out.strip()).parent == elsewhere


def test_new_with_a_date_and_no_title_does_not_repeat_the_old_date(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "retro.toml"
    session = templates.load("retro")
    session.title = "Team retro 2026-01-01"
    session_file.create(source, session)
    assert main(["new", "--from", str(source), "--date", "2026-01-15"]) == 0
    written = Path(capsys.readouterr().out.strip())
    assert written.name == "2026-01-15-team-retro-2026-01-15.toml"
    assert session_file.load(written).session.title == "Team retro 2026-01-15"


def test_templates_save_keeps_the_plan_only_and_never_overwrites(
    tmp_path: Path, example_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ran = (
        Path(__file__).resolve().parents[2]
        / "sessions"
        / "2023-01-19-leading-beyond-your-organisation.toml"
    )
    assert main(["templates", "save", str(ran), "--name", "leading"]) == 0
    saved = Path(capsys.readouterr().out.strip())
    assert saved == templates.user_folder() / "leading.toml"
    plan = session_file.load(saved).session
    assert (plan.log, plan.notes, plan.actions, plan.groups, plan.participants) == ([],) * 5
    assert plan.agenda == session_file.load(ran).session.agenda

    assert main(["templates", "save", str(example_path), "--name", "leading"]) == 2
    assert "(add --replace to replace it)" in capsys.readouterr().err
    assert session_file.load(saved).session.title == plan.title
    assert main(["templates", "save", str(example_path), "--name", "retro"]) == 2
    assert "a built-in template has that name" in capsys.readouterr().err

    assert main(["templates"]) == 0
    assert "leading" in capsys.readouterr().out
    assert (
        main(["--dir", str(tmp_path), "new", "--template", "leading", "--date", "2026-02-02"]) == 0
    )
    capsys.readouterr()


CSV = """\
Title,Duration (min),Type,Start,Prompts,Owner
Welcome and check-in,10,plenary,13:30,"Why are we here?|What do you hope for?",Ann
Coffee trial,15,pairing,,"Who are you?
What can you offer?",Ben
Tea,10,break,14:30,,
Close,5,close,,One thing you will do,
"""


def test_import_makes_a_session_that_passes_check(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    agenda = tmp_path / "team-day.csv"
    agenda.write_text(CSV, encoding="utf-8")
    code = main(["--dir", str(tmp_path), "import", str(agenda), "--date", "2026-05-01"])
    assert code == 0
    captured = capsys.readouterr()
    written = Path(captured.out.strip())
    assert written == tmp_path / "2026-05-01-team-day.toml"
    assert "column 'Owner' is not read" in captured.err
    session = session_file.load(written).session
    assert session.title == "Team day"
    assert [item.id for item in session.agenda] == [
        "welcome-and-check-in",
        "coffee-trial",
        "tea",
        "close",
    ]
    assert session.agenda[1].prompts == ["Who are you?", "What can you offer?"]
    assert (session.start, session.end) == (dt.time(13, 30), dt.time(14, 45))
    assert main(["check", str(written)]) == 0


def test_import_reports_every_bad_row_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    agenda = tmp_path / "agenda.csv"
    agenda.write_text(
        "title,minutes,kind\nWelcome,10,plenary\nTalk,ten,plenary\n\nTea,5,snack\n",
        encoding="utf-8",
    )
    output = tmp_path / "out.toml"
    assert main(["import", str(agenda), "-o", str(output)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err[0] == f'{agenda}:3: minutes: "ten" is not a whole number'
    assert err[1].startswith(f'{agenda}:5: kind: "snack" is not a kind: ')
    assert len(err) == 2
    assert not output.exists()


def test_import_reads_a_workbook(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Item", "Minutes", "Fixed time", "Prompts"])
    sheet.append(["Welcome", 10, None, "One\nTwo"])
    sheet.append(["Lunch", 45, dt.time(12, 30), None])
    path = tmp_path / "plan.xlsx"
    workbook.save(path)
    output = tmp_path / "plan.toml"
    assert (
        main(["import", str(path), "--title", "Plan", "--start", "11:00", "-o", str(output)]) == 0
    )
    session = session_file.load(output).session
    assert (session.start, session.end) == (dt.time(11), dt.time(13, 15))
    assert session.agenda[0].prompts == ["One", "Two"]


def test_edit_opens_the_app_in_edit_mode(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    args = _build_parser().parse_args(["edit", "plan.toml"])
    opened: list[tuple[Path, str]] = []
    from sessiontui.cli import screens as cli

    def fake_open(path: Path, *, mode: str, **_: object) -> int:
        opened.append((path, mode))
        return 0

    monkeypatch.setattr(cli, "_open_session", fake_open)
    assert args.handler(args) == 0
    assert opened == [(Path("plan.toml"), "edit")]


def test_the_new_subcommands_have_help() -> None:
    for command in (["templates"], ["templates", "save"], ["import"], ["edit"], ["new"]):
        result = subprocess.run(
            [sys.executable, "-m", "sessiontui", *command, "--help"],
            capture_output=True,
            check=False,
            text=True,
            timeout=60,
            stdin=subprocess.DEVNULL,
        )
        assert result.returncode == 0, result.stderr
        assert "usage: sessiontui" in result.stdout


def test_the_example_csv_in_the_docs_imports_and_passes_check(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    docs = (Path(__file__).resolve().parents[2] / "docs" / "templates.md").read_text("utf-8")
    example = docs.split("```csv\n", 1)[1].split("```", 1)[0]
    agenda = tmp_path / "team-day.csv"
    agenda.write_text(example, encoding="utf-8")
    assert main(["--dir", str(tmp_path), "import", str(agenda), "--date", "2026-05-01"]) == 0
    written = Path(capsys.readouterr().out.strip())
    session = session_file.load(written).session
    assert [item.kind for item in session.agenda] == [
        "plenary",
        "pairing",
        "break",
        "plenary",
        "close",
    ]
    assert session.agenda[3].notes_template == "what-so-what-now-what"
    assert main(["check", str(written)]) == 0
