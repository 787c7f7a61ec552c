"""The command line under hostile names, closed pipes, odd targets and no terminal (issue 16).

Each test runs the real `python -m sessiontui` in a subprocess, as a script or a shell would,
and checks the one line it must print, its exit code, and that no traceback escapes.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shlex
import subprocess
import sys
from pathlib import Path

from sessiontui.cli import EXIT_BROKEN_PIPE, _build_parser

TERMINAL_HELPER = Path(__file__).resolve().parent.parent / "helpers" / "terminal.py"

HOSTILE_TITLE = "Red\x1b[31m alert\u202eevil\nsecond line"

PLAN = """\
schema_version = 1
title = "Hardening"
date = 2024-01-10
start = 09:00:00
end = 10:00:00

[[agenda]]
id = "only"
title = {title}
kind = "plenary"
minutes = {minutes}
{extra}"""


def session_text(title: str = "The only item", minutes: int = 30, extra: str = "") -> str:
    """A one-item session; `title` is written as a TOML basic string with escapes."""
    escaped = title.encode("unicode_escape").decode("ascii").replace('"', '\\"')
    # TOML wants \\uXXXX for non-ASCII escapes, which unicode_escape writes as \\xXX too.
    escaped = escaped.replace("\\x1b", "\\u001b")
    return PLAN.format(title=f'"{escaped}"', minutes=minutes, extra=extra)


def run_cli(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sessiontui", *map(str, args)],
        capture_output=True,
        check=False,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
        cwd=cwd,
    )


def assert_terminal_safe(output: str) -> None:
    assert "\x1b" not in output
    assert "\u202e" not in output
    assert "Traceback" not in output


def test_check_prints_a_hostile_title_in_a_plan_warning_safely(tmp_path: Path) -> None:
    path = tmp_path / "hostile.toml"
    # Fixed at 09:10, after a start at 09:00: a warning naming the item by its title.
    path.write_text(session_text(HOSTILE_TITLE, extra="at = 09:10:00\n"), encoding="utf-8")

    result = run_cli("check", path)

    assert result.returncode == 0, result
    assert_terminal_safe(result.stdout + result.stderr)
    lines = result.stdout.splitlines()
    assert lines[0] == f"{path}: ok"
    # The title's newline did not split the warning: every line is one of this file's.
    assert len(lines) >= 2
    assert all(line.startswith(f"{path}: ") for line in lines)
    assert any("warning" in line and "second line" in line for line in lines)


def test_check_prints_a_hostile_file_name_safely(tmp_path: Path) -> None:
    path = tmp_path / "a\x1b[31mb\u202ec\nd.toml"
    path.write_text(session_text(), encoding="utf-8")

    result = run_cli("check", path)

    assert result.returncode == 0, result
    assert_terminal_safe(result.stdout + result.stderr)
    assert len(result.stdout.splitlines()) == 1
    assert result.stdout.rstrip("\n").endswith("d.toml: ok")


def run_into_a_closed_pipe(*args: str | Path) -> subprocess.CompletedProcess[str]:
    """Run with stdout a pipe whose reader closed before the command started, as `| head -0`."""
    reader, writer = os.pipe()
    os.close(reader)
    try:
        return subprocess.run(
            [sys.executable, "-m", "sessiontui", *map(str, args)],
            stdout=writer,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            check=False,
            text=True,
            timeout=60,
        )
    finally:
        os.close(writer)


def test_output_into_a_closed_pipe_ends_quietly_with_141(tmp_path: Path) -> None:
    files = []
    for index in range(50):
        path = tmp_path / f"s{index}.toml"
        path.write_text(session_text(), encoding="utf-8")
        files.append(path)

    for args in (["check", *files], ["schema"]):
        result = run_into_a_closed_pipe(*args)
        assert result.returncode == EXIT_BROKEN_PIPE, (args, result)
        assert result.stderr == "", args
    # argparse itself ignores an OSError writing help; all that matters is no traceback.
    for args in (["--help"], ["check", "--help"]):
        assert run_into_a_closed_pipe(*args).stderr == "", args


def test_check_piped_into_head_prints_the_first_line_only(tmp_path: Path) -> None:
    # More than a pipe's 64 KiB of output, so `check` is still writing when head has gone.
    for index in range(2000):
        path = tmp_path / f"session-{index:05d}-{'x' * 40}.toml"
        path.write_text(session_text(), encoding="utf-8")
    command = shlex.join([sys.executable, "-m", "sessiontui", "check"])

    result = subprocess.run(
        ["bash", "-o", "pipefail", "-c", f"{command} *.toml | head -1"],
        capture_output=True,
        check=False,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
        cwd=tmp_path,
    )

    assert result.stdout == f"session-00000-{'x' * 40}.toml: ok\n"
    assert result.stderr == ""
    assert result.returncode == EXIT_BROKEN_PIPE


def test_dir_works_after_the_subcommand_too(tmp_path: Path, example_path: Path) -> None:
    source_folder = tmp_path / "series"
    source_folder.mkdir()
    source = source_folder / "first.toml"
    source.write_bytes(example_path.read_bytes())
    elsewhere = tmp_path / "elsewhere"

    after = run_cli("new", "--from", source, "--date", "2031-05-06", "--dir", elsewhere)
    assert after.returncode == 0, after
    assert Path(after.stdout.strip()).parent == elsewhere

    # Without --dir anywhere, `new --from` still writes beside its file.
    beside = run_cli("new", "--from", source, "--date", "2031-06-07")
    assert beside.returncode == 0, beside
    assert Path(beside.stdout.strip()).parent == source_folder

    # Given in both places, the one after the subcommand wins, as the nearer one.
    both = run_cli("--dir", tmp_path / "x", "check", "--dir", elsewhere)
    assert both.returncode == 0, both
    assert both.stdout.startswith(str(elsewhere))


def test_check_takes_a_folder_or_its_glob_with_the_schema_beside(tmp_path: Path) -> None:
    folder = tmp_path / "sessions"
    folder.mkdir()
    for name in ("a.toml", "b.toml"):
        (folder / name).write_text(session_text(), encoding="utf-8")
    (folder / "session.schema.json").write_text("{}", encoding="utf-8")
    (folder / ".a.toml.tmp").write_text("half", encoding="utf-8")

    in_folder = run_cli("check", folder)
    globbed = run_cli("check", *sorted(folder.iterdir()))
    by_dir = run_cli("check", cwd=tmp_path)

    assert in_folder.returncode == 0, in_folder
    assert in_folder.stdout.splitlines() == [f"{folder / 'a.toml'}: ok", f"{folder / 'b.toml'}: ok"]
    assert globbed.returncode == 0, globbed
    assert f"{folder / 'session.schema.json'}: skipped: not a session file" in globbed.stdout
    assert by_dir.returncode == 0, by_dir
    assert by_dir.stdout.splitlines() == [
        f"{Path('sessions') / 'a.toml'}: ok",
        f"{Path('sessions') / 'b.toml'}: ok",
    ]


def test_check_fails_on_a_bad_session_in_a_folder_and_on_nothing_to_check(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "sessions"
    folder.mkdir()
    (folder / "good.toml").write_text(session_text(), encoding="utf-8")
    (folder / "bad.toml").write_text("schema_version = 1\ntitle = 3\n", encoding="utf-8")
    empty = tmp_path / "empty"
    empty.mkdir()
    schema = tmp_path / "session.schema.json"
    schema.write_text("{}", encoding="utf-8")

    bad = run_cli("check", folder)
    assert bad.returncode == 2
    assert f"{folder / 'good.toml'}: ok" in bad.stdout.splitlines()
    assert str(folder / "bad.toml") in bad.stdout

    expected = {
        empty: f"{empty}: no session files (*.toml) in this folder\n",
        schema: f"{schema}: skipped: not a session file (expected .toml)\n",
    }
    for target, line in expected.items():
        result = run_cli("check", target)
        assert result.returncode == 2, result
        assert result.stdout == line


def test_export_refuses_a_symlink_a_fifo_or_a_device_and_writes_nothing(
    tmp_path: Path, example_path: Path
) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me\n", encoding="utf-8")
    link = tmp_path / "minutes.html"
    link.symlink_to(victim)
    dangling = tmp_path / "dangling.md"
    dangling.symlink_to(tmp_path / "nowhere.md")
    fifo = tmp_path / "fifo.md"
    os.mkfifo(fifo)
    expected = {
        link: "is a symbolic link; not writing minutes through it",
        dangling: "is a symbolic link; not writing minutes through it",
        fifo: "is not a regular file (a FIFO, socket or device); not writing minutes onto it",
        Path(os.devnull): "is not a regular file (a FIFO, socket or device); "
        "not writing minutes onto it",
    }
    before = sorted(os.listdir(tmp_path))

    for output, reason in expected.items():
        result = run_cli("export", example_path, "-o", output)
        assert result.returncode == 2, result
        assert result.stdout == ""
        assert result.stderr == f"{output}: {reason}\n"

    assert victim.read_text(encoding="utf-8") == "keep me\n"
    assert link.is_symlink() and dangling.is_symlink() and not (tmp_path / "nowhere.md").exists()
    assert sorted(os.listdir(tmp_path)) == before

    plain = tmp_path / "minutes.md"
    written = run_cli("export", example_path, "-o", plain)
    assert written.returncode == 0, written
    assert plain.read_text(encoding="utf-8").startswith("#")


def test_opening_a_symlink_loop_says_so_with_the_file_name(tmp_path: Path) -> None:
    loop = tmp_path / "loop.toml"
    other = tmp_path / "other.toml"
    loop.symlink_to(other)
    other.symlink_to(loop)

    for command in ("present", "run", "check", "export"):
        result = run_cli(command, loop)
        assert result.returncode == 2, (command, result)
        output = result.stdout + result.stderr
        assert output == f"{loop}: cannot read it: Too many levels of symbolic links\n", command


def test_present_in_a_terminal_on_a_symlink_loop_says_so_and_exits_2(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("terminal", TERMINAL_HELPER)
    assert spec is not None and spec.loader is not None
    terminal = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(terminal)
    loop = tmp_path / "loop.toml"
    other = tmp_path / "other.toml"
    loop.symlink_to(other)
    other.symlink_to(loop)

    with terminal.Terminal.start(["present", str(loop)], home=tmp_path) as term:
        assert term.wait() == 2
        assert "Too many levels of symbolic links" in term.output
        assert "Traceback" not in term.output


def test_the_app_without_a_terminal_refuses_at_once_with_one_line(
    tmp_path: Path, example_path: Path
) -> None:
    path = tmp_path / "w.toml"
    path.write_bytes(example_path.read_bytes())
    before = path.read_bytes()
    commands: list[tuple[str, list[str | Path]]] = [
        ("run", ["run", path]),
        ("present", ["present", path]),
        ("edit", ["edit", path]),
        ("notes", ["notes", path]),
        ("review", ["review", path]),
        ("review", ["review", tmp_path]),
        ("", ["--dir", tmp_path]),
    ]

    for name, args in commands:
        # stdin from /dev/null, output to pipes: as from cron or a script. The timeout is a
        # backstop only: a refusal takes no time, the bug was spinning forever.
        result = run_cli(*args)
        assert result.returncode == 2, (args, result)
        assert result.stdout == ""
        command = f"sessiontui {name}".rstrip()
        assert result.stderr.startswith(f"{command} needs a terminal; "), args
        assert len(result.stderr.splitlines()) == 1
    assert path.read_bytes() == before


def test_every_subcommand_help_ends_with_examples_of_itself() -> None:
    parsers = [_build_parser()]
    seen: list[str] = []
    while parsers:
        parser = parsers.pop()
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for command in action.choices.values():
                    parsers.append(command)
                    seen.append(command.prog)
                    examples = command.format_help().split("\nexamples:\n", 1)[1].splitlines()
                    assert examples, command.prog
                    assert all(f"{line} ".startswith(f"  {command.prog} ") for line in examples)
    assert "sessiontui templates save" in seen and "sessiontui present" in seen


def test_a_file_name_with_a_newline_stays_on_its_one_error_line(tmp_path: Path) -> None:
    broken = tmp_path / "two\nlines\x1b[2J.toml"
    broken.write_text('schema_version = 1\ntitle = "unterminated\n', encoding="utf-8")
    missing = tmp_path / "gone\n\u202e.toml"

    for args in (
        ["export", broken],
        ["export", missing],
        ["run", broken],
        ["groups", broken, "x"],
        ["new", "--from", missing],
    ):
        result = run_cli(*args)
        assert result.returncode == 2, (args, result)
        assert_terminal_safe(result.stdout + result.stderr)
        assert len(result.stderr.splitlines()) == 1, (args, result.stderr)
