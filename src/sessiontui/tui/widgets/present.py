"""What the shared screen shows at one moment, worded from the plan, the log and the clock.

`present_view` is pure (no Textual), so the wording is tested without a screen and the
present screen only has to paint it; `BigDigits` draws its clock as large as the screen
allows. It reuses the run screen's wording (`countdown_view`,
`coming_up`, `reminders_text`) so the room and the facilitator read the same words, but
never shows the facilitator's notes: they are not for the room.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from datetime import tzinfo
from typing import TYPE_CHECKING, ClassVar, Final

from rich.text import Text
from textual.widget import Widget

from sessiontui.display import user_line, user_text
from sessiontui.tui.widgets.agenda import hhmm
from sessiontui.tui.widgets.countdown import countdown_view
from sessiontui.tui.widgets.overview import long_date, time_range
from sessiontui.tui.widgets.prompts import coming_up
from sessiontui.tui.widgets.reminders import highlighted_index, reminders_text

if TYPE_CHECKING:
    from sessiontui.core.model import AgendaItem, Session
    from sessiontui.core.schedule import RunState


FONT: Final[dict[str, tuple[str, ...]]] = {
    "0": ("###", "# #", "# #", "# #", "###"),
    "1": (" # ", "## ", " # ", " # ", "###"),
    "2": ("###", "  #", "###", "#  ", "###"),
    "3": ("###", "  #", "###", "  #", "###"),
    "4": ("# #", "# #", "###", "  #", "  #"),
    "5": ("###", "#  ", "###", "  #", "###"),
    "6": ("###", "#  ", "###", "# #", "###"),
    "7": ("###", "  #", "  #", "  #", "  #"),
    "8": ("###", "# #", "###", "# #", "###"),
    "9": ("###", "# #", "###", "  #", "###"),
    ":": (" ", "#", " ", "#", " "),
    "+": ("   ", " # ", "###", " # ", "   "),
    "-": ("   ", "   ", "###", "   ", "   "),
    " ": (" ", " ", " ", " ", " "),
}
"""A 3x5 block font for the clock: blocks scale to any size and stay crisp on a projector."""

FONT_ROWS: Final = 5


def big_lines(text: str, width: int, height: int) -> list[str]:
    """`text` in the block font at the largest whole scale that fits; [] if even 1 does not.

    Each font column is two cells wide per scale step, as a terminal cell is about twice as
    tall as it is wide, so the digits keep their shape.
    """
    glyphs = [FONT.get(char, FONT[" "]) for char in text]
    if not glyphs:
        return []
    columns = sum(len(glyph[0]) for glyph in glyphs) + len(glyphs) - 1
    scale = min(height // FONT_ROWS, width // (columns * 2))
    if scale < 1:
        return []
    lines: list[str] = []
    for row in range(FONT_ROWS):
        cells = " ".join(glyph[row] for glyph in glyphs)
        line = "".join(("█" if cell == "#" else " ") * (2 * scale) for cell in cells)
        lines.extend([line] * scale)
    return lines


class BigDigits(Widget):
    """The countdown in block digits as large as its space allows; plain text when too small.

    Textual's `Digits` is three rows high whatever the screen; from the back of a room the
    clock has to grow with the screen (a 4K browser window, a projector).
    """

    DEFAULT_CSS: ClassVar[str] = """
    BigDigits {
        width: 1fr;
        height: 5;
        text-style: bold;
        text-wrap: nowrap;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.value = ""

    def update(self, value: str) -> None:
        """Show this text (digits, ":", "+", "-")."""
        if value != self.value:
            self.value = value
            self.refresh()

    def render(self) -> Text:
        width, height = self.size
        lines = big_lines(self.value, width, height) or [self.value]
        # Centred here, not by justify: rich strips a centred line's spaces, and the block
        # digits' spaces are part of their shape.
        left = " " * max((width - len(lines[0])) // 2, 0)
        top = [""] * max((height - len(lines)) // 2, 0)
        return Text("\n".join([*top, *(left + line for line in lines)]), end="", no_wrap=True)


@dataclass(frozen=True, slots=True)
class PresentView:
    """Everything the shared screen shows, each part compared on its own so only changes repaint."""

    status: str
    phase: str
    title: Text
    subtitle: Text
    digits: str
    label: str
    turn: str
    swap: bool
    main: Text
    main_title: str
    ways: Text
    broadcast: Text | None


def room_prompts(item: AgendaItem) -> Text:
    """An item's prompts for the room, with its word limit; the facilitator's notes left out."""
    from sessiontui.core import notes

    text = Text(end="")
    for index, prompt in enumerate(item.prompts):
        if index:
            text.append("\n")
        text.append("• ", style="bold")
        text.append_text(user_text(prompt))
    # A statement template's limit is for the room to see; other limits are the note-takers'.
    if item.word_limit is not None and notes.declared_template_of(item).counts_words:
        if item.prompts:
            text.append("\n\n")
        text.append(f"Up to {item.word_limit} words", style="bold reverse")
    if not text.plain:
        text.append("No prompts for this item.", style="dim")
    return text


def agenda_text(state: RunState, zone: tzinfo) -> Text:
    """The agenda as it will run, one "13:00  Title" line per item, for the room before the start.

    Each time is the item's projected start in `state` (read it at the planned start to time
    the agenda from an on-time start), so an item added, dropped or moved before the start
    shows here at once; a dropped item keeps its planned time.
    """
    text = Text(end="")
    for index, run in enumerate(state.items):
        if index:
            text.append("\n")
        start = run.projected_start or run.planned_start
        text.append(f"{hhmm(start, zone)}  ", style="bold")
        style = "dim strike" if run.state == "skipped" else ""
        text.append_text(user_line(run.item.title, style))
    if not state.items:
        text.append("No agenda items.", style="dim")
    return text


def next_line(state: RunState, zone: tzinfo) -> Text:
    """The item after the current one and when it starts as things stand: "Next: Tea at 14:35".

    The projected time, so the room sees the same start as the facilitator's agenda after
    every +5, replan, insert, drop or move.
    """
    text = Text(end="", no_wrap=True, overflow="ellipsis")
    first = 0 if state.current is None else state.current + 1
    upcoming = next((run for run in state.items[first:] if run.state == "pending"), None)
    if upcoming is None:
        text.append("Last item", style="bold")
        return text
    text.append("Next: ", style="bold")
    text.append_text(user_line(upcoming.item.title))
    if upcoming.projected_start is not None:
        text.append(f" at {hhmm(upcoming.projected_start, zone)}", style="bold")
    return text


def present_view(
    session: Session, state: RunState, zone: tzinfo, now: dt.datetime, rotate_seconds: int
) -> PresentView:
    """The shared screen's words at `now`: before the start, while running, after the finish."""
    from sessiontui.core import schedule

    count = schedule.countdown(session, state)
    clock = countdown_view(session, state, count)
    subtitle = Text(end="", no_wrap=True, overflow="ellipsis")
    subtitle.append(long_date(session.date))
    subtitle.append(" · " + time_range(session.start, session.end))
    if session.venue:
        subtitle.append(" · ")
        subtitle.append_text(user_line(session.venue))
    if state.status == "planned":
        title = user_line(session.title, "bold")
        # Before the start the digits give the time of day: the room is waiting for the start.
        digits = hhmm(now, zone)
        label = f"STARTS AT {session.start:%H:%M}"
        # Timed from the planned start, not from now: the room reads the agenda as planned,
        # with the changes made to it, whenever the screen was put up.
        # (in UTC: the shift is exact time, which a wall-clock sum moves across a clock change).
        planned_start = dt.datetime.combine(session.date, session.start, tzinfo=zone)
        on_time = planned_start.astimezone(dt.UTC) + state.plan_shift
        main, main_title = agenda_text(schedule.run_state(session, on_time, zone), zone), "Agenda"
    elif state.status == "finished":
        title = Text("Thank you: the session has finished", style="bold", end="")
        subtitle = user_line(session.title)
        digits, label = "", "FINISHED"
        # coming_up has its own "Coming up" heading, so the panel needs no title.
        main, main_title = coming_up(session.upcoming), ""
    else:
        assert state.current is not None
        item = state.items[state.current].item
        title = user_line(item.title, "bold")
        # While an item runs the room needs what comes next more than the date: one line.
        subtitle = next_line(state, zone)
        digits, label = clock.digits, clock.label
        main, main_title = room_prompts(item), "Prompts"
    ways = session.ways_of_working
    shown = highlighted_index(now, rotate_seconds, len(ways))
    message = (state.broadcast or "").strip()
    return PresentView(
        status=state.status,
        phase=clock.phase,
        title=title,
        subtitle=subtitle,
        digits=digits,
        label=label,
        turn=clock.turn,
        swap=clock.swap,
        main=main,
        main_title=main_title,
        ways=reminders_text(ways, shown, pinned=False),
        broadcast=user_text(message, "bold") if message else None,
    )
