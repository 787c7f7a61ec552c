"""The minutes in a format chosen by name, for the command line and the review's `x` key.

Kept apart from the package's `__init__`, so importing one renderer never imports the others.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from sessiontui.core.model import Session


FORMATS: Final = ("md", "html")


def render(session: Session, fmt: str) -> str:
    """The session's minutes in `fmt` ("md" or "html"); another name is a ValueError."""
    # Only the renderer asked for is imported (jinja2 is not needed for Markdown).
    if fmt == "md":
        from sessiontui.minutes import markdown

        return markdown.render(session)
    if fmt == "html":
        from sessiontui.minutes import html

        return html.render(session)
    raise ValueError(f"unknown minutes format {fmt!r} (choose md or html)")
