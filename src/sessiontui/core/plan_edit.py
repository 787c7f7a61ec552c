"""Editing a session's plan: item operations, the editor's text formats, and undo history.

Pure functions of `Session` values, so the plan editor's screen only shows and forwards, and
every operation is tested without Textual. A plan edit changes only the plan's fields
(`PLAN_FIELDS`); notes, groups, commitments and the log belong to the run and are never
touched here, so undoing a plan edit never takes back a note-taker's notes merged in meanwhile.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Final

from pydantic import ValidationError

from sessiontui.core.library import slugify
from sessiontui.core.model import AgendaItem, Participant, Session, Upcoming, WayOfWorking

PLAN_FIELDS: Final = (
    "title",
    "series",
    "date",
    "start",
    "end",
    "venue",
    "timezone",
    "warn_minutes",
    "warn_fraction",
    "facilitators",
    "participants",
    "ways_of_working",
    "agenda",
    "upcoming",
)
"""The fields the editor changes; everything else is written by the run and kept as it is."""

MAX_ID_LENGTH: Final = 64
"""Longest item id the file format accepts."""


PLAIN_WORDS: Final = {
    "int_parsing": "write a whole number, e.g. 15",
    "int_from_float": "write a whole number, e.g. 15",
    "time_parsing": "write a time such as 14:30",
    "time_type": "write a time such as 14:30",
    "date_parsing": "write a date such as 2023-02-16",
    "date_from_datetime_parsing": "write a date such as 2023-02-16",
    "date_type": "write a date such as 2023-02-16",
    "string_too_short": "cannot be empty",
}
"""Messages for the slips people make in a form, instead of pydantic's wording for programmers."""


class PlanEditError(ValueError):
    """An edit that would break the session (an item with notes deleted, say), in one sentence."""


@dataclass(frozen=True)
class LineProblem:
    """A line of a multi-line field that does not read, so the editor can point at it."""

    line: int
    """1-based line number in the field."""
    message: str


def unique_id(title: str, taken: Iterable[str]) -> str:
    """A slug of the title no other item uses: notes and the log refer to items by id."""
    used = set(taken)
    # slugify names an unusable title "session"; an item is better called "item".
    slug = slugify(title) if "session" in title.lower() else slugify(title).replace("session", "")
    base = slug[: MAX_ID_LENGTH - 4].strip("-") or "item"
    candidate, number = base, 2
    while candidate in used:
        candidate, number = f"{base}-{number}", number + 1
    return candidate


def new_item(session: Session, title: str = "New item", kind: str = "plenary") -> AgendaItem:
    """A ten-minute item with an id no other item of the session uses."""
    return AgendaItem(
        id=unique_id(title, (item.id for item in session.agenda)),
        title=title,
        kind=kind,
        minutes=10,
    )


def _with_agenda(session: Session, agenda: list[AgendaItem]) -> Session:
    return session.model_copy(update={"agenda": agenda})


def insert_item(session: Session, index: int, item: AgendaItem) -> Session:
    """The session with the item put at this position (clamped to the agenda)."""
    agenda = list(session.agenda)
    agenda.insert(max(0, min(index, len(agenda))), item)
    return _with_agenda(session, agenda)


def duplicate_item(session: Session, index: int) -> Session:
    """The session with a copy of item `index` right after it, under a new id and no fixed time.

    The copy follows the original rather than sharing its fixed time, which would overlap.
    """
    original = session.agenda[index]
    copy = original.model_copy(
        update={"id": unique_id(original.title, (item.id for item in session.agenda)), "at": None}
    )
    return insert_item(session, index + 1, copy)


def delete_item(session: Session, index: int) -> Session:
    """The session without item `index`, and without the groups drawn for it.

    Refused when notes were taken for the item: deleting it would drop them.
    """
    item = session.agenda[index]
    if any(note.item == item.id for note in session.notes):
        raise PlanEditError(f"{item.title} has notes; it stays so they are kept")
    agenda = [kept for position, kept in enumerate(session.agenda) if position != index]
    groups = [group for group in session.groups if group.item != item.id]
    return session.model_copy(update={"agenda": agenda, "groups": groups})


def move_item(session: Session, index: int, by: int) -> Session:
    """The session with item `index` moved `by` places (negative: earlier), clamped to the ends."""
    agenda = list(session.agenda)
    target = max(0, min(index + by, len(agenda) - 1))
    agenda.insert(target, agenda.pop(index))
    return _with_agenda(session, agenda)


def replace_item(session: Session, index: int, item: AgendaItem) -> Session:
    """The session with item `index` replaced (its id kept: notes and the log refer to it)."""
    agenda = list(session.agenda)
    agenda[index] = item
    return _with_agenda(session, agenda)


def id_following_title(session: Session, index: int, item: AgendaItem) -> AgendaItem:
    """The edited item, its id made from its new title while nothing refers to the old one yet.

    A new item is added as "New item"; once titled, its id should read like its title. Once
    notes, groups or the log refer to an item, or its id was chosen by hand, the id stays.
    """
    old = session.agenda[index]
    others = [other.id for position, other in enumerate(session.agenda) if position != index]
    if old.id != unique_id(old.title, others) or old.title == item.title:
        return item
    referred = {
        *(note.item for note in session.notes),
        *(group.item for group in session.groups),
        *(event.item for event in session.log),
        *(action.item for action in session.actions),
    }
    if old.id in referred:
        return item
    return item.model_copy(update={"id": unique_id(item.title, others)})


def item_at(session: Session | None, index: int | None) -> AgendaItem | None:
    """The session's item at this position, or None when there is none."""
    if session is None or index is None or not 0 <= index < len(session.agenda):
        return None
    return session.agenda[index]


def with_plan(current: Session, plan: Session) -> Session:
    """`current` with the plan of `plan`, keeping `current`'s notes, groups, actions and log.

    Raises `PlanEditError` when that plan lacks an item the current notes or groups refer to.
    """
    ids = {item.id for item in plan.agenda}
    for item_id in [*(note.item for note in current.notes), *(g.item for g in current.groups)]:
        if item_id not in ids:
            title = next((i.title for i in current.agenda if i.id == item_id), item_id)
            raise PlanEditError(f"{title} now has notes or groups, so it cannot be taken away")
    return current.model_copy(update={name: getattr(plan, name) for name in PLAN_FIELDS})


def error_text(error: ValidationError) -> dict[str, str]:
    """One message per top-level field of a validation error, worded for a person."""
    messages: dict[str, str] = {}
    for detail in error.errors():
        location = detail["loc"]
        message = PLAIN_WORDS.get(detail["type"], detail["msg"].removeprefix("Value error, "))
        name = str(location[0]) if location else ""
        if not name and ":" in message:
            # A model-level check names its field first: "end: must be after start".
            name, message = (part.strip() for part in message.split(":", 1))
        messages.setdefault(name, message)
    return messages


# ------------------------------------------------------------------ the editor's text formats


def lines_of(text: str) -> list[str]:
    """The non-blank lines of a text field, stripped: prompts are written one per line."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def participants_text(participants: Sequence[Participant]) -> str:
    """One person per line: `Name`, then `| org: X`, `| absent`, `| avoid: A, B` when set."""
    lines = []
    for person in participants:
        parts = [person.name]
        if person.org is not None:
            parts.append(f"org: {person.org}")
        if person.absent:
            parts.append("absent")
        if person.avoid:
            parts.append("avoid: " + ", ".join(person.avoid))
        lines.append(" | ".join(parts))
    return "\n".join(lines)


def parse_participants(text: str) -> tuple[list[Participant], list[LineProblem]]:
    """The participants written one per line (as `participants_text` writes them), and bad lines."""
    people: list[Participant] = []
    problems: list[LineProblem] = []
    seen: set[str] = set()
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        name, *extras = (part.strip() for part in raw.split("|"))
        values: dict[str, object] = {"name": name}
        for extra in extras:
            key, _, value = extra.partition(":")
            key = key.strip().lower()
            if key == "absent" and not value.strip():
                values["absent"] = True
            elif key == "org":
                values["org"] = value.strip()
            elif key == "avoid":
                values["avoid"] = [n.strip() for n in value.split(",") if n.strip()]
            else:
                problems.append(
                    LineProblem(number, f"{extra!r}: write org: X, absent or avoid: A, B")
                )
        if not name:
            problems.append(LineProblem(number, "a name comes first"))
            continue
        if name in seen:
            problems.append(LineProblem(number, f"{name} is listed twice"))
            continue
        seen.add(name)
        try:
            people.append(Participant.model_validate(values))
        except ValidationError as error:
            problems.append(LineProblem(number, "; ".join(error_text(error).values())))
    return people, problems


def ways_text(ways: Sequence[WayOfWorking]) -> str:
    """One way of working per line, `Name: what it means`."""
    return "\n".join(f"{way.name}: {way.text}" if way.text else way.name for way in ways)


def parse_ways(text: str) -> tuple[list[WayOfWorking], list[LineProblem]]:
    """The ways of working written one per line as `Name: what it means`."""
    ways: list[WayOfWorking] = []
    problems: list[LineProblem] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        name, _, meaning = raw.partition(":")
        if not name.strip():
            problems.append(LineProblem(number, "a name comes before the colon"))
            continue
        ways.append(WayOfWorking(name=name.strip(), text=meaning.strip()))
    return ways, problems


def upcoming_text(upcoming: Sequence[Upcoming]) -> str:
    """One later session per line, `YYYY-MM-DD Title`."""
    return "\n".join(f"{coming.date.isoformat()} {coming.title}" for coming in upcoming)


def parse_upcoming(text: str) -> tuple[list[Upcoming], list[LineProblem]]:
    """The series' coming sessions written one per line as `YYYY-MM-DD Title`."""
    coming: list[Upcoming] = []
    problems: list[LineProblem] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        day, _, title = raw.strip().partition(" ")
        try:
            date = dt.date.fromisoformat(day)
        except ValueError:
            problems.append(LineProblem(number, f"{day!r} is not a date like 2023-03-16"))
            continue
        if not title.strip():
            problems.append(LineProblem(number, "a title follows the date"))
            continue
        coming.append(Upcoming(date=date, title=title.strip()))
    return coming, problems


# ------------------------------------------------------------------ undo and redo


@dataclass
class History:
    """Earlier and later versions of the session for undo and redo, kept in memory.

    Each change records the version before it. Changes under the same `key` in a row (typing
    in one field) make one step, so undo takes back a field's edit, not one letter.
    """

    limit: int = 500
    undo_stack: list[Session] = field(default_factory=list)
    redo_stack: list[Session] = field(default_factory=list)
    last_key: object = None

    def record(self, before: Session, key: object = None) -> None:
        """Remember `before` as the version an undo returns to, unless `key` continues a step."""
        self.redo_stack.clear()
        if key is not None and key == self.last_key and self.undo_stack:
            return
        self.undo_stack.append(before)
        del self.undo_stack[: -self.limit]
        self.last_key = key

    def undo(self, current: Session) -> Session | None:
        """The version before the last step (its plan is what counts), or None at the start."""
        if not self.undo_stack:
            return None
        self.redo_stack.append(current)
        self.last_key = None
        return self.undo_stack.pop()

    def redo(self, current: Session) -> Session | None:
        """The version the last undo left, or None when nothing was undone."""
        if not self.redo_stack:
            return None
        self.undo_stack.append(current)
        self.last_key = None
        return self.redo_stack.pop()

    def put_back(self, restored: Session, undone: bool) -> None:
        """Cancel the last undo (or redo) that could not be applied."""
        source, target = (
            (self.redo_stack, self.undo_stack) if undone else (self.undo_stack, self.redo_stack)
        )
        target.append(restored)
        source.pop()
