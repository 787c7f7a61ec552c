"""What the series screen and the check-back show: how late each session ran, and commitments."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Sequence
from dataclasses import replace
from typing import ClassVar, Final

from rich.text import Text
from textual import on, work
from textual.binding import Binding, BindingType
from textual.events import Resize
from textual.message import Message
from textual.widget import Widget
from textual.widgets import DataTable

from sessiontui.core.model import ActionStatus
from sessiontui.core.review import Commitment, SeriesEntry, lateness_text
from sessiontui.display import user_line

STATUS_ORDER: Final[tuple[ActionStatus, ...]] = ("open", "done", "dropped")
"""The order space cycles a commitment's status through."""

STATUS_STYLE: Final[dict[str, str]] = {"open": "bold", "done": "green", "dropped": "dim strike"}

_LABEL_WIDTH: Final = 44


def next_status(status: ActionStatus) -> ActionStatus:
    """The status after this one when space is pressed: open, done, dropped, open again."""
    return STATUS_ORDER[(STATUS_ORDER.index(status) + 1) % len(STATUS_ORDER)]


class LatenessChart(Widget):
    """One line per session: a bar left of the centre for early, right of it for late.

    Both how late the session started and how late it finished are drawn, as the first tells
    about the room's arrival and the second about the plan.
    """

    DEFAULT_CSS = """
    LatenessChart { height: auto; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.entries: Sequence[SeriesEntry] = ()

    def show(self, entries: Sequence[SeriesEntry]) -> None:
        """Draw these sessions (in date order)."""
        self.entries = entries
        self.refresh(layout=True)

    def get_content_height(self, container: object, viewport: object, width: int) -> int:
        return 2 + 2 * max(len(self.entries), 1)

    def on_resize(self, event: Resize) -> None:
        self.refresh()

    def render(self) -> Text:
        text = Text(end="")
        if not self.entries:
            text.append("No sessions in this series.", style="dim")
            return text
        width = max(self.size.width, 40)
        label_width = min(_LABEL_WIDTH, width // 3)
        words_width = 26
        half = max(4, (width - label_width - words_width - 3) // 2)
        minutes = [
            abs(value) / dt.timedelta(minutes=1)
            for entry in self.entries
            for value in (entry.timing.start_late, entry.timing.drift)
            if value is not None
        ]
        scale = max([*minutes, 5.0])
        text.append(" " * label_width + " ")
        text.append(f"{'early':<{half}}", style="dim")
        text.append("│")
        text.append(f"{'late':>{half}}", style="dim")
        text.append(f"  ±{scale:.0f} min\n", style="dim")
        for entry in self.entries:
            label = f"{entry.session.date:%d %b %Y} {entry.session.title}"
            head = user_line(label[: label_width - 1] + ("…" if len(label) > label_width else ""))
            head.pad_right(label_width - head.cell_len)
            timing = entry.timing
            for index, (what, value) in enumerate(
                (("started", timing.start_late), ("finished", timing.drift))
            ):
                text.append_text(head if index == 0 else Text(" " * label_width))
                text.append(" ")
                text.append_text(self._bar(value, half, scale, self._colours()))
                words = (
                    lateness_text(value, what=what) or f"{'not ' + what if index else 'not run'}"
                )
                text.append(f"  {words}\n", style="dim" if value is None else "")
        text.rstrip()
        return text

    def _colours(self) -> tuple[str, str, str]:
        """Early, a little late, very late: the theme's colours, so high contrast applies too."""
        theme = self.app.current_theme
        return (theme.success or "green", theme.warning or "yellow", theme.error or "red")

    @staticmethod
    def _bar(
        value: dt.timedelta | None, half: int, scale: float, colours: tuple[str, str, str]
    ) -> Text:
        bar = Text(end="")
        if value is None:
            bar.append(" " * half + "┊" + " " * half, style="dim")
            return bar
        minutes = value / dt.timedelta(minutes=1)
        cells = min(half, round(abs(minutes) / scale * half))
        if abs(minutes) >= 1 and cells == 0:
            cells = 1
        if minutes < 0:
            bar.append(" " * (half - cells))
            bar.append("█" * cells, style=colours[0])
            bar.append("│" + " " * half)
        else:
            bar.append(" " * half + "│")
            bar.append("█" * cells, style=colours[1] if minutes < 10 else colours[2])
            bar.append(" " * (half - cells))
        return bar


def _shortened(text: str, width: int) -> str:
    line = " ".join(text.split())
    return line if len(line) <= width else line[: width - 1] + "…"


class CommitmentTable(DataTable[Text]):
    """Commitments with their session and status; space moves the highlighted one's status on."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "space",
            "cycle_status",
            "Status",
            tooltip="Mark the highlighted commitment open, done or dropped",
            id="commitments.cycle_status",
        ),
    ]

    class Saved(Message):
        """A status change was written to its session file, or could not be (`problem`)."""

        def __init__(self, commitment: Commitment, problem: str | None) -> None:
            super().__init__()
            self.commitment = commitment
            self.problem = problem

    def __init__(self, *, show_session: bool = True, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self.show_session = show_session
        self.commitments: list[Commitment] = []
        self._wanted: dict[tuple[str, int], ActionStatus] = {}
        """The newest status asked for each commitment, which every save worker writes."""
        self._saving = threading.Lock()
        self._drawn_width = 0

    def on_mount(self) -> None:
        if self.show_session:
            self.add_column("Session", key="session")
        self.add_column("Who", key="who")
        self.add_column("What", key="what")
        self.add_column("Due", key="due")
        self.add_column("Status", key="status")

    def show(self, rows: Sequence[Commitment]) -> None:
        """Replace the rows, keeping the cursor where it was."""
        cursor = self.cursor_row
        self.commitments = list(rows)
        self._drawn_width = self._what_width()
        self.clear()
        for index, row in enumerate(self.commitments):
            self.add_row(*self._cells(row), key=str(index))
        if self.commitments:
            self.move_cursor(row=min(max(cursor, 0), len(self.commitments) - 1), animate=False)

    def _cells(self, row: Commitment) -> list[Text]:
        action = row.action
        cells = []
        if self.show_session:
            cells.append(Text(f"{row.session_date:%d %b %Y}", style="dim"))
        cells += [
            user_line(action.who),
            user_line(_shortened(action.what, self._what_width())),
            Text(action.due.isoformat() if action.due else "—", style="dim"),
            Text(action.status, style=STATUS_STYLE[action.status]),
        ]
        return cells

    def _what_width(self) -> int:
        # What takes the room the other columns leave, so status stays in view at 80 columns.
        others = (13 if self.show_session else 0) + 16 + 12 + 9 + 2 * self.cell_padding * 5
        return max(16, self.size.width - others - 2)

    def on_resize(self, event: Resize) -> None:
        if self.commitments and self._drawn_width != self._what_width():
            self.show(self.commitments)

    @property
    def highlighted(self) -> Commitment | None:
        """The commitment under the cursor."""
        if not self.commitments:
            return None
        return self.commitments[min(max(self.cursor_row, 0), len(self.commitments) - 1)]

    def action_cycle_status(self) -> None:
        """Move the highlighted commitment to its next status, and save it in its file."""
        row = self.highlighted
        if row is None:
            return
        changed = replace(
            row, action=row.action.model_copy(update={"status": next_status(row.action.status)})
        )
        position = self.commitments.index(row)
        self.commitments[position] = changed
        self.update_cell(str(position), "status", self._cells(changed)[-1])

        self._wanted[(row.key, row.index)] = changed.action.status
        self._save(row, changed)

    @work(thread=True, group="status", exit_on_error=False)
    def _save(self, before: Commitment, after: Commitment) -> None:
        from sessiontui import session_file
        from sessiontui.core import review

        problem: str | None = None
        try:
            # Workers may run in any order: each writes the newest status asked for, so two
            # quick presses never end with the first one's status on disk.
            with self._saving:
                status = self._wanted[(before.key, before.index)]
                session_file.update(
                    before.key, lambda session: review.with_status(session, before, status)
                )
        except Exception as error:  # shown on screen, never as a traceback
            problem = session_file.describe_error(error)
        self.post_message(self.Saved(after, problem))

    @on(DataTable.RowSelected)
    def _selected(self, event: DataTable.RowSelected) -> None:
        # Enter belongs to the screen (open the session); the table keeps space for status.
        event.stop()
        self.screen.post_message(self.Opened(self.highlighted))

    class Opened(Message):
        """Enter on a commitment: the screen may open the session it was made in."""

        def __init__(self, commitment: Commitment | None) -> None:
            super().__init__()
            self.commitment = commitment
