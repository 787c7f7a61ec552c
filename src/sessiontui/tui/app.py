"""The Textual app: wires the screens together. Styles live in app.tcss.

`make_app` is the one way to build the app, for the CLI and for the tests alike.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on, work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.screen import Screen
from textual.theme import Theme

from sessiontui.display import safe_line

if TYPE_CHECKING:
    from textual.driver import Driver

    from sessiontui.store.settings import UserConfig

HIGH_CONTRAST = Theme(
    name="sessiontui-high-contrast",
    primary="#ffff00",
    secondary="#00ffff",
    accent="#ffff00",
    warning="#ffaf00",
    error="#ff5f5f",
    success="#5fff5f",
    foreground="#ffffff",
    background="#000000",
    surface="#000000",
    panel="#1c1c1c",
    dark=True,
)
"""Pure black and white with saturated accents, for projectors and bright rooms."""


def utc_now() -> datetime:
    """The current time, in UTC; the app's default clock."""
    return datetime.now(UTC)


class SessionApp(App[None]):
    """sessiontui: the home screen for a folder, or the run screen for one file."""

    CSS_PATH = "app.tcss"
    TITLE = "sessiontui"
    BINDINGS: ClassVar[list[BindingType]] = [
        # Not a priority binding: ctrl+q then reaches the app through the focused widget, after
        # the keys typed just before it, so the text area has them when the app saves.
        Binding("ctrl+q", "quit", "Quit", tooltip="Quit sessiontui", id="app.quit"),
        Binding("ctrl+c", "help_quit", show=False, system=True, id="app.help_quit"),
    ]

    def __init__(
        self,
        *,
        session_path: Path | None,
        folder: Path,
        clock: Callable[[], datetime],
        config: UserConfig | None,
        exit_on_load_error: bool = False,
        mode: str = "run",
        item: str | None = None,
        group: str | None = None,
    ) -> None:
        super().__init__()
        self.session_path = session_path
        self.mode = mode
        self.item = item
        self.group = group
        self._quit_unsaved = False
        self._exiting = False
        self.exit_on_load_error = exit_on_load_error
        self.load_problems: list[str] = []
        self.folder = folder
        self.clock = clock
        self.config: UserConfig | None = None
        self._config_problem: str | None = None
        self.register_theme(HIGH_CONTRAST)
        if config is not None:
            self._apply_config(config)

    def get_driver_class(self) -> type[Driver]:
        """Textual's driver, but on Linux one whose pastes cannot fire key bindings (issue 16)."""
        driver_class = super().get_driver_class()
        if sys.platform != "win32":
            from textual.drivers.linux_driver import LinuxDriver
            from textual.drivers.web_driver import WebDriver

            from sessiontui.tui.terminal_input import PasteSafeDriver, PasteSafeWebDriver

            if driver_class is LinuxDriver:
                return PasteSafeDriver
            if driver_class is WebDriver:  # a tab of `sessiontui serve` (textual-serve's choice)
                return PasteSafeWebDriver
        return driver_class

    @property
    def bell_enabled(self) -> bool:
        """Whether to ring once at zero (on until the settings say otherwise)."""
        return self.config.bell if self.config is not None else True

    @property
    def rotate_seconds(self) -> int:
        """Seconds each ways-of-working reminder shows."""
        return self.config.rotate_seconds if self.config is not None else 20

    def on_mount(self) -> None:
        if self.config is None:
            self._load_config()
        elif self.config.keys:
            self._check_keymap(dict(self.config.keys))
        self.theme_changed_signal.subscribe(self, self._remember_theme)
        self._catch_signals()

    def _catch_signals(self) -> None:
        """Save, then exit, on SIGTERM and SIGHUP: the terminal window closing must lose nothing."""
        import asyncio
        import contextlib
        import os
        import signal
        import sys
        from types import FrameType

        loop = asyncio.get_running_loop()
        for number in (signal.SIGTERM, signal.SIGHUP):
            # Not possible off the main thread (some test runners) or without such a signal.
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.add_signal_handler(number, self.save_and_exit)
        resume = signal.getsignal(signal.SIGCONT)
        if callable(resume):

            def resume_only_on_a_terminal(number: int, frame: FrameType | None) -> None:
                # A hang-up comes with a SIGCONT. Textual 8.2.8's driver then resumes on the
                # dead terminal, and its writer thread fills up and blocks the exit for good.
                stdin = sys.__stdin__
                try:
                    alive = stdin is not None and os.isatty(stdin.fileno())
                except (OSError, ValueError):
                    alive = False
                if alive:
                    resume(number, frame)

            with contextlib.suppress(ValueError):
                signal.signal(signal.SIGCONT, resume_only_on_a_terminal)

    def save_everything(self) -> list[str]:
        """Save what every open screen holds, on this thread; returns why saves failed."""
        problems: list[str] = []
        for screen in reversed(self.screen_stack):
            save_now = getattr(screen, "save_now", None)
            if callable(save_now):
                problem = save_now()
                if isinstance(problem, str):
                    problems.append(problem)
        return problems

    class SaveAndExit(Message):
        """Sent through the focused widget, so it arrives after the keys queued there."""

    def save_and_exit(self) -> None:
        """Save everything, then exit (a signal: no time to ask).

        Keys typed just before the signal may still wait in the focused widget's queue; the
        request goes through that queue, so they are in the text when it saves. If the
        widget does not pass it on within a second, everything is saved without them.
        """
        focused = self.focused if self.screen_stack else None
        if focused is None:
            self._save_and_exit_now()
            return
        focused.post_message(self.SaveAndExit())
        self.set_timer(1.0, self._save_and_exit_now, name="save on signal")

    @on(SaveAndExit)
    def _save_and_exit_requested(self, message: SaveAndExit) -> None:
        message.stop()
        self._save_and_exit_now()

    def _save_and_exit_now(self) -> None:
        if self._exiting:
            return
        self._exiting = True
        self.save_everything()
        self.exit()

    async def action_quit(self) -> None:
        """Quit once everything is saved; if a save fails, a second ctrl+q quits anyway."""
        problems = self.save_everything()
        if problems and not self._quit_unsaved:
            self._quit_unsaved = True
            self.notify(
                safe_line(f"Not saved: {problems[0]}. Press ctrl+q again to quit without it."),
                title="Not quitting yet",
                severity="error",
                markup=False,
            )
            return
        self.exit()

    @work(thread=True, exclusive=True, group="config")
    def _load_config(self) -> None:
        # Read after the first frame: settings need pydantic, which would delay startup.
        from sessiontui.store import settings

        config, problem = settings.load_config()
        self.call_from_thread(self._apply_config, config, problem)

    def _apply_config(self, config: UserConfig, problem: str | None = None) -> None:
        self.config = config
        # A broken file is the person's to fix: saving would replace it, and all it held, with
        # the defaults plus one change.
        self._config_problem = problem
        if config.theme in self.available_themes:
            self.theme = config.theme
        if config.keys:
            self.set_keymap(dict(config.keys))
            if self.is_running:  # read by _load_config; a config given to the app: on_mount
                self._check_keymap(dict(config.keys))
        if problem:
            self.notify(safe_line(problem), title="Settings ignored", markup=False)

    @work(thread=True, exclusive=True, group="keymap")
    def _check_keymap(self, keymap: dict[str, str]) -> None:
        # Off the UI thread: learning every binding id imports every screen's module.
        from sessiontui.tui.keymap import keymap_problems

        problems = keymap_problems(keymap)
        if problems:
            self.call_from_thread(
                self.notify,
                "\n".join(safe_line(problem) for problem in problems),
                title="Keys not remapped",
                severity="warning",
                timeout=15,
                markup=False,
            )

    def _remember_theme(self, theme: Theme) -> None:
        if self.config is not None and theme.name != self.config.theme:
            self.update_config(theme=theme.name)

    def toggle_bell(self) -> None:
        """Turn the bell off or on and say which, for the run screen's and the projector's `m`."""
        if self.config is None:
            self.notify("Settings are still loading; try again in a moment.", markup=False)
            return
        self.update_config(bell=not self.bell_enabled)
        self.notify("Bell on" if self.bell_enabled else "Bell off", markup=False)

    def update_config(self, **changes: object) -> None:
        """Change settings and save them off the UI thread, so choices last to the next run."""
        if self.config is None:
            return
        self.config = self.config.model_copy(update=changes)
        if self._config_problem is not None:
            self.notify(
                safe_line(f"fix the settings file first: {self._config_problem}"),
                title="Settings not saved",
                severity="warning",
                markup=False,
            )
            return
        self._save_config(self.config)

    @work(thread=True, exclusive=True, group="config")
    def _save_config(self, config: UserConfig) -> None:
        from sessiontui.store import settings

        try:
            settings.save_config(config)
        except (OSError, ValueError) as error:
            self.call_from_thread(
                self.notify,
                safe_line(str(error)),
                title="Settings not saved",
                severity="warning",
                markup=False,
            )

    def session_load_failed(self, problems: list[str]) -> None:
        """The opened session file is unusable: opened from the command line, exit with code 2."""
        if self.exit_on_load_error:
            self.load_problems = problems
            self.exit(return_code=2)

    def get_default_screen(self) -> Screen[None]:
        if self.session_path is None:
            return self.screen_for("home", self.folder)
        from sessiontui.tui.opening import session_mode

        screen = self.screen_for(
            session_mode(self.mode), self.session_path, item=self.item, group=self.group
        )
        if screen.css_path:
            # Textual 8.2.8 reads a screen's CSS_PATH when it is pushed, not for the first one.
            self._load_screen_css(screen)
        return screen

    def screen_for(
        self,
        kind: str,
        path: Path,
        *,
        item: str | None = None,
        group: str | None = None,
        focus: tuple[str, str] | None = None,
        series: str = "",
    ) -> Screen[None]:
        """A new screen of this kind on a session file (or, for home, search and series, a folder).

        The one place that knows every screen, so screens open each other by name and never
        import each other; each is imported only when first opened, to keep start-up light.
        """
        clock = self.clock
        if kind == "notes":
            from sessiontui.tui.screens.notes import NotesScreen

            return NotesScreen(path, clock, item=item, group=group)
        if kind == "commitments":
            from sessiontui.tui.screens.commitments import CommitmentsScreen

            return CommitmentsScreen(path, clock, item=item)
        if kind == "groups":
            from sessiontui.tui.screens.groups import GroupsScreen

            return GroupsScreen(path, clock, item=item)
        if kind == "review":
            from sessiontui.tui.screens.review import ReviewScreen

            return ReviewScreen(path, clock, focus=focus)
        if kind == "edit":
            from sessiontui.tui.screens.plan import PlanEditorScreen

            return PlanEditorScreen(path, clock)
        if kind == "present":
            from sessiontui.tui.screens.present import PresentScreen

            return PresentScreen(path, clock)
        if kind == "series":
            from sessiontui.tui.screens.series import SeriesScreen

            return SeriesScreen(path, series, clock)
        if kind == "search":
            from sessiontui.tui.screens.search import SearchScreen

            return SearchScreen(path, clock)
        if kind == "home":
            from sessiontui.tui.screens.home import HomeScreen

            return HomeScreen(path, clock, open_as=self.mode)
        from sessiontui.tui.screens.run import RunScreen

        return RunScreen(path, clock)

    def open_screen(self, kind: str, path: Path, **options: Any) -> None:
        """Push a new screen of this kind (see `screen_for`) over the current one."""
        self.push_screen(self.screen_for(kind, path, **options))

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """Textual's commands, plus every key binding of the screen the palette opened on."""
        yield from super().get_system_commands(screen)
        seen: set[str] = set()
        # The screen's own bindings (after any keymap), not just the active ones: a focused
        # widget's binding for the same key must not hide a screen action from the palette.
        bindings = screen._bindings.copy()
        if self._keymap:
            bindings.apply_keymap(self._keymap)
        for _key, binding in bindings:
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
    config: UserConfig | None = None,
    exit_on_load_error: bool = False,
    mode: str = "run",
    item: str | None = None,
    group: str | None = None,
) -> SessionApp:
    """The app: the run screen of `session_path` if given, else the home screen of `folder`.

    `clock` returns the current time as an aware datetime; tests pass a fixed one. Without
    `config`, the user's settings file is read in a worker once the app is up. With
    `exit_on_load_error`, a session file that fails to load ends the app with code 2 and its
    problems in `load_problems`, for the command line to print. `mode` "notes" opens the
    note-taker's screen instead of the run screen, on `item` and `group` when given; "present"
    the read-only shared screen for the room, which follows the file as others save it;
    "review" the read-only review of a past session; "edit" the plan editor. Without
    `session_path`, `mode` is what Enter on the home screen opens.
    """
    return SessionApp(
        session_path=session_path,
        folder=folder,
        clock=clock,
        config=config,
        exit_on_load_error=exit_on_load_error,
        mode=mode,
        item=item,
        group=group,
    )
