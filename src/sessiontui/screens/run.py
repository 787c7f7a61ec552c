"""The run screen: one session. For now a read-only overview of the plan.

Loading happens in a thread worker that only posts messages; the screen keeps what it shows in
reactives (`overview`, `problems`, `current`) and the watchers draw it. The live facilitator
screen will add the clock-driven run state next to `overview` in the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.reactive import var
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, Header

from sessiontui.display import safe_line
from sessiontui.widgets.agenda import AgendaTable, ItemDetails
from sessiontui.widgets.overview import (
    People,
    PlanWarnings,
    Problems,
    SessionSummary,
    WaysOfWorking,
)

if TYPE_CHECKING:
    from sessiontui.model import Session
    from sessiontui.schedule import PlanIssue, PlannedItem


@dataclass(frozen=True, slots=True, eq=False)
class Overview:
    """Everything the overview shows, worked out off the UI thread."""

    path: Path
    session: Session
    read_only: str | None
    migrated_from: int | None
    plan: list[PlannedItem]
    issues: list[PlanIssue]
    status: str


def build_overview(path: Path, now: datetime) -> Overview:
    """Load the file and plan it; raises store.SessionFileError when the file is unusable."""
    from sessiontui import schedule, store

    loaded = store.load(path)
    session = loaded.session
    return Overview(
        path=path,
        session=session,
        read_only=loaded.read_only,
        migrated_from=loaded.migrated_from,
        plan=schedule.planned(session),
        issues=schedule.plan_issues(session),
        status=schedule.run_state(session, now).status,
    )


def load_problems(error: Exception) -> list[str]:
    """The one-line messages of a load failure, whatever raised it."""
    problems = getattr(error, "problems", None)
    if isinstance(problems, list) and problems:
        return [str(problem) for problem in problems]
    if isinstance(error, OSError):
        return [error.strerror or str(error)]
    return [f"{type(error).__name__}: {error}"]


class RunScreen(Screen[None]):
    """One session: its header, agenda, the highlighted item and the ways of working."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", tooltip="Return to the list of sessions", id="run.back"),
        Binding(
            "ctrl+r", "reload", "Reload", tooltip="Read the session file again", id="run.reload"
        ),
    ]
    HORIZONTAL_BREAKPOINTS = [  # noqa: RUF012 (Screen declares it as ClassVar | None)
        (0, "-narrow"),
        (100, "-wide"),
    ]

    overview: var[Overview | None] = var(None, init=False)
    """The session as last loaded, or None before it loads (or when it failed)."""
    problems: var[tuple[str, ...]] = var((), init=False)
    """Why the file could not be shown; empty when it could."""
    current: var[int] = var(0, init=False)
    """Index of the highlighted agenda item."""
    loading: var[bool] = var(True, init=False)
    """True while the worker reads the file."""

    class Loaded(Message):
        """The worker loaded and planned the session."""

        def __init__(self, overview: Overview) -> None:
            super().__init__()
            self.overview = overview

    class Failed(Message):
        """The worker could not load the session."""

        def __init__(self, path: Path, problems: list[str]) -> None:
            super().__init__()
            self.path = path
            self.problems = problems

    def __init__(self, path: Path, clock: Callable[[], datetime]) -> None:
        super().__init__()
        self.path = path
        self.clock = clock

    def compose(self) -> ComposeResult:
        yield Header()
        yield SessionSummary(f"Opening {safe_line(self.path.name)}…", id="summary", markup=False)
        yield PlanWarnings(id="warnings")
        yield Problems(id="problems")
        yield Horizontal(id="body")  # filled once the session has loaded
        yield Footer()

    def _body(self) -> list[Widget]:
        """The widgets that show a loaded session."""
        item, ways, people = ItemDetails(id="item"), WaysOfWorking(id="ways"), People(id="people")
        item.border_title, ways.border_title, people.border_title = (
            "Item",
            "Ways of working",
            "People",
        )
        side = VerticalScroll(item, ways, people, id="side", can_focus=False)
        return [AgendaTable(id="agenda"), side]

    def on_mount(self) -> None:
        self.title = safe_line(self.path.name)
        self.query_one(PlanWarnings).display = False
        self.query_one(Problems).display = False
        # Paint the screen first, then read: the first frame does not wait for the file.
        self.call_after_refresh(self.action_reload)

    def action_reload(self) -> None:
        """Read the file again (in a worker)."""
        self.loading = True
        self._load(self.clock())

    @work(thread=True, exclusive=True, group="load", exit_on_error=False)
    def _load(self, now: datetime) -> None:
        try:
            overview = build_overview(self.path, now)
        except Exception as error:  # shown on screen, never as a traceback
            self.post_message(self.Failed(self.path, load_problems(error)))
        else:
            self.post_message(self.Loaded(overview))

    @on(Loaded)
    async def _loaded(self, message: Loaded) -> None:
        body = self.query_one("#body")
        if body.children:
            self._show(message.overview)
        else:
            await body.mount_all(self._body())
            if self.focused is None:
                self.query_one(AgendaTable).focus()
            # After the layout, so the agenda is built for its real width.
            self.call_after_refresh(self._show, message.overview)

    def _show(self, overview: Overview) -> None:
        self.problems = ()
        self.overview = overview
        self.loading = False

    @on(Failed)
    def _failed(self, message: Failed) -> None:
        self.loading = False
        self.overview = None
        self.problems = tuple(message.problems)

    def watch_overview(self, overview: Overview | None) -> None:
        if overview is None:
            return
        self.query_one("#body").display = True
        session = overview.session
        self.title = safe_line(session.title)
        self.sub_title = safe_line(session.series or "")
        self.query_one(SessionSummary).show(
            session,
            status=overview.status,
            read_only=overview.read_only,
            migrated_from=overview.migrated_from,
        )
        self.query_one(PlanWarnings).show(overview.issues)
        self.query_one(AgendaTable).show(overview.plan)
        self.query_one(WaysOfWorking).show(session.ways_of_working)
        self.query_one(People).show(session.participants)
        self.current = min(self.current, max(len(overview.plan) - 1, 0))
        self._show_current()

    def watch_problems(self, problems: tuple[str, ...]) -> None:
        widget = self.query_one(Problems)
        widget.display = bool(problems)
        self.query_one("#body").display = not problems
        if problems:
            self.query_one(SessionSummary).update("")
            widget.show(f"Could not open {self.path.name}", problems)

    def watch_current(self) -> None:
        self._show_current()

    def _show_current(self) -> None:
        plan = self.overview.plan if self.overview else []
        self.query_one(ItemDetails).show(plan[self.current] if plan else None)

    @on(AgendaTable.ItemHighlighted)
    def _item_highlighted(self, message: AgendaTable.ItemHighlighted) -> None:
        self.current = message.index

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "back":
            return self.opened_from_another_screen
        return True

    @property
    def opened_from_another_screen(self) -> bool:
        """Whether there is a screen (home) under this one to go back to."""
        stack = self.app.screen_stack
        return self in stack and stack[0] is not self

    def action_back(self) -> None:
        """Return to the screen this one was opened from."""
        if self.opened_from_another_screen:
            self.dismiss()
