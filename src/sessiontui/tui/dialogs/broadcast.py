"""A small dialog over the run screen to tell the room something, and for how long.

First the message, then how long it stays up: until the facilitator clears it (the default),
1, 2, 5 or 10 minutes, or minutes typed. Enter on the message goes to the durations and Enter
there sends it; Enter on an empty message clears what the room sees. Dismissed with a `Told`
or None (Escape), so the run screen records a broadcast event only when one was meant; a
duration that is not one gets a line on the dialog, and the dialog stays.

Enter, Tab and the list's arrows are priority keys, as in the new-session picker: the focus
moves before the keys typed right after are handed out, so a fast "message, Enter, down,
Enter" sends the message for a minute rather than leaving the keys in the message field. The
letters typed before Enter may still be on their way to the field when Enter is handled, so
what reads the field (`_message_entered`, `_send`) runs through the field's own queue
(`call_later`), after them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Final

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from sessiontui.display import user_line
from sessiontui.tui.dialogs.fast_focus import fast_focus_keys

MAX_LENGTH: Final = 200
"""Longer than this no longer reads from the back of a room."""

MAX_MINUTES: Final = 24 * 60
"""The longest a message can stay up by itself, as the file format has it (a day)."""

DURATIONS: Final[tuple[tuple[str, int | None], ...]] = (
    ("Until I clear it", None),
    ("1 minute", 1),
    ("2 minutes", 2),
    ("5 minutes", 5),
    ("10 minutes", 10),
)
"""The durations offered, in minutes (None: until cleared), the first being the default."""

_LIST_MOVES: Final = {"up": "cursor_up", "down": "cursor_down", "home": "first", "end": "last"}
"""The durations list's keys, bound again as priority keys so Enter never overtakes them."""


@dataclass(frozen=True, slots=True)
class Told:
    """What the facilitator told the room: the message (empty clears) and how long it stays."""

    text: str
    seconds: int | None
    """How long it stays up; None until it is cleared or replaced."""


def parse_duration(text: str) -> int | None:
    """Seconds from typed minutes (a whole number from 1 to a day), or None when it is not that."""
    text = text.strip()
    if not (text.isascii() and text.isdigit()):
        return None
    minutes = int(text)
    return minutes * 60 if 1 <= minutes <= MAX_MINUTES else None


class BroadcastScreen(ModalScreen[Told | None]):
    """Asks for the message, then for how long; Escape cancels."""

    DEFAULT_CSS: ClassVar[str] = """
    BroadcastScreen {
        align: center middle;
    }

    BroadcastScreen #dialog {
        width: 72;
        max-width: 95%;
        height: auto;
        max-height: 100%;
        padding: 0 2;
        border: thick $primary;
        background: $surface;
        overflow-y: auto;
    }

    BroadcastScreen #heading, BroadcastScreen #current, BroadcastScreen #problem {
        height: auto;
    }

    BroadcastScreen #current {
        margin-bottom: 1;
        color: $text-muted;
    }

    BroadcastScreen .label {
        color: $text-muted;
    }

    BroadcastScreen #message, BroadcastScreen #minutes {
        background: $boost;
    }

    BroadcastScreen #message {
        margin-bottom: 1;
    }

    BroadcastScreen #durations {
        height: auto;
        border: none;
        padding: 0;
    }

    BroadcastScreen #typed {
        height: 1;
    }

    BroadcastScreen #typed .label {
        width: auto;
    }

    BroadcastScreen #minutes {
        width: 8;
    }

    BroadcastScreen #problem {
        color: $error;
    }

    BroadcastScreen #hint {
        margin-top: 1;
        color: $text-muted;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="broadcast.cancel"),
        Binding("enter", "advance", "Send", show=False, priority=True, id="broadcast.advance"),
        *(
            Binding(key, f"durations('{move}')", show=False, priority=True, id=f"broadcast.{move}")
            for key, move in _LIST_MOVES.items()
        ),
        *fast_focus_keys("broadcast"),
    ]

    def __init__(self, current: str | None, left: str | None = None) -> None:
        """`current`: the message showing now, if any; `left`: its time left, if it expires."""
        super().__init__()
        self.current = current
        self.left = left
        self._finished = False

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(Text("Tell the room (on every shared screen)", style="bold"), id="heading")
            shown = Text("Showing now: ", end="")
            if self.current:
                shown.append_text(user_line(self.current, "bold"))
                shown.append(f" ({self.left or 'until cleared'})")
            else:
                shown.append("nothing", style="italic")
            yield Static(shown, id="current", markup=False)
            yield Input(
                placeholder="e.g. Back in the main room at 14:30",
                max_length=MAX_LENGTH,
                id="message",
                compact=True,
            )
            yield Static("For how long?", classes="label", markup=False)
            yield OptionList(
                *(Option(label, id=str(index)) for index, (label, _) in enumerate(DURATIONS)),
                id="durations",
                compact=True,
            )
            with Horizontal(id="typed"):
                yield Static("or minutes: ", classes="label", markup=False)
                yield Input(
                    placeholder="e.g. 3", type="integer", max_length=4, id="minutes", compact=True
                )
            yield Static("", id="problem", markup=False)
            yield Static(_hint(), id="hint", markup=False)

    def on_mount(self) -> None:
        self.query_one("#durations", OptionList).highlighted = 0
        # set_focus, not focus(): now, so the first keys typed land in the message.
        self.set_focus(self.query_one("#message", Input))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "durations":
            # In a field, the arrows, Home and End are the field's own.
            return self._focused_id() == "durations"
        return super().check_action(action, parameters)

    def _focused_id(self) -> str | None:
        return None if self.focused is None else self.focused.id

    def action_advance(self) -> None:
        """Enter: from the message to the durations (or clear, if empty); elsewhere, send."""
        focused = self._focused_id()
        message = self.query_one("#message", Input)
        if focused == "message":
            self.set_focus(self.query_one("#durations", OptionList))
            message.call_later(self._message_entered)
        elif focused == "minutes":
            minutes = self.query_one("#minutes", Input)
            minutes.call_later(message.call_later, self._send_typed)
        else:
            durations = self.query_one("#durations", OptionList)
            message.call_later(self._send, _seconds(DURATIONS[durations.highlighted or 0][1]))

    def _message_entered(self) -> None:
        """Enter on an empty message clears what the room sees; on a message, asks how long."""
        if not self.query_one("#message", Input).value.strip():
            self._finish(Told("", None))

    def action_durations(self, move: str) -> None:
        """Move the highlight among the durations at once, so an Enter right after sees it."""
        if move in _LIST_MOVES.values():
            getattr(self.query_one("#durations", OptionList), f"action_{move}")()

    @on(OptionList.OptionSelected)
    def _clicked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.query_one("#message", Input).call_later(
            self._send, _seconds(DURATIONS[event.option_index][1])
        )

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        # Reached only if Enter came by another way than the priority key.
        event.stop()
        self.action_advance()

    def on_key(self, event: events.Key) -> None:
        # A digit on the durations starts typing minutes: no need to Tab to the field first.
        character = event.character
        if self._focused_id() == "durations" and character is not None and character.isdigit():
            event.stop()
            minutes = self.query_one("#minutes", Input)
            self.set_focus(minutes)
            minutes.insert_text_at_cursor(character)

    def _send_typed(self) -> None:
        typed = self.query_one("#minutes", Input).value
        seconds = parse_duration(typed)
        if seconds is None:
            problem = Text(f"Minutes: a whole number from 1 to {MAX_MINUTES}, not ", end="")
            problem.append_text(user_line(repr(typed.strip()) if typed.strip() else "empty"))
            problem.append(" (or choose one above).")
            self.query_one("#problem", Static).update(problem)
            return
        self._send(seconds)

    def _send(self, seconds: int | None) -> None:
        message = self.query_one("#message", Input).value.strip()
        if not message:
            self.query_one("#problem", Static).update(
                Text("Type the message first (Enter on an empty one clears what the room sees).")
            )
            self.set_focus(self.query_one("#message", Input))
            return
        self._finish(Told(message, seconds))

    def _finish(self, told: Told | None) -> None:
        """Close with this answer, once: keys typed fast may ask twice."""
        if not self._finished:
            self._finished = True
            self.dismiss(told)

    def action_cancel(self) -> None:
        """Close without changing what the room sees."""
        self._finish(None)


def _seconds(minutes: int | None) -> int | None:
    return None if minutes is None else minutes * 60


def _hint() -> Text:
    hint = Text(end="")
    for index, (key, what) in enumerate(
        (("Enter", "next / send"), ("empty message", "clears"), ("Esc", "cancel"))
    ):
        if index:
            hint.append(" · ")
        hint.append(key, style="bold")
        hint.append(f": {what}")
    return hint
