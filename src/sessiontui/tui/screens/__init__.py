"""The app's screens: home (the folder) and run (one session).

Imported lazily, so opening one screen does not pay for loading the other.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sessiontui.tui.screens.home import HomeScreen
    from sessiontui.tui.screens.run import RunScreen

__all__ = ["HomeScreen", "RunScreen"]

_MODULES = {"HomeScreen": "home", "RunScreen": "run"}


def __getattr__(name: str) -> Any:
    if name in _MODULES:
        return getattr(import_module(f"{__name__}.{_MODULES[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
