"""The room's controls from outside the run screen: an action's name to the run log's event.

The remote page and the HTTP API name an action ("next", "extend" with minutes...); this is
the one place that checks it and turns it into the `Event` the run screen's key would append,
so `run`, `present` and every page follow a press on a phone exactly as they follow a key.
Pure: the caller appends the event inside `session_file.update`, against the file as it is.
"""

from __future__ import annotations

import datetime as dt
from typing import Final

from sessiontui.core import schedule
from sessiontui.core.model import Event, Session

ACTIONS: Final[tuple[str, ...]] = (
    "start",
    "next",
    "back",
    "pause",
    "resume",
    "extend",
    "broadcast",
    "clear_broadcast",
)
"""Every action the remote and the API offer, in the order the documentation lists them."""

MAX_EXTEND_MINUTES: Final = 240
"""The most an extend adds or takes off, the log's own bound for an extend event."""
MAX_BROADCAST_CHARS: Final = 500
"""A message longer than this is no longer something a room reads off a wall."""
MAX_BROADCAST_SECONDS: Final = 86_400
"""The log's own bound for how long a message stays up: a day."""

_KIND: Final[dict[str, str]] = {
    "start": "start",
    "next": "next",
    "back": "back",
    "pause": "pause",
    "resume": "resume",
    "extend": "extend",
    "broadcast": "broadcast",
    "clear_broadcast": "broadcast",
}
"""Each action's event kind: clearing is a broadcast of nothing, as on the run screen."""

_PARAMETERS: Final[dict[str, frozenset[str]]] = {
    "extend": frozenset({"minutes"}),
    "broadcast": frozenset({"text", "seconds"}),
}
"""The parameters each action takes; the others take none."""


class ControlRefused(ValueError):
    """An action that cannot be applied as asked; `str(error)` is one line for the person."""


class ControlNotAllowedNow(ControlRefused):
    """A well-formed action the run does not allow at this moment (a next before the start)."""


def control_event(
    session: Session,
    action: str,
    now: dt.datetime,
    *,
    minutes: int | None = None,
    text: str | None = None,
    seconds: int | None = None,
) -> Event:
    """The event the run screen would append for `action` at `now`, or ControlRefused saying why.

    Checked against the run as it stands (`schedule.next_events_allowed`), so a remote that
    showed a stale state cannot pause a paused session or go back from the first item.
    """
    if action not in _KIND:
        raise ControlRefused(f"unknown action {action!r}: one of {', '.join(ACTIONS)}")
    given = {
        name
        for name, value in (("minutes", minutes), ("text", text), ("seconds", seconds))
        if value is not None
    }
    extra = sorted(given - _PARAMETERS.get(action, frozenset()))
    if extra:
        raise ControlRefused(f"{action} takes no {' or '.join(extra)}")
    _check_parameters(action, minutes, text, seconds)
    state = schedule.run_state(session, now)
    kind = _KIND[action]
    if kind not in schedule.next_events_allowed(state):
        raise ControlNotAllowedNow(_why_not(action, state))
    if action == "clear_broadcast":
        if state.broadcast is None:
            raise ControlNotAllowedNow("clear_broadcast: no message is showing")
        return Event(at=now, kind="broadcast", text="")
    if action == "extend":
        return Event(at=now, kind="extend", minutes=minutes)
    if action == "broadcast":
        return Event(at=now, kind="broadcast", text=text, seconds=seconds)
    return Event(at=now, kind=kind)


def _check_parameters(
    action: str, minutes: int | None, text: str | None, seconds: int | None
) -> None:
    """Each parameter the action needs, within the bounds the log itself accepts."""
    if action == "extend":
        if not _is_integer(minutes):
            raise ControlRefused("extend needs minutes: a whole number such as 5 or -1")
        assert minutes is not None
        if minutes == 0 or abs(minutes) > MAX_EXTEND_MINUTES:
            raise ControlRefused(
                f"extend minutes must be from -{MAX_EXTEND_MINUTES} to {MAX_EXTEND_MINUTES},"
                " and not 0"
            )
    if action == "broadcast":
        if not isinstance(text, str) or not text.strip():
            raise ControlRefused("broadcast needs text: the message (clear_broadcast clears it)")
        if len(text) > MAX_BROADCAST_CHARS:
            raise ControlRefused(
                f"broadcast text is {len(text)} characters: at most {MAX_BROADCAST_CHARS}"
            )
        if seconds is not None and (
            not _is_integer(seconds) or not 1 <= seconds <= MAX_BROADCAST_SECONDS
        ):
            raise ControlRefused(
                f"broadcast seconds must be a whole number from 1 to {MAX_BROADCAST_SECONDS}"
            )


def _is_integer(value: object) -> bool:
    # A JSON true is a Python bool, which is an int: never a number of minutes.
    return isinstance(value, int) and not isinstance(value, bool)


def _why_not(action: str, state: schedule.RunState) -> str:
    """One line on why the run does not take this action now."""
    if state.status == "planned":
        return f"{action}: the session has not started"
    if state.status == "finished":
        if action == "back":
            return "back: the session finished without running an item to go back to"
        return f"{action}: the session has finished"
    if action == "start":
        return "start: the session has already started"
    if action == "pause":
        return "pause: the session is already paused"
    if action == "resume":
        return "resume: the session is not paused"
    if action == "back":
        return "back: this is the first item"
    return f"{action}: not possible now"
