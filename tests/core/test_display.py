"""Hostile user text reaches the screen literally and never reaches the terminal raw.

Every piece of user text goes through `sessiontui.display`; these tests feed markup, escape
sequences, control and bidi characters through it into every kind of widget the app uses (and
the ones it may use next), then check what the compositor would send to the terminal.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from hypothesis import given
from hypothesis import strategies as st
from rich.text import Text
from textual.app import App, ComposeResult
from textual.geometry import Region
from textual.widget import Widget
from textual.widgets import (
    Button,
    DataTable,
    Footer,
    Header,
    Label,
    ListItem,
    ListView,
    OptionList,
    Static,
    Tree,
)

from pilot_helpers import settle
from sessiontui.display import safe_line, safe_text, user_line, user_text

HOSTILE = {
    "[/]": "[/]",
    "[@click=app.quit]x[/]": "[@click=app.quit]x[/]",
    "[bold]not bold[/bold]": "[bold]not bold[/bold]",
    "\x1b[31mred\x1b[0m": "␛[31mred␛[0m",
    "\x1b]52;c;aGk=\x07": "␛]52;c;aGk=␇",
    "\x9b31m": "�31m",
    "\u202egnp.exe": "⟨U+202E⟩gnp.exe",
    "\x00": "␀",
    "\x7f": "␡",
}
"""Each hostile string and how it must look on screen."""

BIDI_AND_INVISIBLE = [0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)]


def is_unsafe(char: str) -> bool:
    """Whether a character must never reach the terminal as itself."""
    code = ord(char)
    return (
        (code < 0x20 and char not in "\n\t")
        or 0x7F <= code <= 0x9F
        or code in BIDI_AND_INVISIBLE
        or 0xD800 <= code <= 0xDFFF
        or unicodedata.bidirectional(char) in {"LRE", "RLE", "LRO", "RLO", "PDF"}
        or unicodedata.bidirectional(char) in {"LRI", "RLI", "FSI", "PDI"}
    )


def unsafe_in(text: str) -> list[str]:
    return [f"U+{ord(char):04X}" for char in text if is_unsafe(char)]


def terminal_text(app: App[Any]) -> str:
    """All text the compositor would write for the current screen, without styles."""
    strips = app.screen._compositor.render_strips()
    return "\n".join(
        "".join(segment.text for segment in strip if not segment.control) for strip in strips
    )


def widget_text(widget: Widget) -> str:
    """What a widget currently renders, one line per row."""
    width, height = widget.outer_size
    return "\n".join(strip.text for strip in widget.render_lines(Region(0, 0, width, height)))


# The pure functions


@pytest.mark.parametrize(("raw", "shown"), HOSTILE.items(), ids=list(map(repr, HOSTILE)))
def test_hostile_strings_become_literal_visible_text(raw: str, shown: str) -> None:
    assert safe_text(raw) == shown
    assert safe_line(raw) == shown
    assert user_text(raw).plain == shown
    assert user_line(raw).plain == shown
    assert user_text(raw).spans == []


def test_newlines_and_tabs_stay_in_text_and_become_spaces_in_lines() -> None:
    assert safe_text("a\nb\tc") == "a\nb\tc"
    assert safe_line("a\nb\tc") == "a b c"
    assert safe_text("one\r\ntwo") == "one\ntwo"
    assert safe_line("one\r\ntwo") == "one two"
    assert safe_text("lone\rcarriage") == "lone␍carriage"
    assert safe_text("a\u2028b") == "a\nb"
    assert safe_line("a\u2029b") == "a b"


def test_every_control_character_gets_a_visible_stand_in() -> None:
    for code in [*range(0x20), 0x7F]:
        char = chr(code)
        if char in "\n\t":
            continue
        shown = safe_text(char)
        assert shown != char and not unsafe_in(shown), hex(code)
        assert unicodedata.category(shown[0]) == "So", hex(code)  # a visible symbol
    assert safe_text("\x1b\x07") == "␛␇"
    for code in range(0x80, 0xA0):
        assert safe_text(chr(code)) == "�"


def test_bidi_controls_and_invisible_marks_are_named() -> None:
    for code in BIDI_AND_INVISIBLE:
        assert safe_text(chr(code)) == f"⟨U+{code:04X}⟩"
    assert safe_text("\ufeff") == "⟨U+FEFF⟩"


def test_lone_surrogates_become_replacement_characters() -> None:
    assert safe_text("a\ud800b\udfff") == "a�b�"


def test_ordinary_text_is_untouched_and_not_copied() -> None:
    text = "Café ☕ — 日本語, emoji 👩‍👩‍👧 and a zero-width joiner stay as they are"
    assert safe_text(text) is text
    assert safe_line(text) is text


def test_style_applies_to_the_whole_text() -> None:
    text = user_text("[b]x[/b]", "bold")
    assert isinstance(text, Text)
    assert text.plain == "[b]x[/b]"
    assert str(text.style) == "bold"


@given(st.text(alphabet=st.characters(exclude_categories=())))
def test_no_unsafe_character_survives(value: str) -> None:
    assert unsafe_in(safe_text(value)) == []
    line = safe_line(value)
    assert unsafe_in(line) == []
    assert "\n" not in line and "\t" not in line


# Every widget type


class HostileApp(App[None]):
    """One of each widget the app uses (or may use), all showing the same user text."""

    def __init__(self, raw: str) -> None:
        super().__init__()
        self.raw = raw
        self.quit_requested = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(user_text(self.raw), id="static")
        yield Label(user_text(self.raw), id="label")
        yield DataTable[Text](id="table")
        tree: Tree[None] = Tree(user_line(self.raw), id="tree")
        tree.root.add_leaf(user_line(self.raw))
        tree.root.expand()
        yield tree
        yield OptionList(user_text(self.raw), id="options")
        yield ListView(ListItem(Label(user_text(self.raw))), id="list")
        yield Button(user_line(self.raw), id="button")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column(user_line(self.raw), key="column")
        table.add_row(user_line(self.raw))
        self.title = safe_line(self.raw)
        self.sub_title = safe_line(self.raw)
        self.notify(safe_text(self.raw), title=safe_line(self.raw), markup=False, timeout=60)

    async def action_quit(self) -> None:
        self.quit_requested = True


WIDGETS = ("#static", "#label", "#table", "#tree", "#options", "ListItem Label", "#button")


@pytest.mark.parametrize(("raw", "shown"), HOSTILE.items(), ids=list(map(repr, HOSTILE)))
async def test_every_widget_shows_hostile_text_literally(raw: str, shown: str) -> None:
    app = HostileApp(raw)
    async with app.run_test(size=(80, 40), notifications=True, tooltips=True) as pilot:
        await pilot.pause()
        for selector in WIDGETS:
            rendered = widget_text(app.query_one(selector))
            assert shown in rendered, selector
        assert widget_text(app.query_one("HeaderTitle")).count(shown) == 2  # title, sub-title
        screen = terminal_text(app)
        assert screen.count(shown) >= 12  # the toast's title and message among them
        assert unsafe_in(screen) == []

        if "@click" not in raw:
            return  # clicking every widget is slow; the action markup is the one that matters
        for selector in WIDGETS:
            await pilot.click(selector)
            await pilot.press("enter")
        await pilot.click("Toast")
        await pilot.pause()
        assert not app.quit_requested
        assert app.is_running
        assert unsafe_in(terminal_text(app)) == []


# The whole app


def hostile_session(folder: Path) -> Path:
    """A session file whose every piece of user text is hostile."""
    raws = list(HOSTILE)
    data = {
        "schema_version": 1,
        "title": " ".join(raws[:4]),
        "series": " ".join(raws[4:]),
        "date": dt.date(2023, 2, 16),
        "start": dt.time(13, 0),
        "end": dt.time(16, 0),
        "venue": raws[1],
        "timezone": "Europe/London",
        "facilitators": raws,
        "participants": raws,
        "ways_of_working": [{"name": raw, "text": raw} for raw in raws],
        "agenda": [
            {
                "id": f"item-{index}",
                "title": raw,
                "kind": "plenary",
                "minutes": 10,
                "prompts": raws,
                "facilitator_notes": "\n".join(raws),
            }
            for index, raw in enumerate(raws)
        ],
    }
    path = folder / "hostile.toml"
    path.write_text(tomli_w.dumps(data), encoding="utf-8")
    return path


def fixed_clock() -> dt.datetime:
    return dt.datetime(2023, 2, 1, 9, 0, tzinfo=dt.UTC)


async def test_hostile_session_renders_literally_on_home_and_run_screens(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sessiontui.tui.app import make_app
    from sessiontui.tui.screens import RunScreen

    hostile_session(tmp_path)
    app = make_app(folder=tmp_path, clock=fixed_clock)
    quits: list[str] = []

    async def record_quit() -> None:
        quits.append("quit")

    monkeypatch.setattr(app, "action_quit", record_quit)
    async with app.run_test(size=(200, 60)) as pilot:
        await settle(pilot)
        home = terminal_text(app)
        assert "[/] [@click=app.quit]x[/] [bold]not bold[/bold] ␛[31mred␛[0m" in home
        assert "␛]52;c;aGk=␇ �31m ⟨U+202E⟩gnp.exe ␀ ␡" in home
        assert unsafe_in(home) == []

        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, RunScreen)
        for selector in ("#agenda", "#prompts", "#reminders"):
            rendered = widget_text(app.screen.query_one(selector))
            for shown in HOSTILE.values():
                assert shown in rendered, (selector, shown)
        summary = widget_text(app.screen.query_one("#summary"))
        assert "[@click=app.quit]x[/]" in summary  # the venue
        assert "⟨U+202E⟩gnp.exe, ␀, ␡" in summary  # the facilitators
        run = terminal_text(app)
        assert unsafe_in(run) == []

        await pilot.click("#summary")
        await pilot.click("#prompts")
        await pilot.press("down", "enter")
        await pilot.pause()
        assert quits == []
        assert app.is_running
