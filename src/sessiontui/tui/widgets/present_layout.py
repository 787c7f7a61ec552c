"""Which parts of the shared screen fit a terminal, by their importance to the room.

The countdown always stays. The other parts leave in one declared order, `DROP_ORDER`,
until what is left fits: the room can do without the ways of working and the agenda sooner
than without where to go and what comes next, and a broadcast is the facilitator talking to
the room now, so it stays longest. Pure functions of the sizes, so every size is tested
without a screen; the present screen sets each part's height to what is decided here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Final

from rich.cells import cell_len
from rich.text import Text

DROP_ORDER: Final = (
    "reminders",
    "agenda",
    "prompts",
    "other_turns",
    "groups",
    "next",
    "title",
    "broadcast",
)
"""The parts besides the countdown, the first to leave a small screen first."""

SIDE_PARTS: Final = frozenset({"agenda", "reminders"})
"""Parts that sit beside the clock on a wide screen and under it on a narrow one."""

WIDE_FROM: Final = 100
"""Columns from which the agenda and the ways of working get a column of their own."""

SIDE_WIDTH: Final = 0.32
"""Share of a wide screen's width the side column takes (as the stylesheet says: 32%)."""

BORDERED: Final = frozenset({"broadcast", "groups", "prompts", "agenda", "reminders"})
"""Parts drawn in a box on a tall screen: two rows (and four columns) more than their text."""

INSET: Final = frozenset({"groups", "prompts", "broadcast"})
"""Boxed parts with two more cells each side on a tall screen (a margin, or more padding)."""

TALL_FROM: Final = 16
"""Rows from which the boxed parts have their borders (below, they are one plain line each)."""


def countdown_rows(height: int) -> int:
    """Rows the countdown keeps at any height: a third of the screen for the digits, and a label.

    Three rows at least: the block digits' smallest size (17 columns for "04:30").
    """
    return max(3, height // 3) + 1


def is_wide(width: int) -> bool:
    """Whether the agenda and the ways of working sit beside the clock."""
    return width >= WIDE_FROM


def overflowing(width: int, height: int, parts: Mapping[str, int]) -> set[str]:
    """The columns ("main", "side") these parts (rows each) overflow, with the countdown."""
    wide = is_wide(width)
    top = parts.get("broadcast", 0)
    main = sum(rows for name, rows in parts.items() if not (wide and name in SIDE_PARTS))
    side = top + sum(rows for name, rows in parts.items() if wide and name in SIDE_PARTS)
    over = set()
    if main + countdown_rows(height) > height:
        over.add("main")
    if side > height:
        over.add("side")
    return over


def fits(width: int, height: int, parts: Mapping[str, int]) -> bool:
    """Whether these parts (rows each) fit with the countdown in the main and side columns."""
    return not overflowing(width, height, parts)


def columns_of(name: str, width: int) -> set[str]:
    """The columns a part takes rows from: the broadcast spans both on a wide screen."""
    if not is_wide(width):
        return {"main"}
    if name == "broadcast":
        return {"main", "side"}
    return {"side"} if name in SIDE_PARTS else {"main"}


def parts_that_fit(width: int, height: int, wanted_parts: Mapping[str, int]) -> set[str]:
    """The parts to show at this size: those wanted, minus the least important, until it fits.

    `wanted_parts` gives the rows each part needs. Parts leave in `DROP_ORDER`, skipping a
    part whose column is not the one too full (on a wide screen the agenda beside the clock
    takes no row from it, so it does not leave for the clock's sake). A part not in
    `DROP_ORDER` is never dropped, so the caller cannot lose one by a typo unseen.
    """
    kept = dict(wanted_parts)
    for name in DROP_ORDER:
        over = overflowing(width, height, kept)
        if not over:
            break
        if name in kept and columns_of(name, width) & over:
            del kept[name]
    return set(kept)


def text_rows(text: Text, width: int) -> int:
    """Rows a text takes word-wrapped at `width` (at least one per line), as Rich wraps it."""
    return sum(line_rows(line, max(width, 1)) for line in text.plain.split("\n"))


def line_rows(line: str, width: int) -> int:
    """Rows one line takes when its words wrap at `width`; a longer word is folded."""
    rows, used = 1, 0
    for word in line.split(" "):
        size = cell_len(word)
        if used and used + 1 + size > width:
            rows, used = rows + 1, 0
        used += size + (1 if used else 0)
        while used > width:
            rows, used = rows + 1, used - width
    return rows


def column_widths(width: int, *, agenda_wide: bool = False) -> tuple[int, int]:
    """The main and side columns' widths (the side is 0 on a narrow screen).

    With `agenda_wide` (before the start) the two swap: the side column, with the agenda,
    is the wide one, as the stylesheet says for a planned session on a wide screen.
    """
    if not is_wide(width):
        return width, 0
    narrow = int(width * SIDE_WIDTH)
    if agenda_wide:
        return narrow, width - narrow
    return width - narrow, narrow


def wanted_rows(
    width: int,
    height: int,
    texts: Mapping[str, Text | None],
    *,
    fixed: Iterable[str] = (),
    status: str = "running",
) -> dict[str, int]:
    """Rows each non-empty part wants at this size: its text wrapped, capped by its share.

    `fixed` parts are one line whatever their text (the title, the next item), but for
    before the start on a wide screen, where they wrap in the narrow column beside the
    agenda. A boxed part wants its border too; on a short screen it has none. The agenda and
    the prompts are capped so a long list cannot push the rest off (the agenda shows a
    window around the item); after the finish the prompts are what comes next, the last
    thing to read, and may take half the screen; before the start on a narrow screen the
    agenda, the room's reading then, takes every row the clock and the title leave. The
    groups are never cut, as a group left out would not know where to go: they are there
    whole, a line each on a short screen, or not at all.
    """
    agenda_wide = status == "planned" and is_wide(width)
    main, side = column_widths(width, agenda_wide=agenda_wide)
    tall = height >= TALL_FROM
    caps = {"agenda": max(3, height // 3), "prompts": height // (2 if status == "finished" else 4)}
    one_line = set() if agenda_wide else set(fixed)
    wanted: dict[str, int] = {}
    uncapped: dict[str, int] = {}
    for name, text in texts.items():
        if text is None or not text.plain.strip():
            continue
        if name in one_line:
            wanted[name] = 1
            continue
        frame = 2 if tall and name in BORDERED else 0
        column = side if name in SIDE_PARTS and side else main
        # What the stylesheet takes from the column: a border, a cell of padding each side,
        # and two cells more each side for the inset boxes.
        inner = max(column - (2 if frame else 0) - 2 - (4 if frame and name in INSET else 0), 1)
        # The agenda is a line an item, cut to the width; so are the groups on a short screen.
        unwrapped = name == "agenda" or (name == "groups" and not tall)
        rows = len(text.plain.split("\n")) if unwrapped else text_rows(text, inner)
        uncapped[name] = rows + frame
        if name in caps:
            rows = min(rows, max(caps[name], 1))
        wanted[name] = rows + frame
    if status == "planned" and not side and "agenda" in wanted:
        others = sum(rows for name, rows in wanted.items() if name not in SIDE_PARTS)
        room = height - countdown_rows(height) - others
        wanted["agenda"] = max(wanted["agenda"], min(uncapped["agenda"], room))
    return wanted
