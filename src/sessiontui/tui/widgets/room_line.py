"""The run screen's line saying what the room sees now besides the countdown.

The facilitator's own screen shows more than the projector and the phones do, so this one
line says what those show on top of the clock: the message told to the room (with its time
left when it expires), the pinned way of working, and whether the ways of working are hidden.
Everything in it is derived from the run state at the tick's clock, never counted, so the
time left goes down with the clock and the line goes when the message expires. When the room
sees nothing special the line is not shown at all (`room_line` returns None): a row of the
80x24 screen is worth more to the agenda than "nothing".
"""

from __future__ import annotations

import datetime as dt
import math
from typing import TYPE_CHECKING

from rich.text import Text
from textual.widgets import Static

from sessiontui.display import user_line

if TYPE_CHECKING:
    from sessiontui.core.schedule import RunState


def time_left(until: dt.datetime, now: dt.datetime) -> str:
    """What is left until `until` as a clock ("2:13 left", "1:02:03 left"), whole seconds up.

    Rounded up, so the last second still reads "0:01 left" and "0:00" is never shown: at
    zero the message has gone.
    """
    seconds = max(0, math.ceil((until - now).total_seconds()))
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    clock = f"{hours}:{minutes:02}:{seconds:02}" if hours else f"{minutes}:{seconds:02}"
    return f"{clock} left"


def room_line(state: RunState, clear_key: str) -> Text | None:
    """The line for this state, or None when the room sees only the usual (no line shown).

    The short facts come first and the message last, so a long message is what the line's
    ellipsis cuts, never the time left. `clear_key` is the key that clears the message, as
    the keymap has it.
    """
    facts: list[Text] = []
    if state.ways_hidden:
        facts.append(Text("ways hidden"))
    if state.pinned is not None:
        pinned = Text("pinned: ", end="")
        pinned.append_text(user_line(state.pinned, "bold"))
        facts.append(pinned)
    if state.broadcast is not None:
        until = state.broadcast_until
        told = Text("message ", end="")
        told.append("until cleared" if until is None else time_left(until, state.now), style="bold")
        told.append(f" ({clear_key} clears): ")
        told.append_text(user_line(state.broadcast, "bold"))
        facts.append(told)
    if not facts:
        return None
    line = Text("Room sees: ", style="", end="")
    line.append_text(Text(" · ").join(facts))
    return line


class RoomLine(Static):
    """What the room sees besides the countdown; hidden while that is nothing special."""

    def show(self, text: Text | None) -> None:
        """Show this line (None hides the widget), repainting only when it changed."""
        self.display = text is not None
        if text is not None and text != getattr(self, "_shown", None):
            self._shown = text
            self.update(text)
