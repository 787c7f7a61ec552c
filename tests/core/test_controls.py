"""The room's controls: each action is the run screen's own event, refused when the run says no."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from sessiontui.core import schedule
from sessiontui.core.controls import (
    ACTIONS,
    ControlNotAllowedNow,
    ControlRefused,
    control_event,
)
from sessiontui.core.model import Event, Session
from workshops import REFERENCE_AGENDA, session_with

START = dt.datetime(2023, 2, 16, 13, 0, tzinfo=dt.UTC)


def at(minutes: float) -> dt.datetime:
    return START + dt.timedelta(minutes=minutes)


def running(*kinds: str) -> Session:
    """The reference agenda started at 13:00, then these events a minute apart."""
    log = [Event(at=START, kind="start")]
    log += [Event(at=at(number), kind=kind) for number, kind in enumerate(kinds, start=1)]
    return session_with(REFERENCE_AGENDA, log)


def apply(session: Session, action: str, moment: float, **parameters: Any) -> Session:
    event = control_event(session, action, at(moment), **parameters)
    return session.model_copy(update={"log": [*session.log, event]})


def test_the_actions_are_the_documented_ones() -> None:
    assert ACTIONS == (
        "start",
        "next",
        "back",
        "pause",
        "resume",
        "extend",
        "broadcast",
        "clear_broadcast",
    )


def test_each_action_is_the_event_the_run_screen_writes() -> None:
    session = session_with(REFERENCE_AGENDA)
    assert control_event(session, "start", START) == Event(at=START, kind="start")
    session = running()
    assert control_event(session, "next", at(1)) == Event(at=at(1), kind="next")
    assert control_event(session, "pause", at(1)) == Event(at=at(1), kind="pause")
    assert control_event(session, "extend", at(1), minutes=5) == Event(
        at=at(1), kind="extend", minutes=5
    )
    assert control_event(session, "extend", at(1), minutes=-1).minutes == -1
    told = control_event(session, "broadcast", at(1), text="Back at 14:40", seconds=120)
    assert told == Event(at=at(1), kind="broadcast", text="Back at 14:40", seconds=120)
    assert control_event(session, "broadcast", at(1), text="Mics off").seconds is None
    session = apply(session, "broadcast", 1, text="Mics off")
    assert control_event(session, "clear_broadcast", at(2)) == Event(
        at=at(2), kind="broadcast", text=""
    )
    assert control_event(running("pause"), "resume", at(2)) == Event(at=at(2), kind="resume")
    assert control_event(running("next"), "back", at(2)) == Event(at=at(2), kind="back")


def test_a_whole_item_run_from_the_remote_moves_the_run_as_the_keys_do() -> None:
    session = session_with(REFERENCE_AGENDA)
    session = apply(session, "start", 0)
    session = apply(session, "extend", 2, minutes=5)
    session = apply(session, "pause", 3)
    session = apply(session, "resume", 5)
    session = apply(session, "next", 17)
    state = schedule.run_state(session, at(17))
    assert state.status == "running" and state.current == 1
    assert state.items[0].budget == dt.timedelta(minutes=15)
    session = apply(session, "back", 18)
    assert schedule.run_state(session, at(18)).current == 0


@pytest.mark.parametrize(
    ("session", "action", "words"),
    [
        (session_with(REFERENCE_AGENDA), "next", "next: the session has not started"),
        (session_with(REFERENCE_AGENDA), "extend", "extend: the session has not started"),
        (running(), "start", "start: the session has already started"),
        (running("pause"), "pause", "pause: the session is already paused"),
        (running(), "resume", "resume: the session is not paused"),
        (running(), "back", "back: this is the first item"),
        (running("finish"), "next", "next: the session has finished"),
        (running(), "clear_broadcast", "clear_broadcast: no message is showing"),
    ],
)
def test_what_the_run_does_not_allow_now_is_refused_in_one_line(
    session: Session, action: str, words: str
) -> None:
    parameters = {"minutes": 1} if action == "extend" else {}
    with pytest.raises(ControlNotAllowedNow) as refused:
        control_event(session, action, at(5), **parameters)
    assert str(refused.value) == words


def test_an_expired_message_is_not_there_to_clear() -> None:
    session = apply(running(), "broadcast", 1, text="Hi", seconds=60)
    control_event(session, "clear_broadcast", at(1.5))
    with pytest.raises(ControlNotAllowedNow):
        control_event(session, "clear_broadcast", at(2.5))


@pytest.mark.parametrize(
    ("action", "parameters", "words"),
    [
        ("dance", {}, "unknown action 'dance': one of start, next, back"),
        ("extend", {}, "extend needs minutes"),
        ("extend", {"minutes": 0}, "not 0"),
        ("extend", {"minutes": -241}, "from -240 to 240"),
        ("extend", {"minutes": True}, "extend needs minutes"),
        ("next", {"minutes": 5}, "next takes no minutes"),
        ("pause", {"text": "x", "seconds": 5}, "pause takes no seconds or text"),
        ("extend", {"minutes": 5, "text": "x"}, "extend takes no text"),
        ("broadcast", {}, "broadcast needs text"),
        ("broadcast", {"text": " \n "}, "broadcast needs text"),
        ("broadcast", {"text": "x" * 501}, "at most 500"),
        ("broadcast", {"text": "Hi", "seconds": 0}, "from 1 to 86400"),
        ("broadcast", {"text": "Hi", "seconds": 86_401}, "from 1 to 86400"),
        ("clear_broadcast", {"text": "Hi"}, "clear_broadcast takes no text"),
    ],
)
def test_a_malformed_action_is_refused_in_one_line_whatever_the_run(
    action: str, parameters: dict[str, Any], words: str
) -> None:
    with pytest.raises(ControlRefused) as refused:
        control_event(running(), action, at(1), **parameters)
    assert not isinstance(refused.value, ControlNotAllowedNow)
    assert words in str(refused.value) and "\n" not in str(refused.value)


def test_the_longest_message_and_the_largest_extend_are_taken() -> None:
    told = control_event(running(), "broadcast", at(1), text="x" * 500, seconds=86_400)
    assert told.text == "x" * 500
    assert control_event(running(), "extend", at(1), minutes=-240).minutes == -240
