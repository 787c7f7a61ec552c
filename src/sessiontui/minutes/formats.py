"""The minutes or the plan handout in a format chosen by name, for the command line and `x`.

Kept apart from the package's `__init__`, so importing one renderer never imports the others.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from sessiontui.core.model import Session
    from sessiontui.minutes.view import Audience, Minutes


FORMATS: Final = ("md", "html")


def render(session: Session, fmt: str, audience: Audience = "facilitators") -> str:
    """The session's minutes for an audience in `fmt` ("md" or "html"); else a ValueError."""
    from sessiontui.minutes import view

    return render_document(view.minutes_of(session, audience), fmt)


def render_plan(session: Session, fmt: str) -> str:
    """The session's plan handout in `fmt` ("md" or "html"); another name is a ValueError."""
    from sessiontui.minutes import plan

    return render_document(plan.handout_of(session), fmt)


def render_document(document: Minutes, fmt: str) -> str:
    """A view-model in `fmt`; only the renderer asked for is imported (Markdown needs no jinja2)."""
    if fmt == "md":
        from sessiontui.minutes import markdown

        return markdown.render_minutes(document)
    if fmt == "html":
        from sessiontui.minutes import html

        return html.render_minutes(document)
    raise ValueError(f"unknown minutes format {fmt!r} (choose md or html)")
