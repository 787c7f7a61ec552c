"""What a browser tab's page may send to its app, read and bounded before the app sees it.

textual-serve passes the page's messages on as they come, so one hostile websocket could size
the tab's screen at 20000x20000 cells, or a negative size, or type megabytes, and grow its app
to gigabytes or crash it. Here each message is read into one of a few small values, sizes are
clamped, and text is capped, by message and over time.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

# A browser window in cells: far beyond any screen at the smallest font, yet small enough that
# the tab's app cannot be made to allocate gigabytes for its screen.
MAX_WIDTH = 500
MAX_HEIGHT = 200
# One stdin message is what a key or a paste sends; more is not typing. Measured: the notes
# view grows by about 2 KB per character typed (64 KB of keys took it from 60 to 180 MB),
# so the limits below keep a tab's app near 100 MB, whatever its client sends.
MAX_STDIN_CHARS = 16 * 1024
# A whole websocket message, JSON escapes included (a character can take six bytes).
MAX_MESSAGE_BYTES = 6 * MAX_STDIN_CHARS + 1024
# A paste or two at once, then typing speed (a fast typist makes about ten keys a second).
STDIN_BURST_CHARS = 32 * 1024
STDIN_CHARS_PER_SECOND = 1024


class BadInput(ValueError):
    """A client message the served page never sends: its one-line reason is logged, no traceback."""


@dataclass(frozen=True)
class Stdin:
    """Keys or a paste for the tab's app."""

    text: str


@dataclass(frozen=True)
class Resize:
    """The page's new size in cells, already within MAX_WIDTH x MAX_HEIGHT."""

    width: int
    height: int


@dataclass(frozen=True)
class Ping:
    """The page measuring its round trip: answered with the same short text."""

    text: str


@dataclass(frozen=True)
class Focus:
    """The page gained (or lost) the browser's focus."""

    focused: bool


ClientMessage = Stdin | Resize | Ping | Focus


def cells(value: object, limit: int) -> int | None:
    """A size in cells within 1..limit, or None for a non-integer or a negative one (ignored)."""
    # bool is an int to Python, not to the page, which sends whole numbers only.
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        return None
    return max(1, min(value, limit))


def read_client_message(text: str) -> ClientMessage | None:
    """What one websocket text message asks of the tab's app, None to ignore it.

    Raises BadInput for what only a hostile or broken client sends (not JSON, not a
    [type, data] list, stdin that is not text or too long): the socket is then closed.
    A resize out of bounds is clamped, one with a non-integer or negative size ignored, so
    a page on an odd screen keeps working; unknown types are ignored as textual-serve does.
    """
    try:
        envelope = json.loads(text)
    except ValueError:
        raise BadInput("a message that is not JSON") from None
    if not (isinstance(envelope, list) and envelope and isinstance(envelope[0], str)):
        raise BadInput("a message that is not a [type, data] list")
    kind = envelope[0]
    data = envelope[1] if len(envelope) > 1 else None
    if kind == "stdin":
        if not isinstance(data, str):
            raise BadInput("stdin that is not text")
        if len(data) > MAX_STDIN_CHARS:
            raise BadInput(f"{len(data)} characters of stdin at once (at most {MAX_STDIN_CHARS})")
        return Stdin(data)
    if kind == "resize":
        if not isinstance(data, dict):
            return None
        width = cells(data.get("width"), MAX_WIDTH)
        height = cells(data.get("height"), MAX_HEIGHT)
        if width is None or height is None:
            return None
        return Resize(width, height)
    if kind == "ping":
        if not isinstance(data, str) or len(data) > 64:
            raise BadInput("a ping that is not a short text")
        return Ping(data)
    if kind in ("focus", "blur"):
        return Focus(kind == "focus")
    return None


class StdinBudget:
    """How much a tab may type: a burst, refilled at a steady rate (a token bucket).

    One message is capped by MAX_STDIN_CHARS; this caps a flood of capped messages, which
    would otherwise still grow the tab's app by hundreds of megabytes.
    """

    def __init__(self, clock: Callable[[], float]) -> None:
        self._clock = clock
        self._left = float(STDIN_BURST_CHARS)
        self._at = clock()

    def spend(self, characters: int) -> bool:
        """Take characters from the budget; False, taking nothing, when there are not enough."""
        now = self._clock()
        refill = (now - self._at) * STDIN_CHARS_PER_SECOND
        self._left = min(float(STDIN_BURST_CHARS), self._left + refill)
        self._at = now
        if characters > self._left:
            return False
        self._left -= characters
        return True
