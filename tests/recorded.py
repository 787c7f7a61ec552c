"""The reference workshop as it might have run: a log, groups, notes and commitments.

Built deterministically from the bundled example so the review, series, search and export
tests (and the bench) all read the same afternoon: a coffee trial that overran by four
minutes, a pause, an extend, a skip, a replan, two broadcasts, an empathy map, common-purpose
statements (one over the 40-word limit) and three commitments.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from sessiontui import session_file
from sessiontui.core.model import Action, Event, Group, Note, Session

EXAMPLE = (
    Path(__file__).resolve().parent.parent / "sessions" / "2023-02-16-building-common-purpose.toml"
)

NOTE_PHRASE = "nobody owns the whole pathway"
"""A phrase that is in one note of the recorded run and nowhere else, for search tests."""


def _at(clock: str) -> dt.datetime:
    hours, minutes = clock.split(":")[:2]
    seconds = int(clock.split(":")[2]) if clock.count(":") == 2 else 0
    # 16 February is GMT, so London wall-clock times are UTC times.
    return dt.datetime(2023, 2, 16, int(hours), int(minutes), seconds, tzinfo=dt.UTC)


def _event(clock: str, kind: str, **fields: Any) -> Event:
    return Event.model_validate({"at": _at(clock), "kind": kind, **fields})


RUN_LOG: list[tuple[str, str, dict[str, Any]]] = [
    ("13:02", "start", {}),
    ("13:11", "next", {}),  # welcome took 9 min
    ("13:16", "next", {}),  # coffee setup 5
    ("13:16:30", "broadcast", {"text": "Find your partner in your breakout room"}),
    ("13:35", "next", {}),  # coffee trial 19 (planned 15): overran by 4
    ("13:44", "next", {}),  # debrief 9
    ("13:52", "pause", {}),
    ("13:55", "resume", {}),  # 3 min pause during the presentation
    ("14:06", "next", {}),  # complexity: 19 active
    ("14:06:10", "extend", {"minutes": 5}),
    ("14:31", "next", {}),  # empathy breakout 25 (planned 20)
    ("14:31:20", "skip", {}),  # plenary skipped
    ("14:41", "next", {}),  # tea 10
    ("14:41:30", "replan", {"plan": {"common-purpose": 28}}),
    ("14:50", "next", {}),  # intro 9
    ("15:19", "next", {}),  # common purpose 29
    ("15:19:30", "broadcast", {"text": "Back in the main room, please"}),
    ("15:29", "next", {}),  # feedback 10
    ("15:53", "next", {}),  # reflect 24
    ("15:59", "finish", {}),  # next steps 6
]

EMPATHY_MAP = {
    "see": "Waiting lists on the front page; people queuing at the GP surgery at 8am.",
    "hear": "'Nobody talks to each other' and 'we've tried that before'.",
    "think_feel": f"Tired, a bit cynical; {NOTE_PHRASE}.",
    "do_expect": "Expect us to fix it for them; keep going anyway.",
}

COMMON_PURPOSE = {
    "Group 1": {
        "what": "Get more people in Derbyshire moving every day",
        "why": "because being active is the best medicine we have",
        "benefits": "healthier people, fewer admissions, stronger communities",
    },
    "Group 2": {
        "what": (
            "Work together across councils, the NHS and the voluntary sector so that every "
            "person in Nottinghamshire can find an activity they enjoy close to where they live"
        ),
        "why": "because inactivity is the biggest avoidable risk to health we are not tackling",
        "benefits": "people live longer, happier lives",
    },
}

COMMITMENTS = [
    ("Amira Patel", "Try the common purpose exercise with my team", dt.date(2023, 3, 21), "done"),
    ("Ben Clarke", "Have a coffee with someone from the NHS trust", None, "open"),
    (
        "Chloe Evans",
        "Map who is in our system before the next workshop",
        dt.date(2023, 4, 25),
        "dropped",
    ),
]


def recorded(session: Session) -> Session:
    """The example session with the afternoon above recorded into it."""
    log = [_event(clock, kind, **fields) for clock, kind, fields in RUN_LOG]
    names = [participant.name for participant in session.participants]
    groups = [
        Group(item="empathy-breakout", name=f"Group {n + 1}", members=names[n * 4 : n * 4 + 4])
        for n in range(3)
    ] + [Group(item="common-purpose", name=f"Group {n + 1}", members=names[n::3]) for n in range(3)]
    edited = _at("15:20")
    notes = [
        Note(
            item="coffee-trial",
            group="",
            edited=edited,
            text="Lots of energy.\nThree pairs found they work on the same estate.",
        ),
        Note(item="empathy-breakout", group="Group 1", edited=edited, **EMPATHY_MAP),
        *[
            Note(item="common-purpose", group=group, edited=edited, **fields)
            for group, fields in COMMON_PURPOSE.items()
        ],
    ]
    actions = [
        Action(who=who, what=what, due=due, status=status, item="next-steps")  # type: ignore[arg-type]
        for who, what, due, status in COMMITMENTS
    ]
    return session.model_copy(
        update={"log": log, "groups": groups, "notes": notes, "actions": actions}
    )


def recorded_example() -> Session:
    """The bundled example, recorded."""
    return recorded(session_file.load(EXAMPLE).session)
