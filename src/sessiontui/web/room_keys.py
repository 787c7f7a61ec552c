"""The keys the room's app keeps its hub and each request's role under, read by every handler.

Apart from `room_app`, so the pages (`pages.py`) and the notes view (`serve.py`) read them
without importing the app that registers them, which imports both.
"""

from __future__ import annotations

from typing import Final

from aiohttp import web

from sessiontui.web.roles import Role
from sessiontui.web.room_hub import RoomHub

HUB: Final = web.AppKey("room_hub", RoomHub)
"""The app's hub, for the pages' handlers."""
ROLE: Final = web.RequestKey[Role]("room_role")
"""The role the request's token grants ("viewer", "remote" or "notes"), set by the guard."""
