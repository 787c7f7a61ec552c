"""The review of one past session: planned against actual, the log, the notes, what was agreed.

Read-only: a thread worker reads the file (never taking its lock, never writing it) and works
out everything shown with the pure `sessiontui.core.review`, then posts `Loaded`, or `Failed` with
the file's one-line problems. Three tabs, each scrolling: Timing (the chart, the table, the
log), Notes (every group's notes by template, mounted the first time the tab is shown, so a
session with a megabyte of notes opens as fast as a small one) and Commitments & next. `x`
writes the minutes beside the file, in a worker too.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.message import Message
from textual.reactive import var
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Static, TabbedContent, TabPane

from sessiontui.display import safe_line, user_line
from sessiontui.tui.widgets.footer import SettledFooter
from sessiontui.tui.widgets.minutes import (
    NoteView,
    coming_up_text,
    commitments_heading,
    commitments_text,
    item_heading,
)
from sessiontui.tui.widgets.overview import Problems, WaysOfWorking, long_date, time_range
from sessiontui.tui.widgets.timeline import (
    LogView,
    SummaryLine,
    TimelineChart,
    TimingTable,
    summary_parts,
)

if TYPE_CHECKING:
    from sessiontui.core.model import Session
    from sessiontui.core.review import NoteSection, Timing


@dataclass(frozen=True, slots=True, eq=False)
class ReviewData:
    """The session and what the review shows of it, worked out off the UI thread."""

    session: Session
    timing: Timing
    sections: list[NoteSection] | None
    """The notes laid out, when the worker worked them out (it does when they show first)."""
    read_only: str | None


def build_review(path: Path, *, with_notes: bool = True) -> ReviewData:
    """Read the file (no lock: saves replace it whole) and work out the review.

    Without `with_notes`, the notes are laid out when their tab first opens: counting the
    words of a megabyte of notes would otherwise delay the timing tab, which opens first.
    """
    from sessiontui import session_file
    from sessiontui.core import review

    loaded = session_file.open_session(path)
    session = loaded.session
    return ReviewData(
        session=session,
        timing=review.timing(session),
        sections=review.note_sections(session) if with_notes else None,
        read_only=loaded.read_only,
    )


def header_text(session: Session) -> Text:
    """The title, and when and where the session was planned."""
    text = user_line(session.title, "bold")
    text.append("\n")
    text.append(f"{long_date(session.date)} · planned {time_range(session.start, session.end)}")
    if session.venue:
        text.append(" · ")
        text.append_text(user_line(session.venue))
    if session.series:
        text.append(" · ")
        text.append_text(user_line(session.series, "dim"))
    return text


def _tab_key(tab: str, keys: str, description: str, tooltip: str) -> Binding:
    return Binding(keys, f"show_tab('{tab}')", description, tooltip=tooltip, id=f"review.{tab}")


class ReviewScreen(Screen[None]):
    """Planned against actual, the log, the notes, commitments and coming up, never writing."""

    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (90, "-wide")]  # noqa: RUF012

    BINDINGS: ClassVar[list[BindingType]] = [
        _tab_key("timing", "t,1", "Timing", "Planned against actual, and the log"),
        _tab_key("notes", "n,2", "Notes", "Every group's notes, by item"),
        _tab_key("next", "c,3", "Commitments", "Commitments, ways of working and coming up"),
        Binding(
            "a",
            "all_text",
            "All text",
            tooltip="Show every note whole, not just the start of long ones",
            show=False,  # the footer is full at 80 columns; ? and the palette list it
            id="review.all_text",
        ),
        Binding(
            "x",
            "export",
            "Minutes",
            tooltip="Write the minutes as Markdown and HTML beside the session file",
            id="review.export",
        ),
        Binding(
            "ctrl+r",
            "reload",
            "Reload",
            tooltip="Read the file again",
            show=False,
            id="review.reload",
        ),
        Binding("question_mark,f1", "help", "Help", tooltip="List every key", id="review.help"),
        Binding("escape", "leave", "Back", tooltip="Back to the screen before", id="review.leave"),
    ]

    loading: var[bool] = var(True, init=False)
    """True while the worker reads the file."""
    all_text: var[bool] = var(False, init=False)
    """Whether every note is shown whole (a), not only the start of long ones."""

    class Loaded(Message):
        """The worker read the file and worked out the review."""

        def __init__(self, data: ReviewData) -> None:
            super().__init__()
            self.data = data

    class Failed(Message):
        """The worker could not read the file."""

        def __init__(self, problems: list[str]) -> None:
            super().__init__()
            self.problems = problems

    class Exported(Message):
        """The minutes were written (paths), or why not (problem)."""

        def __init__(self, paths: list[Path], problem: str | None) -> None:
            super().__init__()
            self.paths = paths
            self.problem = problem

    def __init__(
        self,
        path: Path,
        clock: Callable[[], datetime],
        *,
        focus: tuple[str, str] | None = None,
    ) -> None:
        super().__init__()
        self.path = path
        self.clock = clock
        self.focus_note = focus
        """(item id, group) of the note to open on, from the search screen."""
        self.data: ReviewData | None = None
        """What is on screen, or None before the first load (or when it failed)."""
        self.shown = False
        """True once a loaded session is on screen (the bench waits for it)."""
        self.note_views: dict[tuple[str, str], NoteView] = {}
        self._notes_of: ReviewData | None = None

    # ------------------------------------------------------------------ layout and loading

    def compose(self) -> ComposeResult:
        yield Static(f"Opening {safe_line(self.path.name)}…", id="review-header", markup=False)
        yield SummaryLine(id="review-summary")
        yield Problems(id="review-problems")
        initial = "notes" if self.focus_note else "timing"
        with TabbedContent(id="review-tabs", initial=initial):
            with TabPane("Timing", id="timing"), VerticalScroll(classes="review-page"):
                yield _heading("Planned against actual")
                yield TimelineChart(id="review-chart")
                yield _heading("Item by item")
                yield TimingTable(id="review-table")
                yield _heading("Log")
                yield LogView(id="review-log")
            with TabPane("Notes", id="notes"):
                yield VerticalScroll(id="review-notes", classes="review-page")
            with TabPane("Commitments & next", id="next"), VerticalScroll(classes="review-page"):
                yield _heading("Commitments", id="review-commitments-heading")
                yield Static(id="review-commitments")
                yield _heading("Ways of working")
                yield WaysOfWorking(id="review-ways")
                yield _heading("Coming up")
                yield Static(id="review-upcoming")
        yield SettledFooter()

    def on_mount(self) -> None:
        self.title = safe_line(self.path.name)
        self.sub_title = "Review"
        self.query_one(Problems).display = False
        self.query_one(TabbedContent).display = False
        if self.opened_from_another_screen:
            # The app is up and the reading code imported: read at once, while this paints.
            self.action_reload()
        else:
            # The app's first screen: paint it first, then read (the worker's imports would
            # otherwise hold up the first frame).
            self.call_after_refresh(self.action_reload)

    def action_reload(self) -> None:
        """Read the file again (in a worker); what is on screen stays if it now fails."""
        self.loading = True
        self._load()

    @work(thread=True, exclusive=True, group="load", exit_on_error=False)
    def _load(self) -> None:
        try:
            data = build_review(self.path, with_notes=self.focus_note is not None)
        except Exception as error:  # shown on screen, never as a traceback
            from sessiontui.session_file import problems_of

            self.post_message(self.Failed(problems_of(error)))
        else:
            self.post_message(self.Loaded(data))

    @on(Loaded)
    async def _loaded(self, message: Loaded) -> None:
        data = message.data
        first = self.data is None
        self.data = data
        session, timing = data.session, data.timing
        self.title = safe_line(session.title)
        self.query_one(Problems).display = False
        tabs = self.query_one(TabbedContent)
        tabs.display = True
        self.query_one("#review-header", Static).update(header_text(session))
        self.query_one(SummaryLine).show(summary_parts(timing))
        self.query_one(TimelineChart).show(timing)
        self.query_one(TimingTable).show(timing)
        self.query_one(LogView).show(timing)
        heading = self.query_one("#review-commitments-heading", Static)
        heading.update(commitments_heading(session.actions))
        self.query_one("#review-commitments", Static).update(commitments_text(session.actions))
        self.query_one(WaysOfWorking).show(session.ways_of_working)
        self.query_one("#review-upcoming", Static).update(coming_up_text(session.upcoming))
        if tabs.active == "notes" or self._notes_of is not None:
            await self._show_notes(data)
        if data.read_only:
            self.notify(safe_line(data.read_only), title="Newer file", markup=False)
        if first:
            # Moving the focus refreshes the footer's keys; another refresh would rebuild it
            # once more (Textual 8.2.8's footer recomposes on every request).
            self._focus_page(tabs.active)
            if self.focus_note is not None:
                self._focus_note(*self.focus_note)
        else:
            self.refresh_bindings()
        self.loading = False
        self.shown = True

    @on(Failed)
    def _failed(self, message: Failed) -> None:
        self.loading = False
        if self.data is not None:
            self.notify(
                safe_line("; ".join(message.problems)), title="Not reloaded", markup=False,
                severity="warning",
            )  # fmt: skip
            return
        self.query_one("#review-header", Static).update(user_line(self.path.name, "bold"))
        problems = self.query_one(Problems)
        problems.display = True
        problems.show(f"Could not open {self.path.name}", message.problems)
        # Opened from the command line, the app may want to exit and print the problems.
        hook = getattr(self.app, "session_load_failed", None)
        if callable(hook) and not self.opened_from_another_screen:
            hook(list(message.problems))

    # ------------------------------------------------------------------ the notes tab

    async def _show_notes(self, data: ReviewData) -> None:
        """Mount the notes of this version of the session (one widget per group's notes)."""
        page = self.query_one("#review-notes", VerticalScroll)
        self._notes_of = data
        await page.remove_children()
        widgets: list[Widget] = []
        self.note_views = {}
        item_id: str | None = None
        sections = data.sections
        if sections is None:
            from sessiontui.core import review

            sections = review.note_sections(data.session)
        for section in sections:
            if section.item.id != item_id:
                item_id = section.item.id
                widgets.append(Static(item_heading(section), classes="review-heading"))
            key = (section.item.id, section.group)
            view = NoteView(section, full=self.all_text or key == self.focus_note)
            self.note_views[key] = view
            widgets.append(view)
        if not widgets:
            widgets.append(Static(Text("No notes were taken.", style="dim")))
        await page.mount_all(widgets)

    @on(TabbedContent.TabActivated)
    async def _tab_shown(self, message: TabbedContent.TabActivated) -> None:
        if message.pane.id == "notes" and self.data is not None and self._notes_of is None:
            await self._show_notes(self.data)

    def _focus_note(self, item_id: str, group: str) -> None:
        view = self.note_views.get((item_id, group))
        if view is None:
            where = f"{group or 'the whole room'} in {item_id}"
            self.notify(safe_line(f"No notes for {where}"), severity="warning", markup=False)
            return
        view.add_class("-focused")
        # After the layout, so the notes above it have their heights.
        self.call_after_refresh(view.scroll_visible, top=True, animate=False)

    def _focus_page(self, tab: str) -> None:
        """Focus the tab's page, so the arrow keys scroll it."""
        pane = self.query_one(TabbedContent).get_pane(tab)
        self.set_focus(pane.query_one(VerticalScroll))

    # ------------------------------------------------------------------ keys

    @property
    def opened_from_another_screen(self) -> bool:
        """Whether there is a screen (home, series, search) under this one to go back to."""
        stack = self.app.screen_stack
        return self in stack and stack[0] is not self

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "leave":
            return self.opened_from_another_screen
        if action in ("export", "show_tab", "all_text"):
            return True if self.data is not None else None
        return True

    def action_show_tab(self, tab: str) -> None:
        """Show one of the three tabs and let the arrows scroll it."""
        if self.data is None:
            return
        self.query_one(TabbedContent).active = tab
        self._focus_page(tab)

    def action_all_text(self) -> None:
        """Show every note whole, or only the start of long ones again, on the Notes tab."""
        self.all_text = not self.all_text
        for key, view in self.note_views.items():
            view.full = self.all_text or key == self.focus_note
        self.action_show_tab("notes")

    def action_leave(self) -> None:
        """Back to the screen this one was opened from (nothing to save: it never writes)."""
        if self.opened_from_another_screen:
            self.dismiss()

    def action_help(self) -> None:
        """Show the keys of this screen."""
        from sessiontui.tui.dialogs.help import HelpScreen, binding_rows

        rows = binding_rows(self, Binding.make_bindings(self.BINDINGS))
        self.app.push_screen(HelpScreen("Keys of the review", rows))

    # ------------------------------------------------------------------ the minutes

    def minutes_paths(self) -> list[Path]:
        """Where `x` writes the minutes: beside the session file, named after it."""
        stem = self.path.stem
        return [self.path.with_name(f"{stem}-minutes.{fmt}") for fmt in ("md", "html")]

    def action_export(self) -> None:
        """Write the minutes of what is on screen, as Markdown and HTML, beside the file."""
        if self.data is not None:
            self._export(self.data.session)

    @work(thread=True, exclusive=True, group="export", exit_on_error=False)
    def _export(self, session: Session) -> None:
        from sessiontui.minutes import formats
        from sessiontui.store import atomic

        paths = self.minutes_paths()
        path = paths[0]
        try:
            # Both texts first: a format that fails leaves neither file half-updated.
            texts = [formats.render(session, path.suffix[1:]) for path in paths]
            for path, text in zip(paths, texts, strict=True):
                atomic.write_text(path, text)
        except NotImplementedError:
            self.post_message(self.Exported([], "this build cannot write minutes yet"))
        except OSError as error:
            self.post_message(self.Exported([], _disk_problem(error, path)))
        except Exception as error:  # shown on screen, never as a traceback
            self.post_message(self.Exported([], str(error) or type(error).__name__))
        else:
            self.post_message(self.Exported(paths, None))

    @on(Exported)
    def _exported(self, message: Exported) -> None:
        if message.problem is not None:
            self.notify(
                safe_line(message.problem), title="Minutes not written", severity="error",
                markup=False,
            )  # fmt: skip
            return
        written = ", ".join(str(path) for path in message.paths)
        self.notify(safe_line(written), title="Minutes written", markup=False)


def _disk_problem(error: OSError, path: Path) -> str:
    """The disk's refusal as "FILE: reason": str(error) starts "[Errno 13]", no help to anyone."""
    reason = error.strerror or str(error) or type(error).__name__
    name = os.fspath(error.filename if error.filename is not None else path)
    # The store's own refusals already begin with the file's name.
    return reason if reason.startswith(name) else f"{name}: {reason}"


def _heading(text: str, *, id: str | None = None) -> Static:
    return Static(text, id=id, classes="review-heading", markup=False)
