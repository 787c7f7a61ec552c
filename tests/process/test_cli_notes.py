"""`sessiontui notes`: bad input is one line and exit code 2, before any screen opens."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from sessiontui.cli import main


def test_an_unknown_item_is_one_line_naming_the_file_and_the_items(
    tmp_path: Path, example_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "w.toml"
    shutil.copy(example_path, path)
    before = path.read_bytes()
    assert main(["notes", str(path), "--item", "coffee"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert err.startswith(f"{path}: no agenda item has id 'coffee': welcome, coffee-setup")
    assert path.read_bytes() == before


def test_a_broken_file_is_one_line_with_its_line_and_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "broken.toml"
    path.write_text('schema_version = 1\ntitle = "x\n', encoding="utf-8")
    # Without a terminal (as here) the file is checked before the app would start.
    assert main(["notes", str(path)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"{path}:2:")
    assert "Traceback" not in err
