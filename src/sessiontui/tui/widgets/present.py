"""The shared screen's own widgets: the clock in block digits, and a line that fits its width.

`BigDigits` draws the countdown as large as its space allows, down to three rows at 17
columns, so even a 20x6 terminal keeps a clock the room can read; `FitLine` shows the longest
of its wordings that fits, so a narrow screen says "Turn 2 of 3" rather than a cut-off
sentence. What they show is worded in `present_view` (from the room's state) and placed by
`present_layout`.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import ClassVar, Final

from rich.cells import cell_len
from rich.segment import Segment
from rich.text import Text
from textual.geometry import Region, Size
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Static

FONT: Final[dict[str, tuple[str, ...]]] = {
    "0": ("###", "# #", "# #", "# #", "###"),
    "1": (" # ", "## ", " # ", " # ", "###"),
    "2": ("###", "  #", "###", "#  ", "###"),
    "3": ("###", "  #", "###", "  #", "###"),
    "4": ("# #", "# #", "###", "  #", "  #"),
    "5": ("###", "#  ", "###", "  #", "###"),
    "6": ("###", "#  ", "###", "# #", "###"),
    "7": ("###", "  #", "  #", "  #", "  #"),
    "8": ("###", "# #", "###", "# #", "###"),
    "9": ("###", "# #", "###", "  #", "###"),
    ":": (" ", "#", " ", "#", " "),
    "A": ("###", "# #", "###", "# #", "# #"),
    "H": ("# #", "# #", "###", "# #", "# #"),
    "K": ("# #", "# #", "## ", "# #", "# #"),
    "N": ("## ", "# #", "# #", "# #", "# #"),
    "O": ("###", "# #", "# #", "# #", "###"),
    "T": ("###", " # ", " # ", " # ", " # "),
    "U": ("# #", "# #", "# #", "# #", "###"),
    "Y": ("# #", "# #", " # ", " # ", " # "),
    "+": ("   ", " # ", "###", " # ", "   "),
    "-": ("   ", "   ", "###", "   ", "   "),
    " ": (" ", " ", " ", " ", " "),
}
"""A 3x5 block font for the clock: blocks scale to any size and stay crisp on a projector.

The letters are those of the close's "THANK YOU" (`present_view.THANK_YOU`)."""

FONT_ROWS: Final = 5

# A terminal cell is about twice as tall as it is wide, so a square "pixel" of the font is
# one cell wide and half a cell high: the half blocks draw two pixel rows in one cell row.
_HALVES: Final = {(False, False): " ", (True, False): "▀", (False, True): "▄", (True, True): "█"}


def big_lines(text: str, width: int, height: int) -> list[str]:
    """`text` in the block font at the largest whole scale that fits; [] if even 1 does not.

    At scale `s` each font pixel is `s` cells wide and `s` half-rows high (half blocks), so
    the digits keep their shape at every size: "05:00" needs 17x3 cells at scale 1, 34x5
    at scale 2. Each glyph is drawn once per scale and kept: a tick only joins them.
    """
    if not text:
        return []
    chars = [char if char in FONT else " " for char in text]
    columns = sum(len(FONT[char][0]) for char in chars) + len(chars) - 1
    scale = min(2 * height // FONT_ROWS, width // columns)
    if scale < 1:
        return []
    # Half blocks pair pixel rows within one column, so glyphs side by side draw apart.
    gap = " " * scale
    return [gap.join(row) for row in zip(*(glyph_rows(char, scale) for char in chars), strict=True)]


@functools.lru_cache(maxsize=64)
def glyph_rows(char: str, scale: int) -> tuple[str, ...]:
    """One glyph of the font at `scale`, as rows of half blocks."""
    pixels: list[list[bool]] = []
    for row in FONT[char]:
        line = [cell == "#" for cell in row for _ in range(scale)]
        pixels.extend([line] * scale)
    if len(pixels) % 2:
        pixels.append([False] * len(pixels[0]))
    return tuple(
        "".join(_HALVES[top, bottom] for top, bottom in zip(upper, lower, strict=True))
        for upper, lower in zip(pixels[::2], pixels[1::2], strict=True)
    )


class BigDigits(Widget):
    """The countdown in block digits as large as its space allows; plain text when too small.

    Textual's `Digits` is three rows high whatever the screen; from the back of a room the
    clock has to grow with the screen (a 4K browser window, a projector). Drawn line by line
    (Textual's line API) from lines kept between ticks, and a tick repaints only the box of
    cells that changed (mostly the last digit), not the whole clock: a large clock redrawn
    every second was most of the shared screen's idle CPU.
    """

    DEFAULT_CSS: ClassVar[str] = """
    BigDigits {
        width: 1fr;
        height: 1fr;
        min-height: 1;
        padding: 0;
        border: none;
        text-style: bold;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.value = ""
        self._drawn: tuple[Size, str, list[str]] | None = None

    def update(self, value: str) -> None:
        """Show this text (digits, ":", "+", "-"), repainting only the cells that change."""
        if value == self.value:
            return
        before = self.lines()
        self.value = value
        changed = changed_box(before, self.lines())
        if changed is not None:
            self.refresh(changed)

    def lines(self) -> list[str]:
        """The clock as the widget's rows, centred, each as wide as the widget."""
        # Its outer size is its content's (no padding, no border), and costs no look-up of
        # its region on the screen, which `size` does for each row drawn.
        size = self.outer_size
        if self._drawn is not None and self._drawn[:2] == (size, self.value):
            return self._drawn[2]
        width, height = size
        glyphs = big_lines(self.value, width, height) or [self.value]
        # Centred here: the block digits' spaces are part of their shape.
        left = " " * max((width - cell_len(glyphs[0])) // 2, 0)
        rows = [""] * max((height - len(glyphs)) // 2, 0) + [left + line for line in glyphs]
        rows = [row[:width].ljust(width) for row in rows[:height]]
        self._drawn = (size, self.value, rows)
        return rows

    def render_line(self, y: int) -> Strip:
        lines = self.lines()
        style = self.visual_style.rich_style
        if not 0 <= y < len(lines):
            return Strip.blank(self.outer_size.width, style)
        return Strip([Segment(lines[y], style)], cell_len(lines[y]))


def changed_box(before: list[str], after: list[str]) -> Region | None:
    """The smallest box holding every cell that differs between two drawings; None if none."""
    top = bottom = left = right = None
    for y in range(max(len(before), len(after))):
        old = before[y] if y < len(before) else ""
        new = after[y] if y < len(after) else ""
        if old == new:
            continue
        top = y if top is None else top
        bottom = y
        length = max(len(old), len(new))
        old, new = old.ljust(length), new.ljust(length)
        if old == new:  # a row that only lost or gained trailing blanks
            continue
        first = common_prefix(old, new)
        last = length - 1 - common_prefix(old[::-1], new[::-1])
        left = first if left is None else min(left, first)
        right = last if right is None else max(right, last)
    if top is None or bottom is None or left is None or right is None:
        return None
    return Region(left, top, right - left + 1, bottom - top + 1)


def common_prefix(one: str, other: str) -> int:
    """How many leading characters two strings share, found by halving (no loop per cell)."""
    low, high = 0, min(len(one), len(other))
    while low < high:
        middle = (low + high + 1) // 2
        if one[:middle] == other[:middle]:
            low = middle
        else:
            high = middle - 1
    return low


class FitLine(Static):
    """One line saying the longest of its wordings that fits its width (the last, cut, if none).

    Given longest first, e.g. "Threes: turn 2 of 3 · Item 12:30 left", then "Turn 2 of 3 ·
    12:30", then "Turn 2/3", so a narrow screen keeps what matters rather than an ellipsis.
    """

    DEFAULT_CSS: ClassVar[str] = """
    FitLine {
        width: 1fr;
        height: 1;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)
        self.wordings: tuple[Text, ...] = ()

    def show(self, wordings: Sequence[Text]) -> None:
        """Say one of these (longest first), as the width allows."""
        wordings = tuple(wordings)
        if wordings != self.wordings:
            self.wordings = wordings
            self._choose()

    def on_resize(self) -> None:
        self._choose()

    def _choose(self) -> None:
        room = self.content_region.width or self.size.width
        chosen = next((w for w in self.wordings if w.cell_len <= room), None)
        if chosen is None:
            chosen = self.wordings[-1] if self.wordings else Text("")
        self.update(chosen, layout=False)

    @property
    def said(self) -> str:
        """The wording on screen now, as plain text."""
        return str(self.visual) if self.wordings else ""
