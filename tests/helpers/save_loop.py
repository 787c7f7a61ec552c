"""Save a ~1 MB session over and over so tests can kill the saver at any moment.

Usage:
    save_loop.py loop PATH TAG FIRST COUNT   save versions FIRST .. FIRST+COUNT-1, then exit
    save_loop.py fork PATH TAG               per "go N" line on stdin, fork a worker that saves
                                             versions N, N+1, ... until killed; print its pid,
                                             reap it, and print "reaped"

Every saved version prints "saved N"; in fork mode each save also prints "writing" once its
temporary file exists, so the test can aim kills at the few milliseconds of disk work
instead of the serialising before it. Forking workers from one warm process keeps each
kill cheap: importing pydantic takes longer than a save.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
from typing import Any

from sessiontui import session_file
from sessiontui.core.model import AgendaItem, Note, Session
from sessiontui.store import atomic as store_atomic


def say(line: str) -> None:
    """One line to the parent in one write: a worker killed mid-line must not leave half of it.

    print() under PYTHONUNBUFFERED writes the text and its newline separately, and a SIGKILL
    between the two glued "saved 3" to the parent's next "reaped".
    """
    os.write(1, (line + "\n").encode())


def make_session(tag: str, version: int, kilobytes: int = 1024) -> Session:
    """Version `version` of writer `tag`: every block names both, and the size varies with it."""
    line = f"{tag} v{version}: notes with 'quotes', \"doubles\", back\\slashes, é and 🎉\n"
    block = line * 40
    count = kilobytes * 1024 // len(block.encode()) + version % 7
    agenda = [
        AgendaItem(
            id=f"item-{index}",
            title=f"{tag} item {index} v{version}",
            kind="plenary",
            minutes=5 + index % 30,
            prompts=[f"{tag} v{version} prompt\r\nwith CRLF"],
            facilitator_notes=block,
        )
        for index in range(count // 2)
    ]
    notes = [
        Note(item=f"item-{index % len(agenda)}", group=f"g{index}", text=block)
        for index in range(count - len(agenda))
    ]
    return Session(
        schema_version=1,
        title=f"{tag}-{version}",
        date=dt.date(2023, 2, 16),
        start=dt.time(13),
        end=dt.time(16),
        agenda=agenda,
        notes=notes,
    )


def version_of(session: Session) -> tuple[str, int]:
    """The writer tag and version a saved session claims, read back from its title."""
    tag, _, version = session.title.rpartition("-")
    return tag, int(version)


def save_forever(path: str, tag: str, first: int, count: int | None) -> None:
    version = first
    while count is None or version < first + count:
        session_file.save(path, make_session(tag, version))
        say(f"saved {version}")
        version += 1


def announce_writes() -> None:
    real_mkstemp = tempfile.mkstemp

    def mkstemp(*args: Any, **kwargs: Any) -> tuple[int, str]:
        made = real_mkstemp(*args, **kwargs)
        say("writing")
        return made

    store_atomic.tempfile.mkstemp = mkstemp  # type: ignore[assignment]


def fork_workers(path: str, tag: str) -> None:
    announce_writes()
    say("ready")
    for line in sys.stdin:
        command, _, first = line.partition(" ")
        if command != "go":
            break
        pid = os.fork()
        if pid == 0:
            try:
                save_forever(path, tag, int(first), None)
            finally:
                os._exit(1)
        say(f"worker {pid}")
        os.waitpid(pid, 0)
        say("reaped")


def main(argv: list[str]) -> None:
    if argv[1] == "loop":
        save_forever(argv[2], argv[3], int(argv[4]), int(argv[5]))
    elif argv[1] == "fork":
        fork_workers(argv[2], argv[3])
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
