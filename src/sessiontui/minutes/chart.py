"""The planned-against-actual chart's geometry, in minutes, for every medium that draws it.

The time axis (its start, length, ticks and their labels), each item's plan bar, actual bar
and overrun part, and each item's label are computed here once; the SVG in the HTML minutes,
the monospace chart in the Markdown and the terminal timeline only scale these minutes to
their own units (pixels, characters, cells), so the three can never tell different stories.
No Textual import and no words beyond the labels: the marks are `view`'s.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Final

from sessiontui.core import review
from sessiontui.display import safe_line

MINUTE: Final = dt.timedelta(minutes=1)

TICK_STEPS: Final = (5, 10, 15, 20, 30, 60, 120, 180, 240, 360, 720, 1440)
"""Minutes between the axis's time labels: the chart takes the smallest that fits its medium."""


@dataclass(frozen=True, slots=True)
class Tick:
    """One time label on the axis, `at` minutes from the axis start."""

    at: float
    label: str


@dataclass(frozen=True, slots=True)
class Axis:
    """The time axis: from a whole tick step before the first moment to one after the last.

    Starting and ending on a tick means the first and last labels sit at the chart's edges.
    """

    start: dt.datetime
    span: float
    """Minutes from the axis start to its end (a whole number of steps, at least one)."""
    step: int
    """Minutes between ticks."""
    ticks: tuple[Tick, ...]

    def fraction(self, minutes: float) -> float:
        """How far along the axis a moment `minutes` after its start is, 0 to 1."""
        return minutes / self.span


@dataclass(frozen=True, slots=True)
class Bar:
    """One agenda item on the chart, in minutes from the axis start."""

    row: review.ItemTiming
    title: str
    """The item's title on one line, controls made visible, whitespace runs made single."""
    plan_from: float
    plan_length: float
    actual_from: float | None
    """Where the actual bar starts (None when the room never reached the item)."""
    actual_length: float | None
    """Active minutes spent on the item (pauses excluded, so a pause shows as a gap)."""
    over: float
    """Minutes the actual bar runs past the plan's length (0 unless the item overran)."""

    @property
    def number(self) -> int:
        """The item's number in the agenda, from 1, as the tables number it."""
        return self.row.index + 1

    @property
    def skipped(self) -> bool:
        """Whether the room skipped the item (its actual bar is the moment it was skipped)."""
        return self.row.state == "skipped"

    @property
    def over_from(self) -> float | None:
        """Where the overrun part of the actual bar starts, or None when it did not overrun."""
        if not self.over or self.actual_from is None or self.actual_length is None:
            return None
        return self.actual_from + self.actual_length - self.over

    def label(self, limit: int) -> str:
        """ "3 Randomised Coffee Trial", shortened with "…" to at most `limit` characters."""
        return shorten(f"{self.number} {self.title}", limit)


@dataclass(frozen=True, slots=True)
class Chart:
    """The axis and one bar per agenda item, in agenda order."""

    axis: Axis
    bars: tuple[Bar, ...]

    @property
    def ran(self) -> bool:
        """Whether any item has an actual bar (else a legend for it would explain nothing)."""
        return any(bar.actual_from is not None for bar in self.bars)


def chart_of(timing: review.Timing, tick_gaps: float = 6) -> Chart:
    """The chart of a timing, with at most `tick_gaps` gaps between the axis's labels.

    The medium says how many labels fit: the SVG and the Markdown take six gaps, the terminal
    one per seven columns. Everything else is the same for every medium.
    """
    moments = [timing.planned_start, timing.planned_end]
    for row in timing.items:
        moments += [row.planned_start, row.planned_end]
        if row.actual_start is not None and row.actual is not None:
            moments += [row.actual_start, row.actual_start + row.actual]
    if timing.finished_at is not None:
        moments.append(timing.finished_at)
    earliest, latest = min(moments), max(moments)
    total = max((latest - earliest) / MINUTE, 1.0)
    step = next((s for s in TICK_STEPS if total / s <= tick_gaps), TICK_STEPS[-1])
    since_midnight = earliest.hour * 60 + earliest.minute
    floored = since_midnight - since_midnight % step
    start = earliest.replace(hour=floored // 60, minute=floored % 60, second=0, microsecond=0)
    span = float(max(math.ceil(((latest - start) / MINUTE) / step) * step, step))
    ticks = tuple(
        Tick(k * step, review.clock_text(start + k * step * MINUTE))
        for k in range(round(span / step) + 1)
    )
    return Chart(Axis(start, span, step, ticks), tuple(_bar(row, start) for row in timing.items))


def _bar(row: review.ItemTiming, start: dt.datetime) -> Bar:
    actual_from = actual_length = None
    if row.actual_start is not None and row.actual is not None:
        actual_from = (row.actual_start - start) / MINUTE
        actual_length = row.actual / MINUTE
    over = 0.0
    if row.overran and row.state != "skipped" and actual_length is not None:
        over = actual_length - row.planned / MINUTE
    return Bar(
        row=row,
        title=" ".join(safe_line(row.item.title).split()),
        plan_from=(row.planned_start - start) / MINUTE,
        plan_length=row.planned / MINUTE,
        actual_from=actual_from,
        actual_length=actual_length,
        over=over,
    )


def shorten(text: str, limit: int) -> str:
    """`text` cut to `limit` characters, its last one "…", when it is longer."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
