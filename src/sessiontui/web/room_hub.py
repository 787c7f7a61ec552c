"""One follower of the session file for every page: what the room sees, worked out once per change.

However many phones are connected, the file is stat-ed by one `Follower`, read in a thread
only when it changed, and `RoomState` computed and serialised once; each page's stream then
sends `latest_json` when it is ready, so a slow phone skips versions instead of queueing them.
Once a second the state is also recomputed from the clock alone, and published only when what
the room sees changed (an expired message, a warning, time up, the next turn): the pages count
the seconds down themselves, so a quiet second sends nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sessiontui import session_file
from sessiontui.core.model import Session
from sessiontui.core.room import RoomState, room_state

log = logging.getLogger("sessiontui.room")

RECOMPUTE_SECONDS = 1.0
"""How often the state is worked out again from the clock alone, between changes of the file."""


class HubStopped(Exception):
    """The hub stopped while a stream waited on it: the server is shutting down."""


class RoomHub:
    """Follows one session file and holds the latest `RoomState`, numbered, for every stream."""

    def __init__(
        self, path: Path, clock: Callable[[], dt.datetime], follow_seconds: float = 0.25
    ) -> None:
        self.path = path
        self.clock = clock
        self.follow_seconds = follow_seconds
        self.latest: RoomState | None = None
        """What the room sees, as of the last recompute (its `now` at most a second old)."""
        self.latest_json: bytes = b""
        """`latest` as JSON on one line, serialised once for every client."""
        self.version = 0
        """Goes up by one each time what the room sees changes (or the file's problem does)."""
        self.problem: str | None = None
        """Why the file cannot be read now; the last good state is kept meanwhile."""
        self._session: Session | None = None
        self._key: Any = None
        self._follower = session_file.Follower(path)
        self._published = asyncio.Event()
        self._epoch = 0
        self._task: asyncio.Task[None] | None = None
        self._stopped = False

    @property
    def running(self) -> bool:
        """Whether the hub follows the file (started and not stopped)."""
        return self._task is not None and not self._stopped

    async def start(self) -> None:
        """Read the file once (so the first client gets a state at once), then follow it."""
        if self._task is not None:
            return
        self._stopped = False
        await self._look()
        if self.latest is None and self.problem is None:
            self.problem = f"{self.path.name}: not read yet"
        self._task = asyncio.create_task(self._follow(), name=f"room hub {self.path.name}")

    async def stop(self) -> None:
        """Stop following, and release every stream waiting for a change."""
        self._stopped = True
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._wake()

    async def wait_newer(self, version: int) -> int:
        """Return the hub's version as soon as it is above `version`; HubStopped if it stops."""
        while self.version <= version:
            if self._stopped:
                raise HubStopped
            await self._published.wait()
        return self.version

    def publish_session(self, session: Session) -> None:
        """Show a session this process just wrote (a control), without waiting for the follower.

        A read of the file that began before this write could end after it with the older
        version: the epoch tells the follower to drop that read and look again.
        """
        self._epoch += 1
        self._follower.forget()
        self._session = session
        self._recompute()

    def tick(self) -> None:
        """Work out the state at the clock's time again; publish it only if the room sees a change.

        The follow loop calls it every second; tests call it after moving their clock.
        """
        self._recompute()

    async def _follow(self) -> None:
        """Look at the file every `follow_seconds` and recompute from the clock every second."""
        loop = asyncio.get_running_loop()
        last_recompute = loop.time()
        while True:
            await asyncio.sleep(self.follow_seconds)
            try:
                changed = await self._look()
                if not changed and loop.time() - last_recompute >= RECOMPUTE_SECONDS:
                    self.tick()
                    last_recompute = loop.time()
                elif changed:
                    last_recompute = loop.time()
            except asyncio.CancelledError:
                raise
            except Exception as error:  # the hub must outlive any one bad read or state
                log.warning("room: %s: %s", type(error).__name__, error)

    async def _look(self) -> bool:
        """One stat; a read in a thread when the file changed. True when a new state was shown."""
        serial = self._follower.due()
        if serial is None:
            return False
        if self._follower.missing:
            self._set_problem(f"{self.path.name}: the file is missing")
            return True
        epoch = self._epoch
        try:
            opened = await asyncio.to_thread(self._follower.read)
        except session_file.SessionFileError as error:
            if self._follower.is_newest(serial):
                self._set_problem(
                    " ".join(error.problems[0].split()) if error.problems else str(error)
                )
            return True
        except OSError as error:
            if self._follower.is_newest(serial):
                self._set_problem(f"{self.path.name}: {error.strerror or error}")
            return True
        if epoch != self._epoch:
            # A control was written while this read ran: what it read may be older.
            self._follower.forget()
            return False
        if not self._follower.is_newest(serial):
            return False
        self._session = opened.session
        # A save that changes nothing on the wall (a note typed) sends nothing to the phones.
        recovered = self.problem is not None
        self.problem = None
        self._recompute(force=recovered)
        return True

    def _set_problem(self, problem: str) -> None:
        # Every phone sees it: the file's name, not the folders of the facilitator's disk.
        for shown in (str(self.path.resolve()), str(self.path)):
            problem = problem.replace(shown, self.path.name)
        if problem != self.problem:
            self.problem = problem
            log.warning("room: %s", problem)
            self._bump()

    def _recompute(self, *, force: bool = False) -> None:
        """Work out the state at the clock's time; publish it when the room would see a change.

        `latest` and `latest_json` are refreshed every time, so a page that connects or asks
        now gets a `now` no more than a second old, which its countdown is corrected by.
        """
        session = self._session
        if session is None:
            return
        state = room_state(session, self.clock())
        key = _what_the_room_sees(state)
        self.latest = state
        self.latest_json = state.model_dump_json().encode("utf-8")
        if force or key != self._key:
            self._key = key
            self._bump()

    def _bump(self) -> None:
        self.version += 1
        self._wake()

    def _wake(self) -> None:
        # A fresh event per version: every waiter of the old one wakes once, none spins.
        published, self._published = self._published, asyncio.Event()
        published.set()


def _what_the_room_sees(state: RoomState) -> Any:
    """The state without what changes every second by itself: `now`, the seconds left, and
    times to the minute (a paused or overrunning session moves every later time each second).

    Two states with the same key look the same on a page that counts down on its own.
    """
    exclude: dict[str, Any] = {
        "now": True,
        "clock": {"remaining_seconds"},
        "turns": {"__all__": {"remaining_seconds"}},
    }
    if state.clock is not None and state.clock.phase == "overtime":
        exclude["clock"] = {"remaining_seconds", "label"}  # "OVERTIME +03:12" ticks
    data = state.model_dump(exclude=exclude)
    data["drift_seconds"] = int(state.drift_seconds // 60)
    return _to_the_minute(data)


def _to_the_minute(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.replace(second=0, microsecond=0)
    if isinstance(value, dict):
        return {key: _to_the_minute(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_to_the_minute(item) for item in value]
    return value
