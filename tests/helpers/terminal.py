"""Run `sessiontui` in a real pseudo-terminal, as a person would, and drive it from a test.

`Terminal.start` forks the app onto a new pty of a given size (its controlling terminal, so
closing the terminal's side hangs the app up like closing a terminal window) with HOME and the
XDG folders in a folder of the test's and no TEXTUAL_* switches. A thread keeps reading what the
app writes, so the app never blocks on a full pty, and plays it onto a `Screen`: tests wait,
with a deadline, for text to be on screen, because Textual redraws only the cells that changed
and a phrase on screen may reach the stream in pieces. Tests load this file by its path, as
they load the other helpers here.
"""

from __future__ import annotations

import codecs
import contextlib
import fcntl
import os
import re
import select
import signal
import struct
import sys
import termios
import threading
import time
import unicodedata
from pathlib import Path
from types import TracebackType

REPO = Path(__file__).resolve().parent.parent.parent

_SEQUENCE = re.compile(
    r"\x1b(?:"
    r"\[(?P<params>[0-?]*)[ -/]*(?P<final>[@-~])"  # CSI: cursor moves, erasing, colours, modes
    r"|\][^\x07\x1b]*(?:\x07|\x1b\\)"  # OSC: window title, clipboard
    r"|[PX^_][^\x1b]*\x1b\\"  # DCS and other strings
    r"|[()*+#%]."  # character sets, line sizes
    r"|[^\[\]PX^_()*+#%]"  # the other two-byte escapes
    r")",
    re.DOTALL,
)
_STREAM_ESCAPES = re.compile(_SEQUENCE.pattern + r"|[\x00-\x08\x0b-\x1f\x7f]", re.DOTALL)
_PENDING_LIMIT = 4096
"""Characters after an ESC waited for before it is taken as garbage rather than unfinished."""


def strip_escapes(text: str) -> str:
    """The text in a terminal stream, without its escape sequences and control characters."""
    return _STREAM_ESCAPES.sub("", text)


def isolated_env(home: Path) -> dict[str, str]:
    """The app's environment: this process's, less whatever would change what the app does.

    The person's settings (HOME, XDG folders), TEXTUAL_* switches and a COLUMNS or LINES of
    the calling shell would make a run depend on who runs the tests; xterm-256color stands in
    for a terminal.
    """
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("TEXTUAL") and name not in {"COLUMNS", "LINES", "COLORTERM"}
    }
    env.update(TERM="xterm-256color", HOME=str(home), PYTHONDONTWRITEBYTECODE="1")
    for variable, folder in {
        "XDG_CONFIG_HOME": ".config",
        "XDG_DATA_HOME": ".local/share",
        "XDG_STATE_HOME": ".local/state",
        "XDG_CACHE_HOME": ".cache",
    }.items():
        path = home / folder
        path.mkdir(parents=True, exist_ok=True)
        env[variable] = str(path)
    return env


class Screen:
    """The cells a terminal shows, played from an app's output: enough of an xterm for Textual.

    Cursor positioning, erasing, line feeds, autowrap and the alternate screen are followed;
    colours and every other mode are read past, since the tests look only at the text.
    """

    def __init__(self, columns: int, rows: int) -> None:
        self.columns, self.rows = columns, rows
        self.cells = [[" "] * columns for _ in range(rows)]
        self.row = self.column = 0
        self.wrap = True
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._pending = ""

    @property
    def text(self) -> str:
        """The screen, one line per row, without trailing blanks."""
        return "\n".join("".join(row).rstrip() for row in self.cells)

    def feed(self, data: bytes) -> None:
        """Play more of the app's output onto the screen."""
        text = self._pending + self._decoder.decode(data)
        self._pending = ""
        index = 0
        while index < len(text):
            char = text[index]
            if char == "\x1b":
                match = _SEQUENCE.match(text, index)
                if match is None:
                    if len(text) - index < _PENDING_LIMIT:  # the rest comes in the next read
                        self._pending = text[index:]
                        return
                    index += 1
                    continue
                if match["final"] is not None:
                    self._csi(match["params"], match["final"])
                index = match.end()
            elif char < " " or char == "\x7f":
                self._control(char)
                index += 1
            else:
                self._put(char)
                index += 1

    def _put(self, char: str) -> None:
        if unicodedata.combining(char):
            if self.column > 0:
                self.cells[self.row][self.column - 1] += char
            return
        width = 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
        if self.column + width > self.columns:
            if self.wrap:
                self.column = 0
                self._line_feed()
            else:
                self.column = self.columns - width
        self.cells[self.row][self.column] = char
        if width == 2:
            self.cells[self.row][self.column + 1] = ""
        self.column += width

    def _control(self, char: str) -> None:
        if char == "\r":
            self.column = 0
        elif char == "\n":
            self._line_feed()
        elif char == "\b":
            self.column = max(0, self.column - 1)
        elif char == "\t":
            self.column = min(self.columns - 1, (self.column // 8 + 1) * 8)

    def _line_feed(self) -> None:
        if self.row < self.rows - 1:
            self.row += 1
        else:
            self.cells.pop(0)
            self.cells.append([" "] * self.columns)

    def _clear(self, row: int, start: int, end: int) -> None:
        self.cells[row][start:end] = [" "] * (end - start)

    def _csi(self, params: str, final: str) -> None:
        private = params.startswith("?")
        numbers = [int(part) if part.isdigit() else 0 for part in params.lstrip("?").split(";")]
        first = numbers[0] or 1  # a count or a position: 0 and none both mean 1
        if final in "Hf" and not private:
            row = numbers[0] if numbers[0] else 1
            column = numbers[1] if len(numbers) > 1 and numbers[1] else 1
            self.row = min(self.rows, row) - 1
            self.column = min(self.columns, column) - 1
        elif final == "A":
            self.row = max(0, self.row - first)
        elif final == "B":
            self.row = min(self.rows - 1, self.row + first)
        elif final == "C":
            self.column = min(self.columns - 1, self.column + first)
        elif final == "D":
            self.column = max(0, self.column - first)
        elif final == "G":
            self.column = min(self.columns, first) - 1
        elif final == "d":
            self.row = min(self.rows, first) - 1
        elif final == "J" and not private:
            self._erase_display(numbers[0])
        elif final == "K" and not private:
            mode = numbers[0]
            start, end = {0: (self.column, self.columns), 1: (0, self.column + 1)}.get(
                mode, (0, self.columns)
            )
            self._clear(self.row, start, end)
        elif final in "hl" and private:
            on = final == "h"
            for number in numbers:
                if number == 7:
                    self.wrap = on
                elif number in (47, 1047, 1049):  # the alternate screen, in or out: blank
                    self._erase_display(2)

    def _erase_display(self, mode: int) -> None:
        if mode == 0:
            self._clear(self.row, self.column, self.columns)
            rows = range(self.row + 1, self.rows)
        elif mode == 1:
            self._clear(self.row, 0, self.column + 1)
            rows = range(self.row)
        else:
            rows = range(self.rows)
        for row in rows:
            self._clear(row, 0, self.columns)


class Terminal:
    """`sessiontui` on its own pseudo-terminal: what it shows, and everything it wrote."""

    def __init__(self, pid: int, master: int, columns: int, rows: int) -> None:
        self.pid = pid
        self.master: int | None = master
        self.returncode: int | None = None
        """Once reaped: the exit code, or minus the signal's number (as `subprocess` does)."""
        self._screen = Screen(columns, rows)
        self._output = bytearray()
        self._changed = threading.Condition()
        self._stop = threading.Event()
        self._reader = threading.Thread(target=self._read, name=f"pty {pid}", daemon=True)
        self._reader.start()

    @classmethod
    def start(cls, args: list[str], *, home: Path, columns: int = 100, rows: int = 30) -> Terminal:
        """Run `sessiontui ARGS...` on a new `columns`x`rows` pty, with `home` as its HOME."""
        # `python -m sessiontui` is the command itself (cli.main), with this interpreter.
        argv = [sys.executable, "-m", "sessiontui", *args]
        env = isolated_env(home)
        master, slave = os.openpty()
        # Sized before the fork, so the app's first look at the terminal sees the right size.
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        pid = os.fork()
        if pid == 0:  # the child: a session of its own with the pty as its terminal, then the app
            try:
                os.close(master)
                os.chdir(REPO)
                os.login_tty(slave)
                os.execve(argv[0], argv, env)
            finally:
                os._exit(127)
        os.close(slave)
        return cls(pid, master, columns, rows)

    # ------------------------------------------------------------------ output

    def _read(self) -> None:
        while not self._stop.is_set() and (master := self.master) is not None:
            ready, _, _ = select.select([master], [], [], 0.05)
            if not ready:
                continue
            try:
                data = os.read(master, 65536)
            except OSError:  # EIO: every process holding the terminal has gone
                data = b""
            with self._changed:
                self._output += data
                self._screen.feed(data)
                self._changed.notify_all()
            if not data:
                return

    @property
    def screen(self) -> str:
        """What the terminal shows now, one line per row."""
        with self._changed:
            return self._screen.text

    @property
    def output(self) -> str:
        """Everything the app wrote to the terminal, escapes removed: what scrolled past too."""
        with self._changed:
            raw = bytes(self._output)
        return strip_escapes(raw.decode("utf-8", errors="replace"))

    def wait_for(self, text: str, timeout: float = 15.0) -> None:
        """Wait until `text` is on screen; AssertionError, showing the screen, if not in time."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while text not in (shown := self._screen.text):
                left = deadline - time.monotonic()
                if left <= 0 or not self._reader.is_alive():  # no more output will come
                    break
                self._changed.wait(min(left, 0.1))
            else:
                return
        raise AssertionError(
            f"{text!r} was not on screen within {timeout} s. The screen:\n{shown}\n"
            f"The end of the output:\n{self.output[-1000:]}"
        )

    # ------------------------------------------------------------------ input

    def send(self, data: str | bytes) -> None:
        """Type `data` into the terminal (str is sent as UTF-8): keys, text or control bytes."""
        if self.master is None:
            raise RuntimeError("the terminal is closed")
        payload = data.encode() if isinstance(data, str) else data
        while payload:
            written = os.write(self.master, payload)
            payload = payload[written:]

    def signal(self, number: int) -> None:
        """Send the app a signal."""
        os.kill(self.pid, number)

    def close(self) -> None:
        """Close the terminal's side, as closing the terminal window does: the app is hung up."""
        master = self.master
        if master is None:
            return
        self._stop.set()
        self._reader.join(timeout=5)
        self.master = None
        os.close(master)

    # ------------------------------------------------------------------ exit

    def poll(self) -> int | None:
        """The exit code (minus the signal's number if one ended it), or None while it runs."""
        if self.returncode is None:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode

    def wait(self, timeout: float = 15.0) -> int:
        """Wait for the app to exit; its code, as `poll`. AssertionError if it is still running."""
        deadline = time.monotonic() + timeout
        while (code := self.poll()) is None:
            if time.monotonic() >= deadline:
                raise AssertionError(
                    f"sessiontui was still running after {timeout} s. The screen:\n{self.screen}"
                )
            with self._changed:
                self._changed.wait(0.02)
        # What it wrote last (a traceback, say) may still be on its way through the reader.
        self._reader.join(timeout=2)
        return code

    def kill(self) -> None:
        """Stop the app at once if it is still running, and reap it."""
        if self.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
            _, status = os.waitpid(self.pid, 0)
            self.returncode = os.waitstatus_to_exitcode(status)

    def __enter__(self) -> Terminal:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.kill()
        self.close()
