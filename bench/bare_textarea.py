"""The yardstick for the notes rows: a bare Textual TextArea, focused, and nothing else.

It opens with the text of the file given (the same notes the sessiontui pane opens with),
the cursor at the end, as a note-taker carrying on. bench.py types into it in a
pseudo-terminal next to `sessiontui notes`. To try it by hand:

    .venv/bin/python bench/bare_textarea.py [FILE]
"""

from __future__ import annotations

import sys
from pathlib import Path

from textual.app import App, ComposeResult
from textual.widgets import Footer, TextArea


class BareTextArea(App[None]):
    """One focused, soft-wrapping TextArea with a Footer; ctrl+q quits."""

    def __init__(self, text: str = "") -> None:
        super().__init__()
        self.text = text

    def compose(self) -> ComposeResult:
        yield TextArea(self.text, soft_wrap=True)
        yield Footer()

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.move_cursor(area.document.end)
        area.focus()


if __name__ == "__main__":
    BareTextArea(Path(sys.argv[1]).read_text("utf-8") if len(sys.argv) > 1 else "").run()
