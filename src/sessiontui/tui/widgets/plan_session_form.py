"""The plan editor's forms for the session itself: its fields, its people and its series.

`SessionForm` holds title, date, start, end, time zone, place or call link, whether the
Chatham House Rule applies, and the ways of working; `PeopleForm` the participants (with
whom each must not be grouped) and the series' coming sessions. Both check their fields
with the file format's own rules and send the screen only valid values (`FieldsEdited`);
what does not check stays as typed, with the message under the field, and the screen says
nothing is saved until it is fixed.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError
from textual import on
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Checkbox, Input, Label, Static, TextArea

from sessiontui.core.model import Session
from sessiontui.core.plan_edit import (
    LineProblem,
    error_text,
    parse_participants,
    parse_upcoming,
    parse_ways,
    participants_text,
    upcoming_text,
    ways_text,
)
from sessiontui.display import user_line


class FieldsEdited(Message):
    """Valid new values for some of the session's plan fields."""

    def __init__(self, changes: dict[str, Any], field: str) -> None:
        super().__init__()
        self.changes = changes
        self.field = field


class FieldsInvalid(Message):
    """Some fields of a form do not check; they stay as typed and nothing is saved."""

    def __init__(self, form: str, errors: dict[str, str]) -> None:
        super().__init__()
        self.form = form
        self.errors = errors


def _problems_text(problems: list[LineProblem]) -> str | None:
    if not problems:
        return None
    return "; ".join(f"line {problem.line}: {problem.message}" for problem in problems[:3])


class _Form(VerticalScroll):
    """Fields with an error line under each, read whole on every change."""

    FIELDS: tuple[str, ...] = ()

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.session: Session | None = None
        self.errors: dict[str, str] = {}

    def field(self, name: str, label: str, widget: Input | TextArea | Checkbox) -> ComposeResult:
        widget.id = f"{self.id}-{name}"
        yield Label(label, classes="field-label")
        yield widget
        yield Static(id=f"{self.id}-{name}-error", classes="field-error", markup=False)

    def on_mount(self) -> None:
        for name in self.FIELDS:
            self.query_one(f"#{self.id}-{name}-error").display = False

    def checked(self, name: str) -> bool:
        return self.query_one(f"#{self.id}-{name}", Checkbox).value

    def text_of(self, name: str) -> str:
        widget = self.query_one(f"#{self.id}-{name}")
        return widget.text if isinstance(widget, TextArea) else widget.value  # type: ignore[attr-defined]

    def put(self, name: str, value: str) -> None:
        widget = self.query_one(f"#{self.id}-{name}")
        if isinstance(widget, TextArea):
            if widget.text != value:
                widget.load_text(value)
        elif isinstance(widget, Input):
            widget.value = value

    def put_checked(self, name: str, value: bool) -> None:
        widget = self.query_one(f"#{self.id}-{name}", Checkbox)
        if widget.value != value:
            # Filling the form is not an edit: no Changed message, so nothing is saved.
            with widget.prevent(Checkbox.Changed):
                widget.value = value

    def show_errors(self, errors: dict[str, str]) -> None:
        if errors == self.errors:
            return
        self.errors = errors
        for name in self.FIELDS:
            message = errors.get(name)
            widget = self.query_one(f"#{self.id}-{name}-error", Static)
            widget.display = message is not None
            widget.update(user_line(f"⚠ {message}" if message else ""))
            self.query_one(f"#{self.id}-{name}").set_class(message is not None, "-invalid")

    def values(self) -> tuple[dict[str, Any], dict[str, str]]:
        """The form's fields as plan values, and an error message per field that does not check."""
        raise NotImplementedError

    def changed(self, field: str) -> None:
        if self.session is None:
            return
        values, errors = self.values()
        self.show_errors(errors)
        if errors:
            self.post_message(FieldsInvalid(self.id or "", errors))
            return
        changes = {
            name: value for name, value in values.items() if getattr(self.session, name) != value
        }
        self.post_message(FieldsInvalid(self.id or "", {}))
        if changes:
            self.post_message(FieldsEdited(changes, field))

    @on(Input.Changed)
    def _input_changed(self, message: Input.Changed) -> None:
        message.stop()
        self.changed((message.input.id or "").removeprefix(f"{self.id}-"))

    @on(TextArea.Changed)
    def _text_changed(self, message: TextArea.Changed) -> None:
        message.stop()
        self.changed((message.text_area.id or "").removeprefix(f"{self.id}-"))

    @on(Checkbox.Changed)
    def _box_changed(self, message: Checkbox.Changed) -> None:
        message.stop()
        self.changed((message.checkbox.id or "").removeprefix(f"{self.id}-"))


class SessionForm(_Form):
    """Title, date, times, time zone, place, the Chatham House Rule and the ways of working."""

    FIELDS = (
        "title",
        "date",
        "start",
        "end",
        "timezone",
        "venue",
        "chatham_house",
        "ways_of_working",
    )

    def compose(self) -> ComposeResult:
        yield from self.field("title", "Title", Input(compact=True))
        yield from self.field("date", "Date (YYYY-MM-DD)", Input(compact=True))
        yield from self.field("start", "Start (HH:MM)", Input(compact=True))
        yield from self.field("end", "End (HH:MM)", Input(compact=True))
        yield from self.field(
            "timezone",
            "Time zone (e.g. Europe/London; empty: this computer's)",
            Input(compact=True),
        )
        yield from self.field("venue", "Place or call link", Input(compact=True))
        yield from self.field(
            "chatham_house",
            "Minutes for participants",
            Checkbox("Chatham House Rule: name nobody and no organisation", compact=True),
        )
        yield from self.field(
            "ways_of_working",
            "Ways of working, one per line: Name: what it means",
            TextArea(soft_wrap=True, compact=True),
        )

    def show_session(self, session: Session) -> None:
        """Fill the fields from the session."""
        self.session = session
        self.put("title", session.title)
        self.put("date", session.date.isoformat())
        self.put("start", f"{session.start:%H:%M}")
        self.put("end", f"{session.end:%H:%M}")
        self.put("timezone", session.timezone or "")
        self.put("venue", session.venue)
        self.put_checked("chatham_house", session.chatham_house)
        self.put("ways_of_working", ways_text(session.ways_of_working))
        self.show_errors({})

    def values(self) -> tuple[dict[str, Any], dict[str, str]]:
        fields = {
            "title": self.text_of("title"),
            "date": self.text_of("date").strip(),
            "start": self.text_of("start").strip(),
            "end": self.text_of("end").strip(),
            "timezone": self.text_of("timezone").strip() or None,
            "venue": self.text_of("venue"),
            "chatham_house": self.checked("chatham_house"),
        }
        errors: dict[str, str] = {}
        values: dict[str, Any] = {}
        try:
            # Only these fields, so a keystroke checks six values, not a day of notes.
            checked = Session.model_validate({"schema_version": 1, **fields})
        except ValidationError as error:
            errors.update(error_text(error))
        else:
            values.update({name: getattr(checked, name) for name in fields})
        ways, problems = parse_ways(self.text_of("ways_of_working"))
        if (message := _problems_text(problems)) is not None:
            errors["ways_of_working"] = message
        values["ways_of_working"] = ways
        return values, errors


class PeopleForm(_Form):
    """The participants, each with whom they must not be grouped, and the series' next sessions."""

    FIELDS = ("participants", "upcoming")

    def compose(self) -> ComposeResult:
        yield from self.field(
            "participants",
            "Participants, one per line: Name | org: X | absent | avoid: A, B",
            TextArea(soft_wrap=True, compact=True),
        )
        yield from self.field(
            "upcoming",
            "Coming up in the series, one per line: YYYY-MM-DD Title",
            TextArea(soft_wrap=True, compact=True),
        )

    def show_session(self, session: Session) -> None:
        """Fill the fields from the session."""
        self.session = session
        self.put("participants", participants_text(session.participants))
        self.put("upcoming", upcoming_text(session.upcoming))
        self.show_errors({})

    def values(self) -> tuple[dict[str, Any], dict[str, str]]:
        errors: dict[str, str] = {}
        people, problems = parse_participants(self.text_of("participants"))
        if (message := _problems_text(problems)) is not None:
            errors["participants"] = message
        coming, problems = parse_upcoming(self.text_of("upcoming"))
        if (message := _problems_text(problems)) is not None:
            errors["upcoming"] = message
        return {"participants": people, "upcoming": coming}, errors
