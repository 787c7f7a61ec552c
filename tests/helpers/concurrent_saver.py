"""One running instance saving a shared session over and over, for the concurrent-saves test.

Usage:
    concurrent_saver.py PATH facilitator COUNT        append COUNT broadcast events
    concurrent_saver.py PATH notes COUNT GROUP ITEM   append COUNT lines to GROUP's notes on ITEM

Prints "ready" once imported and loaded, waits for a line on stdin so every instance starts
together, then saves COUNT times the way a screen does (poll and merge in what others saved,
change, submit, write, take the outcome in) and prints "done". Any conflict sentence is an
error: these instances never edit the same thing. Exit status 0 means every save went through.
"""

from __future__ import annotations

import datetime as dt
import sys

from sessiontui import session_file
from sessiontui.core.model import Event, Note, Session
from sessiontui.session_file.writer import SessionWriter, SyncedSession


def add_event(session: Session, index: int) -> Session:
    event = Event(at=dt.datetime.now(dt.UTC), kind="broadcast", text=f"facilitator {index}")
    return session.model_copy(update={"log": [*session.log, event]})


def add_line(session: Session, item: str, group: str, index: int) -> Session:
    line = f"{group} line {index}"
    notes = list(session.notes)
    for position, note in enumerate(notes):
        if (note.item, note.group) == (item, group):
            text = f"{note.text}\n{line}" if note.text else line
            notes[position] = note.model_copy(
                update={"text": text, "edited": dt.datetime.now(dt.UTC)}
            )
            break
    else:
        notes.append(Note(item=item, group=group, text=line, edited=dt.datetime.now(dt.UTC)))
    return session.model_copy(update={"notes": notes})


def main(argv: list[str]) -> int:
    path, role, count = argv[1], argv[2], int(argv[3])
    writer = SessionWriter(path)
    sync = SyncedSession(writer.adopt(session_file.load(path).session))
    print("ready", flush=True)
    sys.stdin.readline()
    for index in range(count):
        problems = sync.receive(writer.poll())
        if role == "facilitator":
            sync.change(add_event(sync.session, index))
        else:
            sync.change(add_line(sync.session, argv[5], argv[4], index))
        sync.submit(writer)
        writer.write_pending()
        problems += sync.receive(writer.take_outcome())
        if problems:
            print(f"conflict at save {index}: {problems}", flush=True)
            return 1
    print("done", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
