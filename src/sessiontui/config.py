"""The user's own settings, kept apart from sessions as they belong to the person, not the room.

This module only defines them and where they live; `store.load_config` and `store.save_config`
read and write them, as store is the one module that touches the disk.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import platformdirs
from pydantic import BaseModel, ConfigDict, Field

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
