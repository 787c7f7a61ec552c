"""Days and times a session file may hold: every computation on them stays in datetime's range.

A day outside the model's range is refused when the file is read; a day inside it, even the
last one in the zone furthest from UTC, must plan, check and run without overflowing.
"""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from sessiontui.core import schedule
from sessiontui.core.model import EARLIEST_DAY, LATEST_DAY, AgendaItem, Event, Note, Session


def session_on(day: dt.date, zone: str) -> Session:
    return Session(
        schema_version=1,
        title="Edge",
        date=day,
        start=dt.time(0, 0),
        end=dt.time(23, 59),
        timezone=zone,
        agenda=[
            AgendaItem(id=f"i{n}", title="Long", kind="plenary", minutes=24 * 60) for n in range(3)
        ],
    )


@pytest.mark.parametrize("zone", ["Pacific/Pago_Pago", "Pacific/Kiritimati", "UTC"])
@pytest.mark.parametrize("day", [EARLIEST_DAY, LATEST_DAY])
def test_the_edge_days_plan_and_run_in_every_zone(day: dt.date, zone: str) -> None:
    session = session_on(day, zone)
    started = schedule.planned(session)[0].start
    running = session.model_copy(
        update={
            "log": [Event(at=started, kind="start"), Event(at=started, kind="extend", minutes=240)]
        }
    )
    assert len(schedule.planned(running)) == 3
    schedule.plan_issues(running)


@pytest.mark.parametrize(
    "moment",
    [
        dt.datetime(9999, 12, 31, 23, tzinfo=dt.timezone(-dt.timedelta(hours=5))),
        dt.datetime(1, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=5))),
        dt.datetime(1899, 12, 31, 23, 59, tzinfo=dt.UTC),
        dt.datetime(3000, 1, 1, tzinfo=dt.UTC),
    ],
)
def test_date_times_outside_the_range_are_refused_not_overflowed(moment: dt.datetime) -> None:
    with pytest.raises(ValidationError, match="is out of range"):
        Event(at=moment, kind="start")
    with pytest.raises(ValidationError, match="is out of range"):
        Note(item="x", edited=moment)


def test_two_participants_with_one_name_are_refused() -> None:
    with pytest.raises(ValidationError, match=r"participants\[1\].name: 'ANN' is already"):
        Session(
            schema_version=1,
            title="Twins",
            date=dt.date(2024, 1, 10),
            start=dt.time(9),
            end=dt.time(10),
            participants=["Ann", "ANN"],  # type: ignore[list-item]
        )
