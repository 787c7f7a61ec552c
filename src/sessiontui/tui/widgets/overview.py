"""The parts of the run screen that describe the session as a whole."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, time
from typing import TYPE_CHECKING

from rich.text import Text
from textual.widgets import Static

from sessiontui.display import user_line, user_text

if TYPE_CHECKING:
    from sessiontui.core.model import Participant, Session, WayOfWorking
    from sessiontui.core.schedule import PlanIssue


def long_date(day: date) -> str:
    """A date as people say it: "Thu 16 Feb 2023"."""
    return f"{day:%a} {day.day} {day:%b %Y}"


def time_range(start: time, end: time) -> str:
    """Two wall-clock times as "13:00–16:00"."""
    return f"{start:%H:%M}–{end:%H:%M}"


class SessionSummary(Static):
    """When, where and with whom: the lines under the title."""

    def show(
        self,
        session: Session,
        *,
        status: str,
        read_only: str | None = None,
        migrated_from: int | None = None,
    ) -> None:
        """Describe this session."""
        text = Text(end="")
        text.append(long_date(session.date), style="bold")
        text.append(" · ")
        text.append(time_range(session.start, session.end), style="bold")
        if session.timezone:
            text.append(" ")
            text.append_text(user_line(session.timezone, "dim"))
        if session.venue:
            text.append(" · ")
            text.append_text(user_line(session.venue))
        text.append(" · ")
        text.append(status, style="reverse")
        text.append("\nFacilitators: ", style="dim")
        if session.facilitators:
            text.append_text(user_line(", ".join(session.facilitators)))
        else:
            text.append("none listed", style="dim")
        present = sum(1 for person in session.participants if not person.absent)
        text.append(f" · {present} participants", style="dim")
        if read_only:
            text.append("\nRead-only: ", style="bold")
            text.append_text(user_line(read_only))
        if migrated_from is not None:
            text.append(f"\nUpgraded from format version {migrated_from} when opened.", "dim")
        self.update(text)


class PlanWarnings(Static):
    """The plan's overlaps, gaps and overruns on one line; hidden when the plan is sound."""

    def show(self, issues: Sequence[PlanIssue]) -> None:
        """Show these issues (hides itself when there are none)."""
        self.display = bool(issues)
        if not issues:
            return
        text = Text("⚠ ", style="bold", end="", no_wrap=True, overflow="ellipsis")
        if len(issues) > 1:
            text.append(f"{len(issues)} plan warnings: ", style="bold")
        text.append_text(user_line("; ".join(issue.message for issue in issues)))
        self.update(text)


class WaysOfWorking(Static):
    """The ground rules the group agreed."""

    def show(self, ways: Sequence[WayOfWorking]) -> None:
        """Show these ways of working."""
        if not ways:
            self.update(Text("None agreed yet.", style="dim"))
            return
        text = Text(end="")
        for index, way in enumerate(ways):
            if index:
                text.append("\n")
            text.append_text(user_line(way.name, "bold"))
            if way.text:
                text.append(" — ")
                text.append_text(user_text(way.text))
        self.update(text)


class People(Static):
    """Who takes part, with their organisation; absent people are marked."""

    def show(self, participants: Sequence[Participant]) -> None:
        """Show these participants."""
        if not participants:
            self.update(Text("Nobody listed yet.", style="dim"))
            return
        text = Text(end="")
        for index, person in enumerate(participants):
            if index:
                text.append("\n")
            text.append_text(user_line(person.name, "dim" if person.absent else ""))
            if person.org:
                text.append(" · ", style="dim")
                text.append_text(user_line(person.org, "dim"))
            if person.absent:
                text.append(" (absent)", style="italic")
        self.update(text)


class Problems(Static):
    """Why a session could not be shown, one line per problem, never a traceback."""

    def show(self, heading: str, problems: Sequence[str]) -> None:
        """Show a heading and the problems under it."""
        text = Text(end="")
        text.append_text(user_line(heading, "bold"))
        for problem in problems:
            text.append("\n• ")
            text.append_text(user_line(problem))
        self.update(text)
