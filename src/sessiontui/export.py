"""Minutes to send: a session rendered as Markdown or as one self-contained HTML page."""

from __future__ import annotations

from sessiontui.model import Session


def minutes(session: Session, fmt: str) -> str:
    """The session's minutes in `fmt` ("md" or "html")."""
    raise NotImplementedError(fmt)
