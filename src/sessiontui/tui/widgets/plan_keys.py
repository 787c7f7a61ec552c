"""The plan editor's keys, one list, so the screen, its help and the docs agree.

Each binding's id is "plan.<action>", what the settings' keymap names. Moving keys (Tab,
Enter and the list's arrows) are priority bindings: the focus and the cursor move before
the keys typed right after them are handed out, so fast typing lands in the field meant.
"""

from __future__ import annotations

from typing import Final

from textual.binding import Binding


def _key(
    keys: str,
    action: str,
    description: str,
    tooltip: str,
    *,
    name: str = "",
    show: bool = True,
    priority: bool = False,
) -> Binding:
    """A plan editor binding; its id "plan.<name or action>" is what the settings' keymap names."""
    return Binding(
        keys,
        action,
        description,
        show,
        tooltip=tooltip,
        priority=priority,
        id=f"plan.{name or action}",
    )


PLAN_KEYS: Final[tuple[Binding, ...]] = (
    _key("f1", "help", "Help", "List every key of this screen"),
    _key("ctrl+n", "add_item", "Add", "Add an item after the selected one", priority=True),
    _key(
        "a",
        "add_item",
        "Add",
        "Add an item after the selected one",
        name="add_item_in_list",
        show=False,
    ),
    _key("d", "duplicate_item", "Duplicate", "Copy the selected item (list focused)"),
    _key("x,delete", "delete_item", "Delete", "Delete the selected item (list focused)"),
    _key("alt+up", "move_up", "Up", "Move the selected item earlier", priority=True),
    _key("alt+down", "move_down", "Down", "Move the selected item later", priority=True),
    _key(
        "shift+up",
        "move_up",
        "Up",
        "Move the selected item earlier",
        name="move_up_in_list",
        show=False,
    ),
    _key(
        "shift+down",
        "move_down",
        "Down",
        "Move the selected item later",
        name="move_down_in_list",
        show=False,
    ),
    _key("ctrl+z", "undo", "Undo", "Take back the last change", priority=True),
    _key("ctrl+y", "redo", "Redo", "Do again what undo took back", priority=True),
    _key("f2", "tab('agenda')", "Agenda", "The items and their times", name="agenda", show=False),
    _key(
        "f3", "tab('session')", "Session", "Title, date, times, place", name="session", show=False
    ),
    _key("f4", "tab('people')", "People", "Participants and the series", name="people", show=False),
    _key("escape", "leave", "Back", "To the item list; from there, back once saved"),
    # Priority, so the focus moves before the keys typed right after are handed out:
    # otherwise a quick "Tab, 13:20" puts the start of the time in the field just left.
    _key("enter", "edit_item", "Edit", "Edit the selected item", show=False, priority=True),
    # The list's own moves too, or a priority Enter would overtake the arrows before it.
    _key("up", "list('cursor', -1)", "", "", name="list_up", show=False, priority=True),
    _key("down", "list('cursor', 1)", "", "", name="list_down", show=False, priority=True),
    _key("pageup", "list('page', -1)", "", "", name="list_page_up", show=False, priority=True),
    _key("pagedown", "list('page', 1)", "", "", name="list_page_down", show=False, priority=True),
    _key("home", "list('jump', 0)", "", "", name="list_first", show=False, priority=True),
    _key("end", "list('jump', -1)", "", "", name="list_last", show=False, priority=True),
    _key(
        "tab", "app.focus_next", "Next", "Next field", name="next_field", show=False, priority=True
    ),
    _key(
        "shift+tab",
        "app.focus_previous",
        "Back",
        "Previous field",
        name="previous_field",
        show=False,
        priority=True,
    ),
)
"""Every key of the plan editor."""
