"""The user's settings: defaults, the round trip through the disk, and broken files on screen."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from pydantic import ValidationError

from sessiontui.store import settings
from sessiontui.store.settings import UserConfig, config_path

CUSTOM = UserConfig(theme="nord", bell=False, rotate_seconds=5, keys={"run.next": "n,right"})


def written(text: str | bytes) -> Path:
    path = config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def test_the_defaults() -> None:
    config = UserConfig()
    assert (config.theme, config.bell, config.rotate_seconds, config.keys) == (
        "textual-dark",
        True,
        20,
        {},
    )


def test_the_settings_live_in_the_user_config_folder_kept_in_tmp_by_the_fixture(
    isolated_user_dirs: Path,
) -> None:
    assert config_path() == isolated_user_dirs / ".config" / "sessiontui" / "config.toml"


def test_no_file_means_the_defaults_and_no_problem() -> None:
    assert settings.load_config() == (UserConfig(), None)
    assert not config_path().parent.exists()


def test_an_empty_file_means_the_defaults() -> None:
    written("")
    assert settings.load_config() == (UserConfig(), None)


def test_settings_round_trip_and_their_folder_is_created() -> None:
    settings.save_config(CUSTOM)
    assert settings.load_config() == (CUSTOM, None)
    text = config_path().read_text(encoding="utf-8")
    assert text.startswith(settings.CONFIG_HEADER)
    assert '"run.next" = "n,right"' in text
    # Nothing left behind but the file itself: the temporary file was renamed over it.
    assert os.listdir(config_path().parent) == ["config.toml"]


def test_saving_again_replaces_the_file_whole(tmp_path: Path) -> None:
    path = tmp_path / "elsewhere" / "settings.toml"
    settings.save_config(CUSTOM, path)
    settings.save_config(UserConfig(theme="gruvbox"), path)
    assert settings.load_config(path) == (UserConfig(theme="gruvbox"), None)


def test_saving_through_a_symlink_keeps_the_link(tmp_path: Path) -> None:
    real = tmp_path / "dotfiles" / "sessiontui.toml"
    real.parent.mkdir()
    real.write_text("", encoding="utf-8")
    link = tmp_path / "config.toml"
    link.symlink_to(real)
    settings.save_config(CUSTOM, link)
    assert link.is_symlink()
    assert settings.load_config(real) == (CUSTOM, None)


def test_a_broken_file_gives_the_defaults_and_a_line_with_line_and_column() -> None:
    path = written('theme = "nord"\nbell = \n')
    assert settings.load_config() == (UserConfig(), f"{path}:2:8: Invalid value")


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ('thme = "nord"\n', "1: unknown key 'thme' (did you mean 'theme'?)"),
        ('bell = "yes"\n', "1: bell: must be true or false"),
        ("rotate_seconds = 2\n", "1: rotate_seconds: must be at least 3"),
        ("rotate_seconds = 20.0\n", "1: rotate_seconds: must be a whole number"),
        ('theme = ""\n', "1: theme: must not be empty"),
        ("keys = 3\n", "1: keys: must be a table"),
        ('[keys]\n"run.next" = 3\n', '2: keys."run.next": must be text in quotes'),
        ('[keys]\nquit = ""\n', "2: keys.quit: must not be empty"),
        ("bell = 1\ntheme = 2\n", "2: theme: must be text in quotes (and 1 more)"),
    ],
)
def test_a_wrong_setting_gives_the_defaults_and_names_the_key(text: str, problem: str) -> None:
    path = written(text)
    assert settings.load_config() == (UserConfig(), f"{path}:{problem}")


def test_unreadable_settings_are_reported_not_raised(tmp_path: Path) -> None:
    assert settings.load_config(tmp_path) == (
        UserConfig(),
        f"{tmp_path}: is a directory, not a settings file",
    )
    path = written(b'theme = "caf\xe9"\n')
    assert settings.load_config() == (UserConfig(), f"{path}:1:13: not valid UTF-8 (byte 0xe9)")
    dangling = tmp_path / "link.toml"
    dangling.symlink_to(tmp_path / "missing.toml")
    _, problem = settings.load_config(dangling)
    assert problem == f"{dangling}: is a symbolic link to a file that does not exist"


def test_settings_are_checked_when_changed_and_before_they_are_saved() -> None:
    config = UserConfig()
    with pytest.raises(ValidationError):
        config.rotate_seconds = 1
    # A dict changed in place escapes validation; save must not write what cannot load back.
    config.keys["run.next"] = 3  # type: ignore[assignment]
    with pytest.raises(ValueError, match=r"keys\.\"run\.next\": must be text in quotes"):
        settings.save_config(config)
    assert not config_path().exists()


def test_a_folder_that_cannot_be_created_is_an_os_error_naming_the_file(tmp_path: Path) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("", encoding="utf-8")
    path = blocker / "config.toml"
    with pytest.raises(OSError, match=r"blocker/config\.toml: cannot save"):
        settings.save_config(CUSTOM, path)
