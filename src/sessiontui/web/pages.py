"""The room's pages: the participants' page `/`, the facilitator's remote `/remote`, their files.

Both pages are static HTML filled in by their own script from `GET /api/events`, so the
server renders nothing per state; the templates only carry the session's title.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

from aiohttp import web

STATIC_DIR: Final = Path(__file__).with_name("static")
"""The pages' stylesheet and scripts, shipped in the package (nothing fetched from elsewhere)."""


async def _room_page(request: web.Request) -> web.Response:
    return web.Response(text="<!doctype html><title>Room</title>", content_type="text/html")


async def _remote_page(request: web.Request) -> web.Response:
    return web.Response(text="<!doctype html><title>Remote</title>", content_type="text/html")


def add_page_routes(app: web.Application) -> None:
    """Register `/`, `/remote` and `/static/` on the room's application."""
    app.router.add_get("/", _room_page)
    app.router.add_get("/remote", _remote_page)
    app.router.add_static("/static/", STATIC_DIR)
