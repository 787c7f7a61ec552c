"""The review core: planned against actual, the log in words, notes by template, the series."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from recorded import COMMITMENTS, recorded_example
from sessiontui import session_file
from sessiontui.core import review
from sessiontui.core.model import Action, Event
from workshops import DAY, REFERENCE_AGENDA, session_with

MIN = dt.timedelta(minutes=1)


def at(clock: str) -> dt.datetime:
    hours, minutes = map(int, clock.split(":"))
    return dt.datetime.combine(DAY, dt.time(hours, minutes), tzinfo=dt.UTC)


def test_a_recorded_run_reads_planned_against_actual() -> None:
    timing = review.timing(recorded_example())
    assert timing.state == "finished"
    assert timing.start_late == 2 * MIN
    assert timing.drift == -1 * MIN
    assert timing.paused_for == 3 * MIN
    by_id = {row.item.id: row for row in timing.items}
    trial = by_id["coffee-trial"]
    assert (trial.planned, trial.actual, trial.overran) == (15 * MIN, 19 * MIN, True)
    assert review.difference_text(trial.duration_difference) == "+4 min"
    assert review.clock_text(trial.planned_start) == "13:15"
    assert review.clock_text(trial.actual_start) == "13:16"
    assert by_id["complexity-plenary"].state == "skipped"
    assert not by_id["tea"].overran
    # Paused time is not the item's: the presentation ran 13:44 to 14:06 with 3 minutes paused.
    assert by_id["complexity"].actual == 19 * MIN


def test_the_log_lines_say_what_happened_in_words() -> None:
    lines = [
        (line.at.strftime("%H:%M"), line.kind, line.text)
        for line in review.timing(recorded_example()).log
    ]
    assert (
        "13:52",
        "pause",
        "Paused for 3 min during Working in complexity and systems leadership",
    ) in lines
    assert ("14:06", "extend", "Extended Breakout groups: empathy mapping by 5 min") in lines
    assert ("14:31", "skip", "Skipped Discussion in plenary: what's resonating?") in lines
    assert any(kind == "replan" and "to 28 min" in text for _, kind, text in lines)
    assert [text for _, kind, text in lines if kind == "broadcast"] == [
        "Told the room: Find your partner in your breakout room",
        "Told the room: Back in the main room, please",
    ]
    assert [line.at for line in review.timing(recorded_example()).log] == sorted(
        line.at for line in review.timing(recorded_example()).log
    )


def test_a_session_never_run_shows_its_plan_as_written(example_path: Path) -> None:
    session = session_file.load(example_path).session
    timing = review.timing(session)
    assert timing.state == "planned"
    assert timing.started_at is None and timing.drift is None and timing.start_late is None
    # The plan's own day and times, not moved to today as the live screen previews it.
    assert timing.planned_start.date() == session.date
    assert review.clock_text(timing.planned_start) == "13:00"
    assert all(row.actual is None and row.actual_start is None for row in timing.items)
    assert review.difference_text(timing.items[0].duration_difference) == "—"


def test_a_running_session_is_read_at_its_last_event() -> None:
    session = session_with(
        REFERENCE_AGENDA,
        [Event(at=at("13:00"), kind="start"), Event(at=at("13:12"), kind="next")],
    )
    timing = review.timing(session)
    assert timing.state == "running"
    assert timing.items[0].actual == 12 * MIN and timing.items[0].overran
    assert timing.items[1].actual == dt.timedelta(0)
    assert timing.drift is None


def test_notes_are_laid_out_by_template_with_word_counts() -> None:
    sections = review.note_sections(recorded_example())
    assert [(s.item.id, s.group) for s in sections] == [
        ("coffee-trial", ""),
        ("empathy-breakout", "Group 1"),
        ("common-purpose", "Group 1"),
        ("common-purpose", "Group 2"),
    ]
    empathy = sections[1]
    assert empathy.template == "empathy-map"
    assert [label for label, _ in empathy.fields] == [
        "What do they see?",
        "What do they hear?",
        "What do they think and feel?",
        "What do they actually do or expect?",
    ]
    assert empathy.members[0] == "Amira Patel"
    over = sections[3]
    assert (over.words, over.limit, over.over_limit) == (45, 40, 5)
    assert sections[2].over_limit == 0


def test_text_in_a_field_the_template_no_longer_asks_is_kept() -> None:
    session = recorded_example()
    notes = [
        note.model_copy(update={"text": "kept"}) if note.item == "empathy-breakout" else note
        for note in session.notes
    ]
    sections = review.note_sections(session.model_copy(update={"notes": notes}))
    empathy = next(s for s in sections if s.item.id == "empathy-breakout")
    assert empathy.fields[-1] == ("Notes", "kept")


def test_groups_sort_by_their_number() -> None:
    session = recorded_example()
    extra = [
        note.model_copy(update={"group": name})
        for name in ("Group 10", "Group 3")
        for note in session.notes
        if note.item == "common-purpose" and note.group == "Group 1"
    ]
    sections = review.note_sections(session.model_copy(update={"notes": [*session.notes, *extra]}))
    groups = [s.group for s in sections if s.item.id == "common-purpose"]
    assert groups == ["Group 1", "Group 2", "Group 3", "Group 10"]


def _series(count: int) -> list[tuple[str, review.Session]]:
    base = recorded_example()
    sessions = []
    for n in range(count):
        shift = dt.timedelta(days=7 * n)  # all in GMT: log times stay the same wall times
        log = [event.model_copy(update={"at": event.at + shift}) for event in base.log]
        sessions.append(
            (
                f"s{n}.toml",
                base.model_copy(
                    update={"date": base.date + shift, "title": f"Workshop {n + 1}", "log": log}
                ),
            )
        )
    return sessions


def test_the_series_is_in_date_order_with_every_commitment() -> None:
    sessions = _series(3)
    other = ("other.toml", sessions[0][1].model_copy(update={"series": "Another"}))
    entries = review.series_of(
        [sessions[2], other, sessions[0], sessions[1]], sessions[0][1].series or ""
    )
    assert [entry.session.title for entry in entries] == ["Workshop 1", "Workshop 2", "Workshop 3"]
    assert [entry.timing.drift for entry in entries] == [-MIN] * 3
    rows = review.commitments(entries)
    assert len(rows) == 3 * len(COMMITMENTS)
    assert [(row.key, row.index) for row in rows[:3]] == [
        ("s0.toml", 0),
        ("s0.toml", 1),
        ("s0.toml", 2),
    ]


def test_the_previous_session_is_the_latest_earlier_one_of_the_series() -> None:
    sessions = _series(3)
    current = sessions[2][1]
    assert review.previous_in_series(sessions, current) == sessions[1]
    assert review.previous_in_series(sessions, sessions[0][1]) is None
    alone = current.model_copy(update={"series": None})
    assert review.previous_in_series(sessions, alone) is None


def test_a_status_change_finds_its_commitment_even_if_an_earlier_one_went() -> None:
    session = recorded_example()
    rows = review.commitments(review.series_of([("a.toml", session)], session.series or ""))
    target = rows[2]
    changed = review.with_status(session, target, "done")
    assert [a.status for a in changed.actions] == ["done", "open", "done"]
    shorter = session.model_copy(update={"actions": session.actions[1:]})
    assert [a.status for a in review.with_status(shorter, target, "open").actions] == [
        "open",
        "open",
    ]
    gone = session.model_copy(update={"actions": session.actions[:2]})
    with pytest.raises(LookupError):
        review.with_status(gone, target, "done")


@given(st.timedeltas(min_value=-dt.timedelta(hours=30), max_value=dt.timedelta(hours=30)))
def test_differences_read_as_people_say_them(delta: dt.timedelta) -> None:
    text = review.difference_text(delta)
    if abs(delta) < MIN:
        assert text == "on time"
    else:
        assert text[0] == ("+" if delta > dt.timedelta(0) else "−")
        assert int(text[1:].split()[0]) == round(abs(delta) / MIN)
    words = review.lateness_text(delta)
    assert words.startswith("finished ")
    assert ("late" in words) == (delta >= MIN) or abs(delta) < MIN


def test_an_action_without_item_or_due_is_a_commitment_too() -> None:
    session = recorded_example().model_copy(update={"actions": [Action(who="A", what="B")]})
    rows = review.commitments(review.series_of([("x", session)], session.series or ""))
    assert rows[0].action.item is None
