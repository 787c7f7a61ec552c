"""The run screen: the facilitator's live view of one session.

Everything shown is derived from the plan, the log and the clock: `tick()` recomputes
`schedule.run_state(session, clock())` once a second (aligned to the clock's whole seconds)
and after every control, and hands the result to the widgets, which repaint only what changed.
Nothing is counted, so reopening a session shows exactly where the room is.

The controls (keys, what they append to the log, when they apply) are in `run_controls.py`,
the base class; the keys that change the agenda live are in `agenda_changes.py`. Each new
version of the session goes to `widgets.saving.SaveStatus`, which writes it off the UI thread
at once, shows a warning line while a save fails and retries it, and writes whatever is still
pending when the screen closes or the app quits.

Loading happens in a thread worker that only posts messages. A session that was already
finished when opened (or a file from a newer sessiontui) opens as a read-only summary.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.reactive import var
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Header, Static

from sessiontui.display import safe_line
from sessiontui.tui.agenda_changes import AgendaChangingScreen
from sessiontui.tui.widgets.agenda import AgendaTable, NextUp, agenda_rows, projection_key
from sessiontui.tui.widgets.clock import (
    RiskLine,
    SessionClock,
    clock_line,
    finished_line,
    risk_lines,
)
from sessiontui.tui.widgets.countdown import CountdownPanel, countdown_view
from sessiontui.tui.widgets.footer import SettledFooter
from sessiontui.tui.widgets.overview import PlanWarnings, Problems, SessionSummary
from sessiontui.tui.widgets.prompts import PromptsPanel, coming_up, item_prompts
from sessiontui.tui.widgets.reminders import Reminders, highlighted_index, reminders_text
from sessiontui.tui.widgets.room_line import RoomLine, room_line
from sessiontui.tui.widgets.saving import SaveStatus

if TYPE_CHECKING:
    from sessiontui.core.model import Session
    from sessiontui.core.schedule import PlanIssue, PlannedItem, RunState


@dataclass(frozen=True, slots=True, eq=False)
class Overview:
    """The session as loaded, worked out off the UI thread."""

    path: Path
    session: Session
    read_only: str | None
    migrated_from: int | None
    plan: list[PlannedItem]
    issues: list[PlanIssue]
    status: str


def build_overview(path: Path, now: datetime) -> Overview:
    """Load the file and plan it; raises session_file.SessionFileError when the file is unusable."""
    from sessiontui import session_file
    from sessiontui.core import schedule

    loaded = session_file.open_session(path)
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


@dataclass(frozen=True, slots=True, eq=False)
class _Parts:
    """The live widgets, created once the session has loaded."""

    countdown: CountdownPanel
    next: NextUp
    finished: Static
    clock: SessionClock
    risks: RiskLine
    room: RoomLine
    agenda: AgendaTable
    prompts: PromptsPanel
    reminders: Reminders


class RunScreen(AgendaChangingScreen):
    """One session as it runs: countdown, clock, agenda, prompts and reminders."""

    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]  # noqa: RUF012
    VERTICAL_BREAKPOINTS = [(0, "-short"), (32, "-tall")]  # noqa: RUF012

    overview: var[Overview | None] = var(None, init=False)
    """The session as last loaded, or None before it loads (or when it failed)."""
    problems: var[tuple[str, ...]] = var((), init=False)
    """Why the file could not be shown; empty when it could."""
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
        self.session: Session | None = None
        """The session as it is now, log included; replaced (never changed) by each control."""
        self.state: RunState | None = None
        """The run as of the last tick."""
        self.zone: tzinfo | None = None
        self.saver = SaveStatus(id="saving")
        """Saves each new version off the UI thread, and says so when it cannot."""
        self.locked: str | None = None
        """Why the controls are off (read-only summary), or None when they work."""
        self._allowed: frozenset[str] | None = None
        self._ticker: Timer | None = None
        self._highlighted = 0
        self._parts: _Parts | None = None
        self._drawn: dict[str, object] = {}

    # ------------------------------------------------------------------ layout and loading

    def compose(self) -> ComposeResult:
        yield Header()
        yield SessionSummary(f"Opening {safe_line(self.path.name)}…", id="summary", markup=False)
        yield self.saver
        yield PlanWarnings(id="warnings")
        yield Problems(id="problems")
        yield Horizontal(id="body")  # filled once the session has loaded
        yield SettledFooter(show_command_palette=False)

    def _body(self) -> list[Widget]:
        """The widgets that show a loaded session (kept, so the tick needs no queries)."""
        parts = self._parts = _Parts(
            countdown=CountdownPanel(id="countdown"),
            next=NextUp(id="next", markup=False),
            finished=Static(id="finished", markup=False),
            clock=SessionClock(id="clock", markup=False),
            risks=RiskLine(id="risks", markup=False),
            room=RoomLine(id="room", markup=False),
            agenda=AgendaTable(id="agenda"),
            prompts=PromptsPanel(id="prompts"),
            reminders=Reminders(id="reminders"),
        )
        parts.prompts.border_title = "Prompts"
        parts.reminders.border_title = "Ways of working"
        main = Vertical(
            parts.countdown,
            parts.next,
            parts.finished,
            parts.clock,
            parts.risks,
            parts.room,
            parts.agenda,
            id="main",
        )
        return [main, Vertical(parts.prompts, parts.reminders, id="side")]

    def on_mount(self) -> None:
        self.title = safe_line(self.path.name)
        for selector in (PlanWarnings, Problems):
            self.query_one(selector).display = False
        # Paint the screen first, then read: the first frame does not wait for the file.
        self.call_after_refresh(self.action_reload)

    def action_reload(self) -> None:
        """Read the file again (in a worker), after writing anything still pending."""
        self.loading = True
        self._load(self.clock())

    @work(thread=True, exclusive=True, group="load", exit_on_error=False)
    def _load(self, now: datetime) -> None:
        from sessiontui.session_file import problems_of  # pydantic: not before the first frame

        try:
            if self.saver.writer is not None:
                self.saver.writer.write_pending()
            overview = build_overview(self.path, now)
        except Exception as error:  # shown on screen, never as a traceback
            self.post_message(self.Failed(self.path, problems_of(error)))
        else:
            self.post_message(self.Loaded(overview))

    @on(Loaded)
    async def _loaded(self, message: Loaded) -> None:
        body = self.query_one("#body")
        if body.children:
            self._show(message.overview)
        else:
            await body.mount_all(self._body())
            # After the layout, so the agenda is built for its real width.
            self.call_after_refresh(self._show, message.overview)

    def _show(self, overview: Overview) -> None:
        from sessiontui.core import schedule

        self.problems = ()
        session = overview.session
        self.session, self.state, self.zone = session, None, schedule.session_zone(session)
        self.saver.open(self.path, session)
        self.locked = overview.read_only or ("finished" if overview.status == "finished" else None)
        self.refresh_bindings()
        first_load = self.overview is None
        self.overview = overview
        self.tick()
        if first_load and session.series:
            # Found now, so that last time's commitments come up the moment the session starts.
            self.find_previous(session)
        if self._ticker is None:
            # The first tick on the clock's next whole second, so the seconds turn together.
            now = self.clock()
            delay = 1 - now.microsecond / 1_000_000
            self._ticker = self.set_timer(delay, self._start_ticking)
        self.loading = False

    def _start_ticking(self) -> None:
        self.tick()
        self._ticker = self.set_interval(1, self.tick, name="tick")

    @on(SaveStatus.Merged)
    def _merged(self, message: SaveStatus.Merged) -> None:
        """Another screen's save (a note-taker's, say) came in: carry on from the merge."""
        self.session = message.session
        self.tick()

    @on(Failed)
    def _failed(self, message: Failed) -> None:
        self.loading = False
        if self.session is not None:
            # A reload that failed keeps the session running as it was.
            self.notify(
                safe_line("; ".join(message.problems)), title="Not reloaded", markup=False,
                severity="warning",
            )  # fmt: skip
            return
        self.overview = None
        self.problems = tuple(message.problems)
        # Opened from the command line, the app may want to exit and print the problems.
        hook = getattr(self.app, "session_load_failed", None)
        if callable(hook) and not self.opened_from_another_screen:
            hook(list(message.problems))

    def watch_overview(self, overview: Overview | None) -> None:
        if overview is None:
            return
        self.query_one("#body").display = True
        session = overview.session
        self.title = safe_line(session.title)
        self.sub_title = safe_line(session.series or "")
        self._show_summary(overview, overview.status)
        self.query_one(PlanWarnings).show(overview.issues)

    def _show_summary(self, overview: Overview, status: str) -> None:
        self.query_one(SessionSummary).show(
            overview.session,
            status=status,
            read_only=overview.read_only,
            migrated_from=overview.migrated_from,
        )

    def watch_problems(self, problems: tuple[str, ...]) -> None:
        widget = self.query_one(Problems)
        widget.display = bool(problems)
        self.query_one("#body").display = not problems
        if problems:
            self.query_one(SessionSummary).update("")
            widget.show(f"Could not open {self.path.name}", problems)

    # ------------------------------------------------------------------ the clock

    def tick(self) -> None:
        """Recompute the run at the clock's time and show it; rings the bell on crossings."""
        session, zone = self.session, self.zone
        if session is None or zone is None or not self.is_mounted:
            return
        from sessiontui.core import schedule

        now = self.clock()
        state = schedule.run_state(session, now, zone)
        previous, self.state = self.state, state
        if previous is not None and self.session_app.bell_enabled and _rings(previous, state):
            self.app.bell()
        allowed = frozenset(schedule.next_events_allowed(state))
        if allowed != self._allowed:
            self._allowed = allowed
            self.refresh_bindings()
        if previous is None or previous.status != state.status:
            if self.overview is not None:
                self._show_summary(self.overview, state.status)
            self.set_class(state.status == "finished", "-finished")
        self._paint(session, state, zone, now)

    def _paint(self, session: Session, state: RunState, zone: tzinfo, now: datetime) -> None:
        from sessiontui.core import schedule

        parts = self._parts
        if parts is None or not parts.agenda.is_mounted:
            return  # the body is mounted after the first load
        count = schedule.countdown(session, state)
        parts.countdown.show(countdown_view(session, state, count))
        parts.next.show(state, zone)
        parts.clock.show(clock_line(state, zone, bell=self.session_app.bell_enabled))
        parts.risks.show(risk_lines(session, state, zone))
        # The agenda, prompts and reminders change a few times an hour: each is rebuilt only
        # when what it shows changed (running times and projected starts are in minutes).
        chosen = self.highlighted()
        selected = None if chosen is None else chosen.item.id
        if self._changed("agenda", (projection_key(state, zone), selected)):
            parts.agenda.show(agenda_rows(state, zone, selected))
        if self._changed(
            "prompts", (session.agenda, session.log, session.upcoming, state.status, state.current)
        ):
            parts.prompts.show(self._prompts(session, state))
        clear_key = self._key_for("clear_broadcast") if state.broadcast is not None else ""
        parts.room.show(room_line(state, clear_key))
        self._paint_reminders(session, state, now)
        if state.status == "finished":
            parts.finished.update(
                finished_line(session, state, zone, read_only=self.locked == "finished")
            )

    def _paint_reminders(self, session: Session, state: RunState, now: datetime) -> None:
        """The ways of working as the room has them: pinned and hidden come from the log."""
        parts = self._parts
        assert parts is not None
        ways = session.ways_of_working
        names = [way.name for way in ways]
        pinned = names.index(state.pinned) if state.pinned in names else None
        shown = pinned
        if shown is None:
            shown = highlighted_index(now, self.session_app.rotate_seconds, len(ways))
        self._highlighted = shown
        self.set_class(state.ways_hidden, "-reminders-hidden")
        if self._changed("reminders", (ways, shown, pinned)):
            parts.reminders.show(reminders_text(ways, shown, pinned=pinned is not None))
            parts.reminders.border_title = (
                "Ways of working" if pinned is None else "Ways of working (pinned)"
            )

    def _changed(self, part: str, key: object) -> bool:
        """Whether `key` differs from the one `part` was last drawn for (and remember it)."""
        if self._drawn.get(part) == key:
            return False
        self._drawn[part] = key
        return True

    @staticmethod
    def _prompts(session: Session, state: RunState) -> Text:
        if state.status == "finished":
            return coming_up(session.upcoming)
        if state.current is not None:
            return item_prompts(state.items[state.current].item, "Now: ")
        upcoming = next((run for run in state.items if run.state == "pending"), None)
        if upcoming is None:
            return Text("Nothing left to run.", style="dim", end="")
        return item_prompts(upcoming.item, "Up first: ")


def _rings(before: RunState, after: RunState) -> bool:
    """Whether the bell rings between two states: at zero, and when a pairing turn ends."""
    from sessiontui.core import schedule

    if schedule.crossed_zero(before, after):
        return True
    if before.current != after.current:
        return False
    # Any group size's swap: the threes' turns end at other times than the pairs'.
    turns_before = {turn.group_size: turn.number for turn in before.turns}
    return any(
        turn.number > turns_before[turn.group_size]
        for turn in after.turns
        if turn.group_size in turns_before
    )
