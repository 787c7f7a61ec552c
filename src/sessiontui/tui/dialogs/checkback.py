"""Checking back: the commitments made at the previous session of the series, before starting.

The run screen asks `find_previous` (in a worker) once a session of a series loads before its
start; when the previous session left commitments, it shows `CheckBackScreen` so the
facilitator can go round the room ("did you manage it?") and mark each done or dropped.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from sessiontui.display import safe_line, user_line
from sessiontui.tui.widgets.series import CommitmentTable

if TYPE_CHECKING:
    from sessiontui.core.model import Session
    from sessiontui.core.review import Commitment


def find_previous(path: Path, session: Session) -> tuple[str, Session] | None:
    """The previous session of this one's series in its folder (reads files: a worker's)."""
    from sessiontui.core import review
    from sessiontui.session_file import open_series

    if not session.series:
        return None
    others = [
        (key, other)
        for key, other in open_series(path.parent, session.series)
        if Path(key).resolve() != path.resolve()
    ]
    return review.previous_in_series(others, session)


def commitments_of(key: str, session: Session) -> list[Commitment]:
    """The commitments of one session, as rows that know their file."""
    from sessiontui.core import review

    return [
        review.Commitment(key, session.title, session.date, index, action)
        for index, action in enumerate(session.actions)
    ]


class CheckBackScreen(ModalScreen[None]):
    """Last time's commitments, each marked open, done or dropped with space; saved at once."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,enter", "close", "Close", tooltip="Back to the run", id="checkback.close"),
    ]

    def __init__(self, key: str, previous: Session) -> None:
        super().__init__()
        self.key = key
        self.previous = previous

    def compose(self) -> ComposeResult:
        with Vertical(id="checkback"):
            heading = Text(end="")
            heading.append("Check back: ", style="bold")
            heading.append_text(user_line(self.previous.title, "bold"))
            heading.append(f" ({self.previous.date:%d %b %Y})", style="dim")
            yield Static(heading, id="checkback-heading", markup=False)
            yield Static(
                "What did people commit to last time? Ask how it went; "
                "space marks each open, done or dropped.",
                id="checkback-hint",
                markup=False,
            )
            yield CommitmentTable(show_session=False, id="checkback-table")
            keys = Text(end="")
            for key, what in (("space", "open / done / dropped"), ("Esc", "back to the run")):
                keys.append(key, style="bold")
                keys.append(f" {what}   ")
            yield Static(keys, id="checkback-keys", markup=False)

    def on_mount(self) -> None:
        table = self.query_one(CommitmentTable)
        table.show(commitments_of(self.key, self.previous))
        table.focus()

    @on(CommitmentTable.Saved)
    def _saved(self, message: CommitmentTable.Saved) -> None:
        if message.problem is not None:
            self.notify(
                safe_line(message.problem), title="Status not saved", severity="error", markup=False
            )

    @on(CommitmentTable.Opened)
    def _opened(self, message: CommitmentTable.Opened) -> None:
        self.dismiss()

    def action_close(self) -> None:
        """Back to the run screen."""
        self.dismiss()
