"""The new-session picker over the home screen: a template, or the highlighted session's next.

One list holds the highlighted session's `[[upcoming]]` entries, a copy of it, and every
template (built-in and the user's own). An upcoming entry is created at once; a copy or a
template first asks for a date and a title. Dismissed with a `NewSessionChoice` or None;
`make_session` turns the choice into the session the home screen writes, exactly as
`sessiontui new` would.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, Literal

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from sessiontui.display import safe_line, user_line, user_text
from sessiontui.tui.dialogs.fast_focus import fast_focus_keys

if TYPE_CHECKING:
    from sessiontui.core.model import Session
    from sessiontui.store.templates import TemplateInfo

COPY = "copy"
"""The option id of "a copy of the highlighted session"."""

UPCOMING = "upcoming:"
"""Option ids of the highlighted session's upcoming entries: this and the entry's index."""

TEMPLATE = "template:"
"""Option ids of the templates: this and the template's name."""

_LIST_MOVES = {
    "up": "cursor_up",
    "down": "cursor_down",
    "pageup": "page_up",
    "pagedown": "page_down",
    "home": "first",
    "end": "last",
}
"""The choices list's keys and its actions, bound again as priority keys (see BINDINGS)."""


@dataclass(frozen=True, slots=True)
class NewSessionChoice:
    """What to create: from the source (upcoming entry or copy) or a template; when; titled how."""

    start_from: Literal["upcoming", "copy", "template"]
    date: dt.date
    title: str
    template: str | None = None
    """The template's name, when starting from one."""


def length(minutes: int) -> str:
    """A session's planned length as people say it: "45 min", "1h30"."""
    return f"{minutes // 60}h{minutes % 60:02d}" if minutes >= 60 else f"{minutes} min"


def make_session(choice: NewSessionChoice, source: Session | None, *, today: dt.date) -> Session:
    """The session a choice describes; reads a template from disk, so call it off the UI thread.

    Raises ValueError ("field: problem") or SessionFileError (a user template that does not
    load) with a line to show.
    """
    from sessiontui.core import library
    from sessiontui.store import templates

    if choice.start_from == "template":
        template = templates.load(choice.template or "")
        return library.from_template(template, choice.date, choice.title, today=today)
    if source is None:
        raise ValueError("no session is highlighted to start from")
    return library.next_session(source, choice.date, choice.title, today=today)


def read_choices(path: Path | None) -> tuple[list[TemplateInfo], Session | None, str | None]:
    """The templates, the session at `path` (if any and if it loads), and why it did not.

    Reads the disk: call it off the UI thread.
    """
    from sessiontui import session_file
    from sessiontui.store import templates

    listing = templates.listing()
    if path is None:
        return listing, None, None
    try:
        return listing, session_file.open_session(path).session, None
    except session_file.SessionFileError as error:
        problem = f"{path.name} does not load, so only templates are offered: {error.problems[0]}"
        return listing, None, problem


def create_session(
    choice: NewSessionChoice, source: Session | None, folder: Path, *, today: dt.date
) -> Path:
    """Write the chosen session into `folder` as `<date>-<slug>.toml`, never over a file.

    Reads and writes the disk: call it off the UI thread. Raises ValueError, OSError or
    SessionFileError with a line to show.
    """
    from sessiontui import session_file
    from sessiontui.core import library

    session = make_session(choice, source, today=today)
    target = folder / library.file_name(session.date, session.title)
    # A fresh install's folder may not exist yet: the first session makes it.
    folder.mkdir(parents=True, exist_ok=True)
    session_file.create(target, session)
    return target


def invitation(folder: Path, listing: list[TemplateInfo]) -> Text:
    """What an empty folder shows: the templates to start from with `n`, and the import."""
    text = Text(end="")
    text.append("No sessions yet in ", style="bold")
    # Folded, not cut: a long folder path must not hide the advice below it.
    text.append(safe_line(str(folder)), style="bold")
    text.append("\n\nPress ")
    text.append("n", style="bold")
    text.append(" to start one from a template:\n")
    for info in listing:
        if info.problem is None:
            text.append(f"\n  {info.name:<23}", style="bold")
            text.append_text(user_line(f"{info.title} · {length(info.minutes)}"))
    text.append("\n\nOr from the command line, then Ctrl+R here:\n\n    ")
    text.append(safe_line(f"sessiontui --dir {folder} new --template retro --title TITLE"))
    text.append("\n    ")
    text.append(safe_line(f"sessiontui --dir {folder} import agenda.csv"))
    return text


class TemplatePicker(ModalScreen[NewSessionChoice | None]):
    """Asks what to start the new session from, then (for a copy or a template) when and as what."""

    CSS_PATH = "template_picker.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="template_picker.cancel"),
        # Priority, like Tab: the choice and the focus move before the keys typed right
        # after Enter are handed out, so "Enter, 2026-12-10" fills the date, not the list.
        Binding("enter", "advance", show=False, priority=True, id="template_picker.advance"),
        # The list's own moves too, or a priority Enter would overtake the arrows before it.
        *(
            Binding(
                key, f"choices('{move}')", show=False, priority=True, id=f"template_picker.{move}"
            )
            for key, move in _LIST_MOVES.items()
        ),
        *fast_focus_keys("template_picker"),
    ]

    def __init__(
        self, listing: list[TemplateInfo], source: Session | None, *, today: dt.date
    ) -> None:
        super().__init__()
        self.listing = [info for info in listing if info.problem is None]
        self.broken = [info for info in listing if info.problem is not None]
        self.source = source
        self.today = today
        self._chosen: tuple[Literal["copy", "template"], str | None] | None = None
        self._suggested_title = ""
        """The title the fields were filled with, so a changed date can move a date in it."""

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(Text("New session: start from", style="bold"), id="heading")
            yield OptionList(*self._options(), id="choices")
            yield Static("", id="about", markup=False)
            with Vertical(id="fields"):
                yield Static("", id="starting", markup=False)
                yield Static(Text("Date (YYYY-MM-DD)"), markup=False)
                yield Input(self.today.isoformat(), id="date")
                yield Static(Text("Title"), markup=False)
                yield Input("", id="title")
                yield Static("", id="problem", markup=False)
            hint = Text(end="")
            hint.append("Enter", style="bold")
            hint.append(": choose / create it (never over an existing file) · ")
            hint.append("Esc", style="bold")
            hint.append(": cancel")
            yield Static(hint, id="hint", markup=False)

    def _options(self) -> list[Option | None]:
        options: list[Option | None] = []
        if self.source is not None:
            for index, entry in enumerate(self.source.upcoming):
                label = Text(f"Next: {entry.date.isoformat()}  ", end="")
                label.append_text(user_line(entry.title))
                options.append(Option(label, id=f"{UPCOMING}{index}"))
            copy = Text("A copy of ", style="italic", end="")
            copy.append_text(user_line(self.source.title, "italic"))
            options.append(Option(copy, id=COPY))
            options.append(None)
        for info in self.listing:
            label = user_line(info.title, "bold")
            label.append(f"  {length(info.minutes)} · {info.name}", style="dim")
            if info.source == "user":
                label.append(" · yours", style="dim")
            options.append(Option(label, id=f"{TEMPLATE}{info.name}"))
        return options

    def on_mount(self) -> None:
        choices = self.query_one(OptionList)
        choices.highlighted = 0
        self.set_focus(choices)
        if self.broken:
            names = ", ".join(info.name for info in self.broken)
            self.notify(
                safe_line(f"Not offered, as they do not load: {names}"),
                title="Templates",
                severity="warning",
                markup=False,
            )

    @on(OptionList.OptionHighlighted)
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        about = self.query_one("#about", Static)
        option_id = event.option_id or ""
        if option_id.startswith(TEMPLATE):
            info = self._template(option_id.removeprefix(TEMPLATE))
            text = user_text(info.description)
            text.append(f"\n{info.items} items · {info.source}", style="dim")
            about.update(text)
        elif option_id == COPY:
            about.update(Text("The same plan with a new date: no notes, groups or log."))
        else:
            about.update(Text("The next session of the series, as planned in its coming-up list."))

    def _template(self, name: str) -> TemplateInfo:
        return next(info for info in self.listing if info.name == name)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        focused = self.focused
        if action == "advance":
            # Only in the list and the date: in the title, Enter is the field's own (create).
            return focused is not None and focused.id in ("choices", "date")
        if action == "choices":
            # In a field, the arrows, Home and End are the field's own.
            return focused is not None and focused.id == "choices"
        return super().check_action(action, parameters)

    def action_advance(self) -> None:
        """Enter at once: choose the highlighted entry in the list, or go from date to title."""
        focused = self.focused
        if focused is not None and focused.id == "date":
            self.set_focus(self.query_one("#title", Input))
            return
        choices = self.query_one("#choices", OptionList)
        if choices.highlighted is not None:
            self._choose(choices.get_option_at_index(choices.highlighted).id or "")

    def action_choices(self, move: str) -> None:
        """Move the highlight in the list at once, so an Enter typed right after sees it."""
        if move in _LIST_MOVES.values():
            getattr(self.query_one("#choices", OptionList), f"action_{move}")()

    @on(OptionList.OptionSelected)
    def _chosen_option(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._choose(event.option_id or "")

    def _choose(self, option_id: str) -> None:
        """Create an upcoming entry now, or show the fields for a copy or a template."""
        if option_id.startswith(UPCOMING) and self.source is not None:
            entry = self.source.upcoming[int(option_id.removeprefix(UPCOMING))]
            self.dismiss(NewSessionChoice("upcoming", entry.date, entry.title))
            return
        starting = Text("Starting from ", end="")
        if option_id == COPY and self.source is not None:
            from sessiontui.core.library import retitle

            self._chosen = ("copy", None)
            title = retitle(self.source.title, self.source.date, self.today)
            starting.append_text(user_line(f"a copy of {self.source.title}", "bold"))
        else:
            info = self._template(option_id.removeprefix(TEMPLATE))
            self._chosen = ("template", info.name)
            title = info.title
            starting.append_text(user_line(f"the template {info.name}", "bold"))
        self._suggested_title = title
        self.query_one("#starting", Static).update(starting)
        self.query_one("#title", Input).value = title
        self.add_class("-fields")
        # set_focus, not focus(): now, so the keys typed next land in the date.
        self.set_focus(self.query_one("#date", Input))

    @on(Input.Changed, "#date")
    def _date_changed(self, event: Input.Changed) -> None:
        # A copy's suggested title follows the date typed, until the title is typed over.
        title = self.query_one("#title", Input)
        if self._chosen is None or self._chosen[0] != "copy" or self.source is None:
            return
        if title.value != self._suggested_title:
            return
        try:
            date = dt.date.fromisoformat(event.value.strip())
        except ValueError:
            return
        from sessiontui.core.library import retitle

        self._suggested_title = retitle(self.source.title, self.source.date, date)
        title.value = self._suggested_title

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "date":
            # Reached only if Enter came by another way than the priority key.
            self.set_focus(self.query_one("#title", Input))
            return
        text = self.query_one("#date", Input).value.strip()
        title = self.query_one("#title", Input).value.strip()
        problem = self.query_one("#problem", Static)
        try:
            date = dt.date.fromisoformat(text)
        except ValueError:
            problem.update(user_line(f"Not a date in the form YYYY-MM-DD: {text!r}"))
            self.query_one("#date", Input).focus()
            return
        if not title:
            problem.update(Text("The title cannot be empty"))
            return
        if self._chosen is None:
            return
        start_from, template = self._chosen
        self.dismiss(NewSessionChoice(start_from, date, title, template))

    def action_cancel(self) -> None:
        """Back to the list from the fields; close without creating anything from the list."""
        if self.has_class("-fields"):
            self.remove_class("-fields")
            self._chosen = None
            self.query_one("#problem", Static).update("")
            self.set_focus(self.query_one(OptionList))
            return
        self.dismiss(None)
