"""The review's record of what was said and agreed: notes by template, commitments, coming up.

`NoteView` shows one group's notes for one item as its template lays them out: free notes as
text, an empathy map as its four labelled quadrants (two by two; one column on a narrow
screen, by the screen's `-narrow` class in app.tcss), a common purpose as its three answers
and the statement's word count against the limit, said in words when it is over. Which
layout a template gets, and what an empty list says, are the exported minutes' (`minutes.view`).
The text helpers are pure, so the tests read them without a screen.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Final

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.reactive import reactive
from textual.widgets import Static

from sessiontui.core import note_templates
from sessiontui.core import notes as notes_rules
from sessiontui.display import user_line, user_text
from sessiontui.minutes import view
from sessiontui.tui.widgets.overview import long_date

if TYPE_CHECKING:
    from sessiontui.core.model import Action, Upcoming
    from sessiontui.core.review import NoteSection

STATUS_MARKS: Final[dict[str, str]] = {"done": "✓", "open": "○", "dropped": "✗"}
"""Each commitment's status as a symbol beside its word, so it never rests on colour."""

NOTHING: Final = "(nothing noted)"


def members_line(section: NoteSection) -> Text:
    """Who was in the group, or that the notes are on the whole room."""
    if not section.group:
        return Text("Notes on the whole room", style="dim", end="")
    if not section.members:
        return Text("Members not recorded", style="dim", end="")
    return user_line(", ".join(section.members), "dim")


def words_line(section: NoteSection) -> tuple[Text, bool]:
    """ "23 / 40 words · 17 to spare" or "45 / 40 words · 5 over the limit", and whether over."""
    if section.limit is None:
        return Text(f"{section.words} words", end=""), False
    if section.over_limit:
        text = Text(f"{section.words} / {section.limit} words · ", end="")
        text.append(f"{section.over_limit} over the limit", style="bold")
        return text, True
    spare = section.limit - section.words
    return Text(f"{section.words} / {section.limit} words · {spare} to spare", end=""), False


PREVIEW_CHARS: Final = 600
"""Longer answers show their start and how much more there is, until clicked: a day of
breakouts (a megabyte of notes) then lays out in a blink, and the page stays skimmable."""


def answer_body(answer: str, *, full: bool) -> tuple[Text, bool]:
    """An answer as shown, and whether it was cut short (at a word, with what is left said)."""
    if not answer.strip():
        return Text(NOTHING, style="dim", end=""), False
    if full or len(answer) <= PREVIEW_CHARS:
        return user_text(answer), False
    cut = answer.rfind(" ", 0, PREVIEW_CHARS)
    shown = answer[: cut if cut > PREVIEW_CHARS // 2 else PREVIEW_CHARS].rstrip()
    text = user_text(shown)
    left = notes_rules.word_count(answer[len(shown) :])
    text.append(f" … {left:,} more words (click, or a for all)", style="dim italic")
    return text, True


def answer_text(question: str, answer: str, *, full: bool = True) -> Text:
    """A question in bold, and what the group said under it."""
    text = Text(end="")
    text.append_text(user_line(question, "bold"))
    text.append("\n")
    text.append_text(answer_body(answer, full=full)[0])
    return text


class NoteView(Vertical):
    """One group's notes for one item, laid out by the item's template."""

    full: reactive[bool] = reactive(False, recompose=True)
    """Whether long answers are shown whole (else their first `PREVIEW_CHARS`)."""

    def __init__(self, section: NoteSection, *, full: bool = False) -> None:
        super().__init__(classes=f"-{section.template}")
        self.section = section
        self.set_reactive(NoteView.full, full)
        self.border_title = user_line(section.group or view.WHOLE_ROOM)

    @property
    def cut(self) -> bool:
        """Whether some answer is shown cut short."""
        return not self.full and any(
            len(answer) > PREVIEW_CHARS for _, answer in self.section.fields
        )

    def on_click(self) -> None:
        self.full = True

    def compose(self) -> ComposeResult:
        section, full = self.section, self.full
        layout = view.layout_of(section.template)
        yield Static(members_line(section), classes="note-members")
        fields = section.fields
        if layout == "quadrants":
            quadrants, fields = fields[:4], fields[4:]
            for pair in (quadrants[:2], quadrants[2:]):
                with Horizontal(classes="quadrants"):
                    for question, answer in pair:
                        quadrant = Static(answer_body(answer, full=full)[0], classes="quadrant")
                        quadrant.border_title = user_line(question)
                        yield quadrant
        for question, answer in fields:
            if layout == "text" and question == "Notes":
                yield Static(answer_body(answer, full=full)[0], classes="note-text")
            else:
                yield Static(answer_text(question, answer, full=full), classes="note-answer")
        if layout == "statement" or section.limit is not None:
            line, over = words_line(section)
            words = Static(line, classes="note-words")
            words.set_class(over, "-over")
            yield words


def item_heading(section: NoteSection) -> Text:
    """The heading over an item's notes: its title and the shape of its notes."""
    text = user_line(section.item.title, "bold")
    # The template's own title, from the registry; free notes are simply "notes".
    template = note_templates.template(section.template)
    shape = "notes" if template.name == note_templates.DEFAULT else template.title.lower()
    text.append(f" · {shape}", style="dim")
    return text


def commitments_text(actions: Sequence[Action]) -> Text:
    """Who committed to what, by when, and where it stands."""
    if not actions:
        return Text(view.NO_COMMITMENTS, style="dim", end="")
    text = Text(end="")
    for index, action in enumerate(actions):
        if index:
            text.append("\n")
        mark = STATUS_MARKS.get(action.status, "·")
        text.append(f"{mark} {action.status:<8}", style="bold" if action.status == "open" else "")
        text.append_text(user_line(action.who, "bold"))
        text.append(" — ")
        text.append_text(user_line(action.what))
        if action.due is not None:
            text.append(f" · due {long_date(action.due)}", style="dim")
    return text


def commitments_heading(actions: Sequence[Action]) -> str:
    """ "Commitments (3: 1 done, 1 open, 1 dropped)"."""
    if not actions:
        return "Commitments"
    counts = [
        f"{count} {status}"
        for status in STATUS_MARKS
        if (count := sum(1 for action in actions if action.status == status))
    ]
    return f"Commitments ({len(actions)}: {', '.join(counts)})"


def coming_up_text(upcoming: Sequence[Upcoming]) -> Text:
    """The next sessions of the series, date then title."""
    if not upcoming:
        return Text(view.NOTHING_PLANNED, style="dim", end="")
    text = Text(end="")
    for index, entry in enumerate(sorted(upcoming, key=lambda entry: entry.date)):
        if index:
            text.append("\n")
        text.append(f"{long_date(entry.date):<16} ", style="bold")
        text.append_text(user_line(entry.title))
    return text
