"""The store under hostile files: a broken one is listed, never hides the rest of the folder."""

from __future__ import annotations

import shutil
from pathlib import Path

from sessiontui.store import index

HOSTILE = Path(__file__).parent.parent / "data" / "hostile"


def test_a_file_with_an_overflowing_date_is_one_broken_row(
    tmp_path: Path, example_path: Path
) -> None:
    shutil.copy(example_path, tmp_path / "good.toml")
    shutil.copy(HOSTILE / "event-at-overflows-utc.toml", tmp_path / "overflow.toml")
    shutil.copy(HOSTILE / "session-on-last-day-pago-pago.toml", tmp_path / "pago.toml")

    scan = index.summaries(tmp_path)
    rows = {row.path.name: row for row in index.summarise_files(scan.pending)}

    assert rows["good.toml"].error is None
    assert rows["good.toml"].title
    assert "log[0].at: 9999-12-31T23:00:00-05:00 is out of range" in str(
        rows["overflow.toml"].error
    )
    assert "date: 9999-12-31 is out of range" in str(rows["pago.toml"].error)
