"""The shared screen: a read-only view of one session for the projector, following it live.

It never writes the session file, nor takes its lock: saves replace the file atomically, so
a plain read sees either the old version or the new one, and any number of present views can
follow one file without slowing the facilitator's saves. Every `FOLLOW_SECONDS` it stats the
file on the UI thread (one system call) and only when the stat changed reads it again, in a
thread worker. A read that fails (the file briefly missing or invalid while someone saves or
edits it) keeps the last good version on screen, with a notice saying since when.

What is shown is derived once a second from the plan, the log and the clock
(`widgets.present.present_view`), never counted, so every view of one file agrees.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, cast

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.reactive import var
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Static

from sessiontui.display import safe_line, user_line
from sessiontui.tui.widgets.countdown import PHASES
from sessiontui.tui.widgets.overview import Problems
from sessiontui.tui.widgets.present import BigDigits

if TYPE_CHECKING:
    from sessiontui.core.model import Session
    from sessiontui.session_file import Follower
    from sessiontui.tui.app import SessionApp
    from sessiontui.tui.widgets.present import PresentView


FOLLOW_SECONDS = 0.25
"""How often the view stats the file: the room sees a control within a quarter second plus a
read, and an unchanged file costs one system call."""


class PresentScreen(Screen[None]):
    """The session for the room: the item, its countdown, prompts, ways of working, broadcast."""

    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]  # noqa: RUF012
    VERTICAL_BREAKPOINTS = [(0, "-short"), (32, "-tall")]  # noqa: RUF012

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("question_mark,f1", "help", "Help", tooltip="List every key", id="present.help"),
    ]

    loading: var[bool] = var(True, init=False)
    """True until the first read of the file has finished (well or not)."""

    class Read(Message):
        """A read of the file finished: the session, or why it could not be used."""

        def __init__(self, serial: int, session: Session | None, problems: list[str]) -> None:
            super().__init__()
            self.serial = serial
            self.session = session
            self.problems = problems

    def __init__(self, path: Path, clock: Callable[[], datetime]) -> None:
        super().__init__()
        self.path = path
        self.clock = clock
        self.session: Session | None = None
        """The last good version of the file; kept while the file cannot be read."""
        self.zone: tzinfo | None = None
        self.view: PresentView | None = None
        """What is on screen now."""
        self.unreadable: tuple[datetime, str] | None = None
        """Since when and why the file cannot be read, or None while it reads."""
        self._follower: Follower | None = None
        """Made at the first look, after the first frame (it imports the models)."""
        self._ticker: Timer | None = None

    # ------------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        yield Static(id="present-notice", markup=False)
        yield Problems(id="present-problems")
        yield Static(id="present-broadcast", markup=False)
        with Horizontal(id="present-body"):
            with Vertical(id="present-main"):
                yield Static(id="present-title", markup=False)
                yield Static(id="present-subtitle", markup=False)
                yield BigDigits(id="present-digits")
                yield Static(id="present-phase", markup=False)
                yield Static(id="present-turn", markup=False)
                yield Static(id="present-prompts", markup=False)
            yield Static(id="present-ways", markup=False)

    def on_mount(self) -> None:
        self.title = safe_line(self.path.name)
        for selector in ("#present-notice", "#present-problems", "#present-broadcast"):
            self.query_one(selector).display = False
        self.query_one("#present-body").display = False
        self.query_one("#present-ways").border_title = "Ways of working"
        # Paint the screen first, then read: the first frame does not wait for the file.
        self.call_after_refresh(self.poll, force=True)
        self.set_interval(FOLLOW_SECONDS, self.poll, name="poll file")

    @property
    def session_app(self) -> SessionApp:
        """The app, with its settings."""
        return cast("SessionApp", self.app)

    # ------------------------------------------------------------------ following the file

    def poll(self, *, force: bool = False) -> None:
        """Read the file again if its stat changed since the last look (one stat otherwise)."""
        from sessiontui.session_file import Follower

        if self._follower is None:
            self._follower = Follower(self.path)
        serial = self._follower.due(force=force)
        if serial is None:
            return
        if self._follower.missing:
            # Gone (a save's rename in progress, or deleted): nothing to read until it is back.
            self._apply(serial, None, [f"{self.path.name}: no such file"])
            return
        self._read(serial)

    @work(thread=True, group="read", exit_on_error=False)
    def _read(self, serial: int) -> None:
        from sessiontui.session_file import problems_of  # pydantic: not before the first frame

        follower = self._follower
        if follower is None:
            return
        try:
            session = follower.read().session
        except Exception as error:  # shown on screen, never as a traceback
            self.post_message(self.Read(serial, None, problems_of(error)))
        else:
            self.post_message(self.Read(serial, session, []))

    @on(Read)
    def _on_read(self, message: Read) -> None:
        self._apply(message.serial, message.session, message.problems)

    def _apply(self, serial: int, session: Session | None, problems: list[str]) -> None:
        # Reads may finish out of order; an older one must not replace a newer result.
        if self._follower is None or not self._follower.is_newest(serial):
            return
        if session is None:
            self._failed(problems)
        else:
            self._loaded(session)
        self.loading = False

    def _loaded(self, session: Session) -> None:
        from sessiontui.core import schedule

        self.unreadable = None
        self.query_one("#present-notice").display = False
        self.query_one("#present-problems").display = False
        self.query_one("#present-body").display = True
        self.session, self.zone = session, schedule.session_zone(session)
        self.title = safe_line(session.title)
        self.tick()
        if self._ticker is None:
            # Ticks on the clock's whole seconds, so the digits turn with the room's clocks.
            delay = 1 - self.clock().microsecond / 1_000_000
            self._ticker = self.set_timer(delay, self._start_ticking)

    def _start_ticking(self) -> None:
        self.tick()
        self._ticker = self.set_interval(1, self.tick, name="tick")

    def _failed(self, problems: list[str]) -> None:
        first = problems[0] if problems else "unreadable"
        if self.session is None:
            problem_widget = self.query_one(Problems)
            problem_widget.display = True
            problem_widget.show(f"Could not open {self.path.name}", problems)
            hook = getattr(self.app, "session_load_failed", None)
            if callable(hook) and self.loading:
                hook(list(problems))
            return
        if self.unreadable is None:
            self.unreadable = (self.clock(), first)
        else:
            self.unreadable = (self.unreadable[0], first)
        since = self.unreadable[0]
        zone = self.zone
        at = since.astimezone(zone) if zone is not None else since
        notice = Text(f"File unreadable since {at:%H:%M:%S}: ", end="")
        notice.append_text(user_line(first))
        notice.append("; showing the last good version")
        widget = cast(Static, self.query_one("#present-notice"))
        widget.update(notice)
        widget.display = True

    # ------------------------------------------------------------------ the clock

    def tick(self) -> None:
        """Work out what to show at the clock's time, and repaint what changed."""
        session, zone = self.session, self.zone
        if session is None or zone is None or not self.is_mounted:
            return
        from sessiontui.core import schedule
        from sessiontui.tui.widgets.present import present_view

        now = self.clock()
        state = schedule.run_state(session, now, zone)
        view = present_view(session, state, zone, now, self.session_app.rotate_seconds)
        old, self.view = self.view, view
        self._paint(old, view)

    def _static(self, selector: str) -> Static:
        return self.query_one(selector, Static)

    def _paint(self, old: PresentView | None, view: PresentView) -> None:
        if old is None or old.status != view.status:
            for status in ("planned", "running", "paused", "finished"):
                self.set_class(status == view.status, f"-{status}")
        if old is None or old.phase != view.phase:
            for phase in PHASES:
                self.set_class(phase == view.phase, f"-phase-{phase}")
        if old is None or old.broadcast != view.broadcast:
            banner = self._static("#present-broadcast")
            banner.display = view.broadcast is not None
            banner.update(view.broadcast or "")
        if old is None or old.title != view.title:
            self._static("#present-title").update(view.title)
        if old is None or old.subtitle != view.subtitle:
            self._static("#present-subtitle").update(view.subtitle)
        if old is None or old.digits != view.digits:
            self.query_one(BigDigits).update(view.digits)
        if old is None or old.label != view.label:
            self._static("#present-phase").update(Text(view.label, end=""))
        if old is None or (old.turn, old.swap) != (view.turn, view.swap):
            turn = self._static("#present-turn")
            turn.display = bool(view.turn)
            turn.set_class(view.swap, "-swap")
            turn.update(Text(view.turn, end=""))
        if old is None or (old.main, old.main_title) != (view.main, view.main_title):
            prompts = self._static("#present-prompts")
            prompts.border_title = view.main_title
            prompts.update(view.main)
        if old is None or old.ways != view.ways:
            self._static("#present-ways").update(view.ways)

    # ------------------------------------------------------------------ keys

    def action_help(self) -> None:
        """Show the keys of this screen (there are few: it only shows the session)."""
        from sessiontui.tui.dialogs.help import HelpScreen, binding_rows

        rows = binding_rows(self, Binding.make_bindings(self.BINDINGS))
        self.app.push_screen(HelpScreen("Keys of the shared screen", rows))
