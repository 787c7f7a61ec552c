"""The plan editor's form for one agenda item: every field, with its error right under it.

Each change is checked with the file format's own model (`AgendaItem`); a valid item goes to
the screen as `ItemForm.Edited`, an invalid one stays in the form with the model's message
under the field, and the screen is told which fields are wrong so it can say nothing is
saved until they are fixed. Values are read from the widgets, not from the change messages,
so a late message after another item was shown changes nothing.
"""

from __future__ import annotations

from typing import Any, Final

from pydantic import ValidationError
from textual import on
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Input, Label, Select, Static, TextArea

from sessiontui.core import item_kinds, note_templates
from sessiontui.core.model import AgendaItem
from sessiontui.core.plan_edit import error_text, lines_of
from sessiontui.display import user_line

GROUPINGS: Final[tuple[tuple[str, int], ...]] = (
    ("The kind's default", 0),
    ("Pairs", 2),
    ("Threes", 3),
    *((f"Groups of {size}", size) for size in range(4, 11)),
)
"""Choices of `group_size`; 0 means none set (the kind's default, or no groups)."""

FIELDS: Final = (
    "title",
    "kind",
    "minutes",
    "at",
    "notes_template",
    "group_size",
    "turn_minutes",
    "prompts",
)


class ItemForm(VerticalScroll):
    """Title, kind, minutes, fixed time, notes template, grouping and prompts of one item."""

    class Edited(Message):
        """The form's fields make this valid item (a copy of the shown one, id unchanged)."""

        def __init__(self, item: AgendaItem, field: str) -> None:
            super().__init__()
            self.item = item
            self.field = field

    class Invalid(Message):
        """Some fields do not make a valid item; they stay as typed and nothing is saved."""

        def __init__(self, errors: dict[str, str]) -> None:
            super().__init__()
            self.errors = errors

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.item: AgendaItem | None = None
        self.errors: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        kinds = [(kind.label, kind.name) for kind in item_kinds.KINDS]
        templates = [(template.title, template.name) for template in note_templates.templates()]
        yield Label("Title", classes="field-label")
        yield Input(id="item-title", compact=True)
        yield Static(id="item-title-error", classes="field-error", markup=False)
        yield Label("Kind", classes="field-label")
        yield Select[str](kinds, id="item-kind", allow_blank=False, compact=True)
        yield Static(id="item-kind-error", classes="field-error", markup=False)
        yield Label("Minutes", classes="field-label")
        yield Input(id="item-minutes", compact=True, placeholder="e.g. 15")
        yield Static(id="item-minutes-error", classes="field-error", markup=False)
        yield Label("Fixed start (empty: follows the item before)", classes="field-label")
        yield Input(id="item-at", compact=True, placeholder="e.g. 14:30")
        yield Static(id="item-at-error", classes="field-error", markup=False)
        yield Label("Notes template", classes="field-label")
        yield Select[str](templates, id="item-notes_template", prompt="None", compact=True)
        yield Static(id="item-notes_template-error", classes="field-error", markup=False)
        yield Label("Grouping", classes="field-label")
        yield Select[int](GROUPINGS, id="item-group_size", allow_blank=False, compact=True)
        yield Static(id="item-group_size-error", classes="field-error", markup=False)
        yield Label("Minutes per turn (pairs; empty: none)", classes="field-label")
        yield Input(id="item-turn_minutes", compact=True)
        yield Static(id="item-turn_minutes-error", classes="field-error", markup=False)
        yield Label("Prompts, one per line", classes="field-label")
        yield TextArea(id="item-prompts", soft_wrap=True, compact=True)
        yield Static(id="item-prompts-error", classes="field-error", markup=False)

    def on_mount(self) -> None:
        for name in FIELDS:
            self.query_one(f"#item-{name}-error").display = False

    def show_item(self, item: AgendaItem | None) -> None:
        """Fill the fields from this item (None: no item, the form is disabled)."""
        self.item = item
        self.disabled = item is None
        if item is None:
            return
        self.query_one("#item-title", Input).value = item.title
        self.query_one("#item-kind", Select).value = item.kind
        self.query_one("#item-minutes", Input).value = str(item.minutes)
        self.query_one("#item-at", Input).value = "" if item.at is None else f"{item.at:%H:%M}"
        templates = self.query_one("#item-notes_template", Select)
        templates.value = Select.NULL if item.notes_template is None else item.notes_template
        groupings = self.query_one("#item-group_size", Select)
        size = item.group_size or 0
        if size not in dict((value, label) for label, value in GROUPINGS):
            groupings.set_options([*GROUPINGS, (f"Groups of {size}", size)])
        groupings.value = size
        turns = "" if item.turn_minutes is None else str(item.turn_minutes)
        self.query_one("#item-turn_minutes", Input).value = turns
        prompts = self.query_one("#item-prompts", TextArea)
        if lines_of(prompts.text) != item.prompts:
            prompts.load_text("\n".join(item.prompts))
        self._show_errors({})

    def adopt_id(self, old: str, new: str) -> None:
        """The shown item's id changed to `new` (it follows a new item's title)."""
        if self.item is not None and self.item.id == old:
            self.item = self.item.model_copy(update={"id": new})

    def _values(self) -> dict[str, Any]:
        """The fields as the file format's values (blank optional fields: None)."""
        template = self.query_one("#item-notes_template", Select).value
        size = self.query_one("#item-group_size", Select).value
        turns = self.query_one("#item-turn_minutes", Input).value.strip()
        at = self.query_one("#item-at", Input).value.strip()
        return {
            "title": self.query_one("#item-title", Input).value,
            "kind": self.query_one("#item-kind", Select).value,
            "minutes": self.query_one("#item-minutes", Input).value.strip(),
            "at": at or None,
            "notes_template": None if template is Select.NULL else template,
            "group_size": size or None,
            "turn_minutes": turns or None,
            "prompts": lines_of(self.query_one("#item-prompts", TextArea).text),
        }

    def checked(self) -> AgendaItem | None:
        """The item the fields make now, if they check; for saving before a message arrives."""
        if self.item is None:
            return None
        try:
            return AgendaItem.model_validate({**self.item.model_dump(), **self._values()})
        except ValidationError:
            return None

    def _changed(self, field: str) -> None:
        if self.item is None:
            return
        values = {**self.item.model_dump(), **self._values()}
        try:
            item = AgendaItem.model_validate(values)
        except ValidationError as error:
            errors = error_text(error)
            self._show_errors(errors)
            self.post_message(self.Invalid(errors))
            return
        self._show_errors({})
        if item != self.item:
            self.item = item
            self.post_message(self.Edited(item, field))

    def _show_errors(self, errors: dict[str, str]) -> None:
        if errors == self.errors:
            return
        self.errors = errors
        for name in FIELDS:
            widget = self.query_one(f"#item-{name}-error", Static)
            message = errors.get(name)
            widget.display = message is not None
            widget.update(user_line(f"⚠ {message}" if message else ""))
            self.query_one(f"#item-{name}").set_class(message is not None, "-invalid")

    @on(Input.Changed)
    def _input_changed(self, message: Input.Changed) -> None:
        message.stop()
        self._changed((message.input.id or "").removeprefix("item-"))

    @on(Select.Changed)
    def _select_changed(self, message: Select.Changed) -> None:
        message.stop()
        self._changed((message.select.id or "").removeprefix("item-"))

    @on(TextArea.Changed)
    def _text_changed(self, message: TextArea.Changed) -> None:
        message.stop()
        self._changed("prompts")
