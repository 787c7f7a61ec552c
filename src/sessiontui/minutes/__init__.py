"""Minutes: one view-model of a session as it happened, and its renderers.

`view.minutes_of(session)` is what the minutes say; `markdown.render(session)` and
`html.render(session)` print it, and `render(session, fmt)` picks one by name. `chart` is the
planned-against-actual geometry the HTML's SVG and the terminal timeline both draw.
"""

from __future__ import annotations

from typing import Final

from sessiontui.core.model import Session
from sessiontui.minutes import html, markdown

__all__ = ["FORMATS", "html", "markdown", "render"]

FORMATS: Final = ("md", "html")


def render(session: Session, fmt: str) -> str:
    """The session's minutes in `fmt` ("md" or "html"); another name is a ValueError."""
    if fmt == "md":
        return markdown.render(session)
    if fmt == "html":
        return html.render(session)
    raise ValueError(f"unknown minutes format {fmt!r} (choose md or html)")
