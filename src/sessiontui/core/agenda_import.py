"""An agenda kept as a table (a spreadsheet, a CSV file) made into agenda items.

Many facilitators keep their running order as rows of title, minutes, kind, a fixed start
time and prompts. This turns such rows into `AgendaItem`s, reading the header row leniently
(any case, common synonyms such as "duration" or "start") and every cell strictly, so each
bad cell is reported with its line and the reason, all of them at once. No disk: the store
reads the file into rows of cells.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Final

from pydantic import ValidationError

from sessiontui.core import item_kinds, note_templates
from sessiontui.core.library import slugify
from sessiontui.core.model import AgendaItem

if TYPE_CHECKING:
    from sessiontui.core.model import Session

Cell = str | int | float | dt.time | dt.datetime | dt.timedelta | None
"""What a cell holds: text from a CSV file, or a spreadsheet's typed value."""

COLUMNS: Final[dict[str, tuple[str, ...]]] = {
    "title": ("title", "item", "name", "activity", "topic", "what", "agenda item", "session"),
    "minutes": ("minutes", "mins", "min", "duration", "length", "time", "timing", "how long"),
    "kind": ("kind", "type", "format", "item type"),
    "at": ("at", "fixed time", "fixed", "start", "starts", "start time", "starts at", "clock"),
    "prompts": ("prompts", "prompt", "questions", "question", "instructions"),
    "notes_template": ("notes template", "notes_template", "template"),
    "group_size": ("group size", "group_size", "groups of", "people per group"),
    "turn_minutes": ("turn minutes", "turn_minutes", "minutes per turn"),
    "facilitator_notes": ("facilitator notes", "facilitator_notes", "notes", "comments"),
    "id": ("id", "slug"),
}
"""Each agenda item field a column can fill, with the header names that mean it."""

REQUIRED: Final = ("title", "minutes")

_PROMPT_SPLIT: Final = re.compile(r"\s*(?:\r\n|[\n\r|])\s*")
_MINUTES: Final = re.compile(r"^(\d+)\s*(?:m|min|mins|minutes?)?\.?$", re.IGNORECASE)
_CLOCK: Final = re.compile(r"^(\d{1,2})[:.](\d{2})(?::(\d{2}))?\s*([ap]\.?m\.?)?$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong in the table: where (line, column's field) and why."""

    line: int
    field: str
    """The agenda field the column fills, or "" for the row or the header as a whole."""
    message: str

    def where(self, name: str) -> str:
        """The problem as one line naming the file: `agenda.csv:7: minutes: "ten" is not ...`."""
        part = f"{self.field}: " if self.field else ""
        return f"{name}:{self.line}: {part}{self.message}"


@dataclass(slots=True)
class Imported:
    """The items the rows made, the problems found, and the columns that were not read."""

    items: list[AgendaItem] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    """Header names no field has, so the caller can say they were left out."""


def _header_key(text: str) -> str:
    # "Duration (min)" and "Fixed_Time" read as "duration" and "fixed time".
    text = re.sub(r"\(.*?\)|\[.*?\]", " ", text)
    return " ".join(re.sub(r"[_\-:]+", " ", text).casefold().split())


_SYNONYMS: Final = {
    _header_key(name): column for column, names in COLUMNS.items() for name in names
}


def columns_of(header: Sequence[Cell]) -> tuple[dict[int, str], list[str], list[Problem]]:
    """Which field each header cell names, the headers no field has, and header problems."""
    found: dict[int, str] = {}
    ignored: list[str] = []
    problems: list[Problem] = []
    for index, cell in enumerate(header):
        text = _text(cell)
        if not text:
            continue
        column = _SYNONYMS.get(_header_key(text))
        if column is None:
            ignored.append(text)
        elif column in found.values():
            problems.append(Problem(1, "", f"two columns give the {column}: {text!r} and another"))
        else:
            found[index] = column
    for column in REQUIRED:
        if column not in found.values():
            known = ", ".join(COLUMNS[column][:4])
            problems.append(Problem(1, "", f"no {column} column (a header such as {known})"))
    return found, ignored, problems


def agenda_from_rows(rows: Sequence[tuple[int, Sequence[Cell]]]) -> Imported:
    """Agenda items from a header row and data rows, each with its line number in the file.

    Blank rows are skipped. Ids come from the titles (made unique) unless an id column
    gives them. Every problem is collected, so one pass tells people all there is to fix.
    """
    result = Imported()
    if not rows:
        result.problems.append(Problem(1, "", "the file is empty: no header row"))
        return result
    header_line, header = rows[0]
    columns, result.ignored, problems = columns_of(header)
    if problems:
        result.problems = [Problem(header_line, p.field, p.message) for p in problems]
        return result
    used: set[str] = set()
    for line, cells in rows[1:]:
        values = {column: cells[index] for index, column in columns.items() if index < len(cells)}
        if all(not _text(value) for value in values.values()):
            continue
        item, row_problems = _item(line, values, used)
        result.problems.extend(row_problems)
        if item is not None:
            result.items.append(item)
            used.add(item.id)
    if not result.items and not result.problems:
        result.problems.append(Problem(header_line, "", "no agenda rows below the header"))
    return result


def _item(
    line: int, values: dict[str, Cell], used: set[str]
) -> tuple[AgendaItem | None, list[Problem]]:
    problems: list[Problem] = []
    data: dict[str, object] = {}

    def fail(column: str, message: str) -> None:
        problems.append(Problem(line, column, message))

    title = _text(values.get("title"))
    if not title:
        fail("title", "is empty")
    data["title"] = title
    readers = {
        "minutes": _minutes,
        "kind": _kind,
        "at": _clock,
        "notes_template": _template,
        "group_size": _whole,
        "turn_minutes": _whole,
    }
    for column, read in readers.items():
        value = values.get(column)
        if not _text(value):
            continue
        try:
            data[column] = read(value)
        except ValueError as error:
            fail(column, str(error))
    if "minutes" not in data and not any(p.field == "minutes" for p in problems):
        fail("minutes", "is empty")
    data.setdefault("kind", "plenary")
    prompts = _text(values.get("prompts"))
    if prompts:
        data["prompts"] = [part for part in _PROMPT_SPLIT.split(prompts) if part]
    notes = _text(values.get("facilitator_notes"))
    if notes:
        data["facilitator_notes"] = notes
    given_id = _text(values.get("id"))
    data["id"] = given_id or _unique_id(title, used)
    if given_id and given_id in used:
        fail("id", f"{given_id!r} is used by an earlier row")
    if problems:
        return None, problems
    try:
        return AgendaItem.model_validate(data), []
    except ValidationError as error:
        for detail in error.errors():
            column = ".".join(str(part) for part in detail["loc"]) or ""
            fail(column, detail["msg"])
        return None, problems


def _unique_id(title: str, used: set[str]) -> str:
    base = slugify(title)[:56].strip("-") or "item"
    candidate, number = base, 2
    while candidate in used:
        candidate, number = f"{base}-{number}", number + 1
    return candidate


def _text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _whole(value: Cell) -> int:
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a whole number")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = _text(value)
    if text.isdigit():
        return int(text)
    raise ValueError(f'"{text}" is not a whole number')


def _minutes(value: Cell) -> int:
    """Whole minutes: 10, "10", "10 min", or a spreadsheet duration such as 0:10."""
    if isinstance(value, dt.timedelta):
        seconds = value.total_seconds()
    elif isinstance(value, dt.time):
        seconds = value.hour * 3600 + value.minute * 60 + value.second
    else:
        match = _MINUTES.match(_text(value))
        if match is None:
            return _whole(value)
        return int(match.group(1))
    if seconds % 60:
        raise ValueError(f"{value} is not a whole number of minutes")
    return int(seconds // 60)


def _clock(value: Cell) -> dt.time:
    """A local time of day: 14:30, 14:30:00, 2:30pm, or a spreadsheet time."""
    if isinstance(value, dt.datetime):
        return value.time().replace(microsecond=0)
    if isinstance(value, dt.time):
        return value.replace(microsecond=0)
    text = _text(value)
    match = _CLOCK.match(text)
    if match is not None:
        hour, minute = int(match.group(1)), int(match.group(2))
        second = int(match.group(3) or 0)
        meridiem = (match.group(4) or "").replace(".", "").lower()
        if meridiem and 1 <= hour <= 12:
            hour = hour % 12 + (12 if meridiem == "pm" else 0)
        elif meridiem:
            hour = 99
        try:
            return dt.time(hour, minute, second)
        except ValueError:
            pass
    raise ValueError(f'"{text}" is not a time of day such as 14:30')


def _kind(value: Cell) -> str:
    text = _text(value).casefold()
    for declared in item_kinds.KINDS:
        if text in (declared.name, declared.label.casefold()):
            return declared.name
    raise ValueError(f'"{_text(value)}" is not a kind: {", ".join(item_kinds.names())}')


def _template(value: Cell) -> str:
    text = _text(value).casefold()
    for declared in note_templates.templates():
        if text in (declared.name, declared.title.casefold()):
            return declared.name
    known = ", ".join(note_templates.names())
    raise ValueError(f'"{_text(value)}" is not a notes template: {known}')


DEFAULT_START: Final = dt.time(9, 0)
"""When an imported session starts if neither the command nor a fixed time in it says."""


def session_from_items(
    items: Sequence[AgendaItem], *, title: str, date: dt.date, start: dt.time | None = None
) -> Session:
    """A new session holding these items, ending when they end.

    Without `start`, a first item with a fixed time starts the session then, else at
    DEFAULT_START. Raises ValueError("field: problem") when it would not be valid, e.g. an
    agenda that runs past midnight.
    """
    from sessiontui.core.model import SCHEMA_VERSION, Session

    first_at = items[0].at if items else None
    begin = start or first_at or DEFAULT_START
    cursor = dt.datetime.combine(date, begin)
    for item in items:
        if item.at is not None:
            cursor = max(cursor, dt.datetime.combine(date, item.at))
        cursor += dt.timedelta(minutes=item.minutes)
    if cursor.date() != date:
        raise ValueError(f"agenda: starting at {begin:%H:%M}, it runs past midnight")
    end = max(cursor.time(), (dt.datetime.combine(date, begin) + dt.timedelta(minutes=1)).time())
    try:
        return Session(
            schema_version=SCHEMA_VERSION,
            title=title,
            date=date,
            start=begin,
            end=end,
            agenda=list(items),
        )
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "session"
        raise ValueError(f"{where}: {first['msg']}") from None
