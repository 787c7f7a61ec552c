"""Three-way merge of session versions, so several instances can share one file and lose nothing.

The facilitator's screen and each note-taker's screen save the same file from their own
processes. Every save re-reads the file and merges: `merge(base, mine, theirs)` takes the
version both sides started from (`base`), this screen's version (`mine`) and the one on disk
(`theirs`), and keeps every change from both. The rules follow what each table means:

- `log` is append-only: every event from either side is kept, none twice, sorted by `at`.
- `actions`: rows added on either side are kept; a row one side deleted goes unless the
  other side has just added it again. Rows are compared whole, so the same row reaching
  both sides by different routes is kept once.
- `notes`: per group and item, each text (every question of every template declared in
  `note_templates`, and any other text either side holds) is merged by lines. Edits to
  different lines merge silently; edits to the same lines keep both texts between marker
  lines, and the result lists a sentence saying so, for the screen to show.
- `groups` per item, `participants` per name and every other field: the side that changed
  it wins; if both changed one item's groups, this screen's draw wins and a sentence says so.

Pure: no Textual, no disk, so it is tested with generated sessions.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import merge3
from pydantic import BaseModel

from sessiontui.core import note_templates
from sessiontui.core.model import AgendaItem, Group, Note, Session

__all__ = [
    "END_MARKER",
    "MID_MARKER",
    "START_MARKER",
    "MergeResult",
    "merge",
    "merge_text",
]

START_MARKER = "<<<<<<< changed on two screens at once; saved first:"
MID_MARKER = "======= saved second:"
END_MARKER = ">>>>>>> end of the two versions"
"""Lines around two versions of the same lines, in plain words for people reading the notes."""

_WORDS = re.compile(r"\S+\s*|\s+")
"""A word with the spaces after it (or spaces starting the text): what `_finer` merges first."""
_CHARACTERS = 2
"""The level at which `_finer` merges character by character, after lines (0) and words (1)."""
_FINEST_LIMIT = 200
"""Characters of one changed stretch compared one by one at most: a word or two being typed."""

_Row = TypeVar("_Row", bound=BaseModel)
_Key = TypeVar("_Key", bound=Hashable)

# The fields handled table by table below; every other field of Session is taken whole.
_TABLES = frozenset({"log", "actions", "notes", "groups", "participants", "agenda"})
# start and end are checked together (end after start), so they move together.
_TOGETHER = (("start", "end"),)


@dataclass(frozen=True)
class MergeResult:
    """A merged session and one sentence per place where both sides changed the same thing."""

    session: Session
    conflicts: tuple[str, ...]


def merge(base: Session, mine: Session, theirs: Session) -> MergeResult:
    """Merge this screen's changes (`mine`) and the file's (`theirs`) since `base`.

    Returns `mine` or `theirs` itself when only one side changed, so callers can tell a
    no-op by identity.
    """
    if mine is base or mine is theirs or mine == base:
        return MergeResult(theirs, ())
    if theirs is base or theirs in (base, mine):
        return MergeResult(mine, ())
    conflicts: list[str] = []
    values: dict[str, Any] = {}
    handled: set[str] = set()
    for names in _TOGETHER:
        pick = _three_way(
            tuple(getattr(base, name) for name in names),
            tuple(getattr(mine, name) for name in names),
            tuple(getattr(theirs, name) for name in names),
        )
        values.update(zip(names, pick, strict=True))
        handled.update(names)
    for name in Session.model_fields:
        if name in _TABLES or name in handled:
            continue
        values[name] = _three_way(getattr(base, name), getattr(mine, name), getattr(theirs, name))
    agenda: list[AgendaItem] = _three_way(base.agenda, mine.agenda, theirs.agenda)
    titles = {item.id: item.title for item in [*base.agenda, *theirs.agenda, *mine.agenda]}

    notes, clashes = _merge_notes(base.notes, mine.notes, theirs.notes)
    for note, field in clashes:
        conflicts.append(
            f"{_whose(note.group)} notes for {titles.get(note.item, note.item)} ({field})"
            " were edited on two screens at once; both texts are kept, marked"
        )
    groups, clashed_items = _merge_groups(base.groups, mine.groups, theirs.groups)
    for item_id in clashed_items:
        conflicts.append(
            f"The groups for {titles.get(item_id, item_id)} were drawn again on two screens"
            " at once; this screen's groups are kept"
        )
    kept = {item.id for item in agenda}
    agenda = _restore_referenced(
        agenda,
        [*(note.item for note in notes), *(group.item for group in groups)],
        [mine.agenda, theirs.agenda, base.agenda],
    )
    for item in agenda:
        if item.id not in kept:
            conflicts.append(
                f"{item.title} was taken off the agenda on one screen while another had notes"
                " or groups for it; it is kept"
            )
    values.update(
        agenda=agenda,
        notes=notes,
        groups=groups,
        participants=_merge_keyed(
            base.participants,
            mine.participants,
            theirs.participants,
            key=lambda row: row.name,
            merge_row=_whole_row,
        ),
        actions=_merge_counted(base.actions, mine.actions, theirs.actions, append_only=False),
        log=sorted(
            _merge_counted(base.log, mine.log, theirs.log, append_only=True),
            key=lambda event: event.at,
        ),
    )
    session = Session.model_validate(values)
    if session == mine:
        session = mine
    return MergeResult(session, tuple(dict.fromkeys(conflicts)))


def merge_text(base: str, mine: str, theirs: str) -> tuple[str, bool]:
    """Merge two edits of one text by lines; returns the text and whether markers were needed.

    Where both sides changed the same lines and one side's new lines contain the other's
    (one screen kept typing where the other stopped), the longer text is kept unmarked:
    nothing is lost and no one has to tidy up. Otherwise both versions are kept between
    START_MARKER, MID_MARKER and END_MARKER lines, the file's version first.
    """
    if theirs in (mine, base):
        return mine, False
    if mine == base:
        return theirs, False
    # Every line ends in a newline while merging, so a last line without one cannot run
    # into a marker line; the newline is taken off again at the end.
    ends_open = not mine.endswith("\n") and not theirs.endswith("\n")
    merger = merge3.Merge3(_lines(base), _lines(theirs), _lines(mine))
    out: list[str] = []
    marked = False
    for region in merger.merge_regions():
        if len(region) == 7:
            _, base_start, base_end, other_start, other_end, ours_start, ours_end = region
            old = merger.base[base_start:base_end]
            other = merger.a[other_start:other_end]
            ours = merger.b[ours_start:ours_end]
            ours_text, other_text = "".join(ours).rstrip("\n"), "".join(other).rstrip("\n")
            if _holds(ours_text, other_text):
                out += ours
            elif _holds(other_text, ours_text):
                out += other
            elif not old:
                out += [*other, *ours]  # lines added at one place on both sides: both kept
            elif (kept := _finer("".join(old), "".join(other), "".join(ours), 1)) is not None:
                out.append(kept)
            else:
                marked = True
                out += [f"{START_MARKER}\n", *other, f"{MID_MARKER}\n", *ours, f"{END_MARKER}\n"]
        else:
            what, start, end = region
            source = {"unchanged": merger.base, "same": merger.a, "a": merger.a, "b": merger.b}
            out += source[what][start:end]
    text = "".join(out)
    if ends_open and text.endswith("\n"):
        text = text[:-1]
    return text, marked


def _holds(longer: str, shorter: str) -> bool:
    """Whether `longer` holds all of `shorter`, whole words only.

    "we" is not kept in "were": one person typing "we" while another typed "were" made two
    words, and taking the longer text alone would lose the first.
    """
    if not shorter:
        return True
    before = "" if shorter[0].isspace() else r"(?<!\S)"
    after = "" if shorter[-1].isspace() else r"(?!\S)"
    return re.search(before + re.escape(shorter) + after, longer) is not None


def _finer(old: str, other: str, ours: str, level: int) -> str | None:
    """Two changes to the same lines merged word by word, then character by character.

    Two people typing into one line at once change it on both sides, but rarely the same
    words: merged finer, each keeps their words where they typed them, with no markers.
    Where both added text at one place, both are kept in one order (see `_both_added`).
    None when both changed the same words other than by adding letters (or the stretch is
    too long to compare so).
    """
    if level > _CHARACTERS:
        return None
    if level == _CHARACTERS and not (_only_added(old, other) and _only_added(old, ours)):
        # Letters matched across two rewrites of a word make words no one typed; letters
        # added on both sides (two people typing) cannot.
        return None
    merger = merge3.Merge3(_tokens(old, level), _tokens(other, level), _tokens(ours, level))
    out: list[str] = []
    for region in merger.merge_regions():
        if len(region) == 7:
            _, base_start, base_end, other_start, other_end, ours_start, ours_end = region
            was = "".join(merger.base[base_start:base_end])
            theirs = "".join(merger.a[other_start:other_end])
            mine = "".join(merger.b[ours_start:ours_end])
            if not was:
                part: str | None = _both_added(theirs, mine)
            else:
                part = _finer(was, theirs, mine, level + 1)
                if part is None:
                    part = _beside(was, theirs, mine)
            if part is None:
                return None
            out.append(part)
        else:
            what, start, end = region
            source = {"unchanged": merger.base, "same": merger.a, "a": merger.a, "b": merger.b}
            out += source[what][start:end]
    return "".join(out)


def _only_added(old: str, new: str) -> bool:
    """Whether `new` is `old` with text added (a short stretch: the comparison is quadratic)."""
    if len(new) > _FINEST_LIMIT:
        return False
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    return all(tag in ("equal", "insert") for tag, *_ in matcher.get_opcodes())


def _both_added(theirs: str, mine: str) -> str:
    """Text both sides added at one place: both, in their text's order, unless one holds the other.

    One holding the other at its start, up to a word's end, is one person's typing that
    reached both sides (a save merged in), so it is kept once. Otherwise the two go in an
    order both screens agree on, whichever of them saves: ordered by whose text or whose
    save, one screen's merge would put B's word after A's half-typed word and the other's
    put A's next letters after B's, splitting both words ("a00b001").
    """
    for longer, shorter in ((mine, theirs), (theirs, mine)):
        if longer.startswith(shorter) and (
            shorter[-1:].isspace() or longer[len(shorter) : len(shorter) + 1].isspace()
        ):
            return longer
    return "".join(sorted((theirs, mine)))


def _beside(was: str, theirs: str, mine: str) -> str | None:
    """Both changes in order, when one side only added text just before or after `was`.

    One note-taker adding a line while another changes the line next to it touch
    neighbouring text, not the same: both are kept, each in its place.
    """
    for added, changed in ((theirs, mine), (mine, theirs)):
        if len(added) > len(was) and added.startswith(was):
            return changed + added[len(was) :]
        if len(added) > len(was) and added.endswith(was):
            return added[: -len(was)] + changed
    return None


def _tokens(text: str, level: int) -> list[str]:
    return _WORDS.findall(text) if level < _CHARACTERS else list(text)


def _lines(text: str) -> list[str]:
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith(("\n", "\r")):
        lines[-1] += "\n"
    return lines


def _three_way(base: Any, mine: Any, theirs: Any) -> Any:
    """This screen's value if it changed it, else the file's: the newest deliberate change wins."""
    return theirs if mine == base else mine


def _whose(group: str) -> str:
    return f"{group}'s" if group else "The whole room's"


# ---------------------------------------------------------------------------- notes


def _merge_notes(
    base: Sequence[Note], mine: Sequence[Note], theirs: Sequence[Note]
) -> tuple[list[Note], list[tuple[Note, str]]]:
    clashes: list[tuple[Note, str]] = []

    def merge_note(old: Note | None, ours: Note, other: Note) -> Note:
        start = old if old is not None else Note(item=ours.item, group=ours.group)
        changes: dict[str, Any] = {}
        # Every text either side holds, not a list kept here: a template declared later
        # (or one this build does not know) is merged like the rest instead of dropped.
        keys = dict.fromkeys([*note_templates.field_keys(), *ours.answers, *other.answers])
        for key in keys:
            text, marked = merge_text(start.answer(key), ours.answer(key), other.answer(key))
            changes[key] = text
            if marked:
                clashes.append((ours, key))
        stamps = [stamp for stamp in (ours.edited, other.edited) if stamp is not None]
        changes["edited"] = max(stamps, default=None)
        return ours.model_copy(update=changes)

    notes = _merge_keyed(
        base, mine, theirs, key=lambda note: (note.item, note.group), merge_row=merge_note
    )
    return notes, clashes


# ---------------------------------------------------------------------------- groups


def _merge_groups(
    base: Sequence[Group], mine: Sequence[Group], theirs: Sequence[Group]
) -> tuple[list[Group], list[str]]:
    """Each item's groups are one draw: taken whole from the side that changed them."""

    def by_item(groups: Iterable[Group]) -> dict[str, list[Group]]:
        found: dict[str, list[Group]] = {}
        for group in groups:
            found.setdefault(group.item, []).append(group)
        return found

    old, ours, other = by_item(base), by_item(mine), by_item(theirs)
    clashed: list[str] = []
    chosen: dict[str, list[Group]] = {}
    for item_id in dict.fromkeys([*other, *ours, *old]):
        b, m, t = old.get(item_id, []), ours.get(item_id, []), other.get(item_id, [])
        if b not in (m, t) and m != t:
            clashed.append(item_id)
        chosen[item_id] = _three_way(b, m, t)
    result: list[Group] = []
    # The file's order first, then items only this screen has groups for.
    for item_id in dict.fromkeys([*other, *ours]):
        result += chosen[item_id]
    return result, clashed


def _restore_referenced(
    agenda: list[AgendaItem], referenced: Iterable[str], sources: Sequence[Sequence[AgendaItem]]
) -> list[AgendaItem]:
    """Put back agenda items that kept notes or groups refer to, so no notes are dropped."""
    present = {item.id for item in agenda}
    restored = list(agenda)
    for item_id in dict.fromkeys(referenced):
        if item_id in present:
            continue
        for source in sources:
            index = next((i for i, item in enumerate(source) if item.id == item_id), None)
            if index is not None:
                restored.insert(min(index, len(restored)), source[index])
                present.add(item_id)
                break
    return restored


# ---------------------------------------------------------------------------- rows


def _whole_row(base: _Row | None, mine: _Row, theirs: _Row) -> _Row:
    return mine if base is None else _three_way(base, mine, theirs)


def _merge_keyed(
    base: Sequence[_Row],
    mine: Sequence[_Row],
    theirs: Sequence[_Row],
    *,
    key: Callable[[_Row], Hashable],
    merge_row: Callable[[_Row | None, _Row, _Row], _Row],
) -> list[_Row]:
    """Merge rows by key: the file's order, then rows only this screen has.

    A row changed on one side and deleted on the other is kept: a deletion is easy to
    repeat, lost text is not.
    """
    old, ours, other = _keyed(base, key), _keyed(mine, key), _keyed(theirs, key)
    result: list[_Row] = []
    for k, row in other.items():
        if k in ours:
            mine_row, base_row = ours[k], old.get(k)
            if mine_row == row:
                result.append(mine_row)
            elif base_row is not None and mine_row == base_row:
                result.append(row)
            elif base_row is not None and row == base_row:
                result.append(mine_row)
            else:
                result.append(merge_row(base_row, mine_row, row))
        elif k not in old or row != old[k]:
            result.append(row)
    for k, row in ours.items():
        if k not in other and (k not in old or row != old[k]):
            result.append(row)
    return result


def _keyed(rows: Sequence[_Row], key: Callable[[_Row], Hashable]) -> dict[Hashable, _Row]:
    # Numbering repeats keeps a file with two rows under one key whole instead of merging them.
    seen: Counter[Hashable] = Counter()
    keyed: dict[Hashable, _Row] = {}
    for row in rows:
        k = key(row)
        keyed[(k, seen[k])] = row
        seen[k] += 1
    return keyed


def _merge_counted(
    base: Sequence[_Row], mine: Sequence[_Row], theirs: Sequence[_Row], *, append_only: bool
) -> list[_Row]:
    """Merge rows compared whole: each row as many times as the side that changed its count has it.

    A row added on both sides is the same row arriving by two routes (a save merged into
    both), so it is kept once, not twice. An append-only table never loses a row.
    """
    counts_base = Counter(_value(row) for row in base)
    counts_mine = Counter(_value(row) for row in mine)
    counts_theirs = Counter(_value(row) for row in theirs)
    wanted: dict[Hashable, int] = {}
    for k in counts_mine.keys() | counts_theirs.keys():
        m, t, b = counts_mine[k], counts_theirs[k], counts_base[k]
        if append_only or (b not in (m, t)):
            wanted[k] = max(m, t)
        else:
            wanted[k] = t if m == b else m
    result: list[_Row] = []
    for row in [*theirs, *mine]:
        k = _value(row)
        if wanted.get(k, 0) > 0:
            wanted[k] -= 1
            result.append(row)
    return result


def _value(row: BaseModel) -> Hashable:
    # A tuple of the field values, hashable: much cheaper than dumping every row to JSON.
    return tuple(_hashable(getattr(row, name)) for name in type(row).model_fields)


def _hashable(value: Any) -> Hashable:
    if isinstance(value, dict):
        return tuple(sorted((key, _hashable(item)) for key, item in value.items()))
    if isinstance(value, list | tuple):
        return tuple(_hashable(item) for item in value)
    if isinstance(value, BaseModel):
        return _value(value)
    if isinstance(value, dt.datetime):
        # Equal instants in different zones are the same event.
        return value if value.tzinfo is None else value.astimezone(dt.UTC)
    return value  # type: ignore[no-any-return]
