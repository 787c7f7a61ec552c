"""How one item's groups read on the groups screen: a line per group, the draw, the warnings.

The lines are built here, from the session's groups and who is here, so the screen only
decides what changes; every name and group name is user text and goes through `user_line`.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from collections.abc import Set as AbstractSet
from typing import TYPE_CHECKING

from rich.text import Text
from textual.widget import Widget

from sessiontui.display import user_line

if TYPE_CHECKING:
    from textual.geometry import Size

    from sessiontui.core.model import Group


INDENT = "  "
"""Where a group's line carries on when it wraps, so the next group's name stands out."""


def groups_text(
    groups: Sequence[Group], here: Collection[str], unplaced: Sequence[str], width: int
) -> Text:
    """One line per group ("Group 1: Ana, Ben"), people marked absent since shown as such.

    Lines wrap between names, never inside one, so "Grace O'Neill" is not read as two people.
    """
    text = Text(end="")
    if not groups:
        text.append("No groups drawn yet for this item.", style="dim")
    for index, group in enumerate(groups):
        if index:
            text.append("\n")
        head = user_line(group.name, style="bold")
        head.append(": ")
        names: list[Text] = []
        for member in group.members:
            name = user_line(member)
            if member not in here:
                # They stay in the group (they may be back); the room should know they are not.
                name.append(" (absent)", style="dim")
            names.append(name)
        _flow(text, head, names, width)
    if groups and unplaced:
        text.append("\n")
        _flow(text, Text("Not in a group: ", style="bold"), [user_line(n) for n in unplaced], width)
    return text


def _flow(text: Text, head: Text, names: Sequence[Text], width: int) -> None:
    """Append the head and the names, comma-separated, starting a new line before a name
    that would not fit."""
    text.append_text(head)
    used = head.cell_len
    for index, name in enumerate(names):
        if index and used + 2 + name.cell_len > width:
            text.append(",\n" + INDENT)
            used = len(INDENT)
        elif index:
            text.append(", ")
            used += 2
        text.append_text(name)
        used += name.cell_len


def draw_line(
    groups: Sequence[Group],
    past: AbstractSet[frozenset[str]] | None,
    repeats: int,
    *,
    series: bool,
) -> Text:
    """The seed, to draw the same groups again, and how many earlier pairings came back."""
    line = Text(end="")
    if not groups:
        return line
    seed = groups[0].seed
    line.append(f"Seed {seed}" if seed is not None else "Drawn by hand", style="bold")
    line.append(" · ")
    if not series:
        line.append("not in a series, so no earlier pairings to avoid")
    elif past is None:
        line.append("checking earlier sessions of the series…", style="dim")
    elif repeats == 0:
        line.append("no repeat pairings from earlier sessions")
    else:
        pairings = "pairing" if repeats == 1 else "pairings"
        line.append(f"{repeats} repeat {pairings} from earlier sessions could not be avoided")
    return line


def lonely_line(groups: Sequence[Group], here: Collection[str]) -> Text | None:
    """A warning naming groups with fewer than two people here, or None when there are none."""
    parts: list[Text] = []
    for group in groups:
        present = [member for member in group.members if member in here]
        if len(present) >= 2:
            continue
        part = user_line(group.name)
        if present:
            part.append(" has only ")
            part.append_text(user_line(present[0]))
        else:
            part.append(" has nobody here")
        parts.append(part)
    if not parts:
        return None
    line = Text("⚠ ", style="bold", end="")
    line.append_text(Text("; ", end="").join(parts))
    line.append(": move someone in")
    return line


class GroupsView(Widget):
    """The groups of one item, laid out again for each width so names are never split."""

    DEFAULT_CSS = """
    GroupsView {
        height: auto;
        width: 1fr;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._groups: Sequence[Group] = ()
        self._here: Collection[str] = ()
        self._unplaced: Sequence[str] = ()

    def show(self, groups: Sequence[Group], here: Collection[str], unplaced: Sequence[str]) -> None:
        """Show these groups, people here or not, so the room sees who is missing."""
        self._groups, self._here, self._unplaced = list(groups), set(here), list(unplaced)
        self.refresh(layout=True)

    def _text(self, width: int) -> Text:
        return groups_text(self._groups, self._here, self._unplaced, max(width, 10))

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        # Laid out for the width being measured, not the last one drawn: a resize changes both.
        return len(self._text(width).wrap(self.app.console, max(width, 1)))

    def render(self) -> Text:
        return self._text(self.content_size.width or self.app.size.width)
