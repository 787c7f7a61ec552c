"""Tab and Shift+Tab for the dialogs' fields as priority keys, so fast typing lands where meant.

Without priority, Tab reaches the app's focus_next only after the focused field has had it,
and the keys typed right after it are already on their way to that field: in tmux,
`send-keys Tab "Platform team retro"` put the title into the date field. A priority binding
runs before any key is handed out, and Screen.focus_next moves the focus at once, so the
next key goes to the next field (as the plan editor's and the notes screen's Tab do).

Still open (Textual resolves a field's own keys, such as Backspace or the arrows, against the
focus of the moment they reach the app): such a key typed before Tab but not yet handled when
Tab moves the focus acts on the next field. Letters never do; a person's typing is never that
fast, only a paste of keys (tmux send-keys) is.
"""

from __future__ import annotations

from textual.binding import Binding


def fast_focus_keys(dialog: str) -> list[Binding]:
    """Priority Tab and Shift+Tab; their ids "<dialog>.next_field" are what the keymap names."""
    return [
        Binding(
            "tab",
            "app.focus_next",
            "Next",
            show=False,
            tooltip="Next field",
            priority=True,
            id=f"{dialog}.next_field",
        ),
        Binding(
            "shift+tab",
            "app.focus_previous",
            "Back",
            show=False,
            tooltip="Previous field",
            priority=True,
            id=f"{dialog}.previous_field",
        ),
    ]
