"""Sessions of a folder read together: the readable sessions of one series.

Through the folder index's header rows, so only the series' own files are read in full.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sessiontui.session_file.service import open_session
from sessiontui.store import index as folder_index
from sessiontui.store.errors import SessionFileError

if TYPE_CHECKING:
    from sessiontui.core.model import Session


def open_series(folder: Path, series: str) -> list[tuple[str, Session]]:
    """The readable sessions of one series in a folder, keyed by path (reads files: a worker's)."""
    loaded: list[tuple[str, Session]] = []
    for row in folder_index.summaries(folder).summaries:
        if row.series != series or row.error is not None:
            continue
        try:
            loaded.append((str(row.path), open_session(row.path).session))
        except SessionFileError:
            continue  # the home screen lists it with its problem
    return loaded
