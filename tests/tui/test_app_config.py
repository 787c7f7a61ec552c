"""The user's settings in the running app: read after startup, applied, and saved when changed.

All on the home screen of an empty folder, so nothing here depends on the run screen. The
autouse fixture in conftest.py keeps the settings file in tmp_path.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets._toast import Toast

from sessiontui.store import settings
from sessiontui.store.settings import UserConfig, config_path
from sessiontui.tui.app import HIGH_CONTRAST, SessionApp, make_app

DEFAULT_THEME = UserConfig().theme


async def settled(app: SessionApp, pilot: Pilot[None]) -> None:
    """Let the settings worker (read or save) finish and its results reach the screen."""
    await app.workers.wait_for_complete()
    await pilot.pause()


def write_settings(text: str) -> Path:
    path = config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


async def test_without_a_settings_file_the_app_starts_on_the_default_theme(
    tmp_path: Path,
) -> None:
    app = make_app(folder=tmp_path)
    async with app.run_test() as pilot:
        await settled(app, pilot)
        assert app.theme == DEFAULT_THEME
        assert app.config == UserConfig()
        assert not app._notifications
    # Reading the settings never creates them.
    assert not config_path().exists()


async def test_the_theme_in_the_settings_file_is_applied_after_startup(tmp_path: Path) -> None:
    settings.save_config(UserConfig(theme=HIGH_CONTRAST.name))
    app = make_app(folder=tmp_path)
    async with app.run_test() as pilot:
        await settled(app, pilot)
        assert app.theme == "sessiontui-high-contrast"
        assert app.current_theme.background == HIGH_CONTRAST.background
        assert not app._notifications


async def test_changing_the_theme_saves_it_to_the_settings_file(tmp_path: Path) -> None:
    settings.save_config(UserConfig(bell=False, rotate_seconds=7))
    app = make_app(folder=tmp_path)
    async with app.run_test() as pilot:
        await settled(app, pilot)
        app.theme = HIGH_CONTRAST.name
        await settled(app, pilot)
        assert app.config is not None
        assert app.config.theme == HIGH_CONTRAST.name
    # The other settings survive the save untouched.
    assert settings.load_config() == (
        UserConfig(theme=HIGH_CONTRAST.name, bell=False, rotate_seconds=7),
        None,
    )


async def test_a_theme_change_is_saved_even_with_no_settings_file_yet(tmp_path: Path) -> None:
    app = make_app(folder=tmp_path)
    async with app.run_test() as pilot:
        await settled(app, pilot)
        app.theme = "nord"
        await settled(app, pilot)
    assert settings.load_config() == (UserConfig(theme="nord"), None)


async def test_a_keymap_in_the_settings_file_remaps_quit(tmp_path: Path) -> None:
    settings.save_config(UserConfig(keys={"app.quit": "ctrl+x"}))
    app = make_app(folder=tmp_path)
    async with app.run_test() as pilot:
        await settled(app, pilot)
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert app.return_code is None, "ctrl+q should no longer quit"
        assert app.is_running
        await pilot.press("ctrl+x")
        await pilot.pause()
        assert app.return_code == 0
    assert not app.is_running


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ('theme = "nord"\nbell = maybe\n', 2),  # not TOML
        ('theme = "nord"\n\nrotate_seconds = 1\n', 3),  # TOML, but not valid settings
    ],
    ids=["toml-error", "invalid-value"],
)
async def test_a_broken_settings_file_is_named_on_screen_and_the_defaults_apply(
    tmp_path: Path, text: str, line: int
) -> None:
    path = write_settings(text)
    app = make_app(folder=tmp_path)
    # run_test hides toasts unless asked: here they are the point.
    async with app.run_test(notifications=True) as pilot:
        await settled(app, pilot)
        notifications = list(app._notifications)
        assert len(notifications) == 1
        [notification] = notifications
        assert notification.title == "Settings ignored"
        assert notification.message.startswith(f"{path}:{line}:")
        # Shown, not only queued: the toast is on screen with the file's name in it.
        toasts = list(app.query(Toast))
        assert len(toasts) == 1
        assert str(path) in str(toasts[0].render())
        # The app runs on the defaults and keeps working.
        assert app.config == UserConfig()
        assert app.theme == DEFAULT_THEME
        assert app.is_running
        await pilot.press("ctrl+q")
    assert app.return_code == 0
    # The broken file is left for the person to fix, not overwritten with the defaults.
    assert path.read_text(encoding="utf-8") == text


async def test_a_broken_settings_file_is_not_overwritten_by_a_theme_change(tmp_path: Path) -> None:
    text = '[keys]\n"app.quit" = "ctrl+x"\nbell = maybe\n'
    path = write_settings(text)
    app = make_app(folder=tmp_path)
    async with app.run_test() as pilot:
        await settled(app, pilot)
        app.theme = "nord"
        await settled(app, pilot)
        # The choice holds for this run, and the person is told why it will not last.
        assert app.config is not None
        assert app.config.theme == "nord"
        titles = [notification.title for notification in app._notifications]
        assert titles == ["Settings ignored", "Settings not saved"]
    # Saving would have replaced the keymap in the file with the defaults.
    assert path.read_text(encoding="utf-8") == text


async def test_a_config_given_to_make_app_is_used_without_touching_the_disk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_settings('theme = "gruvbox"\n')

    def no_disk(*args: object, **kwargs: object) -> object:
        raise AssertionError("the settings file was read or written")

    monkeypatch.setattr(settings, "load_config", no_disk)
    monkeypatch.setattr(settings, "save_config", no_disk)
    config = UserConfig(
        theme=HIGH_CONTRAST.name, bell=False, rotate_seconds=5, keys={"app.quit": "ctrl+x"}
    )
    app = make_app(folder=tmp_path, config=config)
    async with app.run_test() as pilot:
        await settled(app, pilot)
        assert app.config == config
        assert app.theme == HIGH_CONTRAST.name
        assert (app.bell_enabled, app.rotate_seconds) == (False, 5)
        assert not app._notifications
        await pilot.press("ctrl+x")
    assert app.return_code == 0
    assert path.read_text(encoding="utf-8") == 'theme = "gruvbox"\n'
