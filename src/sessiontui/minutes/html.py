"""The minutes as one self-contained HTML page: inline CSS and SVG, nothing fetched.

`view.Minutes` goes through the Jinja2 template `templates/minutes.html.j2` with autoescaping
on, so every string from the session is escaped wherever it lands and none can add a tag or
an attribute. Control characters become visible placeholders first (`display.safe_text`, or
`safe_line` for one-line places), through the template's `text` and `line` filters and, for
anything printed without a filter, the environment's `finalize`. The SVG chart is the
`chart` geometry scaled to a 400-unit wide view box here, and drawn by `chart.svg.j2`.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from sessiontui.core import review
from sessiontui.core.model import Session
from sessiontui.display import safe_line, safe_text
from sessiontui.minutes import chart, view

if TYPE_CHECKING:
    import jinja2


def render(session: Session, audience: view.Audience = "facilitators") -> str:
    """The session's minutes for an audience as one HTML page."""
    return render_minutes(view.minutes_of(session, audience))


def render_minutes(minutes: view.Minutes) -> str:
    """The HTML page of a view-model: the minutes, or the plan handout."""
    template = _environment().get_template("minutes.html.j2")
    return template.render(minutes=minutes, overrun_mark=view.OVERRUN_MARK)


@functools.cache
def _environment() -> jinja2.Environment:
    # Imported here: the command line starts without Jinja2 unless it exports HTML.
    import jinja2

    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("sessiontui.minutes", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        # Block tags on their own line leave no blank line behind, so the page reads as written.
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=_visible,
    )
    environment.filters["text"] = safe_text
    environment.filters["line"] = safe_line
    environment.globals["svg_of"] = svg_of
    return environment


def _visible(value: object) -> object:
    """Every plain string printed gets its controls made visible, even one missing a filter."""
    if isinstance(value, str) and not hasattr(value, "__html__"):
        return safe_text(value)
    return value


# ---------------------------------------------------------------------------- the SVG chart

SVG_WIDTH: Final = 400
_LEFT: Final = 6
_RIGHT: Final = 6
_AXIS: Final = 22
"""Height of the time labels above the first row."""
_ROW: Final = 38
_LABEL_LIMIT: Final = 56
_LABEL_LIMIT_WITH_MARK: Final = 44


@dataclass(frozen=True, slots=True)
class SvgTick:
    """A tick line and its time label."""

    x: str
    label: str
    anchor: str


@dataclass(frozen=True, slots=True)
class SvgBar:
    """One bar: where it is and what its tooltip (and a screen reader) says."""

    x: str
    width: str
    title: str


@dataclass(frozen=True, slots=True)
class SvgRow:
    """One item: its label and mark above its plan bar, its actual bar and its overrun part."""

    item_id: str
    top: int
    label: str
    mark: str
    mark_colour: str
    plan: SvgBar
    actual: SvgBar | None
    over: SvgBar | None


@dataclass(frozen=True, slots=True)
class Svg:
    """The chart scaled to the view box, for `chart.svg.j2` to draw."""

    width: int
    height: int
    left: int
    tick_top: int
    ticks: tuple[SvgTick, ...]
    rows: tuple[SvgRow, ...]


def svg_of(drawn: chart.Chart) -> Svg:
    """The chart in view-box units: per item a label, a plan bar and, once reached, what happened.

    An overrun is drawn in red and also marked "▲ +N min over" beside the label, so it reads
    in greyscale and print; every bar has a title for screen readers and hover.
    """
    axis = drawn.axis
    plot = SVG_WIDTH - _LEFT - _RIGHT

    def x(minutes: float) -> str:
        return f"{_LEFT + plot * axis.fraction(minutes):.1f}"

    def width(minutes: float) -> str:
        # Never thinner than a hairline: a skipped item's moment must still be seen.
        return f"{max(1.5, plot * axis.fraction(minutes)):.1f}"

    ticks = tuple(
        SvgTick(
            x(tick.at),
            tick.label,
            "start" if tick.at == 0 else "end" if tick.at >= axis.span else "middle",
        )
        for tick in axis.ticks
    )
    rows = []
    for position, bar in enumerate(drawn.bars):
        row = bar.row
        mark = view.bar_mark(bar)
        plan = SvgBar(
            x(bar.plan_from),
            width(bar.plan_length),
            f"{bar.title}: planned {review.clock_text(row.planned_start)}–"
            f"{review.clock_text(row.planned_end)} ({review.minutes_text(row.planned)})",
        )
        actual = over = None
        if bar.actual_from is not None and bar.actual_length is not None:
            happened = (
                f"{bar.title}: skipped at {review.clock_text(row.actual_start)}"
                if bar.skipped
                else f"{bar.title}: started {review.clock_text(row.actual_start)}, "
                f"took {review.minutes_text(row.actual)} "
                f"({review.difference_text(row.duration_difference)} against the plan)"
            )
            actual = SvgBar(x(bar.actual_from), width(bar.actual_length), happened)
        if bar.over_from is not None:
            overran_by = review.span_text(bar.over * chart.MINUTE)
            over = SvgBar(
                x(bar.over_from), width(bar.over), f"{bar.title}: overran by {overran_by}"
            )
        rows.append(
            SvgRow(
                item_id=row.item.id,
                top=_AXIS + position * _ROW,
                label=bar.label(_LABEL_LIMIT_WITH_MARK if mark else _LABEL_LIMIT),
                mark=mark,
                mark_colour="#b3261e" if bar.over else "#595959",
                plan=plan,
                actual=actual,
                over=over,
            )
        )
    height = _AXIS + _ROW * len(rows) + 4
    return Svg(SVG_WIDTH, height, _LEFT, _AXIS - 6, ticks, tuple(rows))
