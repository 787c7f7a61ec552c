"""The review's record of what was said and agreed: notes by template, commitments, coming up.

`NoteView` shows one group's notes for one item as its template lays them out: free notes as
text, an empathy map as its four labelled quadrants (two by two; one column on a narrow
screen, by the screen's `-narrow` class in app.tcss), a common purpose as its three answers
and the statement's word count against the limit, said in words when it is over. The text
helpers are pure, so the tests read them without a screen.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Final

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Static

from sessiontui.display import user_line, user_text
from sessiontui.widgets.overview import long_date

if TYPE_CHECKING:
    from sessiontui.model import Action, Upcoming
    from sessiontui.review import NoteSection

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


def answer_text(question: str, answer: str) -> Text:
    """A question in bold, and what the group said under it."""
    text = Text(end="")
    text.append_text(user_line(question, "bold"))
    text.append("\n")
    text.append_text(user_text(answer) if answer.strip() else Text(NOTHING, style="dim"))
    return text


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


class NoteView(Vertical):
    """One group's notes for one item, laid out by the item's template."""

    def __init__(self, section: NoteSection, *, id: str | None = None) -> None:
        super().__init__(id=id, classes=f"-{section.template}")
        self.section = section
        self.border_title = user_line(section.group or "Whole room")

    def compose(self) -> ComposeResult:
        section = self.section
        yield Static(members_line(section), classes="note-members")
        fields = section.fields
        if section.template == "empathy-map":
            quadrants, fields = fields[:4], fields[4:]
            for pair in (quadrants[:2], quadrants[2:]):
                with Horizontal(classes="quadrants"):
                    for question, answer in pair:
                        yield self._quadrant(question, answer)
        for question, answer in fields:
            if section.template == "free" and question == "Notes":
                yield Static(
                    user_text(answer) if answer.strip() else Text(NOTHING, style="dim"),
                    classes="note-text",
                )
            else:
                yield Static(answer_text(question, answer), classes="note-answer")
        if section.template == "common-purpose" or section.limit is not None:
            line, over = words_line(section)
            words = Static(line, classes="note-words")
            words.set_class(over, "-over")
            yield words

    @staticmethod
    def _quadrant(question: str, answer: str) -> Static:
        quadrant = Static(
            user_text(answer) if answer.strip() else Text(NOTHING, style="dim"),
            classes="quadrant",
        )
        quadrant.border_title = user_line(question)
        return quadrant


def item_heading(section: NoteSection) -> Text:
    """The heading over an item's notes: its title and the shape of its notes."""
    text = user_line(section.item.title, "bold")
    shape = {"free": "notes", "empathy-map": "empathy map", "common-purpose": "common purpose"}
    text.append(f" · {shape.get(section.template, section.template)}", style="dim")
    return text


def commitments_text(actions: Sequence[Action]) -> Text:
    """Who committed to what, by when, and where it stands."""
    if not actions:
        return Text("No commitments were recorded.", style="dim", end="")
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
        return Text("Nothing planned yet.", style="dim", end="")
    text = Text(end="")
    for index, entry in enumerate(sorted(upcoming, key=lambda entry: entry.date)):
        if index:
            text.append("\n")
        text.append(f"{long_date(entry.date):<16} ", style="bold")
        text.append_text(user_line(entry.title))
    return text
