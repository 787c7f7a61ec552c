"""The session's clock: wall time, time elapsed, drift, projected finish, and fixed times at risk.

`clock_line` and `risk_lines` word them from a `schedule.RunState` (pure, tested without a
screen); `SessionClock` and `RiskLine` show them and repaint only when the words change.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from datetime import tzinfo
from typing import TYPE_CHECKING

from rich.text import Text
from textual.widgets import Static

from sessiontui.display import user_line
from sessiontui.tui.widgets.agenda import hhmm

if TYPE_CHECKING:
    from sessiontui.core.model import Session
    from sessiontui.core.schedule import RunState

_MINUTE = dt.timedelta(minutes=1)


def elapsed_text(delta: dt.timedelta) -> str:
    """Time elapsed in whole minutes, as "0 min", "45 min" or "1 h 05 min"."""
    minutes = max(delta // _MINUTE, 0)
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02} min" if hours else f"{minutes} min"


def clock_line(state: RunState, zone: tzinfo, *, bell: bool) -> Text:
    """Now, elapsed, drift and projected finish on one line (the drift in words).

    To the minute: the countdown has the seconds, and a line that changes once a minute
    costs nothing between.
    """
    from sessiontui.core.schedule import drift_text

    text = Text(end="", no_wrap=True, overflow="ellipsis")
    text.append(hhmm(state.now, zone), style="bold")
    if state.status == "planned":
        text.append(" · not started")
    elif state.status == "finished" and state.finished_at is not None:
        text.append(f" · finished at {hhmm(state.finished_at, zone)}")
    else:
        text.append(" · elapsed ")
        text.append(elapsed_text(state.elapsed), style="bold")
    text.append(" · ")
    text.append(drift_text(state.drift), style="bold")
    if state.status != "finished":
        text.append(" · finish ")
        text.append(f"~{hhmm(state.projected_finish, zone)}", style="bold")
    text.append(f" (planned {hhmm(state.planned_finish, zone)})")
    if state.plan_shift:
        # Another day than planned: say why the planned times are not the file's.
        moved = "today" if state.status == "planned" else "the real start"
        text.append(f" · plan moved to {moved}", style="italic")
    if not bell:
        text.append(" · bell off", style="italic")
    return text


def risk_lines(session: Session, state: RunState, zone: tzinfo) -> list[Text]:
    """One line per fixed-time item the run will reach late: "Tea break 14:30 at risk: ..."."""
    lines: list[Text] = []
    for risk in state.fixed_at_risk:
        try:
            title = session.item(risk.item_id).title
        except KeyError:
            title = risk.item_id
        line = Text("⚠ ", style="bold", end="", no_wrap=True, overflow="ellipsis")
        line.append_text(user_line(title, "bold"))
        line.append(f" {hhmm(risk.at, zone)} at risk: projected {hhmm(risk.projected_start, zone)}")
        lines.append(line)
    return lines


def finished_line(session: Session, state: RunState, zone: tzinfo, *, read_only: bool) -> Text:
    """The summary of a finished run: "Finished at 16:04 (4 min behind) · started 13:02 · ..."."""
    from sessiontui.core.schedule import drift_text

    line = Text(end="", no_wrap=True, overflow="ellipsis")
    line.append(f"Finished at {hhmm(state.finished_at, zone)}", style="bold")
    line.append(f" ({drift_text(state.drift)})", style="bold")
    if state.started_at is not None:
        line.append(f" · started {hhmm(state.started_at, zone)}")
    line.append(f" · planned {session.start:%H:%M}–{session.end:%H:%M}")
    if read_only:
        line.append(" · read-only summary", style="italic")
    return line


class SessionClock(Static):
    """The clock line under the countdown."""

    def show(self, text: Text) -> None:
        """Show this line if it differs from the one on screen."""
        if text != getattr(self, "_shown", None):
            self._shown = text
            # One line of fixed height: no layout pass, so a second's tick stays cheap.
            self.update(text, layout=False)


class RiskLine(Static):
    """Fixed-time items at risk, one per line; hidden when there are none."""

    def show(self, lines: Sequence[Text]) -> None:
        """Show these lines (hides itself when there are none)."""
        joined = Text("\n", end="").join(lines)
        if joined == getattr(self, "_shown", None):
            return
        self._shown = joined
        self.display = bool(lines)
        self.update(joined)
