"""The review of one past session (read-only)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from textual.screen import Screen


class ReviewScreen(Screen[None]):
    """Planned against actual, the log, the notes, commitments and coming up, never writing."""

    def __init__(
        self,
        path: Path,
        clock: Callable[[], datetime],
        *,
        focus: tuple[str, str] | None = None,
    ) -> None:
        super().__init__()
        self.path = path
        self.clock = clock
        self.focus_note = focus
