"""The yardstick for the control-key rows: a bare Textual app that repaints one line on a key.

One `Static` saying how many minutes an item has, as the run screen's heading does ("· 60
min"); `+` adds a minute and `-` takes one off, and the `Static` repaints. bench.py presses
the keys in a pseudo-terminal next to `sessiontui run` and times each until the new value is
on the terminal. To try it by hand:

    .venv/bin/python bench/bare_static.py [MINUTES]
"""

from __future__ import annotations

import sys
from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Static


class BareStatic(App[None]):
    """One Static with a minute count that `+` and `-` change; ctrl+q quits."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("plus,equals_sign", "change(1)", "+1 min"),
        Binding("minus", "change(-1)", "-1 min"),
    ]

    def __init__(self, minutes: int = 60) -> None:
        super().__init__()
        self.minutes = minutes

    def compose(self) -> ComposeResult:
        yield Static(self.line())

    def line(self) -> str:
        return f"Item · {self.minutes} min"

    def action_change(self, minutes: int) -> None:
        self.minutes += minutes
        self.query_one(Static).update(self.line())


if __name__ == "__main__":
    BareStatic(int(sys.argv[1]) if len(sys.argv) > 1 else 60).run()
