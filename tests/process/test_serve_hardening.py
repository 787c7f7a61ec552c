"""`sessiontui serve`'s notes view under a bad client (issue 16, case 12): limits, one-line logs.

The pure parts (the loopback rule, reading a client's message) are tested directly; the rest
against a real `serve` process, whose notes view (`/notes/`, a Textual process per tab) is
driven by aiohttp's websocket client as a hostile page would. No token in any log line.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import shlex
import signal
import socket
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import aiohttp
import pytest
from textual_serve.download_manager import DownloadManager

from sessiontui.cli import main
from sessiontui.web import roles, serve
from sessiontui.web.client_input import (
    MAX_HEIGHT,
    MAX_STDIN_CHARS,
    MAX_WIDTH,
    STDIN_BURST_CHARS,
    STDIN_CHARS_PER_SECOND,
    BadInput,
    Focus,
    Ping,
    Resize,
    Stdin,
    StdinBudget,
    read_client_message,
)
from sessiontui.web.tab import TabService


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.8.9.10", True),
        ("::1", True),
        ("[::1]", True),
        ("localhost", True),
        ("LOCALHOST.", True),
        ("0.0.0.0", False),
        ("::", False),
        ("192.168.1.20", False),
        ("example.org", False),
    ],
)
def test_only_a_non_loopback_host_is_warned_about(host: str, loopback: bool) -> None:
    assert serve.is_loopback(host) is loopback
    plan = serve.plan(Path("w.toml"), host=host)
    assert (plan.warning is None) is loopback


def test_serve_with_host_127_0_0_1_prints_no_exposure_warning(
    example_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    runs: list[serve.ServePlan] = []
    monkeypatch.setattr(serve, "run", runs.append)
    assert main(["serve", str(example_path), "--host", "127.0.0.1"]) == 0
    assert [plan.host for plan in runs] == ["127.0.0.1"]
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ('["resize", {"width": 20000, "height": 20000}]', Resize(MAX_WIDTH, MAX_HEIGHT)),
        ('["resize", {"width": 0, "height": 0}]', Resize(1, 1)),
        ('["resize", {"width": 120, "height": 40}]', Resize(120, 40)),
        ('["resize", {"width": -5, "height": -5}]', None),
        ('["resize", {"width": 80.5, "height": 24}]', None),
        ('["resize", {"width": "80", "height": 24}]', None),
        ('["resize", {"width": true, "height": 24}]', None),
        ('["resize", [80, 24]]', None),
        ('["stdin", "héllo"]', Stdin("héllo")),
        ('["ping", "1712345678901"]', Ping("1712345678901")),
        ('["focus"]', Focus(focused=True)),
        ('["blur"]', Focus(focused=False)),
        ('["something-new", 1]', None),
    ],
)
def test_a_client_message_is_read_within_bounds(message: str, expected: object) -> None:
    assert read_client_message(message) == expected


@pytest.mark.parametrize(
    ("message", "reason"),
    [
        ("not json", "not JSON"),
        ('{"stdin": "x"}', "not a [type, data] list"),
        ("[]", "not a [type, data] list"),
        ('["stdin", 5]', "stdin that is not text"),
        (json.dumps(["stdin", "a" * (MAX_STDIN_CHARS + 1)]), "characters of stdin at once"),
        (json.dumps(["ping", "x" * 1000]), "a ping that is not a short text"),
    ],
)
def test_a_message_the_page_never_sends_is_refused_with_one_line(message: str, reason: str) -> None:
    with pytest.raises(BadInput, match=re.escape(reason)) as refused:
        read_client_message(message)
    assert "\n" not in str(refused.value)


def test_the_stdin_budget_allows_a_burst_then_refills_at_its_rate() -> None:
    now = [0.0]
    budget = StdinBudget(lambda: now[0])
    assert budget.spend(STDIN_BURST_CHARS)
    assert not budget.spend(1)
    now[0] += 1.0
    assert budget.spend(STDIN_CHARS_PER_SECOND)
    assert not budget.spend(1)
    now[0] += 1000.0  # idle for long: back to the burst, no more
    assert not budget.spend(STDIN_BURST_CHARS + 1)
    assert budget.spend(STDIN_BURST_CHARS)


def test_the_access_log_hides_the_token() -> None:
    assert roles.redacted("/ws?token=s3cret&width=80") == "/ws?token=REDACTED&width=80"
    assert roles.redacted("/static/js/textual.js") == "/static/js/textual.js"


def test_a_logged_exception_is_one_line_without_traceback_or_locals() -> None:
    try:
        secret_local = "do-not-show"  # noqa: F841 - what rich's show_locals printed
        raise ValueError("bad\nthing")
    except ValueError:
        record = logging.LogRecord(
            "textual-serve",
            logging.ERROR,
            __file__,
            1,
            "Error handling request",
            None,
            sys.exc_info(),
        )
    line = serve.OneLineFormatter().format(record)
    assert line == "Error handling request: ValueError: bad thing"


def test_a_logged_line_never_shows_the_token_nor_a_raw_escape() -> None:
    # As aiohttp logs a malformed request: its request line quoted, token and all.
    record = logging.LogRecord(
        "aiohttp.server",
        logging.ERROR,
        __file__,
        1,
        "Invalid char in url query: b'GET /?token=s3cret-token' \x1b[31m",
        None,
        None,
    )
    line = serve.OneLineFormatter(hidden="s3cret-token").format(record)
    assert "s3cret-token" not in line
    assert "token=REDACTED" in line
    assert "\x1b" not in line


# The served process, driven as a hostile page would drive it.

MEMORY_BOUND_MB = 300


@dataclass
class Served:
    """A running `sessiontui serve` and what is needed to open its notes view's websocket."""

    process: subprocess.Popen[str]
    port: int
    token: str
    """The notes token."""
    tokens: list[str]
    """Every role's token, none of which may appear in a log line after the banner."""

    @property
    def websocket_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/notes/ws"

    @property
    def origin(self) -> dict[str, str]:
        """The headers of the notes page's own websocket: its Origin and the token's cookie."""
        return {
            "Origin": f"http://127.0.0.1:{self.port}",
            "Cookie": f"{serve.cookie_name(self.port)}={self.token}",
        }

    def stop(self) -> str:
        """Stop serve and return everything it printed."""
        self.process.terminate()
        try:
            output, _ = self.process.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            output, _ = self.process.communicate()
        return output


@pytest.fixture
def served(workshop_copy: Path) -> Iterator[Served]:
    path = workshop_copy
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(
        [sys.executable, "-m", "sessiontui", "serve", str(path), "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert process.stdout is not None
    tokens: dict[str, str] = {}
    for line in process.stdout:
        match = re.match(
            r"(Participants|Remote \(facilitator\)|Notes): http://\S+\?token=(\S+)", line
        )
        if match:
            tokens[match.group(1)] = match.group(2)
        if "Notes" in tokens:
            break
    assert len(tokens) == 3, f"serve printed no URL per role: {tokens}"
    running = Served(process, port, tokens["Notes"], list(tokens.values()))
    yield running
    if process.poll() is None:
        running.stop()


def _tabs(serve_pid: int) -> list[int]:
    """The tab processes: serve's children, from /proc."""
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # ended while being read
        if int(fields[1]) == serve_pid and fields[0] != "Z":
            children.append(int(stat.parent.name))
    return children


def _rss_mb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) // 1024
    return 0


async def _until(condition: Callable[[], bool], deadline_seconds: float, what: str) -> None:
    """Poll condition until true; fail naming what never happened within the deadline."""
    loop = asyncio.get_running_loop()
    end = loop.time() + deadline_seconds
    while not condition():
        if loop.time() > end:
            raise AssertionError(f"{what} within {deadline_seconds}s")
        await asyncio.sleep(0.1)


async def _app_output(websocket: aiohttp.ClientWebSocketResponse, seconds: float) -> int:
    """Bytes the tab's app draws within the time: a live app repaints after a resize."""
    received = 0
    loop = asyncio.get_running_loop()
    end = loop.time() + seconds
    while received == 0 and loop.time() < end:
        try:
            message = await websocket.receive(timeout=max(0.1, end - loop.time()))
        except TimeoutError:
            break
        if message.type == aiohttp.WSMsgType.BINARY:
            received += len(message.data)
        elif message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED):
            break
    return received


async def _closed_by_server(websocket: aiohttp.ClientWebSocketResponse, tab: int = 0) -> None:
    """Read until the server's close frame, the tab's memory within bounds all along."""
    ends = (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.CLOSING)
    while (await websocket.receive(timeout=30)).type not in ends:
        if tab and Path(f"/proc/{tab}").exists():
            assert _rss_mb(tab) < MEMORY_BOUND_MB


def _assert_clean_console(output: str, tokens: list[str]) -> None:
    assert "Traceback" not in output, output
    assert "locals" not in output, output
    for token in tokens:
        assert token not in output, output


@pytest.mark.subprocess
async def test_a_huge_and_a_negative_resize_leave_the_tab_alive_and_small(
    served: Served,
) -> None:
    async with (
        aiohttp.ClientSession() as http,
        http.ws_connect(served.websocket_url, headers=served.origin) as websocket,
    ):
        assert await _app_output(websocket, 60) > 0, "the tab's app never drew"
        (tab,) = _tabs(served.process.pid)
        for size in ({"width": 20000, "height": 20000}, {"width": -5, "height": -5}):
            await websocket.send_json(["resize", size])
            await websocket.send_json(["resize", {"width": 100, "height": 30}])
            assert await _app_output(websocket, 30) > 0, f"no repaint after {size}"
            assert tab in _tabs(served.process.pid), f"the tab died of {size}"
            assert _rss_mb(tab) < MEMORY_BOUND_MB
        await websocket.send_str("not json")
        await _closed_by_server(websocket)
    _assert_clean_console(served.stop(), served.tokens)


@pytest.mark.subprocess
@pytest.mark.parametrize(
    "flood",
    [
        [json.dumps(["stdin", "a" * 3_000_000])],
        [json.dumps(["stdin", "a" * 60_000])],
        [json.dumps(["stdin", "a" * 8_000])] * 40,
    ],
    ids=["3MB-at-once", "60KB-at-once", "40x8KB"],
)
async def test_a_flood_of_stdin_closes_the_socket_and_ends_its_tab(
    served: Served, flood: list[str]
) -> None:
    async with (
        aiohttp.ClientSession() as http,
        http.ws_connect(served.websocket_url, headers=served.origin) as websocket,
    ):
        assert await _app_output(websocket, 60) > 0, "the tab's app never drew"
        (tab,) = _tabs(served.process.pid)
        for message in flood:
            if websocket.closed:
                break
            await websocket.send_str(message)
        await _closed_by_server(websocket, tab)
    await _until(lambda: tab not in _tabs(served.process.pid), 20, "the tab outlived its socket")
    _assert_clean_console(served.stop(), served.tokens)


@pytest.mark.subprocess
async def test_the_tab_process_ends_when_its_socket_closes(served: Served) -> None:
    async with (
        aiohttp.ClientSession() as http,
        http.ws_connect(served.websocket_url, headers=served.origin) as websocket,
    ):
        assert await _app_output(websocket, 60) > 0, "the tab's app never drew"
        (tab,) = _tabs(served.process.pid)
        # Busy with typing when the page goes away: it still ends.
        await websocket.send_json(["stdin", "x" * 60_000])
    await _until(lambda: tab not in _tabs(served.process.pid), 20, "the tab outlived its socket")
    async with (
        aiohttp.ClientSession() as http,
        http.get(
            f"http://127.0.0.1:{served.port}/notes/?token={served.token}", allow_redirects=False
        ) as link,
    ):
        assert link.status == 303
    output = served.stop()
    _assert_clean_console(output, served.tokens)
    assert "/notes/?token=REDACTED" in output


def _tab_service(script: str) -> TabService:
    async def ignore(data: object = None) -> None:
        pass

    return TabService(
        shlex.join([sys.executable, "-c", script]),
        write_bytes=ignore,
        write_str=ignore,
        close=ignore,
        download_manager=DownloadManager(),
    )


@pytest.mark.subprocess
async def test_an_app_that_ignores_quit_is_killed_with_its_children() -> None:
    # Announces itself as a Textual app, starts a child, and then never reads its stdin.
    script = (
        "import subprocess, sys, time; print('__GANGLION__', flush=True);"
        "child = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(600)']);"
        "print(child.pid, file=sys.stderr, flush=True); time.sleep(600)"
    )
    tab = _tab_service(script)
    await tab.start(80, 24)
    assert tab.pid is not None
    pid = tab.pid
    await _until(lambda: bool(_tabs(pid)), 30, "the app never started its child")
    (child,) = _tabs(pid)
    await tab.stop()
    await _until(lambda: not Path(f"/proc/{pid}").exists(), 10, "the app outlived stop()")
    await _until(lambda: not _alive(child), 10, "the app's child outlived stop()")


@pytest.mark.subprocess
async def test_a_crashing_apps_traceback_is_one_log_line(
    caplog: pytest.LogCaptureFixture,
) -> None:
    script = "secret_local = 'do-not-show'; raise ValueError('the app broke')"
    tab = _tab_service(script)
    with caplog.at_level(logging.INFO, logger="textual-serve"):
        await tab.start(80, 24)
        await tab.stop()
    lines = [record.getMessage() for record in caplog.records]
    assert "a tab's app wrote to stderr, last: ValueError: the app broke" in lines
    assert not any("Traceback" in line or "do-not-show" in line for line in lines)


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


@pytest.mark.subprocess
@pytest.mark.parametrize(
    "stop", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP], ids=["SIGINT", "SIGTERM", "SIGHUP"]
)
async def test_stopping_serve_ends_the_room_and_every_notes_tab(
    served: Served, stop: signal.Signals
) -> None:
    # Ctrl+C, a service manager's SIGTERM, or the terminal closing (SIGHUP): the tabs' apps
    # run in their own sessions, so only serve itself can end them.
    async with (
        aiohttp.ClientSession() as http,
        http.ws_connect(served.websocket_url, headers=served.origin) as websocket,
    ):
        assert await _app_output(websocket, 60) > 0, "the tab's app never drew"
        (tab,) = _tabs(served.process.pid)
        served.process.send_signal(stop)
        await _closed_by_server(websocket)
    output, _ = served.process.communicate(timeout=30)
    assert served.process.returncode == 0
    await _until(lambda: not _alive(tab), 10, "the tab outlived serve")
    _assert_clean_console(output, served.tokens)
