"""The library of past sessions: one-line summaries, search, and the next session of a series.

Pure functions of `Session` values, shared by the home screen, the search screen and the
command line, so a listing, a search hit and `sessiontui new` agree everywhere. No Textual,
no disk (store.py reads the files); heavier modules are imported inside the functions that
need them, so the command line can use `slugify` without loading pydantic.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Final, Literal

if TYPE_CHECKING:
    from sessiontui.core.model import Note, Session

MAX_SLUG_LENGTH: Final = 60
"""Longest slug of a title in a file name; long titles are cut at a word."""

SNIPPET_LENGTH: Final = 100
"""Most characters of a search hit's snippet: one line of a list at 120 columns."""

NEWLINE_MARK: Final = " ⏎ "
"""What a line break looks like inside a one-line snippet."""

_LINE_BREAK: Final = re.compile(r"\r\n|[\n\r\u2028\u2029]")

HitKind = Literal["title", "note", "commitment"]


# ---------------------------------------------------------------------------- summaries


@dataclass(frozen=True, slots=True)
class Summary:
    """One session file as the home screen lists it, exact or guessed from the file's header."""

    path: Path
    date: dt.date | None
    start: dt.time | None
    title: str
    series: str
    state: str
    """planned, running or finished; "" when not known yet."""
    notes: int
    """Notes holding any text."""
    actions: int
    """Commitments."""
    error: str | None
    """The first problem line when the file failed to load."""
    exact: bool
    """False while only the file's header was read; a full read follows."""


def summarise(path: Path, session: Session) -> Summary:
    """The exact summary of a loaded session, so every list counts notes and states alike."""
    from sessiontui.core import review

    return Summary(
        path=path,
        date=session.date,
        start=session.start,
        title=session.title,
        series=session.series or "",
        state=review.state_of(session),
        notes=sum(1 for note in session.notes if _note_has_text(note)),
        actions=len(session.actions),
        error=None,
        exact=True,
    )


def failed(path: Path, problem: str) -> Summary:
    """The summary of a file that failed to load: listed with its problem, never hidden."""
    return Summary(path, None, None, "", "", "", 0, 0, problem, exact=True)


def newest_first(summaries: Iterable[Summary]) -> list[Summary]:
    """Dated rows newest first (by date, then start), then undated and broken ones by name."""
    rows = list(summaries)
    dated = [row for row in rows if row.date is not None and row.error is None]
    rest = [row for row in rows if row.date is None or row.error is not None]
    # Sorted by name first so that equal dates keep a stable, predictable order.
    dated.sort(key=lambda row: row.path.name)
    dated.sort(key=lambda row: (row.date, row.start or dt.time.min), reverse=True)
    rest.sort(key=lambda row: row.path.name)
    return dated + rest


def _note_has_text(note: Note) -> bool:
    return any(text.strip() for text in note.answers.values())


# ---------------------------------------------------------------------------- search


@dataclass(frozen=True, slots=True)
class Hit:
    """One place in one session where a search matched, with a snippet to show around it."""

    path: Path
    session_title: str
    session_date: dt.date
    kind: HitKind
    item: str | None
    """The agenda item id of the note, commitment or item title; None for the session's title."""
    group: str | None
    """The note's group ("" for the whole room); None for titles and commitments."""
    where: str
    """Where it is, for people: "Empathy mapping · Group 1 · What do they think and feel?"."""
    snippet: str
    """One line around the match, at most SNIPPET_LENGTH characters."""
    span: tuple[int, int]
    """The match within `snippet`."""


def query_words(query: str) -> list[str]:
    """The casefolded words of a query; a text matches when it contains every one of them."""
    return list(dict.fromkeys(query.casefold().split()))


def search_session(path: Path, session: Session, query: str) -> list[Hit]:
    """Every place in the session matching the query, in agenda order (title first).

    Case-insensitive (casefold, so "STRASSE" finds "Straße"); several words match a text
    holding all of them, in any order. The session's title and series, agenda item titles,
    every note field and each commitment's who and what are searched.
    """
    from sessiontui.core.note_templates import label_of
    from sessiontui.core.notes import fields_of

    words = query_words(query)
    if not words:
        return []
    hits: list[Hit] = []

    def add(
        kind: HitKind, item: str | None, group: str | None, where: str, texts: Sequence[str]
    ) -> None:
        found = _match(texts, words)
        if found is None:
            return
        index, start, end = found
        snippet, span = _snippet(texts[index], start, end)
        hits.append(Hit(path, session.title, session.date, kind, item, group, where, snippet, span))

    add("title", None, None, "Session title", [session.title, session.series or ""])
    order = {item.id: index for index, item in enumerate(session.agenda)}
    for item in session.agenda:
        add("title", item.id, None, f"Agenda: {item.title}", [item.title])
        asked = [question.key for question in fields_of(item)]
        for note in sorted(
            (note for note in session.notes if note.item == item.id), key=_group_order
        ):
            group = note.group or "Whole room"
            # Text kept in a field the template no longer asks is searched too, after the rest.
            keys = asked + [key for key in note.answers if key not in asked]
            for key in keys:
                text = note.answer(key)
                if text:
                    where = f"{item.title} · {group} · {label_of(key)}"
                    add("note", item.id, note.group, where, [text])
        for action in session.actions:
            if action.item == item.id:
                add("commitment", item.id, None, f"{item.title} · {action.who}", _action(action))
    for action in session.actions:
        if action.item not in order:
            add("commitment", action.item, None, f"Commitment · {action.who}", _action(action))
    return hits


def _action(action: object) -> list[str]:
    return [str(getattr(action, "who", "")), str(getattr(action, "what", ""))]


def _group_order(note: object) -> tuple[int, str]:
    # "Group 2" before "Group 10", the way the notes screen lists groups.
    name = str(getattr(note, "group", ""))
    digits = "".join(ch for ch in name if ch.isdigit())
    return (int(digits) if digits else 0, name)


def _match(texts: Sequence[str], words: Sequence[str]) -> tuple[int, int, int] | None:
    """(text index, start, end) of the phrase, or else the first word found, if every word is found.

    Each word may be in any of the texts (a commitment's who or what), which keeps the raw
    file prefilter sound: every word of a match appears in some single string of the file.
    """
    folded = [_Folded(text) for text in texts]
    if not all(any(word in f.folded for f in folded) for word in words):
        return None
    if len(words) > 1:
        # Typed as a phrase and found as one: the whole phrase is what the snippet lights up.
        phrase = " ".join(words)
        for index, f in enumerate(folded):
            at = f.folded.find(phrase)
            if at >= 0:
                return index, f.original(at), f.original(at + len(phrase), end=True)
    best: tuple[int, int, int] | None = None
    for index, f in enumerate(folded):
        for word in words:
            at = f.folded.find(word)
            if at >= 0:
                start, end = f.original(at), f.original(at + len(word), end=True)
                if best is None or (index, start) < best[:2]:
                    best = (index, start, end)
        if best is not None:
            return best
    return best


class _Folded:
    """A casefolded text that maps positions back to the original (casefold may grow it)."""

    __slots__ = ("_starts", "folded")

    def __init__(self, text: str) -> None:
        self.folded = text.casefold()
        self._starts: list[int] | None = None
        if len(self.folded) != len(text):
            # "ß" folds to "ss": record where each original character's fold starts.
            starts = []
            position = 0
            for char in text:
                starts.append(position)
                position += len(char.casefold())
            starts.append(position)
            self._starts = starts

    def original(self, folded_at: int, *, end: bool = False) -> int:
        if self._starts is None:
            return folded_at
        # The last original character whose fold starts at or before the position.
        low, high = 0, len(self._starts) - 1
        while low < high:
            middle = (low + high + 1) // 2
            if self._starts[middle] <= folded_at:
                low = middle
            else:
                high = middle - 1
        # Inside one character's fold (the second "s" of "ß"): a match takes the whole character.
        return low + 1 if end and self._starts[low] != folded_at else low


def _snippet(text: str, start: int, end: int) -> tuple[str, tuple[int, int]]:
    """One line of about SNIPPET_LENGTH characters around text[start:end], and the match in it."""
    match = _one_line(text[start:end])
    if len(match) > SNIPPET_LENGTH:
        return match[: SNIPPET_LENGTH - 1] + "…", (0, SNIPPET_LENGTH - 1)
    room = SNIPPET_LENGTH - len(match)
    # Read a little more than fits: a line break grows into NEWLINE_MARK.
    before = _one_line(text[max(0, start - 2 * room) : start])
    after = _one_line(text[end : end + 2 * room])
    # A third of the room before the match, more when the text ends soon after it.
    before_room = max(room // 3, room - len(after))
    if len(before) > before_room or start > 2 * room:
        before = ("…" + before[len(before) - before_room + 1 :]) if before_room > 1 else ""
    after_room = room - len(before)
    if len(after) > after_room or end + 2 * room < len(text):
        after = (after[: after_room - 1] + "…") if after_room > 1 else ""
    return before + match + after, (len(before), len(before) + len(match))


def _one_line(text: str) -> str:
    return _LINE_BREAK.sub(NEWLINE_MARK, text).replace("\t", " ")


# ---------------------------------------------------------------------------- the next session


def slugify(title: str) -> str:
    """A file-name-safe slug of a title, so that any title (`../../x`, emoji) makes a safe name."""
    ascii_text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(slug) > MAX_SLUG_LENGTH:
        slug = slug[:MAX_SLUG_LENGTH].rsplit("-", 1)[0] or slug[:MAX_SLUG_LENGTH]
    return slug or "session"


def file_name(date: dt.date, title: str) -> str:
    """The usual name of a session file, `<date>-<slug>.toml`, so a folder lists in date order."""
    return f"{date.isoformat()}-{slugify(title)}.toml"


def next_session(
    source: Session, date: dt.date | None, title: str | None, *, today: dt.date
) -> Session:
    """The next session of a series: the plan of `source`, without anything its run recorded.

    Without `date`, the first of its `[[upcoming]]` entries dated after it gives the date and
    title (and the rest stay upcoming), else `today`; without `title`, the source's. A date
    and title naming one of its upcoming entries drop that entry and the ones before it.
    Raises ValueError("field: problem") when the result would not be a valid session.
    """
    from pydantic import ValidationError

    upcoming = list(source.upcoming)
    if date is None:
        following = [entry for entry in upcoming if entry.date > source.date]
        if following:
            date, title = following[0].date, title or following[0].title
            upcoming = following[1:]
        else:
            date = today
    elif any((entry.date, entry.title) == (date, title) for entry in upcoming):
        upcoming = [entry for entry in upcoming if entry.date > date]
    if title is None:
        title = retitle(source.title, source.date, date)
    try:
        session = source.model_copy(deep=True)
        session.date, session.title, session.upcoming = date, title, upcoming
        session.groups, session.notes, session.actions, session.log = [], [], [], []
        for participant in session.participants:
            participant.absent = False
    except ValidationError as error:
        first = error.errors()[0]
        field = ".".join(str(part) for part in first["loc"]) or "session"
        raise ValueError(f"{field}: {first['msg']}") from None
    return session


def from_template(
    template: Session, date: dt.date | None, title: str | None, *, today: dt.date
) -> Session:
    """A new session from a template's plan: on `date` (default `today`), titled `title`.

    Without a title, the template's own; upcoming entries before the date are dropped, as
    for the next session of a series. Raises ValueError("field: problem") like `next_session`.
    """
    return next_session(template, date or today, title, today=today)


def plan_only(session: Session, *, keep_participants: bool = False) -> Session:
    """The plan of a session, to save as a template: nothing its run recorded, nobody's name.

    Groups, notes, commitments, the log and the coming-up list belong to the one session;
    the participants too, unless asked: a template is shared and reused, people are not.
    """
    plan = session.model_copy(deep=True)
    plan.groups, plan.notes, plan.actions, plan.log, plan.upcoming = [], [], [], [], []
    if keep_participants:
        for participant in plan.participants:
            participant.absent = False
    else:
        plan.participants = []
    return plan


_MONTHS: Final = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
"""English month names, spelled out rather than from strftime, which follows the locale."""


def _date_spellings(date: dt.date) -> list[str]:
    """The ways people write a date into a title, longest first so a longer one wins."""
    month, short = _MONTHS[date.month - 1], _MONTHS[date.month - 1][:3]
    day, year = date.day, date.year
    return [
        f"{month} {day}, {year}",
        f"{day} {month} {year}",
        f"{short} {day}, {year}",
        f"{day} {short} {year}",
        date.isoformat(),
        f"{day:02d}/{date.month:02d}/{year}",
        f"{day:02d}.{date.month:02d}.{year}",
        f"{day} {month}",
        f"{month} {day}",
    ]


def retitle(title: str, old: dt.date, new: dt.date) -> str:
    """The title with its mention of the old date, if any, written as the new date.

    "Retro 2024-03-01" moved to 5 April becomes "Retro 2024-04-05", and "Standup, 1 March
    2024" becomes "Standup, 5 April 2024": a copy never carries the date it was copied from.
    A title without the old date is kept as it is.
    """
    for old_text, new_text in zip(_date_spellings(old), _date_spellings(new), strict=True):
        pattern = rf"(?<![0-9A-Za-z]){re.escape(old_text)}(?![0-9A-Za-z])"
        if re.search(pattern, title, flags=re.IGNORECASE):
            return re.sub(pattern, new_text, title, flags=re.IGNORECASE)
    return title
