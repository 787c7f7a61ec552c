"""Pasted text, made safe once on its way in: no escape sequence or control character survives.

Textual 8.2.8's xterm parser keeps a bracketed paste's characters in a buffer, but an ESC
inside the paste starts its escape-sequence search, and the characters after it (up to the
next ESC, or 32 of them) are then given back as *keys*, not paste: a pasted "\\x1b...\\x11"
fired ctrl+q and quit the app, and those characters were lost from the paste. The parser
cannot be told otherwise, so `PasteSafeDriver` gives it its input through a
`BracketedPasteFilter`, which holds a paste until its end marker and passes on only its cleaned
text; `clean_pasted_text` is also what the notes' text areas apply to anything inserted, for
pastes that come some other way (a web driver, a posted `Paste`, the app's clipboard).
"""

from __future__ import annotations

import re
import selectors
import sys
from codecs import getincrementaldecoder
from collections.abc import Iterable
from typing import Final

from textual._xterm_parser import XTermParser
from textual.message import Message

PASTE_START: Final = "\x1b[200~"
"""What a terminal sends before pasted text, when bracketed paste is on (Textual turns it on)."""
PASTE_END: Final = "\x1b[201~"
"""What a terminal sends after pasted text."""

_ESCAPE_SEQUENCE: Final = re.compile(
    r"\x1b(?:"
    r"\[[0-?]*[ -/]*[@-~]"  # CSI: colours, cursor moves
    r"|\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC: titles, hyperlinks, clipboard
    r"|[PX^_][^\x1b]*(?:\x1b\\)?"  # DCS and the other strings
    r"|[ -/]+[0-~]"  # character sets
    r"|[0-9<=>]"  # saving the cursor, keypad modes
    r")?",  # or a lone ESC: the letter after it is kept ("\x1bb" is alt+b, not a command)
)
_CONTROL: Final = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
"""C0 controls but tab and newline, DEL, and the C1 controls."""


def clean_pasted_text(text: str) -> str:
    """`text` with line ends as newlines and every escape sequence and control character gone.

    Dropped, not shown as placeholders: pasted terminal output keeps its words
    ("\\x1b[31mred\\x1b[0m" is "red"), and what is saved is what a person meant to paste.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x1b" in text:
        text = _ESCAPE_SEQUENCE.sub("", text)
    return _CONTROL.sub("", text)


class BracketedPasteFilter:
    """Passes terminal input through unchanged, except a bracketed paste's text, which it cleans.

    Input arrives in chunks, so a marker may be split between two of them: the last few
    characters before a paste are remembered to find its start, and a paste's text is held
    back, whole, until its end marker arrives. Nothing outside a paste is ever held back (a
    lone ESC key must reach the parser at once).
    """

    def __init__(self) -> None:
        self._recent = ""
        self._paste: list[str] | None = None

    @property
    def in_paste(self) -> bool:
        """Whether a paste has started and its end not yet arrived."""
        return self._paste is not None

    def feed(self, data: str) -> str:
        """What the parser should get for this chunk of input."""
        passed: list[str] = []
        while data:
            if self._paste is None:
                seen = self._recent + data
                found = seen.find(PASTE_START)
                if found < 0:
                    passed.append(data)
                    self._recent = seen[-(len(PASTE_START) - 1) :]
                    break
                end = found + len(PASTE_START) - len(self._recent)
                passed.append(data[:end])
                data = data[end:]
                self._recent = ""
                self._paste = []
                continue
            self._paste.append(data)
            held = "".join(self._paste)
            found = held.find(PASTE_END)
            if found < 0:
                self._paste = [held]
                break
            passed.append(clean_pasted_text(held[:found]) + PASTE_END)
            data = held[found + len(PASTE_END) :]
            self._paste = None
        return "".join(passed)


class PasteSafeParser(XTermParser):
    """Textual's xterm parser, given its input through a `BracketedPasteFilter`."""

    def __init__(self, debug: bool = False) -> None:
        self._paste_filter = BracketedPasteFilter()
        super().__init__(debug)

    def feed(self, data: str) -> Iterable[Message]:
        if not data:
            return super().feed(data)  # the end of input
        filtered = self._paste_filter.feed(data)
        if not filtered:
            return ()  # a paste held back; an empty feed would mean the end of input
        return super().feed(filtered)


if sys.platform != "win32":
    import os

    from rich._loop import loop_last
    from textual._parser import ParseError
    from textual.drivers.linux_driver import LinuxDriver

    class PasteSafeDriver(LinuxDriver):
        """Textual's Linux driver with its input read through a `PasteSafeParser`."""

        def run_input_thread(self) -> None:
            # LinuxDriver.run_input_thread of Textual 8.2.8 (pinned), its parser swapped:
            # the driver has no other way to choose one.
            selector = selectors.SelectSelector()
            selector.register(self.fileno, selectors.EVENT_READ)
            fileno = self.fileno
            parser = PasteSafeParser(self._debug)
            decode = getincrementaldecoder("utf-8")().decode

            def process_selector_events(
                selector_events: list[tuple[selectors.SelectorKey, int]],
                final: bool = False,
            ) -> None:
                for last, (_key, mask) in loop_last(selector_events):
                    if mask & selectors.EVENT_READ:
                        unicode_data = decode(os.read(fileno, 1024 * 4), final=final and last)
                        if not unicode_data:
                            break  # stdin is a pipe that has ended
                        for event in parser.feed(unicode_data):
                            self.process_message(event)
                for event in parser.tick():
                    self.process_message(event)

            try:
                while not self.exit_event.is_set():
                    process_selector_events(selector.select(0.1))
                selector.unregister(self.fileno)
                process_selector_events(selector.select(0.1), final=True)
            finally:
                selector.close()
                try:
                    for _event in parser.feed(""):
                        pass
                except (EOFError, ParseError):
                    pass

    from textual import log
    from textual.drivers._byte_stream import ByteStream
    from textual.drivers.web_driver import WebDriver, _ExitInput

    class PasteSafeWebDriver(WebDriver):
        """Textual's web driver (a tab of `sessiontui serve`) reading via a `PasteSafeParser`."""

        def run_input_thread(self) -> None:
            # WebDriver.run_input_thread of Textual 8.2.8 (pinned), its parser swapped.
            input_reader = self._input_reader
            parser = PasteSafeParser(debug=self._debug)
            decode = getincrementaldecoder("utf-8")().decode
            byte_stream = ByteStream()  # stdin's bytes, with the server's packets in band
            try:
                for data in input_reader:
                    if data:
                        for packet_type, payload in byte_stream.feed(data):
                            if packet_type == "D":
                                for event in parser.feed(decode(payload)):
                                    self.process_message(event)
                            else:
                                self._on_meta(packet_type, payload)
                    for event in parser.tick():
                        self.process_message(event)
            except _ExitInput:
                pass
            except Exception:
                from traceback import format_exc

                log(format_exc())
            finally:
                input_reader.close()
