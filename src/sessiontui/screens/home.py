"""The home screen: the sessions in a folder, newest first."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.reactive import var
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from sessiontui.display import safe_line, user_line, user_text
from sessiontui.widgets.listing import SessionRow, SessionTable

EXAMPLE_NAME = "2023-02-16-building-common-purpose.toml"


def scan_rows(folder: Path, now: datetime) -> list[SessionRow]:
    """The folder's sessions as list rows (reads files: call from a worker)."""
    from sessiontui import schedule, store

    rows: list[SessionRow] = []
    for listing in store.scan(folder):
        session = listing.session
        if session is None:
            rows.append(SessionRow(listing.path, error=listing.error or "could not be read"))
            continue
        try:
            state: str = schedule.run_state(session, now).status
        except Exception as error:  # a log the replay cannot read must not hide the file
            state = f"? {error}"
        rows.append(
            SessionRow(
                listing.path,
                date=session.date,
                title=session.title,
                series=session.series or "",
                state=state,
                notes=len(session.notes),
                actions=len(session.actions),
            )
        )
    return rows


class HomeScreen(Screen[None]):
    """Lists the sessions of one folder; Enter opens the highlighted one."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "Open", tooltip="Open the highlighted session", id="home.open"),
        Binding("ctrl+r", "refresh", "Refresh", tooltip="List the folder again", id="home.refresh"),
    ]

    loading: var[bool] = var(True, init=False)
    """True while the worker lists the folder."""

    class Scanned(Message):
        """The worker listed the folder."""

        def __init__(self, rows: list[SessionRow]) -> None:
            super().__init__()
            self.rows = rows

    class ScanFailed(Message):
        """The folder could not be listed."""

        def __init__(self, problem: str) -> None:
            super().__init__()
            self.problem = problem

    def __init__(self, folder: Path, clock: Callable[[], datetime], open_as: str = "run") -> None:
        super().__init__()
        self.folder = folder
        self.clock = clock
        self.open_as = open_as

    def compose(self) -> ComposeResult:
        yield Header()
        yield SessionTable(id="sessions")
        yield Static(id="detail", markup=False)
        yield Static(id="empty", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.title = "sessiontui"
        self.sub_title = safe_line(str(self.folder))
        self.query_one("#empty").display = False
        self.query_one("#detail", Static).update(
            user_line(f"Looking for sessions in {self.folder}…", "dim")
        )

    def on_screen_resume(self) -> None:
        # Paint the screen first: the worker's imports would otherwise delay the first frame.
        self.call_after_refresh(self.action_refresh)

    def action_refresh(self) -> None:
        """List the folder again (in a worker)."""
        self.loading = True
        self._scan(self.clock())

    @work(thread=True, exclusive=True, group="scan", exit_on_error=False)
    def _scan(self, now: datetime) -> None:
        try:
            rows = scan_rows(self.folder, now)
        except Exception as error:  # shown on screen, never as a traceback
            problem = getattr(error, "strerror", None) or str(error) or type(error).__name__
            self.post_message(self.ScanFailed(str(problem)))
        else:
            self.post_message(self.Scanned(rows))

    @on(Scanned)
    def _scanned(self, message: Scanned) -> None:
        self.loading = False
        table = self.query_one(SessionTable)
        table.show(message.rows)
        table.display = bool(message.rows)
        self.query_one("#detail").display = bool(message.rows)
        empty = self.query_one("#empty", Static)
        empty.display = not message.rows
        if not message.rows:
            text = Text(end="")
            text.append("No sessions yet in ", style="bold")
            text.append_text(user_line(str(self.folder), "bold"))
            text.append("\n\nCreate one from an earlier session, then press Ctrl+R here:\n\n    ")
            text.append_text(user_line(f"sessiontui --dir {self.folder} new --from EARLIER.toml"))
            text.append(
                f"\n\nFor example, start from the bundled sessions/{EXAMPLE_NAME}, "
                "or copy any session .toml file into the folder."
            )
            empty.update(text)
        self._show_detail(table.highlighted)

    @on(ScanFailed)
    def _scan_failed(self, message: ScanFailed) -> None:
        self.loading = False
        self.query_one(SessionTable).display = False
        self.query_one("#detail").display = False
        empty = self.query_one("#empty", Static)
        empty.display = True
        text = Text(end="")
        text.append_text(user_line(f"Could not list {self.folder}", "bold"))
        text.append("\n")
        text.append_text(user_line(message.problem))
        empty.update(text)

    @on(SessionTable.Highlighted)
    def _highlighted(self, message: SessionTable.Highlighted) -> None:
        self._show_detail(message.row)

    def _show_detail(self, row: SessionRow | None) -> None:
        detail = self.query_one("#detail", Static)
        if row is None:
            detail.update("")
            return
        text = Text(end="")
        if row.error is not None:
            text.append_text(user_line(str(row.path), "bold"))
            text.append("\n")
            text.append_text(user_text(row.error, "red"))
        else:
            text.append_text(user_line(row.title, "bold"))
            text.append("\n")
            text.append_text(user_line(str(row.path), "dim"))
        detail.update(text)

    @on(SessionTable.Chosen)
    def _chosen(self, message: SessionTable.Chosen) -> None:
        self._open(message.row)

    def action_open(self) -> None:
        """Open the highlighted session."""
        row = self.query_one(SessionTable).highlighted
        if row is not None:
            self._open(row)

    def _open(self, row: SessionRow) -> None:
        from sessiontui.screens.run import RunScreen

        self.app.push_screen(RunScreen(row.path, self.clock))
