"""The room's pages: the participants' page `/`, the facilitator's remote `/remote`, their files.

Both pages are HTML shells that their script fills from `GET /api/events`, so the server
renders nothing per state and every phone counts down on its own; the templates carry only
the session's title (for the tab and for a page without scripts) and the state at serving,
as JSON in a `<script type="application/json">` block that is data, never run, so the page
shows where the session is at once rather than "Connecting…" until the stream's first state
(a slow phone's first seconds, on a busy Wi-Fi a long wait). Everything a page uses is
shipped in the package and served from `/static/`, and a Content-Security-Policy keeps the
pages from fetching anything from another host.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Final

import jinja2
from aiohttp import web

from sessiontui.web.room_keys import HUB

HERE: Final = Path(__file__).parent
STATIC_DIR: Final = HERE / "static"
"""The pages' stylesheet and scripts, shipped in the package (nothing fetched from elsewhere)."""
TEMPLATES_DIR: Final = HERE / "templates"

PAGE_HEADERS: Final = {
    # Only this host, and no inline script or style: a name typed into the session file
    # cannot become code, and the page cannot reach a CDN even by mistake.
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self';"
        " img-src 'self'; manifest-src 'self'; base-uri 'none'; form-action 'none';"
        " frame-ancestors 'none'"
    ),
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-store",
}
"""Sent with both pages."""

_FALLBACK_TITLE: Final = "The room"
_ENVIRONMENT: Final = jinja2.Environment(
    loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def _fingerprint(name: str) -> str:
    """The static file's URL with a hash of its content, so a phone never runs a stale script."""
    digest = hashlib.sha256((STATIC_DIR / name).read_bytes()).hexdigest()[:12]
    return f"/static/{name}?v={digest}"


def script_safe_json(state_json: bytes) -> str:
    """JSON to put inside a `<script>` element as it is: every `<` written `\\u003c`.

    The element's text ends at the first `</script` whatever the quotes around it, and `<!--`
    changes how it is read, so a title with either would end the data and start markup;
    `\\u003c` is the same character to `JSON.parse`, and JSON has `<` only inside strings.
    """
    return state_json.decode("utf-8").replace("<", "\\u003c")


def _page(template: str, request: web.Request) -> web.Response:
    hub = request.app[HUB]
    # Worked out again now, so the state's `now` is the server's time at serving: the page
    # corrects its clock by it as by a streamed state's.
    hub.tick()
    latest = hub.latest
    title = latest.title if latest is not None else _FALLBACK_TITLE
    initial = script_safe_json(hub.latest_json) if latest is not None else None
    html = _ENVIRONMENT.get_template(template).render(
        title=title, static=request.app[_STATIC_URLS], initial_state=initial
    )
    return web.Response(text=html, content_type="text/html", headers=PAGE_HEADERS)


async def _room_page(request: web.Request) -> web.Response:
    return _page("room.html", request)


async def _remote_page(request: web.Request) -> web.Response:
    return _page("remote.html", request)


async def _icon(request: web.Request) -> web.Response:
    # The pages name their icon; this is for clients that ask the old way (and so that no
    # phone's first visit writes a 404 in the facilitator's console).
    return web.Response(
        body=(STATIC_DIR / "icon.svg").read_bytes(),
        content_type="image/svg+xml",
        headers={"Cache-Control": "max-age=86400"},
    )


STATIC_FILES: Final = ("room.css", "room.js", "remote.js", "icon.svg")
"""What the templates link to, each by a URL with a hash of its content."""
_STATIC_URLS: Final = web.AppKey("room_static_urls", dict[str, str])


def add_page_routes(app: web.Application) -> None:
    """Register `/` (the participants' page), `/remote` and `/static/` on the room's app."""
    app[_STATIC_URLS] = {name: _fingerprint(name) for name in STATIC_FILES}
    app.router.add_get("/", _room_page)
    app.router.add_get("/favicon.ico", _icon)
    app.router.add_get("/remote", _remote_page)
    app.router.add_static("/static/", STATIC_DIR)
