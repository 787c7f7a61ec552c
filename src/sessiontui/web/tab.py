"""One browser tab's app process, ended for sure when its websocket closes.

textual-serve's AppService starts the view through a shell (so the app is the shell's child,
out of reach of a kill of the shell) and, on close, asks it to quit and then waits for it
forever: an app busy with a flood of input never got to the request and outlived its page.
Here the app is started without a shell, in its own process group, and killed when it has
not quit within a grace period. Its stderr (a crash's traceback, with local variables) is
summed up as one log line instead of being copied to the console.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import shlex
import signal
from asyncio.subprocess import Process

from textual_serve.app_service import AppService

log = logging.getLogger("textual-serve")

# How long a tab's app may take to quit on its own once its socket has closed.
QUIT_GRACE_SECONDS = 3.0


class TabService(AppService):
    """textual-serve's AppService, with a process that cannot outlive its tab."""

    _errors: asyncio.Task[None]

    async def _open_app_process(self, width: int = 80, height: int = 24) -> Process:
        environment = self._build_environment(width=width, height=height)
        self._process = process = await asyncio.create_subprocess_exec(
            *shlex.split(self.command),
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env=environment,
            # Its own group: a kill reaches anything it started, and the terminal's Ctrl+C
            # reaches `serve` alone, which then ends every tab in order.
            start_new_session=True,
        )
        assert process.stdin is not None
        self._stdin = process.stdin
        # AppService.run copies whatever the app wrote on stderr to the console, tracebacks
        # and all; it gets an empty stream, and the real one is summed up in one line.
        assert process.stderr is not None
        self._errors = asyncio.create_task(_summarise_stderr(process.stderr))
        empty = asyncio.StreamReader()
        empty.feed_eof()
        process.stderr = empty
        return process

    @property
    def pid(self) -> int | None:
        """The app's process id, None before it starts."""
        return None if self._process is None else self._process.pid

    async def stop(self) -> None:
        """Ask the app to quit, and kill its process group if it has not within the grace."""
        process = self._process
        if process is None:
            return
        try:
            # On timeout this cancels the wait, and with it the task reading the app's output.
            await asyncio.wait_for(super().stop(), QUIT_GRACE_SECONDS)
        except TimeoutError:
            log.warning("a tab's app did not quit within %ss: killed", QUIT_GRACE_SECONDS)
        finally:
            if process.returncode is None:
                with contextlib.suppress(ProcessLookupError):  # it ended in between
                    os.killpg(process.pid, signal.SIGKILL)
            await process.wait()
            self._task = None
            await self._errors


async def _summarise_stderr(stderr: asyncio.StreamReader) -> None:
    """Read the app's stderr to its end and log its last line, if any, as one line."""
    # Only the tail is kept: a runaway app cannot grow serve's memory through its stderr.
    tail = b""
    while chunk := await stderr.read(64 * 1024):
        tail = (tail + chunk)[-4096:]
    lines = [line.strip() for line in tail.decode("utf-8", "replace").splitlines()]
    last = next((line for line in reversed(lines) if line), None)
    if last is not None:
        log.warning("a tab's app wrote to stderr, last: %s", last[:300])
