"""The command line: check, new, schema and --help, as a user or a script sees them."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sessiontui import session_file
from sessiontui.cli import main, slugify

MINIMAL = """\
schema_version = 1
title = "Minimal"
date = 2024-01-10
start = 09:00:00
end = 10:00:00

[[agenda]]
id = "only"
title = "The only item"
kind = "plenary"
minutes = 30
"""


def run_cli(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sessiontui", *map(str, args)],
        capture_output=True,
        check=False,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )


def test_check_passes_on_the_bundled_example(
    example_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", str(example_path)]) == 0
    assert capsys.readouterr().out == f"{example_path}: ok\n"


def test_check_reports_each_file_and_fails_when_any_is_bad(
    tmp_path: Path, example_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(MINIMAL.replace("minutes = 30", "minutes = 30.5"), encoding="utf-8")
    syntax = tmp_path / "syntax.toml"
    syntax.write_text('schema_version = 1\ntitle = "unterminated\n', encoding="utf-8")

    assert main(["check", str(example_path), str(bad), str(syntax)]) == 2

    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == f"{example_path}: ok"
    assert re.fullmatch(
        rf"{re.escape(str(bad))}:(\d+: )? ?agenda\[0\]\.minutes: .*whole.*", lines[1]
    )
    assert re.fullmatch(rf"{re.escape(str(syntax))}:2:\d+: .+", lines[2])
    assert len(lines) == 3


def test_check_prints_plan_warnings_without_failing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    long_plan = tmp_path / "long.toml"
    long_plan.write_text(MINIMAL.replace("minutes = 30", "minutes = 90"), encoding="utf-8")

    assert main(["check", str(long_plan)]) == 0

    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"{long_plan}: ok"
    assert out[1].startswith(f"{long_plan}: warning: ") and "past the end" in out[1]


def test_check_names_a_newer_file_once_in_its_warning(
    tmp_path: Path, example_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    newer = tmp_path / "newer.toml"
    text = example_path.read_text(encoding="utf-8")
    newer.write_text(text.replace("schema_version = 1", "schema_version = 2"), encoding="utf-8")

    assert main(["check", str(newer)]) == 0

    out = capsys.readouterr().out.splitlines()
    assert out == [
        f"{newer}: ok",
        f"{newer}: warning: written by a newer sessiontui (schema_version 2; this one reads"
        " up to 1); opened read-only",
    ]


def test_bad_input_on_the_real_command_exits_2_without_a_traceback(tmp_path: Path) -> None:
    folder = tmp_path / "d.toml"
    folder.mkdir()
    empty = tmp_path / "empty.toml"
    empty.write_text("", encoding="utf-8")

    for target in (folder, empty, tmp_path / "missing.toml"):
        for command in ("check", "run"):
            result = run_cli(command, target)
            assert result.returncode == 2, (command, target, result)
            output = result.stdout + result.stderr
            assert "Traceback" not in output
            assert len(output.strip().splitlines()) == 1
            assert output.startswith(str(target))


def test_schema_prints_the_json_schema_of_the_models(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema["title"] == "Session"
    assert "agenda" in schema["properties"]
    assert schema["properties"]["title"]["description"]


def test_every_subcommand_has_help() -> None:
    for command in ([], ["check"], ["new"], ["schema"], ["run"]):
        result = run_cli(*command, "--help")
        assert result.returncode == 0
        assert "usage: sessiontui" in result.stdout


def test_new_takes_the_next_date_and_title_from_upcoming(
    tmp_path: Path, example_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "source.toml"
    shutil.copy(example_path, source)
    assert main(["--dir", str(tmp_path), "new", "--from", str(source)]) == 0

    written = Path(capsys.readouterr().out.strip())
    assert written == tmp_path / "2023-03-21-dancefloor-and-balcony-getting-the-bigger-picture.toml"
    new = session_file.load(written).session
    old = session_file.load(source).session
    assert new.title == "Dancefloor and Balcony: getting the bigger picture"
    assert new.agenda == old.agenda
    assert new.ways_of_working == old.ways_of_working
    assert [entry.date.isoformat() for entry in new.upcoming] == [
        "2023-04-25",
        "2023-05-23",
        "2023-06-22",
    ]
    assert (new.groups, new.notes, new.actions, new.log) == ([], [], [], [])


def test_new_drops_what_the_run_recorded(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "ran.toml"
    source.write_text(
        MINIMAL
        + '\n[[notes]]\nitem = "only"\ntext = "said things"\n'
        + '\n[[actions]]\nwho = "Ann"\nwhat = "call Bob"\n'
        + '\n[[log]]\nat = 2024-01-10T09:00:00Z\nkind = "start"\n',
        encoding="utf-8",
    )
    out = tmp_path / "next.toml"
    assert main(["new", "--from", str(source), "--date", "2024-02-01", "-o", str(out)]) == 0

    new = session_file.load(out).session
    assert new.date.isoformat() == "2024-02-01"
    assert new.title == "Minimal"
    assert (new.notes, new.actions, new.log) == ([], [], [])


def test_new_never_overwrites(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "source.toml"
    source.write_text(MINIMAL, encoding="utf-8")
    taken = tmp_path / "taken.toml"
    taken.write_text("precious", encoding="utf-8")

    assert main(["new", "--from", str(source), "-o", str(taken)]) == 2

    assert taken.read_text(encoding="utf-8") == "precious"
    assert "already exists" in capsys.readouterr().err


def test_new_from_a_broken_file_exits_2_with_its_problem(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text("title = \n", encoding="utf-8")
    assert main(["new", "--from", str(broken), "-o", str(tmp_path / "x.toml")]) == 2
    assert capsys.readouterr().err.startswith(f"{broken}:1:")
    assert not (tmp_path / "x.toml").exists()


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("../../x", "x"),
        ("Workshop 2: Building common purpose", "workshop-2-building-common-purpose"),
        ("Café ☕ résumé 😀", "cafe-resume"),
        ("😀😀", "session"),
        ("", "session"),
    ],
)
def test_slugify_examples(title: str, slug: str) -> None:
    assert slugify(title) == slug


@given(st.text(max_size=400))
def test_slugify_is_always_a_safe_short_name(title: str) -> None:
    slug = slugify(title)
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug)
    assert len(slug) <= 60


def test_new_with_a_hostile_title_stays_in_the_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "source.toml"
    source.write_text(MINIMAL, encoding="utf-8")
    sessions = tmp_path / "sessions"
    title = "../../" + "x" * 300 + " 😀"

    code = main(["--dir", str(sessions), "new", "--from", str(source), "--title", title])

    assert code == 0
    written = Path(capsys.readouterr().out.strip())
    assert written.parent == sessions
    assert session_file.load(written).session.title == title


def test_new_with_an_empty_title_names_the_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "source.toml"
    source.write_text(MINIMAL, encoding="utf-8")
    out = tmp_path / "out.toml"

    assert main(["new", "--from", str(source), "--title", "", "-o", str(out)]) == 2

    assert capsys.readouterr().err.startswith("sessiontui new: title: ")
    assert not out.exists()
