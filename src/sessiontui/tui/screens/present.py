"""The shared screen: a read-only view of one session for the projector, following it live.

It never writes the session file, nor takes its lock: saves replace the file atomically, so
a plain read sees either the old version or the new one, and any number of present views can
follow one file without slowing the facilitator's saves. Every `FOLLOW_SECONDS` a thread of
its own stats the file (one system call) and only when the stat changed tells the screen,
which reads it again in a thread worker: an unchanged file costs the UI thread nothing, where
a Textual timer would wake the app four times a second for it. A read that fails (the file
briefly missing or invalid while someone saves or edits it) keeps the last good version on
screen, with a notice saying since when.

What is shown is derived once a second from the plan, the log and the clock: the room's
state (`core.room.room_state`, the same the phones and the API show), worded by
`widgets.present_view` and laid out by importance by `widgets.present_layout`; never counted,
so every view of one file agrees. A swap of turns is said, flashed and rung, all derived
from the clock: the flash is on while the turn is under `FLASH_SECONDS` old.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from datetime import datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, Final, cast

from rich.text import Text
from textual import events, on, work
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
from sessiontui.tui.widgets.present import BigDigits, FitLine
from sessiontui.tui.widgets.present_layout import (
    SIDE_PARTS,
    TALL_FROM,
    WIDE_FROM,
    is_wide,
    parts_that_fit,
    wanted_rows,
)

if TYPE_CHECKING:
    from sessiontui.core.model import Session
    from sessiontui.session_file import Follower
    from sessiontui.tui.app import SessionApp
    from sessiontui.tui.widgets.present_view import PresentView


FOLLOW_SECONDS = 0.25
"""How often the view stats the file: the room sees a control within a quarter second plus a
read, and an unchanged file costs one system call, off the UI thread."""


PARTS: Final = {
    "broadcast": "#present-broadcast",
    "title": "#present-title",
    "next": "#present-next",
    "other_turns": "#present-turns",
    "groups": "#present-groups",
    "prompts": "#present-prompts",
    "agenda": "#present-agenda",
    "reminders": "#present-ways",
}
"""Each part `present_layout` may drop, and its widget."""


class PresentScreen(Screen[None]):
    """The session for the room: the item, its countdown and turns, next, groups, the agenda."""

    CSS_PATH = "present.tcss"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (WIDE_FROM, "-wide")]  # noqa: RUF012
    VERTICAL_BREAKPOINTS = [(0, "-short"), (TALL_FROM, "-tall")]  # noqa: RUF012

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("question_mark,f1", "help", "Help", tooltip="List every key", id="present.help"),
        Binding(
            "m", "mute", "Bell", tooltip="Turn the bell at each swap off or on", id="present.mute"
        ),
    ]

    loading: var[bool] = var(True, init=False)
    """True until the first read of the file has finished (well or not)."""

    class Changed(Message):
        """The file's stat changed since the last look: read it again (or say it is gone)."""

        def __init__(self, serial: int, missing: bool) -> None:
            super().__init__()
            self.serial = serial
            self.missing = missing

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
        self.shown_parts: set[str] = set()
        """The parts the screen's size leaves room for (see `present_layout`)."""
        self.unreadable: tuple[datetime, str] | None = None
        """Since when and why the file cannot be read, or None while it reads."""
        self._coming_up = Text(end="")
        self._arranged: tuple[object, ...] = ()
        """What the last arrangement was worked out from, so an unchanged one is not redone."""
        self._follower: Follower | None = None
        """Made at the first look, after the first frame (it imports the models)."""
        self._looking = threading.Lock()
        """Held over a look and the message it posts: the follow thread and `poll` both look."""
        self._stop_following = threading.Event()
        self._ticker: Timer | None = None

    # ------------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        yield Static(id="present-notice", markup=False)
        yield Problems(id="present-problems")
        yield Static(id="present-broadcast", markup=False)
        with Horizontal(id="present-body"):
            with Vertical(id="present-main"):
                yield Static(id="present-title", markup=False)
                yield FitLine(id="present-next")
                yield BigDigits(id="present-digits")
                yield FitLine(id="present-phase")
                yield Static(id="present-turns", markup=False)
                yield Static(id="present-groups", markup=False)
                yield Static(id="present-prompts", markup=False)
            with Vertical(id="present-side"):
                yield Static(id="present-agenda", markup=False)
                yield Static(id="present-ways", markup=False)

    def on_mount(self) -> None:
        self.title = safe_line(self.path.name)
        for selector in ("#present-notice", "#present-problems", *PARTS.values()):
            self.query_one(selector).display = False
        self.query_one("#present-body").display = False
        self.query_one("#present-agenda").border_title = "Agenda"
        # Paint the screen first, then read: the first frame does not wait for the file.
        self.call_after_refresh(self._start_following)

    def on_unmount(self) -> None:
        self._stop_following.set()

    def on_resize(self, event: events.Resize) -> None:
        if self.view is not None:
            self._arrange(self.view)

    @property
    def session_app(self) -> SessionApp:
        """The app, with its settings."""
        return cast("SessionApp", self.app)

    # ------------------------------------------------------------------ following the file

    def _start_following(self) -> None:
        from sessiontui.session_file import Follower  # pydantic: not before the first frame

        self._follower = Follower(self.path)
        self.poll(force=True)
        follow = threading.Thread(target=self._follow, name="present: follow", daemon=True)
        follow.start()

    def _follow(self) -> None:
        """Stat the file every `FOLLOW_SECONDS` (in its own thread) until the screen goes."""
        while not self._stop_following.wait(FOLLOW_SECONDS):
            with self._looking, contextlib.suppress(RuntimeError):  # the app's loop has closed
                change = self._look()
                if change is not None:
                    self.post_message(change)

    def poll(self, *, force: bool = False) -> None:
        """Look at the file now, on the UI thread: read it again if its stat changed."""
        with self._looking:
            change = self._look(force=force)
        if change is not None:
            self._on_changed(change)

    def _look(self, *, force: bool = False) -> Changed | None:
        """One stat: what changed since the last look (either thread, under `_looking`)."""
        follower = self._follower
        if follower is None:
            return None
        serial = follower.due(force=force)
        if serial is None:
            return None
        return self.Changed(serial, follower.missing)

    @on(Changed)
    def _on_changed(self, change: Changed) -> None:
        if change.missing:
            # Gone (a save's rename in progress, or deleted): nothing to read until it is back.
            self._apply(change.serial, None, [f"{self.path.name}: no such file"])
        else:
            self._read(change.serial)

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
        from sessiontui.tui.widgets.prompts import coming_up

        self.session, self.zone = session, schedule.session_zone(session)
        self._coming_up = coming_up(session.upcoming)
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
        """Work out what the room sees at the clock's time, and repaint what changed."""
        session, zone = self.session, self.zone
        if session is None or zone is None or not self.is_mounted:
            return
        from sessiontui.core.room import room_state
        from sessiontui.tui.widgets.present_view import present_view, swapped
        from sessiontui.tui.widgets.reminders import highlighted_index

        now = self.clock()
        room = room_state(session, now, zone)
        rotating = highlighted_index(now, self.session_app.rotate_seconds, len(room.ways))
        view = present_view(room, rotating=rotating, coming_up=self._coming_up)
        old, self.view = self.view, view
        # Rung by comparing two states of the clock, so a swap rings once, however often
        # the screen ticks, and a restart in the middle of a turn does not ring at all.
        if swapped(old, view) and self.session_app.bell_enabled:
            self.app.bell()
        self._paint(old, view)
        self._arrange(view)

    def _static(self, selector: str) -> Static:
        return self.query_one(selector, Static)

    def _paint(self, old: PresentView | None, view: PresentView) -> None:
        if old is None or old.status != view.status:
            for status in ("planned", "running", "paused", "finished"):
                self.set_class(status == view.status, f"-{status}")
        if old is None or old.phase != view.phase:
            for phase in PHASES:
                self.set_class(phase == view.phase, f"-phase-{phase}")
        if old is None or old.flash != view.flash:
            self.set_class(view.flash, "-flash")
        if old is None or old.broadcast != view.broadcast:
            self._static("#present-broadcast").update(view.broadcast or "")
        if old is None or old.title != view.title:
            self._static("#present-title").update(view.title)
        if old is None or old.next != view.next:
            self.query_one("#present-next", FitLine).show(view.next)
        if old is None or old.digits != view.digits:
            self.query_one(BigDigits).update(view.digits)
        if old is None or (old.label, old.swap) != (view.label, view.swap):
            label = self.query_one("#present-phase", FitLine)
            label.set_class(view.swap, "-swap")
            label.show(view.label)
        if old is None or old.other_turns != view.other_turns:
            self._static("#present-turns").update(view.other_turns)
        if old is None or (old.groups, old.groups_title) != (view.groups, view.groups_title):
            groups = self._static("#present-groups")
            groups.border_title = view.groups_title
            groups.update(view.groups)
        if old is None or (old.prompts, old.prompts_title) != (view.prompts, view.prompts_title):
            prompts = self._static("#present-prompts")
            prompts.border_title = view.prompts_title
            prompts.update(view.prompts)
        if old is None or (old.ways, old.ways_title) != (view.ways, view.ways_title):
            ways = self._static("#present-ways")
            ways.border_title = view.ways_title
            ways.update(view.ways or "")

    def _arrange(self, view: PresentView) -> None:
        """Show the parts the size leaves room for, each as high as decided (`present_layout`)."""
        width, height = self.size
        if self.query_one("#present-notice").display:
            height -= 1
        # Compared before anything is measured: most ticks change only the digits.
        arrangement: tuple[object, ...] = (width, height, view.status, view.broadcast, view.title)
        arrangement += (view.next,)
        arrangement += (view.other_turns, view.groups, view.prompts, view.agenda, view.ways)
        if arrangement == self._arranged:
            return
        self._arranged = arrangement
        texts: dict[str, Text | None] = {
            "broadcast": view.broadcast,
            "title": view.title,
            "next": view.next[0] if view.next else None,
            "other_turns": view.other_turns,
            "groups": view.groups,
            "prompts": view.prompts,
            "agenda": Text("\n").join(view.agenda.lines),
            "reminders": view.ways,
        }
        wanted = wanted_rows(width, height, texts, fixed=("title", "next"), status=view.status)
        kept = parts_that_fit(width, height, wanted)
        self.shown_parts = kept
        rows = {name: wanted[name] for name in kept}
        if "agenda" in kept and is_wide(width):
            # Beside the clock the agenda has the side column's height, less the ways.
            rows["agenda"] = height - rows.get("broadcast", 0) - rows.get("reminders", 0)
        for name, selector in PARTS.items():
            widget = self.query_one(selector)
            widget.display = name in kept
            if name in kept:
                widget.styles.height = rows[name]
        self.query_one("#present-side").display = bool(kept & SIDE_PARTS)
        if "agenda" in kept:
            self._show_agenda(view, rows["agenda"])

    def _show_agenda(self, view: PresentView, rows: int) -> None:
        from sessiontui.tui.widgets.present_view import agenda_window

        agenda = self._static("#present-agenda")
        inner = rows - (2 if self.size.height >= TALL_FROM else 0)
        lines = view.agenda.lines
        window = agenda_window(len(lines), view.agenda.focus, inner)
        agenda.update(Text("\n", end="").join(lines[index] for index in window))

    # ------------------------------------------------------------------ keys

    def action_mute(self) -> None:
        """Turn the bell at each swap off or on (the same setting as the run screen's `m`)."""
        self.session_app.toggle_bell()

    def action_help(self) -> None:
        """Show the keys of this screen (there are few: it only shows the session)."""
        from sessiontui.tui.dialogs.help import HelpScreen, binding_rows

        rows = binding_rows(self, Binding.make_bindings(self.BINDINGS))
        self.app.push_screen(HelpScreen("Keys of the shared screen", rows))
