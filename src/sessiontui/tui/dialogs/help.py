"""A screen's keys: every binding with the key it has now (after the user's keymap) and its id.

The id is what `[keys]` in config.toml remaps (the README sends people here for it); every id
shown is one `sessiontui.tui.keymap.declared_bindings` knows, so the start-up check of the
settings accepts exactly what this screen lists.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any, ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from sessiontui.display import safe_line


@dataclass(frozen=True, slots=True)
class HelpRow:
    """One control: its keys as displayed, what it does, whether it works now, and its id."""

    keys: str
    description: str
    tooltip: str
    binding_id: str
    available: bool
    remappable: bool = True
    """Whether `binding_id` is a binding id a keymap can name (not just the action's name)."""


def help_table(rows: Sequence[HelpRow]) -> Table:
    """The rows as a grid: keys, name with its id under it, explanation (wrapping), "not now"."""
    table = Table.grid(padding=(0, 2))
    table.add_column(justify="right", no_wrap=True)
    table.add_column(no_wrap=True)
    table.add_column(ratio=1)
    for row in rows:
        style = "" if row.available else "dim"
        what = Text(row.tooltip, style=style, end="")
        if not row.available:
            what.append(" (not now)", style="italic dim")
        name = Text(row.description, style=style or "bold", end="")
        if row.remappable:
            name.append(f"\n{row.binding_id}", style="dim")
        table.add_row(Text(row.keys, style="bold", end=""), name, what)
    return table


def binding_rows(screen: Screen[Any], declared: Iterable[Binding]) -> list[HelpRow]:
    """The screen's bindings and the app's, with their keys after the user's keymap.

    In the order `declared` (the screen's BINDINGS), then the app's; a binding the screen's
    `check_action` does not allow now is listed as not available.
    """
    app = screen.app
    ours = [binding.id for binding in declared]
    rows: dict[str, HelpRow] = {}
    # The chain applies the keymap; on a screen where nothing takes focus it is the screen's
    # own bindings, then the app's.
    for namespace, bindings in screen._binding_chain:
        if namespace is not screen and namespace is not app:
            continue
        for _, binding in bindings:
            if not binding.description or binding.system:
                continue
            if namespace is screen and binding.id not in ours:
                continue  # Textual's own focus and copy keys
            if namespace is app and not (binding.show or binding.action == "command_palette"):
                continue
            name = binding.id or binding.action
            key = safe_line(app.get_key_display(binding))
            old = rows.get(name)
            if old is not None:
                if key not in old.keys.split(", "):
                    rows[name] = replace(old, keys=f"{old.keys}, {key}")
                continue
            available = namespace is app or screen.check_action(binding.action, ()) is True
            rows[name] = HelpRow(
                key,
                binding.description,
                binding.tooltip,
                name,
                available,
                remappable=binding.id is not None,
            )
    order = {binding_id: ours.index(binding_id) for binding_id in ours}
    return sorted(rows.values(), key=lambda row: order.get(row.binding_id, len(ours)))


class HelpScreen(ModalScreen[None]):
    """Lists the keys of the screen underneath; any of Escape, ?, F1 or q closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark,f1,q", "close", "Close", id="help.close"),
    ]

    def __init__(self, title: str, rows: Sequence[HelpRow]) -> None:
        super().__init__()
        self.heading = title
        self.rows = list(rows)

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(Text(self.heading, style="bold"), id="heading")
            # Focusable, so the arrow and page keys scroll a list taller than the terminal.
            with VerticalScroll(id="help-scroll"):
                yield Static(help_table(self.rows), id="keys", markup=False)
            hint = "↑ ↓ PgUp PgDn: scroll · Esc: close · ids: config.toml [keys]"
            yield Static(Text(hint, style="dim"), id="hint", markup=False)

    def action_close(self) -> None:
        """Back to the screen underneath."""
        self.dismiss(None)
