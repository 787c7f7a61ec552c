"""The home screen: the sessions in a folder, newest first, to run, take notes, present or review.

The list comes in two steps so a folder of a thousand sessions shows at once: rows from the
folder's index and from each changed file's header first (dimmed), then, from a full read of
the changed files, the exact rows.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, Final

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingsMap, BindingType
from textual.message import Message
from textual.reactive import var
from textual.screen import Screen
from textual.widgets import Header, Static

from sessiontui.display import safe_line, user_line, user_text
from sessiontui.tui.opening import SESSION_MODES, open_screen, session_mode
from sessiontui.tui.widgets.footer import SettledFooter
from sessiontui.tui.widgets.listing import SessionRow, SessionTable

if TYPE_CHECKING:
    from sessiontui.core.library import Summary
    from sessiontui.core.model import Session
    from sessiontui.store.templates import TemplateInfo
    from sessiontui.tui.dialogs.template_picker import NewSessionChoice

MODES: Final = {mode: mode.title() for mode in SESSION_MODES}
"""What a session can be opened as, and the word for it in the footer."""


def relabel(bindings: BindingsMap, binding_id: str, description: str, tooltip: str) -> None:
    """Change one binding's footer and palette words on this instance only."""
    for key, found in bindings.key_to_bindings.items():
        bindings.key_to_bindings[key] = [
            dataclasses.replace(binding, description=description, tooltip=tooltip)
            if binding.id == binding_id
            else binding
            for binding in found
        ]


class HomeScreen(Screen[None]):
    """Lists the sessions of one folder; Enter opens the highlighted one as `open_as` says."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "Open", tooltip="Open the highlighted session", id="home.open"),
        Binding(
            "r",
            "open_as('run')",
            "Run",
            tooltip="Run the highlighted session: the facilitator's screen",
            id="home.run",
        ),
        Binding(
            "o",
            "open_as('notes')",
            "Notes",
            tooltip="Take notes in the highlighted session",
            id="home.notes",
        ),
        Binding(
            "p",
            "open_as('present')",
            "Present",
            tooltip="The shared screen for the room, of the highlighted session",
            id="home.present",
        ),
        Binding(
            "v",
            "open_as('review')",
            "Review",
            tooltip="Look back at the highlighted session: planned against actual, notes",
            id="home.review",
        ),
        Binding(
            "n",
            "new",
            "New",
            tooltip="Create a session from a template, or the next of the highlighted one's series",
            id="home.new",
        ),
        Binding(
            "e",
            "edit",
            "Edit",
            tooltip="Plan the highlighted session: its fields and agenda",
            id="home.edit",
        ),
        Binding(
            "s",
            "series",
            "Series",
            tooltip="The highlighted session's series: timing of each, every commitment",
            id="home.series",
        ),
        Binding(
            "slash",
            "search",
            "Search",
            tooltip="Search notes, commitments and titles in every session here",
            id="home.search",
        ),
        Binding("ctrl+r", "refresh", "Refresh", tooltip="List the folder again", id="home.refresh"),
    ]

    loading: var[bool] = var(True, init=False)
    """True while the worker lists the folder (until every row is exact)."""

    class Scanned(Message):
        """The worker listed the folder: `exact` False for the first, quick, listing."""

        def __init__(self, rows: list[SessionRow], *, exact: bool = True, serial: int = 0) -> None:
            super().__init__()
            self.rows = rows
            self.exact = exact
            self.serial = serial

    class ScanFailed(Message):
        """The folder could not be listed."""

        def __init__(self, problem: str) -> None:
            super().__init__()
            self.problem = problem

    class Created(Message):
        """A new session file was written (path) or could not be (problem)."""

        def __init__(self, path: Path | None, problem: str | None) -> None:
            super().__init__()
            self.path = path
            self.problem = problem

    class ChoicesRead(Message):
        """The templates and the highlighted session (if any) were read, for the picker."""

        def __init__(
            self, listing: list[TemplateInfo], source: Session | None, problem: str | None
        ) -> None:
            super().__init__()
            self.listing = listing
            self.source = source
            self.problem = problem

    class TemplatesRead(Message):
        """The templates an empty folder offers were listed."""

        def __init__(self, listing: list[TemplateInfo]) -> None:
            super().__init__()
            self.listing = listing

    def __init__(self, folder: Path, clock: Callable[[], datetime], open_as: str = "run") -> None:
        super().__init__()
        self.folder = folder
        self.clock = clock
        self.open_as = session_mode(open_as)
        self._select: Path | None = None
        """A file to put the cursor on when the next listing arrives (a session just created)."""
        self._rows: list[SessionRow] = []
        self._serial = 0
        """Which listing is the latest: an older worker's rows, arriving late, are dropped."""
        label = MODES[self.open_as]
        relabel(
            self._bindings,
            "home.open",
            f"Open: {label.lower()}",
            f"Open the highlighted session ({label.lower()})",
        )

    def compose(self) -> ComposeResult:
        yield Header()
        yield SessionTable(id="sessions", open_label=f"Open: {MODES[self.open_as].lower()}")
        yield Static(id="detail", markup=False)
        yield Static(id="empty", markup=False)
        yield SettledFooter()

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

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Opening and editing need a session under the cursor; greyed out in an empty folder.
        if action in {"open", "open_as", "edit"}:
            return self.query_one(SessionTable).highlighted is not None
        if action == "series":
            row = self.query_one(SessionTable).highlighted
            return row is not None and bool(row.series)
        return True

    def action_series(self) -> None:
        """Show the series of the highlighted session."""
        row = self.query_one(SessionTable).highlighted
        if row is not None and row.series:
            open_screen(self, "series", self.folder, series=row.series)

    def action_search(self) -> None:
        """Search every session of the folder."""
        open_screen(self, "search", self.folder)

    def action_refresh(self) -> None:
        """List the folder again (in a worker)."""
        self.loading = True
        self._serial += 1
        self._scan(self._serial)

    @work(thread=True, exclusive=True, group="scan", exit_on_error=False)
    def _scan(self, serial: int) -> None:
        from sessiontui.store import index as folder_index

        try:
            listing = folder_index.summaries(self.folder)
            rows = [SessionRow.of(row) for row in listing.summaries]
            if not listing.pending:
                self.post_message(self.Scanned(rows, serial=serial))
                return
            self.post_message(self.Scanned(rows, exact=False, serial=serial))
            exact: dict[Path, Summary] = {
                row.path: row for row in folder_index.summarise_files(listing.pending)
            }
        except Exception as error:  # shown on screen, never as a traceback
            problem = getattr(error, "strerror", None) or str(error) or type(error).__name__
            self.post_message(self.ScanFailed(str(problem)))
            return
        from sessiontui.core.library import newest_first

        merged = newest_first(exact.get(row.path, row) for row in listing.summaries)
        self.post_message(self.Scanned([SessionRow.of(row) for row in merged], serial=serial))

    @on(Scanned)
    def _scanned(self, message: Scanned) -> None:
        if message.serial != self._serial:
            return
        self.loading = not message.exact
        self._rows = message.rows
        table = self.query_one(SessionTable)
        select = self._select
        if select is not None and any(row.path == select for row in message.rows):
            # Kept until a listing holds the new file: a listing begun before it was written
            # (the one started when the dialog closed) may arrive first.
            if message.exact:
                self._select = None
        else:
            select = None
        table.show(message.rows, select=select)
        table.display = bool(message.rows)
        self.query_one("#detail").display = bool(message.rows)
        empty = self.query_one("#empty", Static)
        empty.display = not message.rows
        if not message.rows:
            empty.update(user_line(f"No sessions yet in {self.folder}", "bold"))
            self._list_templates()
        self._show_detail(table.highlighted)
        self.refresh_bindings()

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
        self.refresh_bindings()  # Series only for a session that belongs to one

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
        self.open_session(message.row.path, self.open_as)

    def action_open(self) -> None:
        """Open the highlighted session as the app was asked to (run, notes, present, review)."""
        self.action_open_as(self.open_as)

    def action_open_as(self, mode: str) -> None:
        """Open the highlighted session as `mode`: run, notes, present or review."""
        row = self.query_one(SessionTable).highlighted
        if row is not None:
            self.open_session(row.path, mode)

    def open_session(self, path: Path, mode: str) -> None:
        """Push the screen for one session file in one mode (also for screens opened from here)."""
        open_screen(self, session_mode(mode), path)

    def action_edit(self) -> None:
        """Open the highlighted session in the plan editor."""
        row = self.query_one(SessionTable).highlighted
        if row is not None:
            open_screen(self, "edit", row.path)

    # ------------------------------------------------------------------------ a new session

    @work(thread=True, exclusive=True, group="templates", exit_on_error=False)
    def _list_templates(self) -> None:
        from sessiontui.store import templates

        self.post_message(self.TemplatesRead(templates.listing()))

    @on(TemplatesRead)
    def _templates_read(self, message: TemplatesRead) -> None:
        if self._rows:
            return  # a session appeared meanwhile; the list is shown instead
        from sessiontui.tui.dialogs.template_picker import invitation

        self.query_one("#empty", Static).update(invitation(self.folder, message.listing))

    def action_new(self) -> None:
        """Create a session from a template, or the next of the highlighted one's series."""
        row = self.query_one(SessionTable).highlighted
        self._read_choices(None if row is None else row.path)

    @work(thread=True, exclusive=True, group="new", exit_on_error=False)
    def _read_choices(self, path: Path | None) -> None:
        from sessiontui.tui.dialogs.template_picker import read_choices

        self.post_message(self.ChoicesRead(*read_choices(path)))

    @on(ChoicesRead)
    def _choices_read(self, message: ChoicesRead) -> None:
        if message.problem is not None:
            self._tell(message.problem)
        from sessiontui.tui.dialogs.template_picker import TemplatePicker

        source = message.source

        def create(choice: NewSessionChoice | None) -> None:
            if choice is not None:
                self._create(choice, source)

        picker = TemplatePicker(message.listing, source, today=self.clock().date())
        self.app.push_screen(picker, create)

    @work(thread=True, exclusive=True, group="new", exit_on_error=False)
    def _create(self, choice: NewSessionChoice, source: Session | None) -> None:
        from sessiontui import session_file
        from sessiontui.tui.dialogs.template_picker import create_session

        try:
            target = create_session(choice, source, self.folder, today=self.clock().date())
        except (ValueError, OSError, session_file.SessionFileError) as error:
            self.post_message(self.Created(None, str(error)))
        else:
            self.post_message(self.Created(target, None))

    @on(Created)
    def _created(self, message: Created) -> None:
        if message.path is None:
            self._tell(message.problem or "not created", title="Not created")
            return
        self.notify(safe_line(f"Created {message.path.name}"), title="New session", markup=False)
        self._select = message.path
        self.action_refresh()

    def _tell(self, problem: str, *, title: str = "Cannot do that") -> None:
        self.notify(safe_line(problem), title=title, severity="warning", markup=False)
