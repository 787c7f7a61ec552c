"""Search across every session of the folder: notes, commitments and titles.

Typing searches as you go, in a thread worker; results are numbered by the query that asked
for them, so a slow old search never replaces a newer one's results. Enter on a result opens
the session's review at that note.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Header, Input, OptionList, Static
from textual.widgets.option_list import Option

from sessiontui.display import safe_line, user_line
from sessiontui.tui.opening import open_screen
from sessiontui.tui.widgets.footer import SettledFooter

if TYPE_CHECKING:
    from sessiontui.core.library import Hit

KIND_LABEL: dict[str, str] = {"title": "Title", "note": "Note", "commitment": "Commitment"}


def hit_text(hit: Hit) -> Text:
    """A result as three lines: the session, where in it, and the snippet with the match lit."""
    text = Text(end="")
    text.append(f"{hit.session_date:%d %b %Y}  ", style="dim")
    text.append_text(user_line(hit.session_title, "bold"))
    text.append("\n  ")
    text.append(KIND_LABEL.get(hit.kind, hit.kind), style="italic")
    if hit.where:
        text.append(" · ", style="dim")
        text.append_text(user_line(hit.where, "dim"))
    text.append("\n  ")
    start, end = hit.span
    snippet = hit.snippet
    text.append_text(user_line(snippet[:start]))
    text.append_text(user_line(snippet[start:end], "reverse"))
    text.append_text(user_line(snippet[end:]))
    return text


class SearchScreen(Screen[None]):
    """A search box over the folder's sessions, and the places that match."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "leave", "Back", tooltip="Back to the sessions", id="search.leave"),
        Binding(
            "down", "results", "Results", show=False, tooltip="To the results", id="search.results"
        ),
    ]

    class Found(Message):
        """A search worker finished (`serial` says which query it answered)."""

        def __init__(self, serial: int, query: str, hits: list[Hit], problem: str | None) -> None:
            super().__init__()
            self.serial = serial
            self.query = query
            self.hits = hits
            self.problem = problem

    def __init__(self, folder: Path, clock: Callable[[], datetime], query: str = "") -> None:
        super().__init__()
        self.folder = folder
        self.clock = clock
        self.initial_query = query
        self.hits: list[Hit] = []
        self._serial = 0

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(
            value=self.initial_query,
            placeholder="Search notes, commitments and titles in every session",
            id="query",
        )
        yield Static(id="search-status", markup=False)
        yield OptionList(id="hits")
        yield SettledFooter()

    def on_mount(self) -> None:
        self.title = "Search"
        self.sub_title = safe_line(str(self.folder))
        self.query_one(Input).focus()
        self._show_status(Text("Type a word or phrase: every word must appear.", style="dim"))
        if self.initial_query:
            self._ask(self.initial_query)

    @on(Input.Changed, "#query")
    def _changed(self, event: Input.Changed) -> None:
        self._ask(event.value)

    @on(Input.Submitted, "#query")
    def _submitted(self, event: Input.Submitted) -> None:
        self.action_results()

    def action_results(self) -> None:
        """Move to the results list."""
        hits = self.query_one(OptionList)
        if hits.option_count:
            hits.focus()
            if hits.highlighted is None:
                hits.highlighted = 0

    def _ask(self, query: str) -> None:
        self._serial += 1
        if not query.strip():
            self._show(self._serial, query, [], None)
            return
        self._search(self._serial, query)

    @work(thread=True, group="search", exit_on_error=False)
    def _search(self, serial: int, query: str) -> None:
        from sessiontui.store import index as folder_index

        try:
            hits = folder_index.search(self.folder, query)
        except Exception as error:  # shown on screen, never as a traceback
            self.post_message(self.Found(serial, query, [], str(error) or type(error).__name__))
            return
        self.post_message(self.Found(serial, query, hits, None))

    @on(Found)
    def _found(self, message: Found) -> None:
        self._show(message.serial, message.query, message.hits, message.problem)

    def _show(self, serial: int, query: str, hits: list[Hit], problem: str | None) -> None:
        if serial != self._serial:
            return  # an older query's answer: the newer one is on its way
        self.hits = hits
        options = self.query_one(OptionList)
        options.clear_options()
        options.add_options([Option(hit_text(hit)) for hit in hits])
        if problem is not None:
            self._show_status(user_line(f"Could not search: {problem}", "red"))
        elif not query.strip():
            self._show_status(Text("Type a word or phrase: every word must appear.", style="dim"))
        elif not hits:
            status = Text("No matches for ", style="dim")
            status.append_text(user_line(query.strip(), "bold"))
            self._show_status(status)
        else:
            sessions = len({hit.path for hit in hits})
            status = Text(end="")
            status.append(f"{len(hits)} match{'es' if len(hits) != 1 else ''}", style="bold")
            status.append(
                f" in {sessions} session{'s' if sessions != 1 else ''}"
                " · ↓ to the results, Enter opens the review there",
                style="dim",
            )
            self._show_status(status)

    def _show_status(self, text: Text) -> None:
        self.query_one("#search-status", Static).update(text)

    @on(OptionList.OptionSelected, "#hits")
    def _chosen(self, event: OptionList.OptionSelected) -> None:

        hit = self.hits[event.option_index]
        # A note opens at its section; a title or a commitment opens the review at its top.
        focus = (hit.item, hit.group or "") if hit.kind == "note" and hit.item else None
        open_screen(self, "review", hit.path, focus=focus)

    def action_leave(self) -> None:
        """Back to the list of sessions."""
        self.dismiss()
