"""A footer that rebuilds once for a burst of key changes, for screens that open heavy."""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Footer


class SettledFooter(Footer):
    """Textual's footer, rebuilt once per burst of binding refreshes instead of once per refresh.

    Textual 8.2.8's `Footer` recomposes (a dozen keys, each styled) on every bindings refresh,
    and opening a screen asks for several at once (the screen, the focus, the tabs): each was a
    full rebuild on the way to the first frame. Requests arriving while one rebuild waits are
    answered by it, as it reads the bindings when it runs. Textual is pinned to 8.2.8.
    """

    _rebuild_waiting = False

    def bindings_changed(self, screen: Screen[object]) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen and not self._rebuild_waiting:
            self._rebuild_waiting = True
            self.call_after_refresh(self._rebuild)

    async def _rebuild(self) -> None:
        self._rebuild_waiting = False
        await self.recompose()
