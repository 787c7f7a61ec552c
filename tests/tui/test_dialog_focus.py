"""Keys typed fast after Tab or Enter land in the field they were meant for, in the dialogs.

In a terminal the keys after Tab arrive together: Textual's own Tab moves the focus a turn
later, so `Tab "Platform team retro"` put the title into the date field. The dialogs bind
Tab, Shift+Tab (and the picker Enter) as priority keys; here every key is sent before any is
handled, as tmux's send-keys does, and the text must end up in the second field.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input, Select

from pilot_helpers import START, FakeClock, settle, type_at_once
from sessiontui import session_file
from sessiontui.store.settings import UserConfig
from sessiontui.tui.app import make_app
from sessiontui.tui.dialogs.agenda_change import InsertItemScreen
from sessiontui.tui.dialogs.template_picker import TemplatePicker


def letters(text: str) -> list[str]:
    return ["space" if character == " " else character for character in text]


async def test_the_new_session_picker_takes_enter_date_tab_title_typed_at_once(
    tmp_path: Path,
) -> None:
    app = make_app(folder=tmp_path / "fresh", clock=FakeClock(START), config=UserConfig())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        picker = app.screen
        assert isinstance(picker, TemplatePicker)
        date = picker.query_one("#date", Input)
        title = picker.query_one("#title", Input)
        # down, Enter: the retro template. A field taking the focus selects what it holds
        # (today, the template's title), so typing replaces it.
        await type_at_once(
            pilot, "down", "enter", *letters("2026-12-10"), "tab", *letters("Platform team retro")
        )
        assert date.value == "2026-12-10"
        assert title.value == "Platform team retro"
        assert picker.focused is title


async def test_enter_in_the_date_moves_to_the_title_and_shift_tab_back_at_once(
    tmp_path: Path,
) -> None:
    app = make_app(folder=tmp_path / "fresh", clock=FakeClock(START), config=UserConfig())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        picker = app.screen
        assert isinstance(picker, TemplatePicker)
        await pilot.press("down", "enter")
        date = picker.query_one("#date", Input)
        title = picker.query_one("#title", Input)
        await type_at_once(
            pilot, "enter", *letters("Sprint 14"), "shift+tab", *letters("2026-12-10")
        )
        assert title.value == "Sprint 14"
        assert date.value == "2026-12-10"
        assert picker.focused is date
        await type_at_once(pilot, "enter", "enter")
        created = tmp_path / "fresh" / "2026-12-10-sprint-14.toml"
        assert session_file.load(created).session.title == "Sprint 14"


async def test_the_add_item_dialog_takes_title_tab_kind_typed_at_once(
    workshop_copy: Path,
) -> None:
    path = workshop_copy
    app = make_app(session_path=path, clock=FakeClock(START), config=UserConfig())
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("i")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, InsertItemScreen)
        # Title, then two Tabs past the kind to the minutes (its 10 selected, so replaced):
        # the "5" must not end the title.
        await type_at_once(pilot, *letters("Energiser"), "tab", "tab", "5")
        assert dialog.query_one("#title", Input).value == "Energiser"
        assert dialog.query_one("#minutes", Input).value == "5"
        assert dialog.focused is dialog.query_one("#minutes", Input)
        await type_at_once(pilot, "shift+tab")
        assert dialog.focused is dialog.query_one("#kind", Select)


@pytest.mark.parametrize("dialog", ["template_picker", "insert"])
def test_the_fast_tab_keys_have_ids_for_the_keymap(dialog: str) -> None:
    from sessiontui.tui.dialogs.fast_focus import fast_focus_keys

    keys = fast_focus_keys(dialog)
    assert [(key.key, key.id, key.priority) for key in keys] == [
        ("tab", f"{dialog}.next_field", True),
        ("shift+tab", f"{dialog}.previous_field", True),
    ]
