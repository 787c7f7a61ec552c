"""The Textual app: wires the screens together. Styles live in app.tcss.

`make_app` is the one way to build the app, for the CLI and for the tests alike.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import ClassVar

from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen


def utc_now() -> datetime:
    """The current time, in UTC; the app's default clock."""
    return datetime.now(UTC)


class SessionApp(App[None]):
    """sessiontui: the home screen for a folder, or the run screen for one file."""

    CSS_PATH = "app.tcss"
    TITLE = "sessiontui"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "Quit", tooltip="Quit sessiontui", priority=True, id="app.quit"),
        Binding("ctrl+c", "help_quit", show=False, system=True, id="app.help_quit"),
    ]

    def __init__(
        self,
        *,
        session_path: Path | None,
        folder: Path,
        clock: Callable[[], datetime],
    ) -> None:
        super().__init__()
        self.session_path = session_path
        self.folder = folder
        self.clock = clock

    def get_default_screen(self) -> Screen[None]:
        # Only the screen in use is imported, to keep startup light.
        if self.session_path is not None:
            from sessiontui.screens.run import RunScreen

            return RunScreen(self.session_path, self.clock)
        from sessiontui.screens.home import HomeScreen

        return HomeScreen(self.folder, self.clock)

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """Textual's commands, plus every key binding of the screen the palette opened on."""
        yield from super().get_system_commands(screen)
        seen: set[str] = set()
        # The screen's own bindings (after any keymap), not just the active ones: a focused
        # widget's binding for the same key must not hide a screen action from the palette.
        for _key, binding in screen._bindings:
            action = binding.action
            if not binding.description or action in seen:
                continue
            seen.add(action)
            if screen.check_action(action, ()) is not True:
                continue
            yield SystemCommand(
                binding.description,
                f"{binding.tooltip or binding.description} ({self.get_key_display(binding)})",
                partial(screen.run_action, action),
            )


def make_app(
    *,
    session_path: Path | None = None,
    folder: Path = Path("sessions"),
    clock: Callable[[], datetime] = utc_now,
) -> SessionApp:
    """The app: the run screen of `session_path` if given, else the home screen of `folder`.

    `clock` returns the current time as an aware datetime; tests pass a fixed one.
    """
    return SessionApp(session_path=session_path, folder=folder, clock=clock)
