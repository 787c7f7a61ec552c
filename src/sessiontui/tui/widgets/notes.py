"""The note-taker's widgets: one group's notes shaped by the item's template, and its word count.

`NotesPane` shows one text area per question of the item's template (as `core.note_templates`
declares it: free notes, the four quadrants of an empathy map, ...) and says each change as a
`NotesPane.Edited` message; it never touches the session itself, so a keystroke costs no more
than the text area's own work. Texts set from outside (another screen's save merged in) are
not echoed back as edits.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from rich.segment import Segment
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.strip import Strip
from textual.widgets import Static, TextArea

from sessiontui.display import safe_cells, user_line
from sessiontui.tui.terminal_input import clean_pasted_text

if TYPE_CHECKING:
    from textual.widgets.text_area import EditResult, Location

    from sessiontui.core.note_templates import Question


def word_count_line(counts: Sequence[int], limit: int | None) -> tuple[Text, bool]:
    """The statement's word count against its limit, and whether it is over.

    Over the limit is said in words ("4 over the 40-word limit"), not only shown in colour,
    and typing is never blocked: the group decides what to cut.
    """
    total = sum(counts)
    if limit is None:
        return Text(f"{total} words", end=""), False
    if total <= limit:
        left = limit - total
        return Text(f"{total} / {limit} words · {left} to spare", end=""), False
    text = Text(f"{total} / {limit} words · ", end="")
    text.append(f"{total - limit} over the {limit}-word limit", style="bold")
    return text, True


class NotesArea(TextArea):
    """A text area that takes no control characters in and never sends any to the terminal raw.

    What is typed or pasted loses its escape sequences and control characters (but newline and
    tab) on the way in. Text loaded from a file is kept as it is, and TextArea draws its
    document as it is, so each line is drawn through `display.safe_cells`, one cell for one
    character.
    """

    def _replace_via_keyboard(
        self, insert: str, start: Location, end: Location
    ) -> EditResult | None:
        # Textual 8.2.8's one path for typed keys, pastes and the app's clipboard: cleaned
        # here once, no control character or escape sequence is ever typed into the notes.
        return super()._replace_via_keyboard(clean_pasted_text(insert), start, end)

    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        segments = list(strip)
        if all(safe_cells(segment.text) is segment.text for segment in segments):
            return strip
        return Strip(
            [Segment(safe_cells(s.text), s.style, s.control) for s in segments],
            strip.cell_length,
        )


class WordCount(Static):
    """A statement's word count (a common purpose, say), flagged when over the limit."""

    DEFAULT_CSS = """
    WordCount { height: 1; padding: 0 1; }
    WordCount.-over { color: $text-error; background: $error-muted; }
    """

    def __init__(self, limit: int | None, *, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)
        self.limit = limit

    def show(self, counts: Sequence[int]) -> None:
        """Show the count for these per-question word counts."""
        line, over = word_count_line(counts, self.limit)
        self.set_class(over, "-over")
        self.update(line)


class NotesPane(Vertical):
    """One group's notes for one item: a labelled text area per question of the template."""

    DEFAULT_CSS = """
    NotesPane { height: 1fr; }
    NotesPane TextArea { height: 1fr; min-height: 3; border: round $panel; }
    NotesPane TextArea:focus { border: round $primary; }
    """

    class Edited(Message):
        """The note-taker changed one question's text."""

        def __init__(self, pane: NotesPane, field: str, text: str) -> None:
            super().__init__()
            self.pane = pane
            self.field = field
            self.text = text

        @property
        def control(self) -> NotesPane:
            """The pane the text was typed into."""
            return self.pane

    def __init__(
        self,
        fields: Sequence[Question],
        texts: Mapping[str, str],
        *,
        word_limit: int | None = None,
        count_words: bool = False,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.fields = tuple(fields)
        self._known = {field.key: texts.get(field.key, "") for field in self.fields}
        self._counts: dict[str, int] = {}
        self.word_count = WordCount(word_limit, id="word-count") if count_words else None

    def compose(self) -> ComposeResult:
        for field in self.fields:
            area = NotesArea(
                self._known[field.key],
                id=f"field-{field.key}",
                soft_wrap=True,
                tab_behavior="focus",
                highlight_cursor_line=False,
            )
            area.border_title = user_line(field.label)
            yield area
        if self.word_count is not None:
            yield self.word_count

    def on_mount(self) -> None:
        if self.word_count is not None:
            from sessiontui.core.notes import word_count

            self._counts = {name: word_count(text) for name, text in self._known.items()}
            self.word_count.show(list(self._counts.values()))

    def area(self, field: str) -> TextArea:
        """The text area of one question."""
        return self.query_one(f"#field-{field}", TextArea)

    @property
    def texts(self) -> dict[str, str]:
        """Every question's text as it is on screen."""
        return dict(self._known)

    def set_texts(self, texts: Mapping[str, str]) -> None:
        """Show texts that changed elsewhere, keeping each cursor where it was as far as it can."""
        for name, text in texts.items():
            if name not in self._known or self._known[name] == text:
                continue
            self._known[name] = text
            area = self.area(name)
            old = area.text
            offset = _offset_of(old, area.cursor_location)
            area.load_text(text)
            area.move_cursor(_location_of(text, _moved_offset(old, text, offset)))
            self._count(name, text)

    @on(TextArea.Changed)
    def _changed(self, event: TextArea.Changed) -> None:
        event.stop()
        name = (event.text_area.id or "").removeprefix("field-")
        text = event.text_area.text
        if name not in self._known or self._known[name] == text:
            return  # set from outside, not typed
        self._known[name] = text
        self._count(name, text)
        self.post_message(self.Edited(self, name, text))

    def _count(self, name: str, text: str) -> None:
        if self.word_count is None:
            return
        from sessiontui.core.notes import word_count

        self._counts[name] = word_count(text)
        self.word_count.show(list(self._counts.values()))


_TRACED_LIMIT = 4_000
"""Characters compared one by one at most to trace the cursor: notes far longer than typed."""


def _offset_of(text: str, location: tuple[int, int]) -> int:
    """The character offset of a (row, column) location in `text`."""
    lines = text.split("\n")
    row = min(location[0], len(lines) - 1)
    return sum(len(line) + 1 for line in lines[:row]) + min(location[1], len(lines[row]))


def _location_of(text: str, offset: int) -> tuple[int, int]:
    """The (row, column) location of a character offset in `text`."""
    before = text[:offset]
    return before.count("\n"), len(before) - (before.rfind("\n") + 1)


def _moved_offset(old: str, new: str, offset: int) -> int:
    """Where the cursor at `offset` in `old` belongs in `new`, which grew from it elsewhere.

    Keys typed while another screen's save is merged in must land where the person was
    typing: right after their own last letter, before any text the merge put at the cursor
    (else their next keys land after the other's half-typed word, splitting both words).
    `old` found whole in `new` (the last copy: in a kept clash this screen's version comes
    second) gives it directly; otherwise the letters of `old` are traced into `new`.
    """
    found = new.rfind(old) if old else -1
    if found >= 0:
        return found + offset
    same_start = 0
    for before, after in zip(old, new, strict=False):
        if before != after:
            break
        same_start += 1
    if offset <= same_start:
        return offset
    # The same ending, up to the cursor only: the letter before the cursor may be followed
    # by the other's letters in `new`, making a longer ending the same by chance.
    same_end = 0
    limit = min(len(old) - offset, len(new) - same_start)
    while same_end < limit and old[-1 - same_end] == new[-1 - same_end]:
        same_end += 1
    # Follow the letter before the cursor through the stretch that differs.
    old_middle = old[same_start : len(old) - same_end]
    new_middle = new[same_start : len(new) - same_end]
    letter = offset - same_start - 1
    if len(old_middle) + len(new_middle) <= _TRACED_LIMIT and letter >= 0:
        matcher = difflib.SequenceMatcher(None, old_middle, new_middle, autojunk=False)
        for block in matcher.get_matching_blocks():
            if block.a <= letter < block.a + block.size:
                return same_start + block.b + letter - block.a + 1
    tail = old[offset:]
    if new.endswith(tail):
        return len(new) - len(tail)
    return min(offset, len(new))
