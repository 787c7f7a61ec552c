"""The session file format: one pydantic model per TOML table.

These models *are* the file format: `sessiontui schema` prints their JSON Schema and
`docs/session-format.md` describes them. The docstring under each field becomes its
description in the schema, so editors that read it (taplo, Even Better TOML) show it
while people type. What varies with the workshop's methods is declared elsewhere, once:
the item kinds in `item_kinds`, the notes templates (and so a `[[notes]]` table's text
keys) in `note_templates`; the allowed values, the schema and the notes' keys come from
there.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Annotated, Any, Literal, TypeAlias

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    GetJsonSchemaHandler,
    ModelWrapValidatorHandler,
    SerializationInfo,
    SerializerFunctionWrapHandler,
    ValidationError,
    field_validator,
    model_serializer,
    model_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, InitErrorDetails, PydanticCustomError

from sessiontui.core import item_kinds, note_templates

SCHEMA_VERSION = 1
"""The version this build writes; older files are migrated in memory, newer ones open read-only."""

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"

EARLIEST_DAY = dt.date(1900, 1, 1)
"""The first day a session file may name; earlier is a typo (0224 for 2024) or a hostile file."""
LATEST_DAY = dt.date(2999, 12, 31)
"""The last day a session file may name: far enough from year 9999 that no plan, shift or time
zone carried out from it can leave the range of Python's datetime."""

if TYPE_CHECKING:
    ItemKind: TypeAlias = str
else:
    # Declared in `item_kinds`; fixed when the program starts, so a Literal gives the same
    # validation, error wording and schema enum as a hand-written one.
    ItemKind = Literal[item_kinds.names()]


def _known_template(name: str) -> str:
    """Accept a declared notes template, checked against the registry at validation time.

    Checked live rather than frozen into a Literal, so a template declared at run time (a
    test, a plugin) is accepted too; the error is worded like the Literal's it replaces.
    """
    if name not in note_templates.names():
        # pydantic's own wording: "'free', 'empathy-map' or 'common-purpose'".
        *others, last = [repr(declared) for declared in note_templates.names()]
        expected = f"{', '.join(others)} or {last}" if others else last
        raise PydanticCustomError(
            "literal_error", "Input should be {expected}", {"expected": expected}
        )
    return name


class _TemplateEnum:
    """The JSON Schema enum of `notes_template`, read from the registry each time it is made."""

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return {**handler(schema), "enum": list(note_templates.names())}


NotesTemplate: TypeAlias = Annotated[str, AfterValidator(_known_template), _TemplateEnum]
"""The name of a notes template declared in `note_templates`."""

EventKind = Literal[
    "start",
    "pause",
    "resume",
    "next",
    "back",
    "extend",
    "skip",
    "finish",
    "broadcast",
    "replan",
    "insert",
    "move",
    "pin",
    "hide_ways",
    "show_ways",
]
ActionStatus = Literal["open", "done", "dropped"]


def _list_choices(schema: dict[str, Any], summary: str) -> None:
    """Add the registry's choices, each with what it is, to a field's schema description."""
    schema["description"] = f"{schema.get('description', '')} {summary}".strip()


def _answer_properties(schema: dict[str, Any]) -> None:
    """Give a `[[notes]]` table's schema one string property per declared question.

    The JSON Schema lists each key with its description, as if written as fields, and still
    refuses other keys, so editors complete and check notes as they do every other table.
    """
    properties = schema.setdefault("properties", {})
    for template in note_templates.templates():
        for question in template.questions:
            properties[question.key] = {
                "default": "",
                "description": question.description,
                "title": question.key.replace("_", " ").title(),
                "type": "string",
            }
    schema["additionalProperties"] = False


Minutes = Annotated[int, Field(ge=1, le=24 * 60)]
Name = Annotated[str, Field(min_length=1, max_length=1000)]
Share = Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)]


class _Table(BaseModel):
    """Base of every table: unknown keys are errors so a typo never vanishes silently."""

    model_config = ConfigDict(
        extra="forbid",
        use_attribute_docstrings=True,
        validate_assignment=True,
        str_strip_whitespace=False,
    )


class Participant(_Table):
    """Someone taking part; written back as a bare name when nothing else is set."""

    name: Name
    """Their name as it should appear on screen and in the minutes."""
    org: str | None = None
    """Their organisation, shown next to their name."""
    absent: bool = False
    """True when they are not in the room today; groups are drawn from those present."""
    avoid: list[str] = Field(default_factory=list)
    """Names of people they must never be grouped with (always honoured)."""

    @model_serializer(mode="wrap")
    def _bare_name_when_possible(
        self, handler: SerializerFunctionWrapHandler, info: SerializationInfo
    ) -> Any:
        if self.org is None and not self.absent and not self.avoid:
            return self.name
        return handler(self)


class WayOfWorking(_Table):
    """One of the ground rules the group agreed, shown as a rotating reminder."""

    name: Name
    """Short name, e.g. "Presence"."""
    text: str = ""
    """What it means, e.g. "Really listening to each other"."""


class AgendaItem(_Table):
    """One block of the session's plan."""

    id: Annotated[str, Field(pattern=SLUG_PATTERN, max_length=64)]
    """Unique slug for the item (lowercase letters, digits and dashes); notes and the log refer to it."""
    title: Name
    """What the room sees as the item's name."""
    kind: ItemKind = Field(
        json_schema_extra=lambda schema: _list_choices(schema, item_kinds.schema_summary())
    )
    """What sort of block this is."""
    minutes: Minutes
    """Planned length in whole minutes."""
    at: dt.time | None = None
    """Fixed start time (local), e.g. a tea break that must start at 14:30; otherwise the item follows the one before."""
    prompts: list[str] = Field(default_factory=list)
    """Questions or instructions shown to the room while the item runs."""
    notes_template: NotesTemplate | None = Field(
        default=None,
        json_schema_extra=lambda schema: _list_choices(schema, note_templates.schema_summary()),
    )
    """Shape of the notes taken during this item; none means free notes."""
    group_size: Annotated[int, Field(ge=2, le=50)] | None = None
    """For pairing and breakout items: people per group (an odd one out makes a group one larger)."""
    turn_minutes: Annotated[int, Field(ge=1, le=240)] | None = None
    """For pairing rounds: minutes each person speaks before the swap cue; a group whose turns would not all fit the item's time splits that time evenly instead (15 minutes: pairs 7 each, a three 5 each)."""
    word_limit: Annotated[int, Field(ge=1, le=10_000)] | None = None
    """For notes that make one statement (common-purpose): the statement's word limit (flagged, never enforced)."""
    warn_minutes: Annotated[int, Field(ge=0, le=240)] | None = None
    """Minutes left at which this item's countdown turns to its warning state (default: the session's), unless `warn_fraction` of the item comes sooner."""
    warn_fraction: Share | None = None
    """Share of this item's length (0 to 1) left at which its countdown turns to its warning state (default: the session's); the warning starts at whichever of this and `warn_minutes` comes sooner."""
    where: str = ""
    """Where the room goes for this item, shown with its groups: a room, or a call or breakout link."""
    facilitator_notes: str = ""
    """Instructions and materials for whoever runs the item, never shown to the room nor in participants' minutes; kept in the file because saving drops TOML comments."""

    @field_validator("at")
    @classmethod
    def _at_has_no_zone(cls, value: dt.time | None) -> dt.time | None:
        if value is not None and value.tzinfo is not None:
            raise ValueError("must be a local time such as 14:30:00, without an offset")
        return value


class Upcoming(_Table):
    """A later session of the same series, listed at the close."""

    date: dt.date
    """When it takes place."""
    title: Name
    """What it is about."""

    @field_validator("date")
    @classmethod
    def _date_in_range(cls, value: dt.date) -> dt.date:
        return _in_range(value)


class Group(_Table):
    """Who sits together for one pairing or breakout item."""

    item: str
    """The `id` of the agenda item the group belongs to."""
    name: Name
    """The group's name as shown to note-takers, e.g. "Group 1"."""
    members: list[str] = Field(default_factory=list)
    """Participant names in this group."""
    seed: int | None = None
    """Random seed the groups were drawn with, so the draw can be reproduced."""
    where: str = ""
    """Where this group meets (a room, a table, a breakout link); shown beside the group to the room."""


class Note(_Table):
    """Notes taken for one group during one agenda item: one text per question of the item's template."""

    # The text keys are the questions of every template in `note_templates`, not fields
    # written out here: a template declared there is stored, merged and saved with nothing
    # else to change. Keys no template declares are refused as unknown, as on every table.
    model_config = ConfigDict(extra="allow", json_schema_extra=_answer_properties)
    __pydantic_extra__: dict[str, str] = Field(init=False)

    item: str
    """The `id` of the agenda item these notes belong to."""
    group: str = ""
    """The group's name, or empty for notes on the whole room."""
    edited: dt.datetime | None = None
    """When the notes were last changed (UTC)."""

    def answer(self, key: str) -> str:
        """The text typed for one question, by its `[[notes]]` key; empty when none was."""
        return (self.__pydantic_extra__ or {}).get(key, "")

    @property
    def answers(self) -> dict[str, str]:
        """Every question's text by key, including questions of templates the item no longer uses."""
        return dict(self.__pydantic_extra__ or {})

    @model_validator(mode="wrap")
    @classmethod
    def _declared_keys_in_order(cls, data: Any, handler: ModelWrapValidatorHandler[Note]) -> Note:
        if not isinstance(data, dict):
            return handler(data)
        keys = note_templates.field_keys()
        known = {*cls.model_fields, *keys}
        unknown = [key for key in data if key not in known]
        if unknown:
            raise _with_unknown_keys(cls.__name__, data, unknown, handler)
        note = handler(data)
        # Every declared key present, in declaration order: two notes with the same texts
        # compare equal however they were made, and are saved with their keys in one order.
        given = note.__pydantic_extra__ or {}
        note.__pydantic_extra__ = {key: given.get(key, "") for key in keys}
        return note

    @model_serializer(mode="wrap")
    def _empty_answers_are_defaults(
        self, handler: SerializerFunctionWrapHandler, info: SerializationInfo
    ) -> Any:
        # An empty answer is every question's default, left out of the file as defaults are.
        data = handler(self)
        if info.exclude_defaults and isinstance(data, dict):
            answers = self.__pydantic_extra__ or {}
            return {key: value for key, value in data.items() if key not in answers or value}
        return data

    @field_validator("edited")
    @classmethod
    def _edited_in_utc(cls, value: dt.datetime | None) -> dt.datetime | None:
        return None if value is None else _as_utc(value)


class Action(_Table):
    """A commitment: one practical thing someone is going to do."""

    who: Name
    """Who committed to it."""
    what: Annotated[str, Field(min_length=1)]
    """What they are going to do."""
    due: dt.date | None = None
    """By when, if they said."""
    status: ActionStatus = "open"
    """Whether it is still open, done or dropped; checked back on at the next session."""
    item: str | None = None
    """The `id` of the agenda item where it was made."""

    @field_validator("due")
    @classmethod
    def _due_in_range(cls, value: dt.date | None) -> dt.date | None:
        return None if value is None else _in_range(value)


class Event(_Table):
    """One entry of the append-only run log; the whole run is derived from these."""

    at: dt.datetime
    """When it happened, as an offset date-time (written in UTC)."""
    kind: EventKind
    """start, pause, resume, next, back, extend, skip, finish, broadcast, replan, insert, move, pin, hide_ways or show_ways; a skip of a later item drops it, a replan of one item changes its length."""
    item: str | None = None
    """The agenda item it concerns, where it concerns one: for skip a later item to drop, for move the item moved."""
    minutes: Annotated[int, Field(ge=-240, le=240)] | None = None
    """For extend: minutes added to the current item (negative to shorten)."""
    text: str | None = None
    """For broadcast: the message for the shared screen (empty clears it); for pin: the name of the way of working kept on every shared screen (empty goes back to rotating them)."""
    seconds: Annotated[int, Field(ge=1, le=86_400)] | None = None
    """For broadcast: how many seconds the message stays up; none keeps it until it is cleared or replaced."""
    plan: dict[str, Minutes] | None = None
    """For replan: the new minutes of each item it changed, by item id."""
    new_item: AgendaItem | None = None
    """For insert: the whole new agenda item, added while the session runs; its `id` must not be used by the plan or an earlier insert."""
    after: str | None = None
    """For insert and move: the `id` of the item it goes after; none (or an item already over) puts it first among the items still to run."""

    @field_validator("at")
    @classmethod
    def _at_in_utc(cls, value: dt.datetime) -> dt.datetime:
        return _as_utc(value)

    @model_validator(mode="after")
    def _fields_fit_kind(self) -> Event:
        if self.kind == "extend" and self.minutes is None:
            raise ValueError("an extend event needs `minutes`")
        if self.kind == "broadcast" and self.text is None:
            raise ValueError("a broadcast event needs `text` (empty to clear)")
        if self.kind == "pin" and self.text is None:
            raise ValueError("a pin event needs `text` (a way of working's name, empty to unpin)")
        if self.kind == "replan" and not self.plan:
            raise ValueError("a replan event needs `plan`")
        if self.kind == "insert" and self.new_item is None:
            raise ValueError("an insert event needs `new_item`")
        if self.kind == "move" and self.item is None:
            raise ValueError("a move event needs `item`")
        return self


class Session(_Table):
    """One session: its plan, and what was recorded while it ran."""

    schema_version: int
    """Version of this file format; this build writes 1."""
    title: Name
    """The session's title."""
    series: str | None = None
    """Name shared by the sessions of one programme; used to avoid repeat pairings and to review the series."""
    date: dt.date
    """The day it runs (a TOML local date, e.g. 2023-02-16)."""
    start: dt.time
    """Planned start, local time (e.g. 13:00:00)."""
    end: dt.time
    """Planned end, local time (e.g. 16:00:00)."""
    venue: str = ""
    """Where it happens (a room, or "Online")."""
    chatham_house: bool = False
    """True when the Chatham House Rule applies: what was said may be used, but the minutes for participants name nobody and no organisation."""
    timezone: str | None = None
    """IANA time zone of `start`, `end` and `at` (e.g. "Europe/London"); default: the computer's."""
    warn_minutes: Annotated[int, Field(ge=0, le=240)] = 2
    """Minutes left at which an item's countdown turns to its warning state, unless `warn_fraction` of the item comes sooner."""
    warn_fraction: Share = 0.2
    """Share of an item's length (0 to 1) left at which its countdown turns to its warning state, unless `warn_minutes` comes sooner: with 2 and 0.2, a 30-minute item warns at 6 minutes left and a 5-minute item at 2."""
    facilitators: list[str] = Field(default_factory=list)
    """Who runs the session."""
    participants: list[Participant] = Field(default_factory=list)
    """Who takes part: names, or tables with `name` and optional `org`, `absent`, `avoid`."""
    ways_of_working: list[WayOfWorking] = Field(default_factory=list)
    """The ground rules shown as reminders (Presence, Attention, Curiosity...)."""
    agenda: list[AgendaItem] = Field(default_factory=list)
    """The plan, in running order."""
    upcoming: list[Upcoming] = Field(default_factory=list)
    """The next sessions of the series, shown at the close."""
    groups: list[Group] = Field(default_factory=list)
    """Written by the app: who sits together for which item."""
    notes: list[Note] = Field(default_factory=list)
    """Written by the app: notes per item and group."""
    actions: list[Action] = Field(default_factory=list)
    """Written by the app: the participants' commitments."""
    log: list[Event] = Field(default_factory=list)
    """Written by the app: the append-only event log of the run."""

    @field_validator("participants", mode="before")
    @classmethod
    def _names_become_tables(cls, value: Any) -> Any:
        if isinstance(value, list):
            return [{"name": v} if isinstance(v, str) else v for v in value]
        return value

    @field_validator("date")
    @classmethod
    def _date_in_range(cls, value: dt.date) -> dt.date:
        return _in_range(value)

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str | None) -> str | None:
        if value is not None:
            from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

            try:
                ZoneInfo(value)
            except (ZoneInfoNotFoundError, ValueError):
                raise ValueError(f"unknown time zone {value!r}") from None
        return value

    @model_validator(mode="after")
    def _references_hold(self) -> Session:
        ids = [item.id for item in self.agenda]
        seen: set[str] = set()
        for index, item_id in enumerate(ids):
            if item_id in seen:
                raise ValueError(f"agenda[{index}].id: {item_id!r} is used by an earlier item")
            seen.add(item_id)
        # Items inserted while running are agenda items too: notes and groups may name them.
        _log_references_hold(self.log, seen)
        _names_are_distinct(self.participants)
        if self.end <= self.start:
            raise ValueError("end: must be after start")
        references: list[tuple[str, Sequence[Group | Note]]] = [
            ("groups", self.groups),
            ("notes", self.notes),
        ]
        for table, rows in references:
            for index, row in enumerate(rows):
                if row.item not in seen:
                    raise ValueError(f"{table}[{index}].item: no agenda item has id {row.item!r}")
        return self

    def item(self, item_id: str) -> AgendaItem:
        """The agenda item with this id; raises KeyError so a stale reference is loud."""
        for item in self.agenda:
            if item.id == item_id:
                return item
        for event in self.log:
            if event.new_item is not None and event.new_item.id == item_id:
                return event.new_item
        raise KeyError(item_id)


def _names_are_distinct(participants: Sequence[Participant]) -> None:
    """Refuse two participants with one name, told apart by neither case nor spacing.

    Groups, `avoid` and notes name people by name, so two Anns would be mixed up by the
    pairings and the notes; and "Ann" and "ann " are the same person to the room.
    """
    first: dict[str, int] = {}
    for index, participant in enumerate(participants):
        key = " ".join(participant.name.split()).casefold()
        if key in first:
            raise ValueError(
                f"participants[{index}].name: {participant.name!r} is already the name of"
                f" participants[{first[key]}]"
            )
        first[key] = index


def _log_references_hold(log: Sequence[Event], known: set[str]) -> None:
    """Check the agenda changes of the log in order, adding each inserted id to `known`.

    An insert's id must be new and a move or insert must name items that exist by then, so
    a hand-edited log fails on the field that is wrong rather than by silently doing nothing.
    Older kinds (skip, replan) keep ignoring unknown ids, as the run always has.
    """
    for index, event in enumerate(log):
        if event.kind not in ("insert", "move"):
            continue
        if event.kind == "move" and event.item not in known:
            raise ValueError(f"log[{index}].item: no agenda item has id {event.item!r}")
        if event.after is not None and event.after not in known:
            raise ValueError(f"log[{index}].after: no agenda item has id {event.after!r}")
        if event.new_item is not None:
            if event.new_item.id in known:
                raise ValueError(
                    f"log[{index}].new_item.id: {event.new_item.id!r} is used by an earlier item"
                )
            known.add(event.new_item.id)


def _with_unknown_keys(
    title: str, data: dict[str, Any], unknown: list[str], handler: ModelWrapValidatorHandler[Any]
) -> ValidationError:
    """The error of a `[[notes]]` table with keys no template declares, and its other errors.

    Worded as pydantic words an unknown key on every other table (same type, the key's own
    location), so the file's error messages, line numbers and the read-only opening of a
    newer file (which drops unknown keys) work for notes as they do elsewhere.
    """
    errors: list[InitErrorDetails] = []
    try:
        handler({key: value for key, value in data.items() if key not in unknown})
    except ValidationError as exc:
        errors += [
            InitErrorDetails(
                type=error["type"], loc=error["loc"], input=error["input"], ctx=error.get("ctx", {})
            )
            for error in exc.errors()
        ]
    errors += [
        InitErrorDetails(type="extra_forbidden", loc=(key,), input=data[key]) for key in unknown
    ]
    return ValidationError.from_exception_data(title, errors)


def _in_range(value: dt.date, written: str | None = None) -> dt.date:
    """Refuse a day outside EARLIEST_DAY..LATEST_DAY, so every later time computation is safe.

    Checked here once rather than guarded everywhere: a session on 9999-12-31 passed `check`
    and then overflowed in whatever converted it to UTC (schedule, minutes, the run screen).
    """
    if not EARLIEST_DAY <= value <= LATEST_DAY:
        raise ValueError(
            f"{written or value.isoformat()} is out of range: sessiontui reads dates from"
            f" {EARLIEST_DAY.isoformat()} to {LATEST_DAY.isoformat()}"
        )
    return value


def _as_utc(value: dt.datetime) -> dt.datetime:
    if value.tzinfo is None:
        raise ValueError("must be an offset date-time such as 2023-02-16T13:00:00Z")
    # The day as written, checked before converting: astimezone itself overflows near 9999.
    _in_range(value.date(), value.isoformat())
    return value.astimezone(dt.UTC)
