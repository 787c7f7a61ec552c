"""The one way user text reaches the screen.

Everything that comes from a session file or a person (titles, notes, names, prompts,
file errors) goes through `user_text` or `user_line` before a widget sees it. Both
return a `rich.text.Text`, because that is the one type every widget the app uses
renders literally in Textual 8.2.8: `Static`/`Label` (converted to `Content` without
parsing markup), `DataTable` cells, `Tree` labels, `OptionList` prompts and `Button`
labels. Places that only take a `str` (`App.title`, `Screen.sub_title`, `notify` with
`markup=False`) get `.plain` of the result.

Neither function ever parses markup, so `[/]` cannot raise `MarkupError` and
`[@click=app.quit]x[/]` stays text. Control characters and escape sequences are
replaced by visible placeholders so they never reach the terminal:

- C0 controls except newline and tab become their Unicode Control Pictures
  (ESC becomes "␛", BEL "␇", NUL "␀"); a CR of a CRLF pair is dropped.
- DEL becomes "␡".
- C1 controls (U+0080 to U+009F, including the 8-bit CSI U+009B) become "�".
- Bidi embeddings, overrides and isolates, and other invisible marks that can make text
  read differently from what it is (U+061C, U+200E, U+200F, U+FEFF, ...) become a
  visible "⟨U+202E⟩" placeholder.
- Lone surrogates become "�".
- The line and paragraph separators U+2028/U+2029 become newlines.

`user_line` additionally turns newlines and tabs into spaces, for one-line places
such as table cells and titles. `safe_cells` is for text a widget lays out itself (the
notes' text areas): each unsafe character becomes exactly one visible character, so the
cursor still lines up with the text, which is kept exactly as typed.
"""

from __future__ import annotations

import re
from typing import Final

from rich.text import Text

__all__ = ["safe_cells", "safe_line", "safe_text", "user_line", "user_text"]

REPLACEMENT: Final = "\N{REPLACEMENT CHARACTER}"

_INVISIBLE_FORMAT: Final = (
    0x061C,  # arabic letter mark
    0x200E,  # left-to-right mark
    0x200F,  # right-to-left mark
    *range(0x202A, 0x202F),  # embeddings, pop, overrides
    *range(0x2066, 0x206A),  # isolates
    *range(0x206A, 0x2070),  # deprecated format characters
    0xFEFF,  # zero width no-break space / BOM
    *range(0xFFF9, 0xFFFC),  # interlinear annotation
)


def _build_table() -> dict[int, str]:
    table: dict[int, str] = {code: chr(0x2400 + code) for code in range(0x20)}
    del table[0x09], table[0x0A]
    table[0x7F] = "\N{SYMBOL FOR DELETE}"
    table.update(dict.fromkeys(range(0x80, 0xA0), REPLACEMENT))
    table.update({code: f"⟨U+{code:04X}⟩" for code in _INVISIBLE_FORMAT})
    table.update(dict.fromkeys(range(0xD800, 0xE000), REPLACEMENT))
    table[0x2028] = table[0x2029] = "\n"
    return table


_TEXT_TABLE: Final = _build_table()
_LINE_TABLE: Final = {**_TEXT_TABLE, 0x09: " ", 0x0A: " ", 0x2028: " ", 0x2029: " "}

_UNSAFE_TEXT: Final = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u206f"
    "\ud800-\udfff\ufeff\ufff9-\ufffb]"
)
_UNSAFE_LINE: Final = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u206f"
    "\ud800-\udfff\ufeff\ufff9-\ufffb]"
)


_CELL_TABLE: Final = {
    code: (REPLACEMENT if len(text) != 1 or text == "\n" else text)
    for code, text in _TEXT_TABLE.items()
}
_UNSAFE_CELL: Final = re.compile(
    "[\x00-\x08\x0a-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u206f"
    "\ud800-\udfff\ufeff\ufff9-\ufffb]"
)


def safe_cells(value: str) -> str:
    """`value` with every unsafe character replaced by one visible character of one cell."""
    if _UNSAFE_CELL.search(value) is None:
        return value
    return value.translate(_CELL_TABLE)


def safe_text(value: str) -> str:
    """`value` with every control, escape and spoofing character made visible."""
    if _UNSAFE_TEXT.search(value) is None:
        return value
    return value.replace("\r\n", "\n").translate(_TEXT_TABLE)


def safe_line(value: str) -> str:
    """Like `safe_text`, and newlines and tabs become spaces (for one-line places)."""
    if _UNSAFE_LINE.search(value) is None:
        return value
    return value.replace("\r\n", "\n").translate(_LINE_TABLE)


def user_text(value: str, style: str = "") -> Text:
    """User text as a literal, terminal-safe `Text` (newlines and tabs kept)."""
    return Text(safe_text(value), style=style, end="")


def user_line(value: str, style: str = "") -> Text:
    """User text as a literal, terminal-safe single-line `Text`."""
    return Text(safe_line(value), style=style, end="", overflow="ellipsis")
