"""Opening another screen by name, so screens never import each other.

The app is the one place that knows every screen (`SessionApp.screen_for`); a screen asks it
for "review" or "notes" through here instead of importing that screen's class.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, cast

if TYPE_CHECKING:
    from textual.dom import DOMNode

    from sessiontui.tui.app import SessionApp


SESSION_MODES: Final = ("run", "notes", "present", "review", "edit")
"""What one session file can be opened as, from the command line or the home screen."""


def session_mode(mode: str) -> str:
    """The mode itself when a session can be opened as it, else "run" (the facilitator's view)."""
    return mode if mode in SESSION_MODES else "run"


def open_screen(node: DOMNode, kind: str, path: Path, **options: Any) -> None:
    """Push a new screen of this kind (run, notes, review, series...) over the current one."""
    cast("SessionApp", node.app).open_screen(kind, path, **options)
