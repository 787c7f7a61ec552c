"""Keymaps: the help screen shows each binding's id, and a wrong id or key name is named.

Issue 16, case 16: `[keys]` in config.toml is by binding id, "as the help screen lists them",
but the help screen listed no ids, and Textual's `set_keymap` ignores an unknown id or key name
without a word. The autouse fixture in conftest.py keeps the settings file in tmp_path.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.binding import Binding
from textual.pilot import Pilot
from textual.widgets import Static
from textual.widgets._toast import Toast

from pilot_helpers import START, FakeClock, settle
from sessiontui.store import settings
from sessiontui.store.settings import UserConfig
from sessiontui.tui.app import SessionApp, make_app
from sessiontui.tui.dialogs.help import HelpScreen
from sessiontui.tui.keymap import declared_bindings, is_known_key, keymap_problems


async def settled(app: SessionApp, pilot: Pilot[None]) -> None:
    """Let the settings and keymap workers finish and their notices reach the screen."""
    for _ in range(3):  # the settings worker starts the keymap's
        await app.workers.wait_for_complete()
        await pilot.pause()


@pytest.mark.parametrize(
    "key",
    ["n", "N", "right", "pagedown", "f5", "ctrl+q", "shift+tab", "question_mark", "plus",
     "full_stop", "slash", "space", "escape", "enter", "ctrl+shift+home", "euro_sign"],
)  # fmt: skip
def test_key_names_textual_reports_are_known(key: str) -> None:
    assert is_known_key(key)


@pytest.mark.parametrize(
    "key",
    ["ctrl+shift+banana", "banana", "F1", "pgdn", "ctrl+ctrl+a", "cmd+a", "ctrl+", "", " "],
)
def test_key_names_textual_never_reports_are_not(key: str) -> None:
    assert not is_known_key(key)


def test_declared_bindings_cover_the_app_screens_dialogs_and_widgets() -> None:
    ids = declared_bindings()
    for binding_id in ["app.quit", "run.next", "notes.save", "plan.undo", "help.close",
                       "confirm.yes", "template_picker.cursor_down", "home.open"]:  # fmt: skip
        assert binding_id in ids, binding_id
    assert all(isinstance(binding, Binding) for binding in ids.values())


def test_keymap_problems_name_the_id_and_the_key() -> None:
    problems = keymap_problems(
        {"run.nxt": "n", "run.next": "x,ctrl+shift+banana", "app.quit": "ctrl+x"}
    )
    assert problems == [
        "[keys] 'run.nxt': no key has this id (see ? for the ids)",
        "[keys] 'run.next': 'ctrl+shift+banana' is not a key name",
    ]


BAD_KEYS = {"run.nxt": "n", "run.next": "x,ctrl+shift+banana"}


async def test_a_wrong_keymap_in_the_settings_file_is_named_once(tmp_path: Path) -> None:
    settings.save_config(UserConfig(keys={**BAD_KEYS, "app.quit": "ctrl+x"}))
    app = make_app(folder=tmp_path)
    async with app.run_test(notifications=True) as pilot:
        await settled(app, pilot)
        [notice] = list(app._notifications)
        assert notice.title == "Keys not remapped" and notice.severity == "warning"
        assert "'run.nxt'" in notice.message and "'ctrl+shift+banana'" in notice.message
        assert len(app.query(Toast)) == 1
        # The good entries still apply.
        await pilot.press("ctrl+x")
        await pilot.pause()
    assert app.return_code == 0


async def test_a_wrong_keymap_given_to_the_app_is_named(tmp_path: Path) -> None:
    app = make_app(folder=tmp_path, config=UserConfig(keys=BAD_KEYS))
    async with app.run_test(notifications=True) as pilot:
        await settled(app, pilot)
        [notice] = list(app._notifications)
        assert "'run.nxt'" in notice.message


@pytest.mark.parametrize("keys", [{}, {"run.next": "n,right,pagedown"}], ids=["none", "good"])
async def test_a_good_keymap_gets_no_notice(tmp_path: Path, keys: dict[str, str]) -> None:
    settings.save_config(UserConfig(keys=keys))
    app = make_app(folder=tmp_path)
    async with app.run_test(notifications=True) as pilot:
        await settled(app, pilot)
        assert not list(app._notifications)


async def test_the_help_screen_lists_each_bindings_id(workshop_copy: Path) -> None:
    app = make_app(
        session_path=workshop_copy,
        clock=FakeClock(START),
        config=UserConfig(keys={"run.next": "x"}),
    )
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("f1")
        await pilot.pause()
        modal = app.screen
        assert isinstance(modal, HelpScreen)
        table = modal.query_one("#keys", Static)
        listed = "\n".join(strip.text for strip in table.render_lines(table.region.reset_offset))
        assert "run.next" in listed and "app.quit" in listed
        # Every id shown is one the keymap check knows: the two agree.
        shown = [row.binding_id for row in modal.rows if row.remappable]
        assert shown and set(shown) <= set(declared_bindings())
