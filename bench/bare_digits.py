"""The yardstick for the live-screen rows: a bare Textual countdown, nothing else.

A `Digits` showing minutes and seconds left, updated once a second, and a `Footer`: about the
least a Textual countdown can do. bench.py runs it in a pseudo-terminal next to
`sessiontui run`, and imports it for the startup row. To watch it by hand:

    .venv/bin/python bench/bare_digits.py [MINUTES]
"""

from __future__ import annotations

import sys
import time
from typing import ClassVar

from textual.app import App, ComposeResult
from textual.widgets import Digits, Footer


class BareDigits(App[None]):
    """Counts down from `minutes`, once a second, in big digits; ctrl+q quits."""

    CSS: ClassVar[str] = """
    Screen { align: center middle; }
    Digits { width: auto; }
    """

    def __init__(self, minutes: float = 10) -> None:
        super().__init__()
        self.deadline = time.monotonic() + minutes * 60

    def compose(self) -> ComposeResult:
        yield Digits(self.left())
        yield Footer()

    def on_mount(self) -> None:
        self.set_interval(1, self.tick)

    def left(self) -> str:
        seconds = max(0, round(self.deadline - time.monotonic()))
        return f"{seconds // 60:02d}:{seconds % 60:02d}"

    def tick(self) -> None:
        self.query_one(Digits).update(self.left())


if __name__ == "__main__":
    BareDigits(float(sys.argv[1]) if len(sys.argv) > 1 else 10).run()
