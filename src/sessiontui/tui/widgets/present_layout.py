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


def fits(width: int, height: int, parts: Mapping[str, int]) -> bool:
    """Whether these parts (rows each) fit with the countdown in the main and side columns."""
    wide = is_wide(width)
    top = parts.get("broadcast", 0)
    main = sum(rows for name, rows in parts.items() if not (wide and name in SIDE_PARTS))
    side = top + sum(rows for name, rows in parts.items() if wide and name in SIDE_PARTS)
    return main + countdown_rows(height) <= height and side <= height


def parts_that_fit(width: int, height: int, wanted_parts: Mapping[str, int]) -> set[str]:
    """The parts to show at this size: those wanted, minus the least important, until it fits.

    `wanted_parts` gives the rows each part needs; a part not in `DROP_ORDER` is never
    dropped, so the caller cannot lose one by a typo without a test seeing it.
    """
    kept = dict(wanted_parts)
    for name in DROP_ORDER:
        if fits(width, height, kept):
            break
        kept.pop(name, None)
    return set(kept)


def text_rows(text: Text, width: int) -> int:
    """Rows a text takes wrapped at `width` (at least one per line)."""
    room = max(width, 1)
    return sum(max(1, -(-cell_len(line) // room)) for line in text.plain.split("\n"))


def column_widths(width: int) -> tuple[int, int]:
    """The main and side columns' widths (the side is 0 on a narrow screen)."""
    if not is_wide(width):
        return width, 0
    side = int(width * SIDE_WIDTH)
    return width - side, side


def wanted_rows(
    width: int, height: int, texts: Mapping[str, Text | None], *, fixed: Iterable[str] = ()
) -> dict[str, int]:
    """Rows each non-empty part wants at this size: its text wrapped, capped by its share.

    `fixed` parts are one line whatever their text (the title, the next item). A boxed part
    wants its border too; on a short screen it has none. The agenda and the prompts are
    capped so a long list cannot push the rest off (the agenda shows a window around the
    item); the groups are never cut, as a group left out would not know where to go: they
    are there whole, a line each on a short screen, or not at all.
    """
    main, side = column_widths(width)
    tall = height >= TALL_FROM
    caps = {"agenda": max(3, height // 3), "prompts": height // 4}
    one_line = set(fixed)
    wanted: dict[str, int] = {}
    for name, text in texts.items():
        if text is None or not text.plain.strip():
            continue
        if name in one_line:
            wanted[name] = 1
            continue
        frame = 2 if tall and name in BORDERED else 0
        column = side if name in SIDE_PARTS and side else main
        inner = max(column - 2 * frame - 2, 1)  # borders and a cell of padding each side
        # The agenda is a line an item, cut to the width; so are the groups on a short screen.
        unwrapped = name == "agenda" or (name == "groups" and not tall)
        rows = len(text.plain.split("\n")) if unwrapped else text_rows(text, inner)
        if name in caps:
            rows = min(rows, max(caps[name], 1))
        wanted[name] = rows + frame
    return wanted
