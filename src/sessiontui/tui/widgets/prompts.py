"""The prompts panel: what the room is asked now, and what the facilitator wanted to remember.

Before the start it shows the first item's prompts, while running the current item's, and
after the finish the sessions coming up next in the series.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.text import Text
from textual.widgets import Static

from sessiontui.display import user_line, user_text
from sessiontui.tui.widgets.overview import long_date

if TYPE_CHECKING:
    from sessiontui.core.model import AgendaItem, Upcoming


def item_prompts(item: AgendaItem, heading: str) -> Text:
    """An item's prompts as a bulleted list, then its facilitator notes."""
    text = Text(end="")
    text.append(heading, style="bold")
    text.append_text(user_line(item.title, "bold"))
    if item.prompts:
        for prompt in item.prompts:
            text.append("\n• ")
            text.append_text(user_text(prompt))
    else:
        text.append("\nNo prompts for this item.", style="dim")
    if item.facilitator_notes.strip():
        text.append("\n\nFacilitator notes", style="bold underline")
        text.append("\n")
        text.append_text(user_text(item.facilitator_notes.strip("\n"), "dim"))
    return text


def coming_up(upcoming: Sequence[Upcoming]) -> Text:
    """The next sessions of the series, for the close."""
    text = Text("Coming up", style="bold", end="")
    if not upcoming:
        text.append("\nNo later sessions listed.", style="dim")
    for later in upcoming:
        text.append("\n• ")
        text.append(long_date(later.date), style="bold")
        text.append(" ")
        text.append_text(user_text(later.title))
    return text


class PromptsPanel(Static):
    """The prompts of the item the room is on."""

    def show(self, text: Text) -> None:
        """Show this text if it differs from what is on screen."""
        if text != getattr(self, "_shown", None):
            self._shown = text
            self.update(text)
