"""The ways-of-working reminders: all of them listed, one highlighted at a time.

Which one is highlighted is a function of the clock, `(now_seconds // rotate) % n`, so it
needs no counter, survives a restart, and is tested with a fake clock. Pinning freezes it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Protocol

from rich.text import Text
from textual.widgets import Static

from sessiontui.display import user_line, user_text


class Way(Protocol):
    """A way of working as the file has it or as the room's state carries it."""

    @property
    def name(self) -> str: ...

    @property
    def text(self) -> str: ...


def highlighted_index(now: dt.datetime, rotate_seconds: int, count: int) -> int:
    """Which reminder is highlighted at `now`: each shows for `rotate_seconds`, in turn."""
    if count <= 0:
        return 0
    seconds = int(now.timestamp())
    return (seconds // max(rotate_seconds, 1)) % count


def reminders_text(ways: Sequence[Way], highlighted: int, *, pinned: bool) -> Text:
    """Every way of working, the highlighted one marked and in full (run screen and projector)."""
    if not ways:
        return Text("No ways of working agreed.", style="dim", end="")
    text = Text(end="")
    for index, way in enumerate(ways):
        if index:
            text.append("\n")
        if index == highlighted:
            text.append("■ " if pinned else "▶ ", style="bold")
            text.append_text(user_line(way.name, "bold reverse"))
            if way.text:
                text.append(" — ")
                text.append_text(user_text(way.text, "bold"))
        else:
            text.append("  ")
            text.append_text(user_line(way.name, "dim"))
    return text


class Reminders(Static):
    """The ways of working, one highlighted."""

    def show(self, text: Text) -> None:
        """Show this text if it differs from what is on screen."""
        if text != getattr(self, "_shown", None):
            self._shown = text
            self.update(text)
