"""Minutes to send: a session rendered as Markdown or as one self-contained HTML page.

Both renderings tell what `review` tells (the review screen reads the same functions), in the
order a facilitator writes minutes, so the page, the file and the screen never disagree. Every
string that comes from the session passes through one escaping function of its format at the
moment it is written out, so notes can never add markup, script, table cells or headings.
No Textual import and no disk: the command line writes the result through `store.write_text`.
"""

from __future__ import annotations

import datetime as dt
import html as html_lib
import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Final

from sessiontui.core import review
from sessiontui.core.model import Session
from sessiontui.display import safe_line, safe_text

FORMATS: Final = ("md", "html")

_MINUTE: Final = dt.timedelta(minutes=1)
_DAYS: Final = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS: Final = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

# The section headings, the same in both formats, so a reader of one finds their way in the other.
WHO = "Who took part"
AGENDA = "Agenda: planned and actual"
HAPPENED = "What happened"
NOTES = "Notes by breakout"
PURPOSE = "Common purpose"
COMMITMENTS = "Commitments"
WAYS = "Ways of working"
COMING_UP = "Coming up"

NOT_RUN = "Not run yet."
NO_NOTES = "No notes were taken."
WHOLE_ROOM = "Whole room"


def minutes(session: Session, fmt: str) -> str:
    """The session's minutes in `fmt` ("md" or "html"); another name is a ValueError."""
    if fmt == "md":
        return markdown(session)
    if fmt == "html":
        return html(session)
    raise ValueError(f"unknown minutes format {fmt!r} (choose md or html)")


# ---------------------------------------------------------------------------- shared words


@dataclass(frozen=True, slots=True)
class _AgendaRow:
    """One line of the planned-against-actual table, in words both formats print as they are."""

    number: int
    title: str
    planned_start: str
    actual_start: str
    planned: str
    actual: str
    difference: str
    flags: list[str]
    overran: bool


def date_text(day: dt.date) -> str:
    """ "Thursday 16 February 2023", spelt out here so the minutes never depend on the locale."""
    return f"{_DAYS[day.weekday()]} {day.day} {_MONTHS[day.month - 1]} {day.year}"


def summary_text(timing: review.Timing) -> str:
    """The timing in one line, "Started 13:02 (2 min late) · finished 15:59 (1 min early)"."""
    if timing.state == "planned" or timing.started_at is None:
        return "Not run yet"
    parts = [f"Started {review.clock_text(timing.started_at)} ({_late(timing.start_late)})"]
    if timing.finished_at is None:
        parts.append("not finished when last saved")
    else:
        parts.append(f"finished {review.clock_text(timing.finished_at)} ({_late(timing.drift)})")
    if timing.paused_for >= _MINUTE:
        parts.append(f"paused {review.minutes_text(timing.paused_for)}")
    return " · ".join(parts)


def _late(delta: dt.timedelta | None) -> str:
    # lateness_text with an empty verb is exactly the bracketed part: "2 min late", "on time".
    return review.lateness_text(delta, what="").strip()


def words_text(section: review.NoteSection) -> str:
    """ "23 / 40 words", "45 / 40 words · 5 over the limit", or "23 words" without a limit."""
    if section.limit is None:
        return f"{section.words} words"
    text = f"{section.words} / {section.limit} words"
    if section.over_limit:
        text += f" · {section.over_limit} over the limit"
    return text


def _agenda_rows(timing: review.Timing) -> list[_AgendaRow]:
    rows = []
    for row in timing.items:
        flags = []
        skipped = row.state == "skipped"
        if skipped:
            flags.append("skipped")
        elif row.overran:
            flags.append("▲ overran")
        elif row.state == "current":
            flags.append("running")
        elif row.actual_start is None and timing.state == "finished":
            flags.append("not reached")
        rows.append(
            _AgendaRow(
                number=row.index + 1,
                title=row.item.title,
                planned_start=review.clock_text(row.planned_start),
                actual_start=review.clock_text(row.actual_start),
                planned=review.minutes_text(row.planned),
                actual=review.minutes_text(row.actual),
                # A skipped item's few seconds against its plan would read as "−10 min".
                difference="—" if skipped else review.difference_text(row.duration_difference),
                flags=flags,
                overran=row.overran and not skipped,
            )
        )
    return rows


def _person(name: str, org: str | None) -> str:
    return f"{name} ({org})" if org else name


def _people(session: Session) -> tuple[list[str], list[str]]:
    present = [_person(p.name, p.org) for p in session.participants if not p.absent]
    absent = [_person(p.name, p.org) for p in session.participants if p.absent]
    return present, absent


def _planned_time(session: Session) -> str:
    text = f"{session.start:%H:%M} to {session.end:%H:%M}"
    return f"{text} ({session.timezone})" if session.timezone else text


def _split_sections(
    sections: list[review.NoteSection],
) -> tuple[list[review.NoteSection], list[review.NoteSection]]:
    notes = [s for s in sections if s.template != "common-purpose"]
    purposes = [s for s in sections if s.template == "common-purpose"]
    return notes, purposes


def _by_item(
    sections: Iterable[review.NoteSection],
) -> list[tuple[str, list[review.NoteSection]]]:
    grouped: dict[str, list[review.NoteSection]] = {}
    for section in sections:
        grouped.setdefault(section.item.id, []).append(section)
    return [(rows[0].item.title, rows) for rows in grouped.values()]


def _group_name(section: review.NoteSection) -> str:
    return section.group or WHOLE_ROOM


def _fields_shown(section: review.NoteSection) -> list[tuple[str | None, str]]:
    # Free notes are one text: its "Notes" label would only repeat the heading above it.
    if section.template == "free" and len(section.fields) == 1:
        return [(None, section.fields[0][1])]
    return [(label, text) for label, text in section.fields]


def _action_rows(session: Session) -> list[tuple[str, str, str, str]]:
    return [
        (
            action.who,
            action.what,
            "—" if action.due is None else f"{action.due:%Y-%m-%d}",
            action.status,
        )
        for action in session.actions
    ]


def _upcoming(session: Session) -> list[tuple[str, str]]:
    return [(date_text(entry.date), entry.title) for entry in session.upcoming]


def _ways(session: Session) -> list[tuple[str, str]]:
    return [(way.name, way.text) for way in session.ways_of_working]


# ---------------------------------------------------------------------------- the chart's geometry


@dataclass(frozen=True, slots=True)
class _Bar:
    """One item on the timeline, in minutes from the axis start."""

    row: review.ItemTiming
    plan_from: float
    plan_length: float
    actual_from: float | None
    actual_length: float | None
    over: float
    """Minutes the actual bar runs past the plan's length (0 unless the item overran)."""


@dataclass(frozen=True, slots=True)
class _Axis:
    start: dt.datetime
    span: float
    """Minutes from the axis start to its end."""
    step: int
    """Minutes between ticks."""

    def ticks(self) -> list[tuple[float, str]]:
        count = round(self.span / self.step)
        return [
            (k * self.step, review.clock_text(self.start + k * self.step * _MINUTE))
            for k in range(count + 1)
        ]


_TICK_STEPS: Final = (5, 10, 15, 30, 60, 120, 180, 240, 360, 720, 1440)


def _chart(timing: review.Timing, max_ticks: int) -> tuple[_Axis, list[_Bar]]:
    """The axis and bars of the timeline, shared by the SVG and the text chart."""
    moments = [timing.planned_start, timing.planned_end]
    for row in timing.items:
        moments += [row.planned_start, row.planned_end]
        if row.actual_start is not None and row.actual is not None:
            moments += [row.actual_start, row.actual_start + row.actual]
    if timing.finished_at is not None:
        moments.append(timing.finished_at)
    earliest, latest = min(moments), max(moments)
    total = max((latest - earliest) / _MINUTE, 1.0)
    step = next((s for s in _TICK_STEPS if total / s <= max_ticks - 1), _TICK_STEPS[-1])
    since_midnight = earliest.hour * 60 + earliest.minute
    floored = since_midnight - since_midnight % step
    start = earliest.replace(hour=floored // 60, minute=floored % 60, second=0, microsecond=0)
    span = math.ceil(((latest - start) / _MINUTE) / step) * step
    bars = []
    for row in timing.items:
        actual_from = actual_length = None
        if row.actual_start is not None and row.actual is not None:
            actual_from = (row.actual_start - start) / _MINUTE
            actual_length = row.actual / _MINUTE
        over = 0.0
        if row.overran and row.state != "skipped" and actual_length is not None:
            over = actual_length - row.planned / _MINUTE
        bars.append(
            _Bar(
                row=row,
                plan_from=(row.planned_start - start) / _MINUTE,
                plan_length=row.planned / _MINUTE,
                actual_from=actual_from,
                actual_length=actual_length,
                over=over,
            )
        )
    return _Axis(start, float(max(span, step)), step), bars


def _bar_mark(bar: _Bar) -> str:
    """The text beside an actual bar: the mark that still reads in greyscale and print."""
    if bar.row.state == "skipped":
        return "skipped"
    if bar.over:
        return f"▲ {review.difference_text(bar.row.duration_difference)} over"
    return ""


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# ---------------------------------------------------------------------------- Markdown

_MD_INLINE_SPECIAL: Final = re.compile(r"[\\`*_\[\]#|~]")
_MD_LINE_START: Final = re.compile(r"^(?:([-+=])|([0-9]+)([.)]))")


def md_text(text: str) -> str:
    """One line of user text as Markdown that renders as exactly that text and nothing more.

    Entities for `&`, `<` and `>` (so no raw HTML and no entity of the user's passes), a
    backslash before every character that could start emphasis, code, a link, a heading, a
    table cell or strikethrough, and before what would start a list or a setext underline
    at the beginning of the line.
    """
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _MD_INLINE_SPECIAL.sub(lambda match: "\\" + match.group(0), text)
    return _MD_LINE_START.sub(_escape_line_start, text)


def _escape_line_start(match: re.Match[str]) -> str:
    if match.group(1):
        return "\\" + match.group(1)
    return match.group(2) + "\\" + match.group(3)


def md_line(text: str) -> str:
    """User text for a one-line place (a heading, a list item): newlines become spaces."""
    return md_text(" ".join(safe_line(text).split()))


def md_paragraphs(text: str, indent: str = "") -> str:
    """User text as paragraphs: its line breaks kept as hard breaks, blank lines between.

    Each line is stripped: leading spaces would make an indented code block, and trailing
    ones a hard break of their own.
    """
    paragraphs: list[list[str]] = [[]]
    for line in safe_text(text).split("\n"):
        stripped = line.strip()
        if stripped:
            paragraphs[-1].append(md_text(stripped))
        elif paragraphs[-1]:
            paragraphs.append([])
    blocks = ["\\\n".join(indent + line for line in lines) for lines in paragraphs if lines]
    return ("\n\n").join(blocks) if blocks else indent + "—"


def md_cell(text: str) -> str:
    """User text for a table cell: `|` escaped, its lines joined by `<br>` (the one raw HTML)."""
    lines = [line.strip() for line in safe_text(text).split("\n")]
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    return "<br>".join(md_text(line) for line in lines)


def _md_table(header: list[str], rows: list[list[str]], right: set[int] | None = None) -> str:
    right = right or set()
    aligns = ["---:" if index in right else "---" for index in range(len(header))]
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join(aligns) + " |"]
    lines += ["| " + " | ".join(cells) + " |" for cells in rows]
    return "\n".join(lines)


def _md_fence(body: str) -> str:
    # Longer than any run of backticks inside, so nothing in the block can close it.
    longest = max((len(run) for run in re.findall(r"`+", body)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}text\n{body}\n{fence}"


def markdown(session: Session) -> str:
    """The minutes as Markdown (CommonMark with tables), ready to paste or send."""
    timing = review.timing(session)
    out: list[str] = [f"# {md_line(session.title)}"]
    if session.series:
        out.append(f"Series: {md_line(session.series)}")
    details = [
        f"- **Date:** {date_text(session.date)}",
        f"- **Planned:** {md_line(_planned_time(session))}",
    ]
    if session.venue:
        details.append(f"- **Venue:** {md_line(session.venue)}")
    if session.facilitators:
        details.append(f"- **Facilitators:** {', '.join(md_line(f) for f in session.facilitators)}")
    out.append("\n".join(details))

    out.append(f"## {WHO}")
    present, absent = _people(session)
    if present:
        out.append("\n".join(f"- {md_line(person)}" for person in present))
    elif not absent:
        out.append("Nobody was listed.")
    if absent:
        out.append(f"Absent: {', '.join(md_line(person) for person in absent)}.")

    out.append(f"## {AGENDA}")
    out.append(md_text(summary_text(timing)))
    rows = _agenda_rows(timing)
    out.append(
        _md_table(
            ["#", "Item", "Planned start", "Actual start", "Planned", "Actual", "Difference", ""],
            [
                [
                    str(row.number),
                    md_cell(row.title),
                    row.planned_start,
                    row.actual_start,
                    row.planned,
                    row.actual,
                    row.difference,
                    md_text(", ".join(row.flags)),
                ]
                for row in rows
            ],
            right={0, 4, 5, 6},
        )
    )
    if timing.items:
        out.append(_md_fence(text_chart(timing)))

    out.append(f"## {HAPPENED}")
    if timing.state == "planned":
        out.append(NOT_RUN)
    elif timing.log:
        out.append(
            "\n".join(f"- {review.clock_text(line.at)} {md_line(line.text)}" for line in timing.log)
        )
    else:
        out.append("It ran as planned: no pauses, skips, changes or messages.")

    notes, purposes = _split_sections(review.note_sections(session))
    out.append(f"## {NOTES}")
    out += _md_notes(notes) if notes else [NO_NOTES]
    out.append(f"## {PURPOSE}")
    out += _md_notes(purposes) if purposes else ["No common-purpose statements were written."]

    out.append(f"## {COMMITMENTS}")
    actions = _action_rows(session)
    if actions:
        out.append(
            _md_table(
                ["Who", "What", "Due", "Status"],
                [[md_cell(who), md_cell(what), due, status] for who, what, due, status in actions],
            )
        )
    else:
        out.append("No commitments were recorded.")

    out.append(f"## {WAYS}")
    ways = _ways(session)
    if ways:
        out.append(
            "\n".join(
                f"- **{md_line(name)}**" + (f": {md_line(text)}" if text else "")
                for name, text in ways
            )
        )
    else:
        out.append("None were listed.")

    out.append(f"## {COMING_UP}")
    upcoming = _upcoming(session)
    if upcoming:
        out.append("\n".join(f"- **{day}:** {md_line(title)}" for day, title in upcoming))
    else:
        out.append("Nothing is planned yet.")
    return "\n\n".join(out) + "\n"


def _md_notes(sections: list[review.NoteSection]) -> list[str]:
    out: list[str] = []
    for title, rows in _by_item(sections):
        out.append(f"### {md_line(title)}")
        for section in rows:
            out.append(f"#### {md_line(_group_name(section))}")
            if section.members:
                out.append(f"*Members:* {', '.join(md_line(name) for name in section.members)}")
            for label, text in _fields_shown(section):
                if label is not None:
                    out.append(f"**{md_line(label)}**")
                out.append(md_paragraphs(text))
            if section.template == "common-purpose":
                out.append(f"*{md_text(words_text(section))}*")
    return out


def text_chart(timing: review.Timing) -> str:
    """The timeline in monospace: `=` the plan, `#` what happened, `!` the overrun part."""
    axis, bars = _chart(timing, max_ticks=7)
    per_char = axis.step / 10
    label_width = 26
    width = round(axis.span / per_char)

    def column(minutes: float) -> int:
        return round(minutes / per_char)

    def strip(start: float, length: float, fill: str, over: float = 0.0) -> str:
        first = column(start)
        cells = max(1, column(start + length) - first)
        over_cells = min(cells, max(1, round(over / per_char))) if over else 0
        return " " * first + fill * (cells - over_cells) + "!" * over_cells

    axis_line = [" "] * (width + 6)
    tick_line = [" "] * (width + 1)
    for minutes, label in axis.ticks():
        at = column(minutes)
        axis_line[at : at + len(label)] = label
        tick_line[at] = "|"
    pad = " " * (label_width + 8)
    ran = any(bar.actual_from is not None for bar in bars)
    lines = [
        "= planned   # what happened   ! overran" if ran else "= planned",
        "",
        pad + "".join(axis_line).rstrip(),
        pad + "".join(tick_line).rstrip(),
    ]
    for bar in bars:
        name = _shorten(" ".join(safe_line(bar.row.item.title).split()), label_width - 3)
        label = f"{bar.row.index + 1:>2} {name}".ljust(label_width)
        lines.append(f"{label} plan   {strip(bar.plan_from, bar.plan_length, '=')}")
        if bar.actual_from is not None and bar.actual_length is not None:
            actual = strip(bar.actual_from, bar.actual_length, "#", bar.over)
            mark = _bar_mark(bar)
            lines.append(f"{'':{label_width}} actual {actual}{'  ' + mark if mark else ''}")
        elif bar.row.state == "skipped":
            lines.append(f"{'':{label_width}} actual skipped")
    return "\n".join(line.rstrip() for line in lines)


# ---------------------------------------------------------------------------- HTML

CONTENT_SECURITY_POLICY: Final = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"

_CSS: Final = """
:root { --ink: #1c1c1c; --muted: #595959; --rule: #d4d4d4; --plan: #cfd8e3;
  --plan-edge: #7d8fa6; --actual: #2d5b86; --over: #b3261e; --soft: #f5f6f8; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body { margin: 0; color: var(--ink); background: #fff;
  font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; }
main { max-width: 50rem; margin: 0 auto; padding: 1rem 1rem 3rem; overflow-wrap: anywhere; }
h1 { font-size: 1.6rem; line-height: 1.25; margin: .5rem 0 .25rem; }
h2 { font-size: 1.25rem; margin: 2rem 0 .5rem; padding-bottom: .2rem;
  border-bottom: 2px solid var(--rule); }
h3 { font-size: 1.1rem; margin: 1.5rem 0 .25rem; }
h4 { font-size: 1rem; margin: 1rem 0 .25rem; }
.series { color: var(--muted); margin: 0 0 .75rem; }
dl.details { display: grid; grid-template-columns: max-content 1fr; gap: .1rem 1rem; margin: 0; }
dl.details dt { font-weight: 600; }
dl.details dd { margin: 0; }
.summary { font-weight: 600; }
.user { white-space: pre-wrap; }
.muted, .members { color: var(--muted); }
.members { margin: 0 0 .5rem; font-size: .95rem; }
.table-wrap { overflow-x: auto; margin: .5rem 0 1rem; -webkit-overflow-scrolling: touch; }
table { border-collapse: collapse; width: 100%; font-size: .95rem; overflow-wrap: normal; }
th, td { text-align: left; vertical-align: top; padding: .35rem .5rem;
  border-bottom: 1px solid var(--rule); }
th { background: var(--soft); font-size: .9rem; vertical-align: bottom; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td.num { white-space: nowrap; }
td.title { min-width: 9rem; }
.flag { white-space: nowrap; font-weight: 600; }
.flag.overran { color: var(--over); }
.flag.skipped { color: var(--muted); }
figure.chart { margin: 1rem 0; }
figure.chart svg { display: block; width: 100%; max-width: 36rem; height: auto; }
figcaption { font-size: .9rem; color: var(--muted); margin-top: .4rem; }
.key { display: inline-block; width: 1.4em; height: .7em; margin: 0 .3em 0 .8em;
  vertical-align: baseline; border: 1px solid var(--plan-edge); }
.key.plan { background: var(--plan); }
.key.actual { background: var(--actual); border-color: var(--actual); }
.key.over { background: var(--over); border-color: var(--over); }
ul.log { padding-left: 1.2rem; }
.time { font-variant-numeric: tabular-nums; font-weight: 600; margin-right: .4em; }
.group { border-left: 3px solid var(--rule); padding: 0 0 0 .8rem; margin: .8rem 0 1.2rem; }
.field h5 { font-size: .95rem; margin: .6rem 0 .15rem; }
.field p { margin: 0; }
.map { display: grid; grid-template-columns: 1fr 1fr; gap: .6rem; }
.map .field { background: var(--soft); padding: .5rem .7rem; border-radius: 4px; }
.map .field h5 { margin-top: 0; }
.words { font-size: .95rem; font-weight: 600; margin: .5rem 0 0; }
.words.over { color: var(--over); }
@media (max-width: 36rem) {
  .map { grid-template-columns: 1fr; }
  dl.details { grid-template-columns: 1fr; }
  dl.details dd { margin-bottom: .3rem; }
  table { font-size: .9rem; }
  th, td { padding: .3rem .35rem; }
}
@media print { main { max-width: none; } .table-wrap { overflow: visible; } }
""".strip()


def html_text(text: str) -> str:
    """User text for HTML: controls made visible, then every markup character escaped."""
    return html_lib.escape(safe_text(text), quote=True)


def html_line(text: str) -> str:
    """User text for a one-line place: as `html_text`, newlines and tabs become spaces."""
    return html_lib.escape(safe_line(text), quote=True)


def html(session: Session) -> str:
    """The minutes as one self-contained HTML page: inline CSS and SVG, nothing fetched."""
    timing = review.timing(session)
    title = html_line(session.title)
    body: list[str] = ["<header>", f"<h1>{title}</h1>"]
    if session.series:
        body.append(f'<p class="series">{html_line(session.series)}</p>')
    body.append('<dl class="details">')
    details = [("Date", date_text(session.date)), ("Planned", _planned_time(session))]
    if session.venue:
        details.append(("Venue", session.venue))
    if session.facilitators:
        details.append(("Facilitators", ", ".join(session.facilitators)))
    body += [f"<dt>{name}</dt><dd>{html_line(value)}</dd>" for name, value in details]
    body += ["</dl>", "</header>"]

    body += _html_people(session)
    body += _html_agenda(timing)
    body += _html_happened(timing)
    notes, purposes = _split_sections(review.note_sections(session))
    body += [f'<section id="notes"><h2>{NOTES}</h2>']
    body += _html_notes(notes) if notes else [f"<p>{NO_NOTES}</p>"]
    body += ["</section>", f'<section id="common-purpose"><h2>{PURPOSE}</h2>']
    body += (
        _html_notes(purposes) if purposes else ["<p>No common-purpose statements were written.</p>"]
    )
    body.append("</section>")
    body += _html_commitments(session)
    body += _html_ways(session)
    body += _html_upcoming(session)
    head = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta http-equiv="Content-Security-Policy" content="{CONTENT_SECURITY_POLICY}">',
        f"<title>Minutes: {title}</title>",
        f"<style>\n{_CSS}\n</style>",
        "</head>",
        "<body>",
        "<main>",
    ]
    return "\n".join([*head, *body, "</main>", "</body>", "</html>"]) + "\n"


def _html_people(session: Session) -> list[str]:
    present, absent = _people(session)
    out = [f'<section id="people"><h2>{WHO}</h2>']
    if present:
        out += ["<ul>", *(f"<li>{html_line(person)}</li>" for person in present), "</ul>"]
    elif not absent:
        out.append("<p>Nobody was listed.</p>")
    if absent:
        out.append(f"<p>Absent: {', '.join(html_line(person) for person in absent)}.</p>")
    out.append("</section>")
    return out


def _html_agenda(timing: review.Timing) -> list[str]:
    out = [
        f'<section id="agenda"><h2>{AGENDA}</h2>',
        f'<p class="summary">{html_lib.escape(summary_text(timing))}</p>',
        '<div class="table-wrap"><table>',
        "<thead><tr>"
        '<th class="num">#</th><th>Item</th><th class="num">Planned start</th>'
        '<th class="num">Actual start</th><th class="num">Planned</th>'
        '<th class="num">Actual</th><th class="num">Difference</th><th></th>'
        "</tr></thead>",
        "<tbody>",
    ]
    for row in _agenda_rows(timing):
        flags = " ".join(
            f'<span class="flag {"overran" if "overran" in flag else flag.replace(" ", "-")}">'
            f"{html_lib.escape(flag)}</span>"
            for flag in row.flags
        )
        out.append(
            f'<tr><td class="num">{row.number}</td>'
            f'<td class="title user">{html_text(row.title)}</td>'
            f'<td class="num">{row.planned_start}</td><td class="num">{row.actual_start}</td>'
            f'<td class="num">{row.planned}</td><td class="num">{row.actual}</td>'
            f'<td class="num">{row.difference}</td><td>{flags}</td></tr>'
        )
    out += ["</tbody>", "</table></div>"]
    if timing.items:
        out += [
            '<figure class="chart">',
            svg_chart(timing),
            '<figcaption><span class="key plan"></span>planned'
            '<span class="key actual"></span>what happened'
            '<span class="key over"></span>overran (also marked ▲)</figcaption>',
            "</figure>",
        ]
    out.append("</section>")
    return out


def _html_happened(timing: review.Timing) -> list[str]:
    out = [f'<section id="happened"><h2>{HAPPENED}</h2>']
    if timing.state == "planned":
        out.append(f"<p>{NOT_RUN}</p>")
    elif timing.log:
        out.append('<ul class="log">')
        out += [
            f'<li><span class="time">{review.clock_text(line.at)}</span>'
            f'<span class="user">{html_text(line.text)}</span></li>'
            for line in timing.log
        ]
        out.append("</ul>")
    else:
        out.append("<p>It ran as planned: no pauses, skips, changes or messages.</p>")
    out.append("</section>")
    return out


def _html_notes(sections: list[review.NoteSection]) -> list[str]:
    out: list[str] = []
    for title, rows in _by_item(sections):
        out.append(f"<h3>{html_line(title)}</h3>")
        for section in rows:
            out += ['<div class="group">', f"<h4>{html_line(_group_name(section))}</h4>"]
            if section.members:
                names = ", ".join(html_line(name) for name in section.members)
                out.append(f'<p class="members">Members: {names}</p>')
            shown = _fields_shown(section)
            out.append('<div class="map">' if section.template == "empathy-map" else "<div>")
            for label, text in shown:
                out.append('<div class="field">')
                if label is not None:
                    out.append(f"<h5>{html_line(label)}</h5>")
                content = html_text(text) if text.strip() else "—"
                out += [f'<p class="user note">{content}</p>', "</div>"]
            out.append("</div>")
            if section.template == "common-purpose":
                over = " over" if section.over_limit else ""
                out.append(f'<p class="words{over}">{html_lib.escape(words_text(section))}</p>')
            out.append("</div>")
    return out


def _html_commitments(session: Session) -> list[str]:
    out = [f'<section id="commitments"><h2>{COMMITMENTS}</h2>']
    rows = _action_rows(session)
    if not rows:
        return [*out, "<p>No commitments were recorded.</p>", "</section>"]
    out += [
        '<div class="table-wrap"><table>',
        "<thead><tr><th>Who</th><th>What</th><th>Due</th><th>Status</th></tr></thead>",
        "<tbody>",
    ]
    out += [
        f'<tr><td class="user">{html_text(who)}</td><td class="user">{html_text(what)}</td>'
        f'<td class="num">{due}</td><td>{status}</td></tr>'
        for who, what, due, status in rows
    ]
    return [*out, "</tbody>", "</table></div>", "</section>"]


def _html_ways(session: Session) -> list[str]:
    ways = _ways(session)
    out = [f'<section id="ways"><h2>{WAYS}</h2>']
    if not ways:
        return [*out, "<p>None were listed.</p>", "</section>"]
    out.append("<ul>")
    out += [
        f"<li><strong>{html_line(name)}</strong>"
        + (f": {html_line(text)}" if text else "")
        + "</li>"
        for name, text in ways
    ]
    return [*out, "</ul>", "</section>"]


def _html_upcoming(session: Session) -> list[str]:
    upcoming = _upcoming(session)
    out = [f'<section id="coming-up"><h2>{COMING_UP}</h2>']
    if not upcoming:
        return [*out, "<p>Nothing is planned yet.</p>", "</section>"]
    out.append("<ul>")
    out += [f"<li><strong>{day}:</strong> {html_line(title)}</li>" for day, title in upcoming]
    return [*out, "</ul>", "</section>"]


# ---------------------------------------------------------------------------- the SVG chart

_SVG_WIDTH: Final = 400
_SVG_LEFT: Final = 6
_SVG_RIGHT: Final = 6
_SVG_AXIS: Final = 22
_SVG_ROW: Final = 38


def svg_chart(timing: review.Timing) -> str:
    """The timeline as inline SVG: per item a label, a plan bar and, once reached, an actual bar.

    An overrun is drawn in red and also marked with "▲ +N min over" in the label, so it reads
    in greyscale and print; every bar has a <title> for screen readers and hover.
    """
    axis, bars = _chart(timing, max_ticks=7)
    plot = _SVG_WIDTH - _SVG_LEFT - _SVG_RIGHT
    height = _SVG_AXIS + _SVG_ROW * len(bars) + 4

    def x(minutes: float) -> float:
        return _SVG_LEFT + plot * minutes / axis.span

    def width(minutes: float) -> float:
        return max(1.5, plot * minutes / axis.span)

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_SVG_WIDTH} {height}" '
        f'role="img" aria-labelledby="chart-title" font-family="system-ui, sans-serif">',
        '<title id="chart-title">The agenda, planned against what happened</title>',
    ]
    for minutes, label in axis.ticks():
        anchor = "start" if minutes == 0 else "end" if minutes >= axis.span else "middle"
        out.append(
            f'<line class="tick" x1="{x(minutes):.1f}" y1="{_SVG_AXIS - 6}" '
            f'x2="{x(minutes):.1f}" y2="{height}" stroke="#e3e3e3" stroke-width="1"/>'
            f'<text x="{x(minutes):.1f}" y="12" font-size="10" fill="#595959" '
            f'text-anchor="{anchor}">{label}</text>'
        )
    for position, bar in enumerate(bars):
        out += _svg_row(bar, _SVG_AXIS + position * _SVG_ROW, x, width)
    out.append("</svg>")
    return "\n".join(out)


def _svg_row(
    bar: _Bar, top: float, x: Callable[[float], float], width: Callable[[float], float]
) -> list[str]:
    row = bar.row
    name = " ".join(safe_line(row.item.title).split())
    mark = _bar_mark(bar)
    label = html_lib.escape(_shorten(f"{row.index + 1} {name}", 44 if mark else 56))
    mark_svg = ""
    if mark:
        colour = "#b3261e" if bar.over else "#595959"
        mark_svg = (
            f' <tspan class="mark" fill="{colour}" font-weight="600">'
            f"{html_lib.escape(mark)}</tspan>"
        )
    planned_title = html_line(
        f"{name}: planned {review.clock_text(row.planned_start)}–"
        f"{review.clock_text(row.planned_end)} ({review.minutes_text(row.planned)})"
    )
    out = [
        f'<g class="item" data-item="{html_lib.escape(row.item.id)}">',
        f'<text x="{_SVG_LEFT}" y="{top + 12}" font-size="12" fill="#1c1c1c">'
        f"{label}{mark_svg}</text>",
        f'<rect class="plan" x="{x(bar.plan_from):.1f}" y="{top + 16}" '
        f'width="{width(bar.plan_length):.1f}" height="8" fill="#cfd8e3" stroke="#7d8fa6" '
        f'stroke-width="0.6"><title>{planned_title}</title></rect>',
    ]
    if bar.actual_from is not None and bar.actual_length is not None:
        happened = (
            f"{name}: skipped at {review.clock_text(row.actual_start)}"
            if row.state == "skipped"
            else f"{name}: started {review.clock_text(row.actual_start)}, "
            f"took {review.minutes_text(row.actual)} "
            f"({review.difference_text(row.duration_difference)} against the plan)"
        )
        out.append(
            f'<rect class="actual" x="{x(bar.actual_from):.1f}" y="{top + 26}" '
            f'width="{width(bar.actual_length):.1f}" height="8" fill="#2d5b86">'
            f"<title>{html_line(happened)}</title></rect>"
        )
        if bar.over:
            over_from = bar.actual_from + bar.actual_length - bar.over
            out.append(
                f'<rect class="over" x="{x(over_from):.1f}" y="{top + 26}" '
                f'width="{width(bar.over):.1f}" height="8" fill="#b3261e">'
                f"<title>{html_line(f'{name}: overran by {review.span_text(bar.over * _MINUTE)}')}"
                "</title></rect>"
            )
    out.append("</g>")
    return out
