"""`sessiontui completion SHELL`: scripts generated from the parser that the shells accept.

Each test runs the real `python -m sessiontui completion ...` and hands its output to the shell
itself, so a script a shell cannot load fails here, not in someone's ~/.bashrc.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from sessiontui import cli


def completion_script(shell: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "sessiontui", "completion", shell],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        check=False,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    return result.stdout


def subcommand_names(parser: argparse.ArgumentParser) -> set[str]:
    """Every subcommand name at any depth (`templates save` too), read from the parser."""
    names: set[str] = set()
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, subparser in action.choices.items():
                names.add(name)
                names |= subcommand_names(subparser)
    return names


def shell_accepts(
    command: list[str], script: str, tmp_path: Path
) -> subprocess.CompletedProcess[str]:
    """Run the shell's no-execute syntax check on the script, saved as a file."""
    path = tmp_path / "sessiontui-completion"
    path.write_text(script, encoding="utf-8")
    return subprocess.run(
        [*command, str(path)], capture_output=True, text=True, check=False, timeout=60
    )


def test_the_bash_script_is_valid_bash(tmp_path: Path) -> None:
    result = shell_accepts(["bash", "-n"], completion_script("bash"), tmp_path)
    assert result.returncode == 0, result.stderr


def test_every_subcommand_of_the_parser_is_in_each_script() -> None:
    names = subcommand_names(cli._build_parser())
    assert {"check", "run", "completion", "save"} <= names
    for shell in ("bash", "zsh", "fish"):
        script = completion_script(shell)
        missing = sorted(name for name in names if not re.search(rf"\b{name}\b", script))
        assert not missing, f"{shell}: {missing}"


def subcommand_helps(parser: argparse.ArgumentParser) -> dict[str, tuple[str, str]]:
    """Each subcommand's one-line help and its description paragraph, at any depth."""
    found: dict[str, tuple[str, str]] = {}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for choice in action._choices_actions:
                subparser = action.choices[choice.dest]
                found[choice.dest] = (choice.help or "", subparser.description or "")
                found |= subcommand_helps(subparser)
    return found


@pytest.mark.parametrize("shell", ["zsh", "fish"])
def test_the_menus_describe_each_subcommand_by_its_one_line_help(shell: str) -> None:
    script = completion_script(shell)
    for name, (help_line, description) in subcommand_helps(cli._build_parser()).items():
        # Both shells quote an apostrophe inside single quotes as '"'"'.
        assert help_line.replace("'", "'\"'\"'") in script, name
        assert description.split(":")[0].split(".")[0] not in script, name


def bash_completes(script_path: Path, *words: str, cwd: Path) -> list[str]:
    """What bash offers after `sessiontui WORDS...` (the last word being completed)."""
    driver = (
        f'source "{script_path}"\n'
        'COMP_WORDS=(sessiontui "$@"); COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))\n'
        'COMP_LINE="${COMP_WORDS[*]}"; COMP_POINT=${#COMP_LINE}; COMPREPLY=()\n'
        '_shtab_sessiontui sessiontui "${COMP_WORDS[-1]}" "${COMP_WORDS[-2]}"\n'
        'printf "%s\\n" "${COMPREPLY[@]}"\n'
    )
    result = subprocess.run(
        ["bash", "-c", driver, "bash", *words],
        capture_output=True,
        text=True,
        cwd=cwd,
        check=False,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return [line for line in result.stdout.splitlines() if line]


def test_bash_completes_subcommands_shells_and_session_files(tmp_path: Path) -> None:
    script_path = tmp_path / "sessiontui.bash"
    script_path.write_text(completion_script("bash"), encoding="utf-8")
    (tmp_path / "sessions").mkdir()
    (tmp_path / "sessions" / "2024-03-01-retro.toml").write_text("", encoding="utf-8")
    (tmp_path / "slides.txt").write_text("", encoding="utf-8")

    top_level = {
        name
        for action in cli._build_parser()._actions
        if isinstance(action, argparse._SubParsersAction)
        for name in action.choices
    }
    assert set(bash_completes(script_path, "", cwd=tmp_path)) == top_level
    assert bash_completes(script_path, "comp", cwd=tmp_path) == ["completion"]
    assert bash_completes(script_path, "completion", "", cwd=tmp_path) == ["bash", "zsh", "fish"]
    assert bash_completes(script_path, "templates", "", cwd=tmp_path) == ["save"]
    assert bash_completes(script_path, "run", "sessions/2", cwd=tmp_path) == [
        "sessions/2024-03-01-retro.toml"
    ]
    # --dir takes a folder: the file beside it is not offered.
    assert bash_completes(script_path, "--dir", "s", cwd=tmp_path) == ["sessions"]


@pytest.mark.skipif(shutil.which("zsh") is None, reason="no zsh: .ci/run installs Debian's zsh")
def test_the_zsh_script_is_valid_zsh(tmp_path: Path) -> None:
    result = shell_accepts(["zsh", "-n"], completion_script("zsh"), tmp_path)
    assert result.returncode == 0, result.stderr


@pytest.mark.skipif(shutil.which("fish") is None, reason="no fish: .ci/run installs Debian's fish")
def test_the_fish_script_is_valid_fish(tmp_path: Path) -> None:
    result = shell_accepts(["fish", "--no-execute"], completion_script("fish"), tmp_path)
    assert result.returncode == 0, result.stderr


def test_an_unknown_shell_is_refused_with_the_choices() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "sessiontui", "completion", "powershell"],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        check=False,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert "invalid choice: 'powershell'" in result.stderr
    assert "Traceback" not in result.stderr
