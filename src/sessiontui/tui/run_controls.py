"""The run screen's controls: its keys, what each appends to the log, and when each applies.

`ControlledScreen` is the base of `RunScreen`: it holds the bindings (each with an id
"run.<action>", so the settings' keymap can move it), `check_action` (a control the run does
not allow now, by `schedule.next_events_allowed`, is greyed; in the read-only summary it is
not shown at all), and the actions. Each control appends one `model.Event` at the clock's
time and hands the new session to the saver; the finish (and a next or skip that would
finish) asks first, and a replan is shown before it is applied.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Final, cast

from rich.text import Text
from textual import on, work
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.screen import Screen

from sessiontui.display import safe_line

if TYPE_CHECKING:
    from sessiontui.core.model import Session
    from sessiontui.core.schedule import RunState
    from sessiontui.tui.app import SessionApp
    from sessiontui.tui.widgets.saving import SaveStatus

CONTROLS: Final[dict[str, frozenset[str]]] = {
    "start": frozenset({"start"}),
    "pause": frozenset({"pause", "resume"}),
    "next": frozenset({"next"}),
    "back": frozenset({"back"}),
    "extend": frozenset({"extend"}),
    "extend_five": frozenset({"extend"}),
    "shorten": frozenset({"extend"}),
    "skip": frozenset({"skip"}),
    "finish": frozenset({"finish"}),
    "replan": frozenset({"replan"}),
    "broadcast": frozenset({"broadcast"}),
    "clear_broadcast": frozenset({"broadcast"}),
    "hide_reminders": frozenset({"hide_ways", "show_ways"}),
    "pin_reminder": frozenset({"pin"}),
}
"""Each control action and the log events (`schedule.next_events_allowed`) that enable it."""

VIEW_ACTIONS: Final = frozenset({"mute", "reload"})
"""Actions that change only this screen (or settings), off in the read-only summary."""

TIME = Binding.Group("Time", compact=True)
REMINDERS = Binding.Group("Reminders", compact=True)


def _key(
    keys: str,
    action: str,
    description: str,
    tooltip: str,
    group: Binding.Group | None = None,
    *,
    show: bool = True,
) -> Binding:
    """A run screen binding; its id "run.<action>" is what the keymap in the settings names."""
    return Binding(
        keys, action, description, tooltip=tooltip, group=group, show=show, id=f"run.{action}"
    )


class ControlledScreen(Screen[None]):
    """The controls of the run screen; the subclass shows the run and keeps it current."""

    BINDINGS: ClassVar[list[BindingType]] = [
        _key("question_mark,f1", "help", "Help", "List every key of this screen"),
        _key("s", "start", "Start", "Start the session"),
        _key("space", "pause", "Pause", "Pause or resume the session"),
        _key("n,right", "next", "Next", "This item is done: on to the next"),
        _key("b,left", "back", "Back", "Back to the item before (undoes a next or skip)"),
        _key("plus,equals_sign", "extend", "+1 min", "Give this item a minute more", TIME),
        _key("5", "extend_five", "+5 min", "Give this item five minutes more", TIME),
        _key("minus", "shorten", "-1 min", "Take a minute off this item", TIME),
        _key("k", "skip", "Skip", "Skip this item and go on to the next"),
        _key("f", "finish", "Finish", "Finish the session (asks first)"),
        _key("r", "replan", "Replan", "Shorten the items to come to finish on time (asks first)"),
        # Not in the footer, which is full at 80 columns; listed by ? and the palette.
        _key(
            "t",
            "broadcast",
            "Tell",
            "Tell the room: a message on every shared screen, for a while or until cleared",
            show=False,
        ),
        _key(
            "T",
            "clear_broadcast",
            "Clear message",
            "Clear the room's message from every shared screen",
            show=False,
        ),
        _key("m", "mute", "Bell", "Turn the bell at zero off or on"),
        _key(
            "h",
            "hide_reminders",
            "Hide",
            "Hide or show the ways of working, here and on every shared screen",
            REMINDERS,
        ),
        _key(
            "p",
            "pin_reminder",
            "Pin",
            "Pin the highlighted way of working on every screen, or unpin",
            REMINDERS,
        ),
        _key("o", "notes", "Notes", "Take notes for the current item's groups"),
        _key("c", "commitments", "Commitments", "Note each person's one practical thing"),
        _key("g", "groups", "Groups", "Who is here, and the groups of a pairing or breakout"),
        _key(
            "l",
            "check_back",
            "Last time",
            "The previous session's commitments, to check back on",
            show=False,
        ),
        _key("escape", "leave", "Sessions", "Return to the list of sessions"),
        _key("ctrl+r", "reload", "Reload", "Read the session file again", show=False),
    ]

    # Kept by the subclass.
    path: Path
    clock: Callable[[], datetime]
    session: Session | None
    state: RunState | None
    zone: tzinfo | None
    saver: SaveStatus
    locked: str | None
    """Why the controls are off (read-only summary), or None when they work."""
    previous: tuple[str, Session] | None = None
    """The series' previous session (its file and contents), once looked for."""
    _check_back_when_found = False
    """Set by start: show the previous session's commitments as soon as they are known."""
    _allowed: frozenset[str] | None
    _highlighted: int

    def tick(self) -> None:
        """Recompute the run and show it (the subclass does)."""
        raise NotImplementedError

    @property
    def session_app(self) -> SessionApp:
        """The app, with its clock and settings."""
        return cast("SessionApp", self.app)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "leave":
            return self.opened_from_another_screen
        if action in CONTROLS:
            if self.locked is not None:
                return False
            if action == "clear_broadcast" and (self.state is None or self.state.broadcast is None):
                return None  # nothing to clear
            return True if self._allowed and CONTROLS[action] & self._allowed else None
        if action in VIEW_ACTIONS:
            return self.locked is None
        return True

    def _key_for(self, action: str) -> str:
        """The key that runs `action` here, as the keymap has it (for the lines that name one)."""
        bindings = self._bindings.copy()
        if self.app._keymap:
            bindings.apply_keymap(self.app._keymap)
        for _key, binding in bindings:
            if binding.action == action:
                return self.app.get_key_display(binding)
        return "?"

    def _can(self, action: str) -> bool:
        return self.session is not None and self.check_action(action, ()) is True

    def _record(self, kind: str, **fields: Any) -> None:
        """Append one event to the log, save it off the UI thread, and show the result."""
        from sessiontui.core.model import Event

        session = self.session
        if session is None:
            return
        event = Event(at=self.clock(), kind=kind, **fields)
        self.session = session.model_copy(update={"log": [*session.log, event]})
        # The screen shows the change from memory first; the save runs after, in a worker.
        self.tick()
        self.saver.submit(self.session)

    def _would_finish(self) -> bool:
        state = self.state
        if state is None or state.current is None:
            return False
        return not any(run.state == "pending" for run in state.items[state.current + 1 :])

    def _confirm(self, action: str, kind: str, question: str, yes: str) -> None:
        def answered(confirmed: bool | None) -> None:
            if confirmed and self._can(action):
                self._record(kind)

        # Modals load on first use: importing them at startup delays the first frame.
        from sessiontui.tui.dialogs.confirm import ConfirmScreen

        self.app.push_screen(ConfirmScreen(Text(question, style="bold"), yes), answered)

    def action_start(self) -> None:
        """Start the session, then bring up last time's commitments to check back on."""
        if self._can("start"):
            self._record("start")
            self._check_back_when_found = True
            if self.previous is not None:
                self._previous_found(self.PreviousFound(self.previous))

    def action_pause(self) -> None:
        """Pause a running session, or resume a paused one."""
        if self._can("pause") and self.state is not None:
            self._record("pause" if self.state.status == "running" else "resume")

    def action_next(self) -> None:
        """The current item is done; the last one asks first, as it finishes the session."""
        if not self._can("next"):
            return
        if self._would_finish():
            self._confirm("next", "next", "This is the last item: finish the session?", "finish")
        else:
            self._record("next")

    def action_back(self) -> None:
        """Back to the item before the current one (or reopen the last, after a finish)."""
        if self._can("back"):
            self._record("back")

    def action_extend(self) -> None:
        """One minute more for the current item."""
        if self._can("extend"):
            self._record("extend", minutes=1)

    def action_extend_five(self) -> None:
        """Five minutes more for the current item."""
        if self._can("extend_five"):
            self._record("extend", minutes=5)

    def action_shorten(self) -> None:
        """One minute less for the current item."""
        if self._can("shorten"):
            self._record("extend", minutes=-1)

    def action_skip(self) -> None:
        """Skip the current item; the last one asks first, as it finishes the session."""
        if not self._can("skip"):
            return
        if self._would_finish():
            self._confirm("skip", "skip", "Skip the last item and finish the session?", "skip")
        else:
            self._record("skip")

    def action_finish(self) -> None:
        """Finish the session, once confirmed."""
        if self._can("finish"):
            self._confirm("finish", "finish", "Finish the session now?", "finish")

    def action_replan(self) -> None:
        """Propose shorter items to finish on time; applied only once confirmed."""
        session, zone = self.session, self.zone
        if session is None or zone is None or not self._can("replan"):
            return
        from sessiontui.core import replan, schedule

        now = self.clock()
        proposal = replan.propose_replan(session, now, zone)
        from sessiontui.tui.dialogs.replan import ReplanScreen, replan_view

        view = replan_view(schedule.run_state(session, now, zone), proposal, zone)

        def answered(apply: bool | None) -> None:
            current = self.session
            if not apply or current is None or not self._can("replan"):
                return
            # Proposed again: time moved on while the proposal was read.
            again = replan.propose_replan(current, self.clock(), zone)
            if again.feasible and again.changes:
                self._record("replan", plan=dict(again.changes))
            self.notify(safe_line(again.message), title="Replan", markup=False)

        self.app.push_screen(ReplanScreen(view), answered)

    def action_broadcast(self) -> None:
        """Type a message for every shared screen and how long it stays; empty clears it."""
        self.tick()  # what the room sees at this moment, not at the last tick
        state = self.state
        if not self._can("broadcast") or state is None:
            return
        from sessiontui.tui.dialogs.broadcast import BroadcastScreen, Told
        from sessiontui.tui.widgets.room_line import time_left

        def answered(told: Told | None) -> None:
            if told is not None and self._can("broadcast"):
                self._record("broadcast", text=told.text, seconds=told.seconds)

        until = state.broadcast_until
        left = None if until is None else time_left(until, state.now)
        self.app.push_screen(BroadcastScreen(state.broadcast, left), answered)

    def action_clear_broadcast(self) -> None:
        """Take the message off every shared screen now."""
        if self._can("clear_broadcast"):
            self._record("broadcast", text="")

    def action_mute(self) -> None:
        """Turn the bell off or on (remembered in the settings)."""
        self.session_app.toggle_bell()
        self.tick()

    def action_hide_reminders(self) -> None:
        """Hide the ways of working here and on every shared screen, or show them again."""
        if self._can("hide_reminders") and self.state is not None:
            self._record("show_ways" if self.state.ways_hidden else "hide_ways")

    def action_pin_reminder(self) -> None:
        """Pin the highlighted way of working on every screen (stops the rotation), or unpin."""
        session, state = self.session, self.state
        if not self._can("pin_reminder") or session is None or state is None:
            return
        if state.pinned is not None:
            self._record("pin", text="")
        elif session.ways_of_working:
            ways = session.ways_of_working
            self._record("pin", text=ways[min(self._highlighted, len(ways) - 1)].name)
        else:
            self.notify("No ways of working to pin.", markup=False)

    def _current_item_id(self) -> str | None:
        state = self.state
        if state is None or state.current is None:
            return None
        return state.items[state.current].item.id

    def action_notes(self) -> None:
        """Take notes for the current item's groups (before the start: the first that takes any)."""
        if self.session is not None:
            self.saver.flush()
            self.session_app.open_screen("notes", self.path, item=self._current_item_id())

    def action_commitments(self) -> None:
        """Note each person's one practical thing."""
        if self.session is not None:
            self.saver.flush()
            self.session_app.open_screen("commitments", self.path, item=self._current_item_id())

    def action_groups(self) -> None:
        """Who is here, and the groups of the current (or first) pairing or breakout item."""
        if self.session is not None:
            self.saver.flush()
            self.session_app.open_screen("groups", self.path, item=self._current_item_id())

    class PreviousFound(Message):
        """The worker looked for the series' previous session: whose commitments to ask about."""

        def __init__(self, previous: tuple[str, Session] | None) -> None:
            super().__init__()
            self.previous = previous

    @work(thread=True, exclusive=True, group="check_back", exit_on_error=False)
    def find_previous(self, session: Session) -> None:
        """Look for the previous session of the series, ready for the start."""
        from sessiontui.tui.dialogs.checkback import find_previous

        try:
            previous = find_previous(self.path, session)
        except Exception:  # checking back helps; an unreadable folder must not stop the run
            previous = None
        self.post_message(self.PreviousFound(previous))

    @on(PreviousFound)
    def _previous_found(self, message: PreviousFound) -> None:
        self.previous = message.previous
        if self._check_back_when_found:
            self._check_back_when_found = False
            if message.previous is not None and message.previous[1].actions:
                self._show_check_back()

    def action_check_back(self) -> None:
        """Show the previous session's commitments again, to mark how each went."""
        session = self.session
        if session is None:
            return
        if not session.series:
            self.notify("This session is not part of a series.", markup=False)
        elif self.previous is None:
            self.notify("No earlier session of this series in the folder.", markup=False)
        elif not self.previous[1].actions:
            self.notify("Nobody committed to anything last time.", markup=False)
        else:
            self._show_check_back()

    def _show_check_back(self) -> None:
        from sessiontui.tui.dialogs.checkback import CheckBackScreen

        def closed(_: None) -> None:
            # Read again: the statuses just marked are in the file, not in what was found.
            if self.session is not None:
                self.find_previous(self.session)

        if self.previous is not None and not isinstance(self.app.screen, CheckBackScreen):
            self.app.push_screen(CheckBackScreen(*self.previous), callback=closed)

    def save_now(self) -> str | None:
        """Save what is pending on this thread (quitting, a signal); returns why it failed."""
        return self.saver.flush()

    def action_help(self) -> None:
        """Show every key of this screen."""
        from sessiontui.tui.dialogs.help import HelpScreen, binding_rows

        # Every class's own keys, base first: the subclasses add theirs (the agenda keys).
        declared = [
            binding
            for cls in reversed(type(self).__mro__)
            for binding in Binding.make_bindings(vars(cls).get("BINDINGS", []))
        ]
        rows = binding_rows(self, declared)
        self.app.push_screen(HelpScreen("Keys of the run screen", rows))

    @property
    def opened_from_another_screen(self) -> bool:
        """Whether there is a screen (home) under this one to go back to."""
        stack = self.app.screen_stack
        return self in stack and stack[0] is not self

    def action_leave(self) -> None:
        """Return to the screen this one was opened from, once everything is saved."""
        if not self.opened_from_another_screen:
            return
        if self.saver.flush() is not None:
            self.notify("Not saved yet; staying on this session.", severity="warning", markup=False)
            return
        self.dismiss()
