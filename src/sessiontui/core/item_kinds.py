"""The kinds of agenda item: each declared once, here, and the model, grouping and timing read it.

A kind says what sort of block an item is and what the app does with it: whether the room is
split into groups for it (and how large by default), and whether people speak in timed turns.
The model's allowed values and JSON Schema enum, the group drawing and the turn cue all come
from `KINDS`, so a new kind is one `Kind` entry.

No Textual import, no disk, no pydantic: the model imports this module, not the other way.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final


@dataclass(frozen=True, slots=True)
class Kind:
    """One kind of agenda item: its name in the file and what the app does with such items."""

    name: str
    """The value of an agenda item's `kind`, e.g. "breakout"."""
    label: str
    """The kind as a word on screen, e.g. "Breakout"."""
    description: str
    """What such an item is, for the JSON Schema and the docs."""
    grouped: bool = False
    """True when the room is split into groups for it (drawn with `sessiontui groups`)."""
    default_group_size: int | None = None
    """People per group when the item sets no `group_size`; only for grouped kinds."""
    has_turns: bool = False
    """True when each person in a group speaks in turn, cued every `turn_minutes`."""

    def __post_init__(self) -> None:
        if self.grouped != (self.default_group_size is not None):
            raise ValueError(f"item kind {self.name!r}: a default group size is for grouped kinds")
        if self.default_group_size is not None and self.default_group_size < 2:
            raise ValueError(f"item kind {self.name!r}: groups need at least 2 people")
        if self.has_turns and not self.grouped:
            raise ValueError(f"item kind {self.name!r}: turns are taken within groups")


KINDS: Final[tuple[Kind, ...]] = (
    Kind("plenary", "Plenary", "The whole room together, with the facilitator."),
    Kind("presentation", "Presentation", "Someone presents to the room."),
    Kind(
        "pairing",
        "Pairing",
        "People talk in pairs (or small groups), each speaking in turn.",
        grouped=True,
        default_group_size=2,
        has_turns=True,
    ),
    Kind(
        "breakout",
        "Breakout",
        "Small groups each discuss, with a note-taker per group.",
        grouped=True,
        # Small enough that everyone speaks.
        default_group_size=4,
    ),
    Kind("break", "Break", "A pause: tea, lunch, a stretch."),
    Kind("reflection", "Reflection", "People reflect on their own or share briefly."),
    Kind("close", "Close", "The session's close: commitments and what comes next."),
)
"""Every kind of agenda item, in the order the schema and the docs list them."""


def names() -> tuple[str, ...]:
    """Every kind's name: the allowed values of an agenda item's `kind`."""
    return tuple(kind.name for kind in KINDS)


def kind(name: str) -> Kind:
    """The kind with this name; KeyError names the known ones."""
    for declared in KINDS:
        if declared.name == name:
            return declared
    raise KeyError(f"no item kind is called {name!r}; known: {', '.join(names())}")


def grouped_names() -> tuple[str, ...]:
    """The kinds whose items have groups; other kinds are for the whole room."""
    return tuple(declared.name for declared in KINDS if declared.grouped)


def default_group_size(name: str) -> int:
    """People per group for an item of this kind without `group_size`; ValueError if ungrouped."""
    size = kind(name).default_group_size
    if size is None:
        raise ValueError(f"{name} items have no groups")
    return size


def schema_summary() -> str:
    """The kinds in one line for the JSON Schema: each name and what it is."""
    return " ".join(f"`{declared.name}`: {declared.description}" for declared in KINDS)


def _check_declarations() -> None:
    # Two kinds with one name would make `kind()` silently pick the first; stop at import.
    if len(set(names())) != len(KINDS):
        raise ValueError("an item kind is declared twice")


_check_declarations()
