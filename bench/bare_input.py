"""The yardstick for the plan editor's row: a bare Textual Input whose value moves one time.

One `Input` holding an item's minutes and a `Static` saying when the item ends ("Ends at
09:05" for 5 minutes from 09:00), recomputed on every change, as the plan editor recomputes
its times; nothing else. bench.py types into it in a pseudo-terminal next to `sessiontui
edit` and times each key until the new time is on the terminal. To try it by hand:

    .venv/bin/python bench/bare_input.py [MINUTES]
"""

from __future__ import annotations

import datetime as dt
import sys

from textual.app import App, ComposeResult
from textual.widgets import Input, Static

START = dt.datetime(2023, 2, 16, 9, 0)


class BareInput(App[None]):
    """A minutes field and the end time it gives; ctrl+q quits."""

    def __init__(self, minutes: int = 5) -> None:
        super().__init__()
        self.minutes = minutes

    def compose(self) -> ComposeResult:
        yield Input(str(self.minutes))
        yield Static(self.line(self.minutes))

    def line(self, minutes: int) -> str:
        return f"Ends at {START + dt.timedelta(minutes=minutes):%H:%M}"

    def on_input_changed(self, message: Input.Changed) -> None:
        if message.value.isdigit():
            self.query_one(Static).update(self.line(int(message.value)))


if __name__ == "__main__":
    BareInput(int(sys.argv[1]) if len(sys.argv) > 1 else 5).run()
