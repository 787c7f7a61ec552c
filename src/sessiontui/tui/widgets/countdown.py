"""The current item's clock: its title, big digits, a progress bar, the phase in words, the turn.

`countdown_view` words everything from the session and a `schedule.RunState` (pure, so the
wording is tested without a screen); `CountdownPanel` shows a view and repaints only the parts
that changed, so a second's tick repaints the digits and, now and then, the bar. Each phase is
a CSS class on the panel (-planned, -running, -warning, -time-up, -overtime, -paused,
-finished) styled from the theme in app.tcss, and is always also said in words by the label.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Center, Horizontal, Vertical
from textual.eta import ETA
from textual.geometry import Size
from textual.renderables.digits import Digits as DigitsRenderable
from textual.widgets import Digits, ProgressBar, Static

from sessiontui.display import user_line
from sessiontui.tui.widgets.agenda import kind_label, minutes_of
from sessiontui.tui.widgets.present import FitLine
from sessiontui.tui.widgets.present_view import size_name

if TYPE_CHECKING:
    from collections.abc import Sequence

    from sessiontui.core.model import Session
    from sessiontui.core.schedule import Countdown, ItemRun, RunState
    from sessiontui.core.turns import Turn

PHASES: Final = ("planned", "running", "warning", "time-up", "overtime", "paused", "finished")

SWAP_CUE_FOR: Final = dt.timedelta(seconds=10)
"""How long the swap cue shows after a turn ends, in the item's own (derived) time."""

_ZERO = dt.timedelta()
_SECOND = dt.timedelta(seconds=1)
_HOUR = dt.timedelta(hours=1)


def clock_text(delta: dt.timedelta) -> str:
    """A short duration as "4:12" (minutes unpadded), rounded up to the second."""
    seconds = max(-(-delta // _SECOND), 0)
    minutes, seconds = divmod(seconds, 60)
    return f"{minutes}:{seconds:02}"


def turn_wordings(turns: Sequence[Turn]) -> tuple[tuple[str, ...], bool]:
    """The pairing round's line, longest wording first, and whether it is a swap cue.

    One group size keeps the words the room has always had ("Turn 1 of 2 · 6:59 left in this
    turn"); several each say their own turn, the largest first, as each swaps on its own
    clock ("Pairs: turn 1 of 2 · 6:59 left · Threes: turn 1 of 3 · 4:59"). The shorter
    wordings shorten the other sizes first, so a narrow screen keeps the main one whole.
    """
    if not turns:
        return (), False
    swap = any(_in_swap_cue(turn) for turn in turns)
    if len(turns) == 1:
        return _single_size_wordings(turns[0]), swap
    main, *others = turns
    main_long, main_short = _size_part(main, main=True)
    parts = [_size_part(turn, main=False) for turn in others]
    wordings = (
        " · ".join([main_long, *(long for long, _ in parts)]),
        " · ".join([main_long, *(short for _, short in parts)]),
        main_long,
        main_short,
    )
    return wordings, swap


def _in_swap_cue(turn: Turn) -> bool:
    """Whether this size's turn ended less than `SWAP_CUE_FOR` ago, by the item's derived time."""
    if turn.length <= _ZERO:
        return False  # a hand-made turn without its length: no way to tell when it began
    return turn.number > 1 and turn.length - turn.remaining < SWAP_CUE_FOR


def _single_size_wordings(turn: Turn) -> tuple[str, ...]:
    """One group size's round in the words the room knows, longest first."""
    cue = _in_swap_cue(turn)
    if turn.overtime and cue:
        return (f"TIME: all {turn.of} turns done; wrap up", "TIME: wrap up")
    if turn.overtime:
        return (f"All {turn.of} turns done",)
    if cue:
        return ("SWAP: next person's turn", "SWAP")
    left = clock_text(turn.remaining)
    return (
        f"Turn {turn.number} of {turn.of} · {left} left in this turn",
        f"Turn {turn.number} of {turn.of} · {left} left",
        f"Turn {turn.number}/{turn.of} · {left}",
    )


def _size_part(turn: Turn, *, main: bool) -> tuple[str, str]:
    """One group size's part of a several-size line, long and short ("Threes 1/3 · 4:59")."""
    name = size_name(turn.group_size)
    cue = _in_swap_cue(turn)
    if turn.overtime:
        if cue:
            return f"{name}: TIME, all {turn.of} turns done; wrap up", f"{name}: TIME"
        return f"{name}: all {turn.of} turns done", f"{name}: done"
    if cue:
        return f"{name}: SWAP, turn {turn.number} of {turn.of}", f"{name}: SWAP"
    left = clock_text(turn.remaining)
    # Only the first says "left": the rest read the same way beside it, in less room.
    tail = " left" if main else ""
    return (
        f"{name}: turn {turn.number} of {turn.of} · {left}{tail}",
        f"{name} {turn.number}/{turn.of} · {left}",
    )


@dataclass(frozen=True, slots=True)
class CountdownView:
    """What the countdown panel shows at one moment, worded."""

    phase: str
    heading: Text
    digits: str
    fraction: float
    label: str
    turn: tuple[str, ...]
    """The pairing round's line, longest wording first; empty outside a round."""
    swap: bool
    slot: str = "00:00"
    """The widest clock this item's budget shows ("0:00:00" from an hour): the digits' slot."""


def countdown_view(session: Session, state: RunState, count: Countdown) -> CountdownView:
    """Word the current item's clock (the first item's before the start)."""
    heading = Text(end="", no_wrap=True, overflow="ellipsis")
    run: ItemRun | None
    if state.current is not None:
        run = state.items[state.current]
        heading.append("▶ ", style="bold")
    else:
        run = next((r for r in state.items if r.state == "pending"), None)
        if run is not None:
            heading.append("Up first: ", style="bold")
    turn: tuple[str, ...] = ()
    swap = False
    if run is not None and state.status != "finished":
        heading.append_text(user_line(run.item.title, "bold"))
        heading.append(" · ")
        heading.append_text(kind_label(run.item.kind))
        heading.append(f" · {minutes_of(run.budget)} min")
        turn, swap = turn_wordings(state.turns)
    elif state.status == "finished":
        heading.append("Session finished", style="bold")
    else:
        heading.append("No agenda items", style="dim")
    label = count.label or "RUNNING"
    slot = "0:00:00" if count.budget >= _HOUR else "00:00"
    return CountdownView(count.phase, heading, count.text, count.fraction, label, turn, swap, slot)


class _NoEstimate(ETA):
    """An ETA that never estimates: the countdown says the time left itself."""

    def add_sample(self, time: float, progress: float) -> None:
        return

    def get_eta(self, time: float) -> int | None:
        return None


class CountdownBar(ProgressBar):
    """The item's progress; repaints only when the bar visibly moves.

    A plain ProgressBar re-estimates its ETA once a second and repaints even with the ETA
    hidden; without an estimate its own timer finds nothing to change.
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(total=1.0, show_percentage=False, show_eta=False, id=id)
        self._eta = _NoEstimate()

    def show(self, fraction: float) -> None:
        """Show this share of the item used, rounded to what the bar can draw (half cells)."""
        steps = max(self.size.width * 2, 1)
        shown = math.floor(min(max(fraction, 0.0), 1.0) * steps) / steps
        if shown != self.progress:
            self.update(progress=shown)


class SteadyDigits(Digits):
    """Digits as wide as their widest glyphs, so a second's change never reflows the screen.

    Textual's `Digits` takes the width of the glyphs it shows, and "1" is narrower than "0":
    going from 11:00 to 10:59 changed its width and made the whole screen lay itself out
    again, on every such tick and on most control keys. Sized by the same text with every
    digit a "0", and at least as wide as the `slot` it is given (the widest clock of the
    item's budget), it changes width only when the budget crosses an hour or the overtime
    sign appears: `+`/`-` on an hour-long item no longer lay the screen out at every key.
    """

    DEFAULT_CSS = """
    SteadyDigits {
        text-align: center;
    }
    """

    _slot = ""

    def update(self, value: str, slot: str = "") -> None:
        if not isinstance(value, str):
            raise TypeError("value must be a str")
        width = max(_slot_width(value), _slot_width(slot))
        layout = width != max(_slot_width(self.value), _slot_width(self._slot))
        # Textual's own update would compare the glyph widths; ours is the slot's width.
        self._value, self._slot = value, slot
        self.refresh(layout=layout)

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return max(_slot_width(self.value), _slot_width(self._slot))


def _slot_width(value: str) -> int:
    """The width of `value` drawn with its widest digits: the slot it is centred in."""
    return DigitsRenderable.get_width(_ANY_DIGIT.sub("0", value))


_ANY_DIGIT: Final = re.compile(r"[0-9]")


class CountdownPanel(Vertical):
    """Big digits for the current item, with its title, progress, phase and turn."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.view: CountdownView | None = None
        self._title = Static(id="item-title", markup=False)
        self._digits = SteadyDigits("", id="digits")
        self._bar = CountdownBar(id="progress")
        self._phase = Static(id="phase", markup=False)
        self._turn = FitLine(id="turn")

    def compose(self) -> ComposeResult:
        yield self._title
        with Center(id="digits-row"):
            yield self._digits
        with Horizontal(id="progress-row"):
            yield self._bar
            yield self._phase
        yield self._turn

    def show(self, view: CountdownView) -> None:
        """Show this view, touching only the parts that changed."""
        old, self.view = self.view, view
        if old is None or old.phase != view.phase:
            for phase in PHASES:
                self.set_class(phase == view.phase, f"-{phase}")
        # The one-line parts have fixed heights: only a label changing width needs a layout.
        if old is None or old.heading != view.heading:
            self._title.update(view.heading, layout=False)
        if old is None or (old.digits, old.slot) != (view.digits, view.slot):
            self._digits.update(view.digits, view.slot)
        if old is None or old.fraction != view.fraction:
            self._bar.show(view.fraction)
        if old is None or old.label != view.label:
            resized = old is None or len(old.label) != len(view.label)
            self._phase.update(Text(view.label, end=""), layout=resized)
        if old is None or (old.turn, old.swap) != (view.turn, view.swap):
            turn = self._turn
            turn.display = bool(view.turn)
            turn.set_class(view.swap, "-swap")
            turn.show([Text(wording, end="") for wording in view.turn])
