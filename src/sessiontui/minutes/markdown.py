"""The minutes as Markdown (CommonMark with tables), ready to paste into an email, wiki or issue.

It prints `view.Minutes` section by section; every string from the session passes through
one of the escaping functions below at the moment it is written, so notes can never add
markup, raw HTML, table cells or headings. The chart is a monospace drawing of `chart`'s
geometry in a fenced block.
"""

from __future__ import annotations

import re
from typing import Final

from sessiontui.core.model import Session
from sessiontui.display import safe_line, safe_text
from sessiontui.minutes import chart, view

# ---------------------------------------------------------------------------- escaping

_INLINE_SPECIAL: Final = re.compile(r"[\\`*_\[\]#|~]")
_LINE_START: Final = re.compile(r"^(?:([-+=])|([0-9]+)([.)]))")


def md_text(text: str) -> str:
    """One line of user text as Markdown that renders as exactly that text and nothing more.

    Entities for `&`, `<` and `>` (so no raw HTML and no entity of the user's passes), a
    backslash before every character that could start emphasis, code, a link, a heading, a
    table cell or strikethrough, and before what would start a list or a setext underline
    at the beginning of the line.
    """
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _INLINE_SPECIAL.sub(lambda match: "\\" + match.group(0), text)
    return _LINE_START.sub(_escape_line_start, text)


def _escape_line_start(match: re.Match[str]) -> str:
    if match.group(1):
        return "\\" + match.group(1)
    return match.group(2) + "\\" + match.group(3)


def md_line(text: str) -> str:
    """User text for a one-line place (a heading, a list item): newlines become spaces."""
    return md_text(" ".join(safe_line(text).split()))


def md_paragraphs(text: str) -> str:
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
    blocks = ["\\\n".join(lines) for lines in paragraphs if lines]
    return "\n\n".join(blocks) if blocks else view.NO_ANSWER


def md_cell(text: str) -> str:
    """User text for a table cell: `|` escaped, its lines joined by `<br>` (the one raw HTML)."""
    lines = [line.strip() for line in safe_text(text).split("\n")]
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    return "<br>".join(md_text(line) for line in lines)


def _table(header: list[str], rows: list[list[str]], right: frozenset[int] = frozenset()) -> str:
    aligns = ["---:" if index in right else "---" for index in range(len(header))]
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join(aligns) + " |"]
    lines += ["| " + " | ".join(cells) + " |" for cells in rows]
    return "\n".join(lines)


def fenced(body: str) -> str:
    """`body` as a fenced block whose fence is longer than any run of backticks inside it."""
    longest = max((len(run) for run in re.findall(r"`+", body)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}text\n{body}\n{fence}"


# ---------------------------------------------------------------------------- the minutes


def render(session: Session, audience: view.Audience = "facilitators") -> str:
    """The session's minutes for an audience as Markdown."""
    return render_minutes(view.minutes_of(session, audience))


def render_minutes(minutes: view.Minutes) -> str:
    """Markdown of a view-model: the header, then each section's heading and body, in order.

    The minutes and the plan handout alike: both are a `view.Minutes`.
    """
    blocks = _header(minutes.header)
    for section in minutes.sections:
        blocks.append(f"## {md_text(section.heading)}")
        blocks += _body(section.body)
    return "\n\n".join(blocks) + "\n"


def _header(header: view.Header) -> list[str]:
    blocks = [f"# {md_line(header.title)}"]
    if header.series:
        blocks.append(f"Series: {md_line(header.series)}")
    blocks.append(
        "\n".join(
            f"- **{detail.label}:** {', '.join(md_line(value) for value in detail.values)}"
            for detail in header.details
        )
    )
    if header.notice:
        blocks.append(f"*{md_text(header.notice)}*")
    return blocks


def _body(body: view.Body) -> list[str]:
    match body:
        case view.People():
            return _people(body)
        case view.Agenda():
            return _agenda(body)
        case view.Happened():
            return ["\n".join(f"- {entry.clock} {md_line(entry.text)}" for entry in body.entries)]
        case view.Notes():
            return _notes(body)
        case view.Commitments():
            if not body.named:
                rows = [[md_cell(r.what), r.due, r.status] for r in body.rows]
                return [_table(["What", "Due", "Status"], rows)]
            rows = [[md_cell(r.who or ""), md_cell(r.what), r.due, r.status] for r in body.rows]
            return [_table(["Who", "What", "Due", "Status"], rows)]
        case view.Ways():
            return [
                "\n".join(
                    f"- **{md_line(way.name)}**" + (f": {md_line(way.text)}" if way.text else "")
                    for way in body.ways
                )
            ]
        case view.ComingUp():
            return ["\n".join(f"- **{e.day}:** {md_line(e.title)}" for e in body.entries)]
        case view.PlanAgenda():
            return _plan_agenda(body)


def _plan_agenda(agenda: view.PlanAgenda) -> list[str]:
    blocks: list[str] = []
    for item in agenda.items:
        blocks.append(f"### {item.start}–{item.end} {md_line(item.title)} ({item.length})")
        if item.where:
            blocks.append(f"*Where:* {md_line(item.where)}")
        if item.prompts:
            blocks.append("\n".join(f"- {md_line(prompt)}" for prompt in item.prompts))
    return blocks


def _people(people: view.People) -> list[str]:
    blocks = []
    if people.present:
        blocks.append("\n".join(f"- {md_line(person)}" for person in people.present))
    if people.absent:
        blocks.append(f"Absent: {', '.join(md_line(person) for person in people.absent)}.")
    return blocks


def _agenda(agenda: view.Agenda) -> list[str]:
    header = ["#", "Item", "Planned start", "Actual start", "Planned", "Actual", "Difference", ""]
    rows = [
        [
            str(row.number),
            md_cell(row.title),
            row.planned_start,
            row.actual_start,
            row.planned,
            row.actual,
            row.difference,
            md_text(row.flag.text) if row.flag else "",
        ]
        for row in agenda.rows
    ]
    blocks = [md_text(agenda.summary), _table(header, rows, right=frozenset({0, 4, 5, 6}))]
    if agenda.chart is not None:
        blocks.append(fenced(text_chart(agenda.chart)))
    return blocks


def _notes(notes: view.Notes) -> list[str]:
    blocks: list[str] = []
    for item in notes.items:
        blocks.append(f"### {md_line(item.title)}")
        for group in item.groups:
            blocks.append(f"#### {md_line(group.name)}")
            if group.members:
                blocks.append(f"*Members:* {', '.join(md_line(name) for name in group.members)}")
            for answer in group.answers:
                if answer.question is not None:
                    blocks.append(f"**{md_line(answer.question)}**")
                blocks.append(md_paragraphs(answer.text))
            if group.words is not None:
                blocks.append(f"*{md_text(group.words)}*")
    return blocks


# ---------------------------------------------------------------------------- the chart

_LABEL_WIDTH: Final = 26
_CHARACTERS_PER_TICK: Final = 10


def text_chart(drawn: chart.Chart) -> str:
    """The chart in monospace: `=` the plan, `#` what happened, `!` the overrun part."""
    axis = drawn.axis
    per_char = axis.step / _CHARACTERS_PER_TICK
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
    for tick in axis.ticks:
        at = column(tick.at)
        axis_line[at : at + len(tick.label)] = tick.label
        tick_line[at] = "|"
    pad = " " * (_LABEL_WIDTH + 8)
    lines = [
        "= planned   # what happened   ! overran" if drawn.ran else "= planned",
        "",
        pad + "".join(axis_line).rstrip(),
        pad + "".join(tick_line).rstrip(),
    ]
    for bar in drawn.bars:
        name = chart.shorten(bar.title, _LABEL_WIDTH - 3)
        label = f"{bar.number:>2} {name}".ljust(_LABEL_WIDTH)
        lines.append(f"{label} plan   {strip(bar.plan_from, bar.plan_length, '=')}")
        if bar.actual_from is not None and bar.actual_length is not None:
            actual = strip(bar.actual_from, bar.actual_length, "#", bar.over)
            mark = view.bar_mark(bar)
            lines.append(f"{'':{_LABEL_WIDTH}} actual {actual}{'  ' + mark if mark else ''}")
        elif bar.skipped:
            lines.append(f"{'':{_LABEL_WIDTH}} actual skipped")
    return "\n".join(line.rstrip() for line in lines)
