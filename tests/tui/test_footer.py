"""SettledFooter: one rebuild per burst of binding changes, and never a change missed."""

from __future__ import annotations

from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets._footer import FooterKey

from sessiontui.tui.widgets.footer import SettledFooter


class Toggling(App[None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("x", "act", "Act")]

    def __init__(self) -> None:
        super().__init__()
        self.allowed = False
        self.rebuilds = 0

    def compose(self) -> ComposeResult:
        yield SettledFooter()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.allowed if action == "act" else True

    def action_act(self) -> None:
        """Nothing: the footer's key is what is looked at."""


def key_x(app: Toggling) -> FooterKey | None:
    return next((key for key in app.screen.query(FooterKey) if key.key == "x"), None)


async def test_each_change_reaches_the_footer_even_after_a_rebuild() -> None:
    app = Toggling()
    async with app.run_test() as pilot:
        await pilot.pause()
        assert key_x(app) is None  # hidden while check_action says False
        for allowed in (True, False, True):
            app.allowed = allowed
            app.screen.refresh_bindings()
            await pilot.pause()
            await pilot.pause()
            assert (key_x(app) is not None) == allowed


async def test_a_burst_of_changes_rebuilds_the_footer_once() -> None:
    app = Toggling()
    async with app.run_test() as pilot:
        await pilot.pause()
        footer = app.screen.query_one(SettledFooter)
        rebuilds = 0
        original = footer.recompose

        async def counted() -> None:
            nonlocal rebuilds
            rebuilds += 1
            await original()

        footer.recompose = counted  # type: ignore[method-assign]
        app.allowed = True
        for _ in range(5):
            app.screen.refresh_bindings()
        await pilot.pause()
        await pilot.pause()
        assert rebuilds == 1
        assert key_x(app) is not None
