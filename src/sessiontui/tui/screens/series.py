"""The series: every session sharing a `series`, how late each ran, and all their commitments."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Header, Static

from sessiontui.display import safe_line, user_line
from sessiontui.tui.opening import open_screen
from sessiontui.tui.widgets.footer import SettledFooter
from sessiontui.tui.widgets.series import CommitmentTable, LatenessChart

if TYPE_CHECKING:
    from sessiontui.core.review import SeriesEntry


class SeriesScreen(Screen[None]):
    """How a series has gone so far, and the commitments to check back on, with their status."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "leave", "Back", tooltip="Back to the sessions", id="series.leave"),
        Binding(
            "v", "review", "Review", tooltip="Review the highlighted session", id="series.review"
        ),
        Binding("ctrl+r", "refresh", "Reload", tooltip="Read the files again", id="series.refresh"),
    ]

    class Loaded(Message):
        """The worker read the series."""

        def __init__(self, entries: list[SeriesEntry]) -> None:
            super().__init__()
            self.entries = entries

    def __init__(self, folder: Path, series: str, clock: Callable[[], datetime]) -> None:
        super().__init__()
        self.folder = folder
        self.series = series
        self.clock = clock
        self.entries: list[SeriesEntry] = []

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="series-body"):
            yield Static(id="series-heading", markup=False)
            yield LatenessChart(id="lateness")
            yield Static(id="commitments-heading", markup=False)
            yield CommitmentTable(id="series-commitments")
        yield SettledFooter()

    def on_mount(self) -> None:
        self.title = "Series"
        self.sub_title = safe_line(self.series)
        self.query_one("#series-heading", Static).update(user_line(self.series, "bold"))
        self.action_refresh()

    def action_refresh(self) -> None:
        """Read the series again (in a worker)."""
        self._load()

    @work(thread=True, exclusive=True, group="series", exit_on_error=False)
    def _load(self) -> None:
        from sessiontui.core import review
        from sessiontui.session_file import open_series

        try:
            entries = review.series_of(open_series(self.folder, self.series), self.series)
        except Exception as error:  # shown on screen, never as a traceback
            self.post_message(self.Loaded([]))
            self.app.call_from_thread(
                self.notify, safe_line(str(error)), severity="error", markup=False
            )
            return
        self.post_message(self.Loaded(entries))

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        from sessiontui.core import review

        self.entries = message.entries
        self.query_one(LatenessChart).show(message.entries)
        rows = review.commitments(message.entries)
        heading = Text(end="")
        heading.append("Commitments", style="bold")
        counts = {
            status: sum(row.action.status == status for row in rows)
            for status in ("open", "done", "dropped")
        }
        heading.append(
            f"  {counts['open']} open · {counts['done']} done · {counts['dropped']} dropped"
            "  (space: change status · Enter: review that session)",
            style="dim",
        )
        self.query_one("#commitments-heading", Static).update(heading)
        self.query_one(CommitmentTable).show(rows)

    @on(CommitmentTable.Saved)
    def _saved(self, message: CommitmentTable.Saved) -> None:
        if message.problem is not None:
            self.notify(
                safe_line(message.problem), title="Status not saved", severity="error", markup=False
            )
            self.action_refresh()

    @on(CommitmentTable.Opened)
    def _opened(self, message: CommitmentTable.Opened) -> None:
        if message.commitment is not None:
            self._review(Path(message.commitment.key))

    def action_review(self) -> None:
        """Review the session of the highlighted commitment."""
        row = self.query_one(CommitmentTable).highlighted
        if row is not None:
            self._review(Path(row.key))
        elif self.entries:
            self._review(Path(self.entries[-1].key))

    def _review(self, path: Path) -> None:

        open_screen(self, "review", path)

    def action_leave(self) -> None:
        """Back to the list of sessions."""
        self.dismiss()
