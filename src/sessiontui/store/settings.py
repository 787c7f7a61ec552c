"""The user's own settings, kept apart from sessions as they belong to the person, not the room.

This module defines them, where they live, and how they are read and written.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Annotated

import platformdirs
import tomli_w
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from sessiontui.store.atomic import _replace_atomically
from sessiontui.store.errors import SessionFileError, _schema_problems, _toml_problem
from sessiontui.store.parse import _decode, _read_bytes

CONFIG_FILENAME = "config.toml"
"""The settings file's name inside the user's sessiontui config folder."""


class UserConfig(BaseModel):
    """The facilitator's settings; unknown keys are errors so a typo never vanishes silently."""

    model_config = ConfigDict(
        extra="forbid",
        use_attribute_docstrings=True,
        validate_assignment=True,
    )

    theme: Annotated[str, Field(min_length=1)] = "textual-dark"
    """The Textual theme last chosen, so the app looks the same next time."""
    bell: bool = True
    """Ring the terminal bell once when the current item's time runs out."""
    rotate_seconds: Annotated[int, Field(ge=3)] = 20
    """Seconds each ways-of-working reminder shows before the next; at least 3 so it can be read."""
    keys: dict[str, Annotated[str, Field(min_length=1)]] = Field(default_factory=dict)
    """Key bindings by binding id, as Textual's keymap takes them, e.g. {"run.next" = "n,right"}."""


def config_path() -> Path:
    """Where the settings live: the platform's user config folder (XDG_CONFIG_HOME on Linux)."""
    return platformdirs.user_config_path("sessiontui") / CONFIG_FILENAME


CONFIG_HEADER = (
    "# sessiontui settings, written by the app when they change in it; comments are not kept.\n\n"
)
"""First lines of the settings file, so people editing it by hand know what they are looking at."""


def load_config(path: Path | None = None) -> tuple[UserConfig, str | None]:
    """The user's settings and None, or the defaults and one problem line to show on screen.

    Never raises for a bad file: settings are a convenience, and a typo in them must not keep
    a facilitator from running their session.
    """
    target = config_path() if path is None else path
    name = os.fspath(target)
    try:
        raw, _ = _read_bytes(target, name, "settings file")
        text = _decode(raw, name)
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise SessionFileError(_toml_problem(exc, text, name)) from None
        except RecursionError:
            raise SessionFileError(f"{name}: tables are nested too deeply to read") from None
        try:
            # Strict for the same reason as sessions: TOML has real types, so "yes" is a typo.
            return UserConfig.model_validate(data, strict=True), None
        except ValidationError as exc:
            raise SessionFileError(_schema_problems(exc.errors(), name, text, UserConfig)) from None
    except SessionFileError as exc:
        # Checked after the read rather than before, so a file vanishing between is no problem.
        if not os.path.lexists(target):
            return UserConfig(), None
        problems = exc.problems
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        return UserConfig(), problems[0] + more


def save_config(config: UserConfig, path: Path | None = None) -> None:
    """Write the settings atomically, creating their folder, so a crash never leaves half a file.

    Raises ValueError for settings that would not load back (changed in place without
    validation) and OSError with a one-line message when the disk refuses. No lock, unlike
    save(): the rename already makes the last writer win whole, which is all settings need.
    """
    target_path = config_path() if path is None else path
    name = os.fspath(target_path)
    # Checked just below with a clearer message than the serializer's warning.
    data = config.model_dump(mode="python", warnings=False)
    try:
        UserConfig.model_validate(data, strict=True)
    except ValidationError as exc:
        raise ValueError(_schema_problems(exc.errors(), name, None, UserConfig)[0]) from None
    payload = (CONFIG_HEADER + tomli_w.dumps(data)).encode("utf-8")
    # Through a symlink to the real file, so a settings file kept in a dotfiles repo stays there.
    target = Path(os.path.realpath(target_path))
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        _replace_atomically(target, payload)
    except OSError as exc:
        raise OSError(exc.errno, f"{name}: cannot save: {exc.strerror or exc}") from exc
