"""The review screen through Textual's Pilot, on the recorded run of the reference workshop.

The session is written with `session_file.dumps` (not `session_file.save`, which takes the
lock), so the tests can also check the review never creates a lock file nor changes the file.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from rich.text import Text
from textual.geometry import Region
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Static, TabbedContent

from pilot_helpers import START, settle
from recorded import recorded_example
from sessiontui import session_file
from sessiontui.core.model import Action, Event, Note, Session, Upcoming, WayOfWorking
from sessiontui.minutes import formats
from sessiontui.store.settings import UserConfig
from sessiontui.tui.app import SessionApp, make_app
from sessiontui.tui.screens.review import ReviewScreen
from sessiontui.tui.widgets.timeline import SummaryLine, TimelineChart, TimingTable

HOSTILE = ["[/]", "[@click=app.quit]x[/]", "\x1b[31mred", "[bold]b[/bold]"]
SHOWN = ["[/]", "[@click=app.quit]x[/]", "␛[31mred", "[bold]b[/bold]"]


def write(folder: Path, session: Session, name: str = "2023-02-16-recorded.toml") -> Path:
    path = folder / name
    path.write_text(session_file.dumps(session), encoding="utf-8")
    return path


@pytest.fixture
def recorded_path(tmp_path: Path) -> Path:
    return write(tmp_path, recorded_example())


@asynccontextmanager
async def reviewing(
    path: Path,
    *,
    size: tuple[int, int] = (120, 40),
    focus: tuple[str, str] | None = None,
    pushed: bool = False,
) -> AsyncIterator[tuple[SessionApp, Pilot[None], ReviewScreen]]:
    """The review of `path`, loaded: the app's first screen, or pushed over the home screen."""
    if pushed or focus is not None:
        empty = path.parent / "empty-folder"
        empty.mkdir(exist_ok=True)
        app = make_app(folder=empty, clock=lambda: START, config=UserConfig())
    else:
        app = make_app(session_path=path, clock=lambda: START, config=UserConfig(), mode="review")
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        if pushed or focus is not None:
            await app.push_screen(ReviewScreen(path, lambda: START, focus=focus))
            await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        yield app, pilot, screen


def text_of(widget: Widget) -> str:
    assert isinstance(widget, Static)
    return str(widget.visual)


def painted(widget: Widget) -> str:
    """What a widget paints, line by line."""
    width, height = widget.outer_size
    return "\n".join(strip.text for strip in widget.render_lines(Region(0, 0, width, height)))


def terminal_text(app: SessionApp) -> str:
    strips = app.screen._compositor.render_strips()
    return "\n".join(
        "".join(segment.text for segment in strip if not segment.control) for strip in strips
    )


def table_rows(screen: ReviewScreen) -> dict[str, dict[str, str]]:
    table = screen.query_one(TimingTable)
    names = [str(column.key.value) for column in table.ordered_columns]
    rows: dict[str, dict[str, str]] = {}
    for row_key in table.rows:
        cells = table.get_row(row_key)
        rows[str(row_key.value)] = {
            name: cell.plain if isinstance(cell, Text) else str(cell)
            for name, cell in zip(names, cells, strict=True)
        }
    return rows


# ---------------------------------------------------------------------------- timing


async def test_the_header_says_how_the_run_went(recorded_path: Path) -> None:
    async with reviewing(recorded_path) as (_app, _pilot, screen):
        assert screen.shown
        header = text_of(screen.query_one("#review-header"))
        assert "Workshop 2: Building common understanding and common purpose" in header
        assert "Thu 16 Feb 2023 · planned 13:00–16:00" in header
        assert "Online" in header
        summary = screen.query_one(SummaryLine)
        assert summary.lines(200) == [
            "Finished · started 13:02, 2 min late · finished 15:59, 1 min early · paused 3 min"
        ]
        assert painted(summary).strip() == summary.lines(200)[0]


async def test_the_table_has_planned_and_actual_and_the_differences(recorded_path: Path) -> None:
    async with reviewing(recorded_path) as (_app, _pilot, screen):
        rows = table_rows(screen)
        assert list(rows)[:3] == ["welcome", "coffee-setup", "coffee-trial"]
        coffee = rows["coffee-trial"]
        assert coffee["planned"] == "13:15"
        assert coffee["started"] == "13:16"
        assert coffee["late"] == "+1 min"
        assert (coffee["plan"], coffee["took"], coffee["difference"]) == (
            "15 min",
            "19 min",
            "+4 min",
        )
        assert coffee["flag"] == "▲ overran"
        plenary = rows["complexity-plenary"]
        assert (plenary["started"], plenary["took"], plenary["difference"]) == ("—", "—", "—")
        assert plenary["flag"] == "skipped"
        assert rows["tea"]["difference"] == "on time"
        assert rows["tea"]["flag"] == ""


async def test_the_narrow_table_drops_the_lateness_column(recorded_path: Path) -> None:
    async with reviewing(recorded_path, size=(80, 24)) as (_app, _pilot, screen):
        rows = table_rows(screen)
        assert "late" not in rows["coffee-trial"]
        assert rows["coffee-trial"]["difference"] == "+4 min"


async def test_the_chart_marks_the_overrun_and_the_skip(recorded_path: Path) -> None:
    async with reviewing(recorded_path) as (_app, _pilot, screen):
        lines = painted(screen.query_one(TimelineChart)).splitlines()
        coffee = lines.index(next(line for line in lines if "Randomised Coffee Trial " in line))
        plan_bar, actual_bar = lines[coffee], lines[coffee + 1]
        assert "░" in plan_bar
        assert "15 min → 19 min" in actual_bar
        assert actual_bar.rstrip().endswith("▓ ▲ +4")
        # The overrun starts after the planned length: the bar is mostly plain.
        assert actual_bar.count("█") > actual_bar.count("▓")
        plenary = next(i for i, line in enumerate(lines) if "Discussion in plenary" in line)
        assert "skipped" in lines[plenary + 1]
        assert "█" not in lines[plenary + 1]
        assert "13:00" in lines[1] and "16:00" in lines[1]


async def test_the_chart_is_redrawn_to_the_width(recorded_path: Path) -> None:
    async with reviewing(recorded_path) as (_app, pilot, screen):
        chart = screen.query_one(TimelineChart)
        wide = max(len(line.rstrip()) for line in painted(chart).splitlines())
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        narrow = max(len(line.rstrip()) for line in painted(chart).splitlines())
        assert narrow < wide <= 118
        assert narrow <= 78


async def test_the_log_says_pauses_extends_skips_replans_and_broadcasts(
    recorded_path: Path,
) -> None:
    async with reviewing(recorded_path) as (_app, _pilot, screen):
        log = text_of(screen.query_one("#review-log")).splitlines()
        assert log[0] == "13:02  Started 2 min late"
        assert "13:16  Told the room: Find your partner in your breakout room" in log
        assert "13:52  Paused for 3 min during Working in complexity and systems leadership" in log
        assert "14:06  Extended Breakout groups: empathy mapping by 5 min" in log
        assert "14:31  Skipped Discussion in plenary: what's resonating?" in log
        assert any(line.startswith("14:41  Replanned: ") and "28 min" in line for line in log)
        assert "15:19  Told the room: Back in the main room, please" in log
        assert log[-1] == "15:59  Finished 1 min early"


# ---------------------------------------------------------------------------- notes


async def test_the_notes_tab_lays_out_each_template(recorded_path: Path) -> None:
    async with reviewing(recorded_path) as (_app, pilot, screen):
        assert not screen.note_views  # mounted when first shown, not before
        await press(pilot, "n")
        assert screen.query_one(TabbedContent).active == "notes"
        empathy = screen.note_views[("empathy-breakout", "Group 1")]
        quadrants = [q for q in empathy.query(".quadrant")]
        assert len(quadrants) == 4
        titles = [str(q.border_title) for q in quadrants]
        assert titles == [
            "What do they see?",
            "What do they hear?",
            "What do they think and feel?",
            "What do they actually do or expect?",
        ]
        assert "nobody owns the whole pathway" in text_of(quadrants[2])
        # Two by two at 120 columns: the first two side by side.
        assert quadrants[0].region.y == quadrants[1].region.y
        assert quadrants[0].region.x < quadrants[1].region.x
        members = text_of(empathy.query_one(".note-members"))
        assert members == "Amira Patel, Ben Clarke, Chloe Evans, Dev Sharma"

        group_1 = screen.note_views[("common-purpose", "Group 1")]
        words_1 = group_1.query_one(".note-words")
        assert text_of(words_1) == "23 / 40 words · 17 to spare"
        assert not words_1.has_class("-over")
        group_2 = screen.note_views[("common-purpose", "Group 2")]
        words_2 = group_2.query_one(".note-words")
        assert text_of(words_2) == "45 / 40 words · 5 over the limit"
        assert words_2.has_class("-over")
        answers = [text_of(answer) for answer in group_2.query(".note-answer")]
        assert answers[0].startswith("What do we want to do?\nWork together across councils")
        room = screen.note_views[("coffee-trial", "")]
        assert "Three pairs found they work on the same estate." in text_of(
            room.query_one(".note-text")
        )


async def test_a_narrow_screen_stacks_the_quadrants(recorded_path: Path) -> None:
    async with reviewing(recorded_path, size=(80, 24)) as (_app, pilot, screen):
        await press(pilot, "n")
        quadrants = list(screen.note_views[("empathy-breakout", "Group 1")].query(".quadrant"))
        assert quadrants[0].region.x == quadrants[1].region.x
        assert quadrants[0].region.y < quadrants[1].region.y


async def test_focus_opens_the_notes_tab_at_that_note(recorded_path: Path) -> None:
    async with reviewing(recorded_path, size=(80, 24), focus=("common-purpose", "Group 2")) as (
        _app,
        _pilot,
        screen,
    ):
        assert screen.query_one(TabbedContent).active == "notes"
        view = screen.note_views[("common-purpose", "Group 2")]
        assert view.has_class("-focused")
        others = [v for key, v in screen.note_views.items() if key != ("common-purpose", "Group 2")]
        assert not any(other.has_class("-focused") for other in others)
        page = screen.query_one("#review-notes")
        assert page.scroll_y > 0
        # Its top is on screen, inside the page.
        assert page.region.y <= view.region.y < page.region.bottom


# ---------------------------------------------------------------------------- what was agreed


async def test_commitments_ways_of_working_and_coming_up(recorded_path: Path) -> None:
    async with reviewing(recorded_path) as (_app, pilot, screen):
        await press(pilot, "c")
        assert screen.query_one(TabbedContent).active == "next"
        heading = text_of(screen.query_one("#review-commitments-heading"))
        assert heading == "Commitments (3: 1 done, 1 open, 1 dropped)"
        commitments = text_of(screen.query_one("#review-commitments")).splitlines()
        assert commitments[0] == (
            "✓ done    Amira Patel — Try the common purpose exercise with my team"
            " · due Tue 21 Mar 2023"
        )
        assert (
            commitments[1] == "○ open    Ben Clarke — Have a coffee with someone from the NHS trust"
        )
        assert commitments[2].startswith("✗ dropped Chloe Evans — Map who is in our system")
        ways = text_of(screen.query_one("#review-ways"))
        assert "Presence — Really listening to each other" in ways
        assert "Chatham — What's in the room stays in the room" in ways
        upcoming = text_of(screen.query_one("#review-upcoming")).splitlines()
        assert upcoming[0] == "Tue 21 Mar 2023  Dancefloor and Balcony: getting the bigger picture"
        assert len(upcoming) == 4


# ---------------------------------------------------------------------------- other sessions


async def test_a_session_never_run_shows_the_plan(tmp_path: Path, example_path: Path) -> None:
    path = write(tmp_path, session_file.load(example_path).session)
    async with reviewing(path) as (_app, _pilot, screen):
        assert screen.query_one(SummaryLine).lines(200) == ["Not run yet · planned 13:00–16:00"]
        rows = table_rows(screen)
        assert rows["welcome"]["planned"] == "13:00"
        assert {row["started"] for row in rows.values()} == {"—"}
        assert {row["flag"] for row in rows.values()} == {""}
        assert text_of(screen.query_one("#review-log")) == "Not run yet: nothing in the log."
        bars = painted(screen.query_one(TimelineChart)).split("\n", 1)[1]  # under the legend
        assert "░" in bars
        assert "█" not in bars
        assert "  10 min   " in bars


async def test_hostile_text_is_shown_literally(tmp_path: Path) -> None:
    base = recorded_example()
    hostile = " ".join(HOSTILE)
    shown = " ".join(SHOWN)
    notes = [
        *base.notes,
        Note(item="coffee-trial", group=hostile, text=hostile),
    ]
    session = base.model_copy(
        update={
            "title": f"Title {hostile}",
            "notes": notes,
            "actions": [Action(who=f"Who {hostile}", what=f"What {hostile}")],
            "upcoming": [Upcoming(date=dt.date(2023, 3, 1), title=f"Next {hostile}")],
            "ways_of_working": [WayOfWorking(name=f"Way {hostile}", text=hostile)],
            "log": [
                *base.log,
                Event(at=START + dt.timedelta(hours=3), kind="broadcast", text=hostile),
            ],
        }
    )
    path = write(tmp_path, session)
    async with reviewing(path, size=(200, 50)) as (app, pilot, screen):
        assert f"Title {shown}" in terminal_text(app)
        assert f"Told the room: {shown}" in text_of(screen.query_one("#review-log"))
        await press(pilot, "n")
        view = screen.note_views[("coffee-trial", hostile)]
        assert shown in text_of(view.query_one(".note-text"))
        assert shown in terminal_text(app)
        await press(pilot, "c")
        screen_text = terminal_text(app)
        for what in (f"Who {shown}", f"What {shown}", f"Next {shown}", f"Way {shown}"):
            assert what in screen_text
        assert "\x1b" not in screen_text
        assert app.is_running


async def test_a_broken_file_shows_its_problem(tmp_path: Path) -> None:
    path = tmp_path / "broken.toml"
    path.write_text('title = "x"\nagenda = [\n', encoding="utf-8")
    async with reviewing(path) as (app, _pilot, screen):
        problems = screen.query_one("#review-problems")
        assert problems.display
        said = text_of(problems)
        assert said.startswith("Could not open broken.toml\n• ")
        # Where the list opened, with the hint, not where tomllib gave up (the end of file).
        assert "broken.toml:2:10: this list is never closed" in said
        assert not screen.query_one(TabbedContent).display
        assert not screen.shown
        assert app.is_running  # not opened with exit_on_load_error


async def test_a_broken_file_from_the_command_line_exits_2(tmp_path: Path) -> None:
    path = tmp_path / "broken.toml"
    path.write_text("title = [\n", encoding="utf-8")
    app = make_app(
        session_path=path,
        clock=lambda: START,
        config=UserConfig(),
        mode="review",
        exit_on_load_error=True,
    )
    async with app.run_test() as pilot:
        await settle(pilot)
    assert app.return_code == 2
    assert app.load_problems
    assert "broken.toml:1:9: this list is never closed" in app.load_problems[0]


async def test_reviewing_never_writes_nor_locks(recorded_path: Path) -> None:
    before = recorded_path.read_bytes(), recorded_path.stat().st_mtime_ns
    listing = sorted(p.name for p in recorded_path.parent.iterdir())
    async with reviewing(recorded_path) as (_app, pilot, screen):
        for key in ("n", "c", "t", "ctrl+r"):
            await press(pilot, key)
        assert screen.shown
    assert (recorded_path.read_bytes(), recorded_path.stat().st_mtime_ns) == before
    assert sorted(p.name for p in recorded_path.parent.iterdir()) == listing
    assert not (recorded_path.parent / f".{recorded_path.name}.lock").exists()


# ---------------------------------------------------------------------------- sizes and keys


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
async def test_it_fits_and_survives_a_tiny_terminal(
    recorded_path: Path, size: tuple[int, int]
) -> None:
    async with reviewing(recorded_path, size=size) as (app, pilot, screen):
        for key in ("n", "c", "t"):
            await press(pilot, key)
            text = terminal_text(app)
            assert "Workshop 2" in text
            assert "Timing" in text and "Notes" in text
            # The summary is never cut: it breaks between its parts instead.
            assert "paused 3 min" in text
            assert "finished 15:59, 1 min early" in text
        await pilot.resize_terminal(1, 1)
        await pilot.pause()
        await press(pilot, "n")
        await pilot.resize_terminal(*size)
        await pilot.pause()
        assert "Workshop 2" in terminal_text(app)
        assert screen.query_one(TabbedContent).active == "notes"


async def test_escape_goes_back_only_when_there_is_somewhere_to_go(recorded_path: Path) -> None:
    async with reviewing(recorded_path) as (app, pilot, screen):
        await press(pilot, "escape")
        assert app.screen is screen and app.is_running
        assert screen.check_action("leave", ()) is False
    async with reviewing(recorded_path, pushed=True) as (app, pilot, screen):
        assert screen.check_action("leave", ()) is True
        await press(pilot, "escape")
        assert app.screen is not screen


async def test_x_writes_the_minutes_beside_the_file(
    recorded_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fake_minutes(session: Session, fmt: str) -> str:
        return f"{fmt}: {session.title}\n"

    monkeypatch.setattr(formats, "render", fake_minutes)
    async with reviewing(recorded_path) as (app, pilot, _screen):
        await press(pilot, "x")
        md = recorded_path.with_name("2023-02-16-recorded-minutes.md")
        html = recorded_path.with_name("2023-02-16-recorded-minutes.html")
        assert md.read_text(encoding="utf-8").startswith("md: Workshop 2")
        assert html.read_text(encoding="utf-8").startswith("html: Workshop 2")
        notes = [(n.title, n.message) for n in app._notifications]
        assert ("Minutes written", f"{md}, {html}") in notes


async def test_minutes_that_fail_are_said_on_screen(
    recorded_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(session: Session, fmt: str) -> str:
        raise NotImplementedError(fmt)

    monkeypatch.setattr(formats, "render", broken)
    async with reviewing(recorded_path) as (app, pilot, _screen):
        await press(pilot, "x")
        said = [(n.title, n.severity) for n in app._notifications]
        assert ("Minutes not written", "error") in said
        assert not recorded_path.with_name("2023-02-16-recorded-minutes.md").exists()
        assert app.is_running


async def test_a_read_only_minutes_file_is_said_in_one_line_naming_it(
    recorded_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(formats, "render", lambda session, fmt: f"{fmt}\n")
    md = recorded_path.with_name("2023-02-16-recorded-minutes.md")
    md.write_text("kept\n", encoding="utf-8")
    md.chmod(0o444)
    async with reviewing(recorded_path) as (app, pilot, _screen):
        await press(pilot, "x")
        said = [n.message for n in app._notifications if n.title == "Minutes not written"]
        assert said == [f"{md}: the file is read-only (no write permission); not writing it"]
    assert md.read_text(encoding="utf-8") == "kept\n"


async def test_a_disk_error_names_the_file_not_its_errno(
    recorded_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sessiontui.store import atomic

    def refused(path: Path, text: str) -> None:
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(formats, "render", lambda session, fmt: f"{fmt}\n")
    monkeypatch.setattr(atomic, "write_text", refused)
    async with reviewing(recorded_path) as (app, pilot, _screen):
        await press(pilot, "x")
        said = [n.message for n in app._notifications if n.title == "Minutes not written"]
        md = recorded_path.with_name("2023-02-16-recorded-minutes.md")
        assert said == [f"{md}: Permission denied"]


async def press(pilot: Pilot[None], key: str) -> None:
    await pilot.press(key)
    await settle(pilot)


async def test_long_notes_show_their_start_until_clicked_or_a(tmp_path: Path) -> None:
    base = recorded_example()
    long = " ".join(f"word{n}" for n in range(400))
    notes = [*base.notes, Note(item="coffee-trial", group="Group 9", text=long)]
    path = write(tmp_path, base.model_copy(update={"notes": notes}))
    async with reviewing(path) as (_app, pilot, screen):
        await press(pilot, "n")
        view = screen.note_views[("coffee-trial", "Group 9")]
        shown = text_of(view.query_one(".note-text"))
        assert shown.startswith("word0 word1 ")
        assert "word399" not in shown
        assert shown.endswith("more words (click, or a for all)")
        assert view.cut
        await pilot.click(view.query_one(".note-text"))
        await settle(pilot)
        assert text_of(view.query_one(".note-text")) == long
        await press(pilot, "a")
        await press(pilot, "a")  # all, then back to the starts of long notes
        assert not screen.all_text
        assert "word399" not in text_of(view.query_one(".note-text"))


@pytest.mark.parametrize("pushed", [False, True])
async def test_the_footer_offers_the_keys_that_need_the_session_once_it_loads(
    recorded_path: Path, pushed: bool
) -> None:
    # The footer rebuilds once per burst of binding changes: the last one must still land.
    from textual.widgets._footer import FooterKey

    async with reviewing(recorded_path, pushed=pushed) as (_app, pilot, screen):
        await pilot.pause()
        keys = {key.key: key for key in screen.query(FooterKey)}
        assert {"t", "n", "c", "x"} <= set(keys)
        assert not any(keys[name].disabled for name in ("t", "n", "c", "x"))
        assert ("escape" in keys) == pushed
