"""Hostile session files: each gets its one clear line from `check`, exit 2, never a traceback.

Every file in tests/data/hostile/ starts with `# expect: LINE`, the exact line `check` must
print for it ({file} stands for its path), so a new case is a new file, nothing else.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from sessiontui.cli import main

HOSTILE = Path(__file__).parent.parent / "data" / "hostile"
FILES = sorted(HOSTILE.glob("*.toml"))
EXPECT = "# expect: "


def expected_line(path: Path) -> str:
    first = path.read_text(encoding="utf-8").split("\n", 1)[0]
    assert first.startswith(EXPECT), f"{path.name} must start with {EXPECT!r}"
    return first.removeprefix(EXPECT).replace("{file}", str(path))


def test_the_folder_holds_the_cases() -> None:
    assert len(FILES) >= 9


@pytest.mark.parametrize("path", FILES, ids=[path.stem for path in FILES])
def test_check_prints_the_one_line_and_exits_2(
    path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", str(path)]) == 2
    captured = capsys.readouterr()
    assert captured.out == expected_line(path) + "\n"
    assert "Traceback" not in captured.err


def test_a_real_process_checking_them_all_prints_no_traceback() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "sessiontui", "check", *map(str, FILES)],
        capture_output=True,
        check=False,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 2
    assert result.stdout.splitlines() == [expected_line(path) for path in FILES]
    assert "Traceback" not in result.stderr
    assert "Error" not in result.stderr


def test_groups_on_a_read_only_file_exits_2_with_one_line_and_leaves_it(
    tmp_path: Path, example_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "locked.toml"
    shutil.copy(example_path, path)
    path.chmod(0o444)
    before = path.read_bytes()

    assert main(["groups", str(path), "empathy-breakout"]) == 2

    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == f"{path} is read-only (no write permission), so no groups were drawn\n"
    assert path.read_bytes() == before
