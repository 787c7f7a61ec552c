"""The room's pages in a real browser: Debian's headless Chromium against the room's server.

The server is `make_room_app` on a free loopback port in this process, with a clock the test
moves, over a copy of the reference workshop with its groups drawn. Each test looks at the
pages as a person would (clicks, a select, a reload, a server that goes away), records
every request the pages make, and keeps screenshots (`pytest`'s tmp dir, and the folder in
SESSIONTUI_ARTEFACTS when it is set) for a person to look at.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import importlib.util
import json
import os
import re
import shutil
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import urlsplit

import aiohttp
import pytest
from aiohttp import web

from sessiontui import session_file
from sessiontui.cli import main
from sessiontui.web.roles import Tokens
from sessiontui.web.room_app import make_room_app, make_room_runner

HELPER = Path(__file__).resolve().parent.parent / "helpers" / "headless_chromium.py"
START = dt.datetime(2023, 2, 16, 13, 0, tzinfo=dt.UTC)
"""The reference workshop's planned start (13:00 in London is UTC in February)."""
PHONE = (390, 844)
PROJECTOR = (1920, 1080)
MY_NAME = "Grace O'Neill"
"""A participant with an apostrophe: the name must reach the page as text, and back."""


def _load_helper() -> ModuleType:
    spec = importlib.util.spec_from_file_location("headless_chromium", HELPER)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


helper = _load_helper()
pytestmark = pytest.mark.skipif(
    helper.chromium() is None, reason="no chromium: .ci/run installs Debian's chromium"
)


class Clock:
    """The server's clock, moved by the test; the pages count real seconds from its `now`."""

    def __init__(self) -> None:
        self.now = START - dt.timedelta(minutes=5)

    def __call__(self) -> dt.datetime:
        return self.now


SERIOUS = ("serious", "critical")
"""The impacts axe-core reports that fail the test."""


def axe_source() -> str:
    """axe-core as axe-playwright-python bundles it (no download; Playwright is not used)."""
    import axe_playwright_python

    path = Path(axe_playwright_python.__file__).parent / "axe.min.js"
    source = path.read_text(encoding="utf-8")
    assert source.startswith("/*! axe v4.")
    return source


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class Served:
    """The room's server for one test: start and stop it on one port, as a restart would."""

    def __init__(self, path: Path, clock: Clock) -> None:
        self.path = path
        self.clock = clock
        self.tokens = Tokens.new()
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.runner: web.AppRunner | None = None

    async def start(self) -> None:
        app = make_room_app(self.path, self.tokens, clock=self.clock)
        self.runner = make_room_runner(app)
        await self.runner.setup()
        await web.TCPSite(self.runner, "127.0.0.1", self.port).start()

    async def stop(self) -> None:
        if self.runner is not None:
            await self.runner.cleanup()
            self.runner = None

    def url(self, page: str, role: str = "viewer") -> str:
        return f"{self.base}{page}?token={getattr(self.tokens, role)}"

    def control(self, action: str, **parameters: Any) -> None:
        """What a press on the remote does, straight into the file (for setting a scene)."""
        from sessiontui.core.controls import control_event

        def change(session: Any) -> Any:
            event = control_event(session, action, self.clock(), **parameters)
            return session.model_copy(update={"log": [*session.log, event]})

        session_file.update(self.path, change)

    def append(self, kind: str, **fields: Any) -> None:
        """A log event no remote button makes (the run screen's pin, hide), at the clock's time."""
        from sessiontui.core.model import Event

        def change(session: Any) -> Any:
            event = Event(at=self.clock(), kind=kind, **fields)
            return session.model_copy(update={"log": [*session.log, event]})

        session_file.update(self.path, change)

    def log_kinds(self) -> list[str]:
        return [event.kind for event in session_file.open_session(self.path).session.log]


@pytest.fixture
def room_file(tmp_path: Path, example_path: Path) -> Path:
    """A copy of the reference workshop with the coffee trial's and a breakout's groups drawn."""
    path = tmp_path / "workshop.toml"
    shutil.copy(example_path, path)
    for item in ("coffee-trial", "empathy-breakout"):
        assert main(["groups", str(path), item, "--seed", "1"]) == 0
    return path


@pytest.fixture
async def served(room_file: Path) -> AsyncIterator[Served]:
    server = Served(room_file, Clock())
    await server.start()
    try:
        yield server
    finally:
        await server.stop()


@asynccontextmanager
async def browser_at(
    tmp_path: Path, size: tuple[int, int] = PHONE, expected_errors: tuple[str, ...] = ()
) -> AsyncIterator[Any]:
    async with helper.Browser(tmp_path / "chromium-profile") as browser:
        await browser.call("Runtime.enable")
        await browser.call("Log.enable")
        await browser.set_viewport(*size)
        yield browser
        # No script error, and nothing the page's Content-Security-Policy had to refuse. (The
        # browser's own favicon request is the one 404, and a stopped server refuses streams.)
        expected = ("favicon.ico", "ERR_CONNECTION_REFUSED", *expected_errors)
        errors = [error for error in browser.errors if not any(e in error for e in expected)]
        assert errors == []


async def open_page(browser: Any, url: str) -> None:
    """Open a page and wait until its stream has delivered a state and it has drawn it."""
    await browser.open(url)
    await browser.wait_until(
        "document.readyState === 'complete' && document.body.dataset.connection === 'live'"
        " && document.body.dataset.status !== ''"
    )


async def keep_screenshot(browser: Any, tmp_path: Path, name: str) -> Path:
    """Save a screenshot in the test's folder, and in SESSIONTUI_ARTEFACTS when it is set."""
    path = tmp_path / f"room-{name}.png"
    await browser.screenshot(path)
    artefacts = os.environ.get("SESSIONTUI_ARTEFACTS")
    if artefacts:
        Path(artefacts).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, Path(artefacts) / path.name)
    return path


async def text_of(browser: Any, selector: str) -> str:
    text = await browser.evaluate(
        f"(document.querySelector({json.dumps(selector)}) || {{}}).innerText || ''"
    )
    # Paragraphs come with blank lines between them in innerText: one line each here.
    return "\n".join(line for line in str(text).splitlines() if line.strip())


async def items_of(browser: Any, selector: str) -> list[str]:
    """The text of each element the selector finds, its spaces as one."""
    found = await browser.evaluate(
        f"JSON.stringify([...document.querySelectorAll({json.dumps(selector)})]"
        ".map(e => e.textContent.replace(/\\s+/g, ' ').trim()))"
    )
    return list(json.loads(found))


async def visible(browser: Any, element_id: str) -> bool:
    return bool(
        await browser.evaluate(f"!document.getElementById({json.dumps(element_id)}).hidden")
    )


async def wider_than_the_screen(browser: Any) -> list[str]:
    """Elements sticking out to the right: a page that scrolls sideways on a phone."""
    found = await browser.evaluate(
        """JSON.stringify([...document.querySelectorAll('body *')].filter(e => {
             const box = e.getBoundingClientRect();
             return box.width && box.right > window.innerWidth + 0.5;
           }).map(e => e.tagName + '#' + e.id + '.' + e.className))"""
    )
    return list(json.loads(found))


def assert_same_host(browser: Any, served: Served) -> None:
    """Every request the tab made went to the serving host: no CDN, no font, no tracker."""
    assert browser.requested, "the tab made no request at all"
    hosts = {urlsplit(url).netloc for url in browser.requested if not url.startswith("data:")}
    assert hosts == {f"127.0.0.1:{served.port}"}, browser.requested


async def choose(browser: Any, selector: str, value: str) -> None:
    """Pick an option of a select, as the phone's picker does (it fires "change")."""
    await browser.evaluate(
        f"""(() => {{ const s = document.querySelector({json.dumps(selector)});
             s.value = {json.dumps(value)}; s.dispatchEvent(new Event('change'));
             return s.value; }})()"""
    )


async def click(browser: Any, selector: str) -> None:
    """Click the middle of an element with the mouse, as a thumb would."""
    box = json.loads(
        await browser.evaluate(
            f"""(() => {{ const e = document.querySelector({json.dumps(selector)});
                 e.scrollIntoView({{block: 'center'}});
                 const r = e.getBoundingClientRect();
                 return JSON.stringify([r.x + r.width / 2, r.y + r.height / 2]); }})()"""
        )
    )
    await browser.click(round(box[0]), round(box[1]))


async def test_the_participants_page_on_a_phone_and_a_projector_before_during_and_after(
    served: Served, tmp_path: Path
) -> None:
    async with browser_at(tmp_path) as browser:
        await open_page(browser, served.url("/"))
        # The token went into a cookie and out of the address bar.
        assert await browser.evaluate("location.pathname + location.search") == "/"
        assert await browser.evaluate("document.body.dataset.status") == "planned"
        assert await text_of(browser, "#welcome") == (
            "WELCOME\nThursday, 16 February 2023\nStarts at 13:00\n"
            "Online (Zoom, with breakout rooms)"
        )
        agenda = await items_of(browser, "#agenda-list > li")
        assert agenda[0] == "13:00 Welcome and introduction to the session"
        assert agenda[-1] == "15:55 Summing up and next steps"
        assert len(agenda) == 13
        assert not await visible(browser, "now")
        assert await wider_than_the_screen(browser) == []
        await keep_screenshot(browser, tmp_path, "phone-before")

        # The coffee trial: five pairs and a three, each size on its own turns.
        served.clock.now = START
        served.control("start")
        served.clock.now = START + dt.timedelta(minutes=10)
        served.control("next")
        served.clock.now = START + dt.timedelta(minutes=15)
        served.control("next")
        served.clock.now = START + dt.timedelta(minutes=16)
        served.control("broadcast", text="Cameras on, please <b>now</b>", seconds=600)
        served.append("pin", text="Curiosity")
        await browser.wait_until("document.body.dataset.status === 'running'")
        await browser.wait_until("!document.getElementById('broadcast').hidden")
        await browser.wait_until("!!document.querySelector('#ways-list .pinned')")
        assert await items_of(browser, "#ways-list .pinned") == [
            "Focus now Curiosity Retaining an open and curious mind; being open to questioning"
        ]
        assert await text_of(browser, "#now-title") == "Randomised Coffee Trial"
        assert await text_of(browser, "#clock-caption") == "Turn 1 of 2 · pairs"
        digits = await text_of(browser, "#clock-digits")
        assert digits in {"06:00", "05:59", "05:58"}, digits
        assert re.fullmatch(r"Whole item: 1[34]:\d\d left", await text_of(browser, "#item-left"))
        assert re.fullmatch(
            r"Threes \(1 group\): turn 1 of 3, 0[34]:\d\d left",
            await text_of(browser, "#other-turns"),
        )
        # Typed text stays text: the message's tags are shown, not obeyed.
        assert await text_of(browser, "#broadcast-text") == "Cameras on, please <b>now</b>"
        assert await browser.evaluate("!document.querySelector('#broadcast b')")
        assert (await text_of(browser, "#next")).endswith(
            "Coffee trial: what did you notice? at 13:30"
        )
        assert await items_of(browser, "#agenda-list [aria-current=step]") == [
            "13:15 Randomised Coffee Trial (now)"
        ]
        assert await wider_than_the_screen(browser) == []
        await keep_screenshot(browser, tmp_path, "phone-pairs")
        await browser.set_viewport(*PROJECTOR)
        await keep_screenshot(browser, tmp_path, "projector-pairs")
        # Twice the text size on a phone (a 200% zoom halves the CSS pixels): still one column.
        await browser.set_viewport(PHONE[0] // 2, PHONE[1] // 2, scale=2, mobile=True)
        assert await wider_than_the_screen(browser) == []
        await keep_screenshot(browser, tmp_path, "phone-pairs-200-percent")
        await browser.set_viewport(*PHONE)

        # The breakout: the groups, and where to find mine.
        served.clock.now = START + dt.timedelta(minutes=30)
        for _ in range(3):
            served.control("next")
        await browser.wait_until(
            "document.getElementById('now-title').innerText.startsWith('Breakout groups')"
        )
        # The ten minutes' message has gone by itself.
        assert not await visible(browser, "broadcast")
        served.append("hide_ways")
        await browser.wait_until("document.getElementById('ways').hidden")
        assert await visible(browser, "groups")
        assert await browser.evaluate("document.querySelectorAll('#group-list > li').length") == 3
        await keep_screenshot(browser, tmp_path, "phone-breakout")
        await browser.set_viewport(*PROJECTOR)
        await keep_screenshot(browser, tmp_path, "projector-breakout")

        # After the finish: thanks, and none of the running parts.
        served.clock.now = START + dt.timedelta(hours=3)
        for _ in range(8):
            served.control("next")
        await browser.wait_until("document.body.dataset.status === 'finished'")
        assert (await text_of(browser, "#finished")).startswith("Thank you")
        for part in ("now", "next", "groups", "agenda", "welcome"):
            assert not await visible(browser, part), part
        await browser.set_viewport(*PHONE)
        await keep_screenshot(browser, tmp_path, "phone-finished")
        assert_same_host(browser, served)


async def stream_asked_for(browser: Any, timeout: float = 30) -> None:
    """Wait until the page has asked for its stream (which the test's browser holds)."""
    deadline = asyncio.get_running_loop().time() + timeout
    while not any(urlsplit(url).path == "/api/events" for url in browser.requested):
        assert asyncio.get_running_loop().time() < deadline, browser.requested
        await asyncio.sleep(0.1)


async def test_the_pages_show_the_session_before_their_stream_connects(
    served: Served, tmp_path: Path
) -> None:
    served.clock.now = START
    served.control("start")
    served.control("next")
    served.control("next")
    served.clock.now = START + dt.timedelta(minutes=1)
    async with browser_at(tmp_path) as browser:
        # Every request for the stream is held by the browser and never answered: what the
        # pages show comes from the state they were served with alone.
        await browser.call("Fetch.enable", {"patterns": [{"urlPattern": "*/api/events*"}]})
        await browser.open(served.url("/"))
        await browser.wait_until(
            "document.readyState === 'complete' && document.body.dataset.status === 'running'"
        )
        await stream_asked_for(browser)
        assert await text_of(browser, "#connection") == "Connecting…"
        assert await text_of(browser, "#now-title") == "Randomised Coffee Trial"
        assert await text_of(browser, "#clock-caption") == "Turn 1 of 2 · pairs"
        # Counted down from the server's time at serving, not this tab's: 6:00 left then.
        digits = await text_of(browser, "#clock-digits")
        assert digits in {"06:00", "05:59", "05:58"}, digits
        await keep_screenshot(browser, tmp_path, "phone-before-the-stream")

        browser.requested.clear()
        await browser.open(served.url("/remote", "remote"))
        await browser.wait_until(
            "document.readyState === 'complete' && document.body.dataset.status === 'running'"
            " && location.pathname === '/remote'"
        )
        await stream_asked_for(browser)
        assert await text_of(browser, "#connection") == "Connecting…"
        assert await text_of(browser, "#now-title") == "Randomised Coffee Trial"
        assert re.fullmatch(
            r"Turns · pairs: turn 1 of 2, 0[56]:\d\d · threes: turn 1 of 3, 0[34]:\d\d",
            await text_of(browser, "#turn-line"),
        )
        enabled = "[...document.querySelectorAll('button:not(:disabled)')].map(b => b.innerText)"
        assert "Next" in json.loads(await browser.evaluate(f"JSON.stringify({enabled})"))


async def test_the_pages_allow_nothing_from_elsewhere_and_the_remote_wants_its_token(
    served: Served,
) -> None:
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as http:
        async with http.get(served.url("/")) as response:
            assert response.status == 200
            page = await response.text()
            policy = response.headers["Content-Security-Policy"]
        assert "default-src 'none'" in policy and "script-src 'self'" in policy
        assert "<script>" not in page and " style=" not in page
        # The title is the session's, escaped as text.
        assert "<title>Workshop 2: Building common understanding" in page
        async with http.get(f"{served.base}/static/room.js") as response:
            assert response.status == 200  # the viewer's cookie, set by the link, carries on
        async with http.get(served.url("/remote")) as response:
            assert response.status == 403


async def test_the_remote_drives_the_session_file_and_shows_a_refusal_in_one_line(
    served: Served, tmp_path: Path
) -> None:
    refusal = "status of 409 (Conflict) http://127.0.0.1"  # the stale press below
    async with browser_at(tmp_path, expected_errors=(refusal,)) as browser:
        await open_page(browser, served.url("/remote", "remote"))
        enabled = "[...document.querySelectorAll('button:not(:disabled)')].map(b => b.innerText)"
        # Before the start only Start and Broadcast make sense.
        assert await browser.evaluate(f"JSON.stringify({enabled})") == '["Start","Broadcast"]'
        await keep_screenshot(browser, tmp_path, "remote-before")

        served.clock.now = START
        await click(browser, "[data-action=start]")
        await browser.wait_until("document.body.dataset.status === 'running'")
        assert served.log_kinds() == ["start"]
        assert await text_of(browser, "#now-title") == "Welcome and introduction to the session"
        assert json.loads(await browser.evaluate(f"JSON.stringify({enabled})")) == [
            "Next",
            "Pause",
            "+1 min",
            "+5 min",
            "Broadcast",
        ]

        served.clock.now = START + dt.timedelta(minutes=10)
        await click(browser, "[data-action=next]")
        await browser.wait_until(
            "document.getElementById('now-title').innerText.startsWith('Getting to know')"
        )
        assert served.log_kinds() == ["start", "next"]
        await click(browser, "[data-action=extend][data-minutes='5']")
        await browser.wait_until(
            "document.getElementById('status-line').innerText.includes('finishes at 16:05')"
        )
        await click(browser, "#pause-resume")
        await browser.wait_until("document.body.dataset.status === 'paused'")
        assert await text_of(browser, "#pause-resume") == "Resume"
        await click(browser, "#pause-resume")
        await browser.wait_until("document.body.dataset.status === 'running'")

        # A message for two minutes, typed as a person types it.
        await click(browser, "#broadcast-text")
        await browser.type_text("Back in the main room at 13:30")
        await choose(browser, "#broadcast-expiry", "120")
        await click(browser, "[data-action=broadcast]")
        await browser.wait_until(
            "document.getElementById('sees-broadcast').innerText.includes('until 13:12')"
        )
        session = session_file.open_session(served.path).session
        sent = session.log[-1]
        assert (sent.kind, sent.text, sent.seconds) == (
            "broadcast",
            "Back in the main room at 13:30",
            120,
        )
        assert await browser.evaluate("document.getElementById('broadcast-text').value") == ""
        await keep_screenshot(browser, tmp_path, "remote-running")

        # A press the run no longer takes (a stale page): one line in the alert, file untouched.
        before = served.log_kinds()
        await browser.evaluate("document.querySelector('[data-action=start]').disabled = false; 1")
        await click(browser, "[data-action=start]")
        await browser.wait_until("document.getElementById('error').innerText !== ''")
        assert await text_of(browser, "#error") == (
            "Not done: start: the session has already started"
        )
        assert await browser.evaluate("document.getElementById('error').getAttribute('role')") == (
            "alert"
        )
        assert served.log_kinds() == before
        await click(browser, "[data-action=clear_broadcast]")
        await browser.wait_until("document.getElementById('sees-broadcast').innerText === 'none'")
        assert await text_of(browser, "#error") == ""
        assert served.log_kinds() == [*before, "broadcast"]
        assert_same_host(browser, served)


async def test_the_page_says_reconnecting_while_the_server_is_away_and_follows_it_back(
    served: Served, tmp_path: Path
) -> None:
    async with browser_at(tmp_path) as browser:
        await open_page(browser, served.url("/"))
        assert await text_of(browser, "#connection") == "Live"
        await served.stop()
        await browser.wait_until(
            "document.getElementById('connection').innerText.startsWith('Reconnecting')"
        )
        assert await browser.evaluate(
            "document.getElementById('connection').getAttribute('role')"
        ) == ("status")
        await keep_screenshot(browser, tmp_path, "phone-reconnecting")
        # The session moved on while the server was away: the page shows where it is now.
        served.clock.now = START
        served.control("start")
        await served.start()
        await browser.wait_until(
            "document.getElementById('connection').innerText === 'Live'"
            " && document.body.dataset.status === 'running'",
            timeout=60,
        )
        assert await text_of(browser, "#now-title") == "Welcome and introduction to the session"
        assert_same_host(browser, served)


async def test_find_my_group_is_remembered_across_a_reload(served: Served, tmp_path: Path) -> None:
    served.clock.now = START
    served.control("start")
    for _ in range(5):
        served.control("next")
    async with browser_at(tmp_path) as browser:
        await open_page(browser, served.url("/"))
        names = json.loads(
            await browser.evaluate(
                "JSON.stringify([...document.querySelectorAll('#find-name option')]"
                ".map(o => o.value).filter(Boolean))"
            )
        )
        assert names == sorted(names) and MY_NAME in names and len(names) == 13
        assert await browser.evaluate("!document.querySelector('.group.mine')")
        await choose(browser, "#find-name", MY_NAME)
        await browser.wait_until("!!document.querySelector('.group.mine')")
        await browser.open(served.url("/").split("?")[0])
        await browser.wait_until(
            "document.body.dataset.connection === 'live' && !!document.querySelector('.group.mine')"
        )
        mine = await text_of(browser, ".group.mine")
        assert MY_NAME in mine.splitlines() and "YOUR GROUP" in mine
        assert await text_of(browser, ".group.mine .me") == MY_NAME
        assert await browser.evaluate("document.getElementById('find-name').value") == MY_NAME
        group = await browser.evaluate(
            "document.querySelector('.group.mine h3').firstChild.textContent"
        )
        assert await text_of(browser, "#find-result") == f"You are in {group}."
        # Scrolled to: the group is on the screen without the person scrolling.
        assert await browser.evaluate(
            "(() => { const r = document.querySelector('.group.mine').getBoundingClientRect();"
            " return r.top >= 0 && r.bottom <= innerHeight; })()"
        )
        await keep_screenshot(browser, tmp_path, "phone-my-group")


async def test_a_swap_flashes_the_page_and_minute_marks_alone_are_announced(
    served: Served, tmp_path: Path
) -> None:
    served.clock.now = START
    served.control("start")
    served.control("next")
    served.control("next")
    async with browser_at(tmp_path) as browser:
        await open_page(browser, served.url("/"))
        assert await text_of(browser, "#clock-caption") == "Turn 1 of 2 · pairs"
        assert await text_of(browser, "#announcer") == ""
        # The threes swap after 5 minutes: the server sends the new turn, the page flashes.
        served.clock.now = START + dt.timedelta(minutes=5, seconds=1)
        await browser.wait_until("document.body.classList.contains('flash')")
        await browser.wait_until(
            "document.getElementById('announcer').innerText === 'Swap, threes: turn 2 of 3'"
        )
        await keep_screenshot(browser, tmp_path, "phone-swap")
        # The flash's colours are readable too.
        during_flash = await browser.run_axe(axe_source())
        assert [found for found in during_flash if found["impact"] in SERIOUS] == []
        await browser.wait_until("!document.body.classList.contains('flash')")

        # Listen to the live region and the digits from here on.
        await browser.evaluate(
            """(() => {
              window.heard = [];
              window.ticks = 0;
              const region = document.getElementById('announcer');
              const hear = () => { if (region.textContent) heard.push(region.textContent); };
              new MutationObserver(hear)
                .observe(region, {childList: true, characterData: true, subtree: true});
              new MutationObserver(() => { ticks += 1; })
                .observe(document.getElementById('clock-digits'),
                         {childList: true, characterData: true, subtree: true});
              return 1; })()"""
        )
        # The seconds go by: nothing is announced between minute marks.
        await browser.wait_until("window.ticks >= 3")
        assert await browser.evaluate("JSON.stringify(window.heard)") == "[]"
        # This tab's clock jumps over the pairs' minute mark (1:59 left becomes 0:58).
        await browser.evaluate(
            "(() => { const realNow = Date.now; Date.now = () => realNow() + 61000; return 1; })()"
        )
        await browser.wait_until("window.heard.length > 0")
        await browser.wait_until("window.ticks >= 6")
        assert json.loads(await browser.evaluate("JSON.stringify(window.heard)")) == [
            "1 minute left in this turn"
        ]


async def test_axe_finds_nothing_serious_on_the_page_and_the_remote(
    served: Served, tmp_path: Path
) -> None:
    axe = axe_source()
    served.clock.now = START
    served.control("start")
    served.control("next")
    served.control("next")
    served.control("broadcast", text="Cameras on, please")
    results: dict[str, list[dict[str, Any]]] = {}
    async with browser_at(tmp_path) as browser:
        await open_page(browser, served.url("/"))
        await choose(browser, "#find-name", MY_NAME)
        results["/ (pairs)"] = await browser.run_axe(axe)
        await browser.set_viewport(*PROJECTOR)
        results["/ (projector)"] = await browser.run_axe(axe)
        await browser.set_viewport(*PHONE)
        await open_page(browser, served.url("/remote", "remote"))
        results["/remote"] = await browser.run_axe(axe)
    report = json.dumps(results, indent=1)
    (tmp_path / "axe.json").write_text(report, encoding="utf-8")
    print(report)
    serious = {
        page: [found for found in violations if found["impact"] in SERIOUS]
        for page, violations in results.items()
    }
    assert serious == {page: [] for page in results}, report
