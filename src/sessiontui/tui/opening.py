"""Opening another screen by name, so screens never import each other.

The app is the one place that knows every screen (`SessionApp.screen_for`); a screen asks it
for "review" or "notes" through here instead of importing that screen's class.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from textual.dom import DOMNode

    from sessiontui.tui.app import SessionApp


def open_screen(node: DOMNode, kind: str, path: Path, **options: Any) -> None:
    """Push a new screen of this kind (run, notes, review, series...) over the current one."""
    cast("SessionApp", node.app).open_screen(kind, path, **options)
