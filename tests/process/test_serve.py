"""`sessiontui serve`: one process for the room, a URL per role, the notes view behind its token.

The plan, the banner and the LAN address are tested directly; the mounted notes view and its
guard in-process on aiohttp's test server (no browser, no notes process); the command line
without binding a port (the serving itself is replaced); and the whole notes path once in
Debian's headless Chromium, where the page must show the served notes view and save into the
file. The room's own pages and API have their tests in tests/web and test_room_browser.py.
"""

from __future__ import annotations

import asyncio
import importlib.util
import re
import shlex
import shutil
import socket
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from types import ModuleType
from typing import Any, ClassVar

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from sessiontui.cli import main
from sessiontui.web import lan, serve
from sessiontui.web.roles import Tokens

HELPER = Path(__file__).resolve().parent.parent / "helpers" / "headless_chromium.py"
SESSION_TITLE = "Workshop 2: Building common understanding and common purpose"
TOKENS = Tokens(
    viewer="viewer-token-0123456789", remote="remote-token-0123456", notes="notes-tok-0123456789"
)
PORT = 1234
COOKIE = serve.cookie_name(PORT)
QR_BLOCKS = frozenset(" █▀▄")

Client = TestClient[web.Request, web.Application]


def test_the_notes_command_is_this_interpreter_with_every_part_quoted(tmp_path: Path) -> None:
    path = tmp_path / "a b $(touch x); 'q'.toml"
    plan = serve.plan(path, item="coffee-trial", group="Group 2; rm")
    assert shlex.split(plan.notes_command) == [
        sys.executable,
        "-m",
        "sessiontui",
        "notes",
        str(path.resolve()),
        "--item",
        "coffee-trial",
        "--group",
        "Group 2; rm",
    ]


def test_the_plan_listens_on_loopback_with_a_fresh_token_per_role(tmp_path: Path) -> None:
    plan = serve.plan(tmp_path / "w.toml")
    assert (plan.host, plan.port, plan.max_clients) == ("127.0.0.1", 8000, 500)
    assert plan.warning is None
    tokens = [token for _, token in plan.tokens.by_role()]
    assert len(set(tokens)) == 3
    assert all(len(token) >= 24 for token in tokens)
    assert plan.tokens != serve.plan(tmp_path / "w.toml").tokens
    assert plan.url("viewer") == f"http://127.0.0.1:8000/?token={plan.tokens.viewer}"
    assert plan.url("remote") == f"http://127.0.0.1:8000/remote?token={plan.tokens.remote}"
    assert plan.url("notes") == f"http://127.0.0.1:8000/notes/?token={plan.tokens.notes}"


def test_the_banner_names_each_role_on_its_own_line_then_the_qr_code(tmp_path: Path) -> None:
    plan = serve.plan(tmp_path / "w.toml", port=8123, tokens=TOKENS)
    lines = serve.banner(plan, qr_code=True).splitlines()
    assert lines[1:4] == [
        f"Participants: http://127.0.0.1:8123/?token={TOKENS.viewer}",
        f"Remote (facilitator): http://127.0.0.1:8123/remote?token={TOKENS.remote}",
        f"Notes: http://127.0.0.1:8123/notes/?token={TOKENS.notes}",
    ]
    assert lines[-1] == "Press Ctrl+C to stop."
    code = lines[4:-1]
    # A QR code: a square of half blocks (two modules a line), no colour escapes.
    assert len(code) >= 15
    assert all(set(line) <= QR_BLOCKS for line in code)
    assert len({len(line) for line in code}) == 1
    assert serve.qr_text(plan.url("viewer")) == "\n".join(code)
    assert serve.qr_text(plan.url("remote")) != "\n".join(code)


def test_without_a_terminal_the_banner_has_no_qr_code(tmp_path: Path) -> None:
    plan = serve.plan(tmp_path / "w.toml", tokens=TOKENS)
    lines = serve.banner(plan, qr_code=False).splitlines()
    assert [line.split(":")[0] for line in lines] == [
        "Serving sessiontui",
        "Participants",
        "Remote (facilitator)",
        "Notes",
        "Press Ctrl+C to stop.",
    ]


@pytest.mark.parametrize(
    ("host", "shown"),
    [
        ("127.0.0.1", "127.0.0.1"),
        ("localhost", "localhost"),
        ("192.168.1.20", "192.168.1.20"),
        ("::1", "[::1]"),
        ("fe80::1", "[fe80::1]"),
        ("0.0.0.0", "10.11.12.13"),
        ("::", "10.11.12.13"),
    ],
)
def test_the_urls_name_the_address_phones_reach(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, host: str, shown: str
) -> None:
    monkeypatch.setattr(lan, "lan_address", lambda: "10.11.12.13")
    plan = serve.plan(tmp_path / "w.toml", host=host, port=8000, tokens=TOKENS)
    assert plan.host == host
    assert plan.url("viewer") == f"http://{shown}:8000/?token={TOKENS.viewer}"


def test_every_address_without_a_network_falls_back_to_loopback(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(lan, "lan_address", lambda: None)
    assert lan.reachable_host("0.0.0.0") == "127.0.0.1"


class _Probe:
    """A UDP socket that records what is done with it: the LAN address is asked, never sent."""

    done: ClassVar[list[tuple[str, Any]]] = []

    def __init__(self, family: int, kind: int) -> None:
        self.done.append(("socket", (family, kind)))

    def __enter__(self) -> _Probe:
        return self

    def __exit__(self, *exc: object) -> None:
        self.done.append(("close", None))

    def connect(self, address: tuple[str, int]) -> None:
        self.done.append(("connect", address))

    def getsockname(self) -> tuple[str, int]:
        return ("192.168.7.42", 50123)

    def send(self, data: bytes) -> int:  # pragma: no cover - must never be called
        raise AssertionError("the LAN probe sent a packet")

    sendto = send


def test_the_lan_address_is_the_default_routes_source_address_without_sending(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _Probe.done = []
    monkeypatch.setattr(lan.socket, "socket", _Probe)
    assert lan.lan_address() == "192.168.7.42"
    assert _Probe.done[0] == ("socket", (socket.AF_INET, socket.SOCK_DGRAM))
    assert _Probe.done[1][0] == "connect"
    assert _Probe.done[-1] == ("close", None)


def test_the_lan_address_is_none_without_a_route(monkeypatch: pytest.MonkeyPatch) -> None:
    class Unreachable(_Probe):
        def connect(self, address: tuple[str, int]) -> None:
            raise OSError(101, "Network is unreachable")

    monkeypatch.setattr(lan.socket, "socket", Unreachable)
    assert lan.lan_address() is None


def test_the_real_lan_address_is_an_ipv4_address_others_can_reach_or_none() -> None:
    import ipaddress

    address = lan.lan_address()
    if address is not None:
        parsed = ipaddress.ip_address(address)
        assert parsed.version == 4
        assert not parsed.is_loopback
        assert not parsed.is_unspecified


# The notes view mounted in the room's application, in-process.


@pytest.fixture
async def client(example_path: Path) -> AsyncIterator[Client]:
    plan = serve.plan(example_path, port=PORT, tokens=TOKENS)
    app = await serve.make_serve_app(plan)
    async with TestClient(TestServer(app)) as test_client:
        yield test_client


def _origin(client: Client) -> str:
    return str(client.make_url("")).rstrip("/")


async def test_the_notes_link_sets_the_cookie_and_the_page_points_under_notes(
    client: Client,
) -> None:
    link = await client.get("/notes/", params={"token": TOKENS.notes}, allow_redirects=False)
    # Out of the address bar: the cookie carries the token from now on.
    assert link.status == 303
    assert link.headers["Location"] == "/notes/"
    cookie = link.headers["Set-Cookie"]
    assert cookie.startswith(f"{COOKIE}={TOKENS.notes};")
    assert "HttpOnly" in cookie
    assert "SameSite=Strict" in cookie
    page = await client.get("/notes/", headers={"Cookie": f"{COOKIE}={TOKENS.notes}"})
    assert page.status == 200
    html = await page.text()
    host = client.make_url("").host
    port = client.make_url("").port
    assert f'data-session-websocket-url="ws://{host}:{port}/notes/ws"' in html
    assert f'src="http://{host}:{port}/notes/static/js/textual.js"' in html
    # Nothing is fetched from elsewhere: every address the page names is this server's.
    addresses = re.findall(r'(?:src|href)="(https?://[^"]+)"', html)
    assert addresses and all(a.startswith(f"http://{host}:{port}/") for a in addresses)
    assert "googleapis" not in html
    script = await client.get(
        "/notes/static/js/textual.js", headers={"Cookie": f"{COOKIE}={TOKENS.notes}"}
    )
    assert script.status == 200


@pytest.mark.parametrize("token", [TOKENS.viewer, TOKENS.remote, "wrong", "é" * 22, None])
async def test_only_the_notes_token_opens_the_notes_view(client: Client, token: str | None) -> None:
    headers = {} if token is None else {"Cookie": f"{COOKIE}={token}"}
    for path in ("/notes/", "/notes/static/js/textual.js"):
        response = await client.get(path, headers=headers)
        assert response.status == 403, (path, token)
        assert (await response.text()).count("\n") == 1
    with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
        await client.ws_connect("/notes/ws", headers={**headers, "Origin": _origin(client)})
    assert refused.value.status == 403


@pytest.mark.parametrize(
    "origin",
    ["http://evil.example", "http://evil.example:1234", "https://127.0.0.1", "null", None],
)
async def test_a_notes_websocket_from_another_site_is_refused_even_with_the_token(
    client: Client, origin: str | None
) -> None:
    headers = {"Cookie": f"{COOKIE}={TOKENS.notes}"}
    if origin is not None:
        headers["Origin"] = origin
    with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
        await client.ws_connect("/notes/ws", headers=headers)
    assert refused.value.status == 403


async def test_the_room_is_served_beside_the_notes_view(client: Client) -> None:
    state = await client.get("/api/state", headers={"Authorization": f"Bearer {TOKENS.viewer}"})
    assert state.status == 200
    assert (await state.json())["title"] == SESSION_TITLE
    refused = await client.post(
        "/api/control",
        json={"action": "start"},
        headers={"Authorization": f"Bearer {TOKENS.notes}"},
    )
    assert refused.status == 403


# The command line, with the serving itself replaced.


def _record_runs(monkeypatch: pytest.MonkeyPatch) -> list[serve.ServePlan]:
    runs: list[serve.ServePlan] = []
    monkeypatch.setattr(serve, "run", runs.append)
    return runs


def test_serve_listens_on_loopback_without_a_warning_by_default(
    example_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    runs = _record_runs(monkeypatch)
    assert main(["serve", str(example_path), "--port", "8123", "--max-clients", "50"]) == 0
    assert [(plan.host, plan.port, plan.max_clients) for plan in runs] == [("127.0.0.1", 8123, 50)]
    assert capsys.readouterr().err == ""


def test_serve_on_another_host_prints_a_one_line_warning(
    example_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    runs = _record_runs(monkeypatch)
    assert main(["serve", str(example_path), "--host", "0.0.0.0"]) == 0
    assert runs[0].host == "0.0.0.0"
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith("warning: listening on 0.0.0.0: anyone who can reach that address")
    assert "token" in err


def test_the_notes_options_go_to_the_notes_views_command(
    example_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    runs = _record_runs(monkeypatch)
    arguments = ["serve", str(example_path), "--item", "coffee-trial", "--group", "Group 2"]
    assert main(arguments) == 0
    assert shlex.split(runs[0].notes_command)[-4:] == [
        "--item",
        "coffee-trial",
        "--group",
        "Group 2",
    ]


@pytest.mark.parametrize("content", [None, 'schema_version = 1\ntitle = "x\n'])
def test_serve_on_a_missing_or_broken_file_is_one_line_and_exit_2(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    content: str | None,
) -> None:
    runs = _record_runs(monkeypatch)
    path = tmp_path / "w.toml"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    assert main(["serve", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith(str(path))
    assert runs == []


@pytest.mark.parametrize(
    ("arguments", "said"),
    [
        (["--item", "nope"], "no agenda item has id 'nope'"),
        (["--view", "present"], "sessiontui serve: --view is gone"),
        (["--view", "notes"], "sessiontui serve: --view is gone"),
    ],
)
def test_serve_refuses_an_unknown_item_and_the_removed_view_option_in_one_line(
    example_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    arguments: list[str],
    said: str,
) -> None:
    runs = _record_runs(monkeypatch)
    assert main(["serve", str(example_path), *arguments]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert said in err
    assert runs == []


@pytest.mark.parametrize("count", ["0", "-3", "many"])
def test_serve_refuses_a_client_cap_that_is_not_a_positive_number(
    example_path: Path, capsys: pytest.CaptureFixture[str], count: str
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["serve", str(example_path), "--max-clients", count])
    assert exited.value.code == 2
    assert "not a number of clients" in capsys.readouterr().err


def test_serve_a_port_already_in_use_is_one_line_and_exit_2(
    example_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["serve", str(example_path), "--port", str(port)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith(f"sessiontui serve: cannot listen on 127.0.0.1:{port}:")


def _load_helper() -> ModuleType:
    spec = importlib.util.spec_from_file_location("headless_chromium", HELPER)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _children(pid: int) -> list[int]:
    """The processes whose parent is pid, from /proc (Linux, as the browser test needs)."""
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # ended while being read
        if int(fields[1]) == pid:
            children.append(int(stat.parent.name))
    return children


def _read_url(process: subprocess.Popen[str]) -> str:
    assert process.stdout is not None
    seen = []
    for line in process.stdout:
        seen.append(line)
        match = re.match(r"Notes: (http://\S+)", line)
        if match:
            return match.group(1)
    raise AssertionError("serve printed no URL:\n" + "".join(seen))


@pytest.mark.subprocess
@pytest.mark.slow
async def test_a_real_browser_shows_and_saves_the_notes_view_and_strangers_are_refused(
    tmp_path: Path, workshop_copy: Path
) -> None:
    helper = _load_helper()
    if helper.chromium() is None:
        pytest.skip("no chromium: .ci/run installs Debian's chromium")
    path = workshop_copy
    port = _free_port()
    command = [sys.executable, "-m", "sessiontui", "serve", str(path)]
    server = subprocess.Popen(
        [*command, "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        url = await asyncio.wait_for(asyncio.to_thread(_read_url, server), 60)
        assert url.startswith(f"http://127.0.0.1:{port}/notes/?token=")
        token = url.split("token=", 1)[1]
        async with aiohttp.ClientSession() as http:
            async with http.get(f"http://127.0.0.1:{port}/notes/") as response:
                assert response.status == 403
            async with http.get(f"http://127.0.0.1:{port}/notes/?token=x{token}") as response:
                assert response.status == 403
        websocket = f"ws://127.0.0.1:{port}/notes/ws"
        cookie = f"{serve.cookie_name(port)}={token}"
        evil = {"Origin": "http://evil.example", "Cookie": cookie}
        async with helper.websocket_status(websocket, evil) as status:
            assert status == 403

        async with helper.Browser(tmp_path / "chromium-profile") as browser:
            await browser.open(url)
            # The notes view's header is the session's title, then the room's current item and
            # the notes pane: the app runs behind the page and reaches it.
            try:
                await browser.wait_for_text(SESSION_TITLE, timeout=60)
                await browser.wait_for_text("Randomised Coffee Trial", timeout=30)
                await browser.wait_for_text("Notes on the whole room", timeout=30)
            finally:
                (tmp_path / "received.txt").write_text(browser.received_text(), encoding="utf-8")
            # Then the page itself must have painted it: it marks the body on the first bytes.
            for _ in range(50):
                if await browser.evaluate("document.body.classList.contains('-first-byte')"):
                    break
                await asyncio.sleep(0.2)
            else:
                raise AssertionError("the page never received the app's output")
            await asyncio.sleep(1.5)
            png = await browser.screenshot(tmp_path / "serve-notes.png")
            # Typed in the page, saved by the served app into the file, as in a terminal.
            await browser.click(400, 300)
            await browser.type_text("Typed in a browser tab")
            for _ in range(100):
                if "Typed in a browser tab" in path.read_text(encoding="utf-8"):
                    break
                await asyncio.sleep(0.2)
            else:
                raise AssertionError("the note typed in the browser was never saved")
        # Closing the browser ends the view's process, as closing a terminal does.
        for _ in range(100):
            if not _children(server.pid):
                break
            await asyncio.sleep(0.2)
        else:
            raise AssertionError(f"the served view outlived its browser: {_children(server.pid)}")
        assert png.startswith(b"\x89PNG")
        # A blank dark page compresses to a few kilobytes; the notes view's text is more.
        assert len(png) > 8_000, "the screenshot is nearly blank"
    finally:
        server.terminate()
        try:
            server.wait(20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        for stream in (server.stdout, server.stderr):
            if stream is not None:
                stream.close()


def _banner(process: subprocess.Popen[str]) -> dict[str, str]:
    """Each role's URL from serve's banner, read up to its last line."""
    assert process.stdout is not None
    urls: dict[str, str] = {}
    seen = []
    for line in process.stdout:
        seen.append(line)
        match = re.match(r"(Participants|Remote \(facilitator\)|Notes): (http://\S+)", line)
        if match:
            urls[match.group(1)] = match.group(2)
        if line.startswith("Press Ctrl+C to stop."):
            return urls
    raise AssertionError("serve printed no banner:\n" + "".join(seen))


class _Tmux:
    """`sessiontui present` in a tmux pane, read as the person at the projector sees it."""

    def __init__(self, name: str, command: list[str]) -> None:
        self.name = name
        subprocess.run(
            ["tmux", "new-session", "-d", "-s", name, "-x", "100", "-y", "30", shlex.join(command)],
            check=True,
        )

    def screen(self) -> str:
        done = subprocess.run(
            ["tmux", "capture-pane", "-p", "-t", self.name],
            check=False,
            capture_output=True,
            text=True,
        )
        return done.stdout

    async def until(self, condition: Any, what: str, timeout: float = 30) -> str:
        loop = asyncio.get_running_loop()
        end = loop.time() + timeout
        while not condition(screen := self.screen()):
            if loop.time() > end:
                raise AssertionError(f"present never showed {what}; it shows:\n{screen}")
            await asyncio.sleep(0.2)
        return screen

    def close(self) -> None:
        subprocess.run(["tmux", "kill-session", "-t", self.name], check=False, capture_output=True)


def _next_time(screen: str) -> str | None:
    """When the second item starts, wherever present shows it (the agenda, the next line)."""
    match = re.search(
        r"(\d\d:\d\d)\W+Getting to know|Getting to know[^\n]*? at (\d\d:\d\d)", screen
    )
    return (match.group(1) or match.group(2)) if match else None


async def _press(browser: Any, selector: str) -> None:
    """Tap a button of the remote in its middle, once the page allows it."""
    import json

    await browser.wait_until(f"!document.querySelector({json.dumps(selector)}).disabled")
    box = json.loads(
        await browser.evaluate(
            f"""(() => {{ const e = document.querySelector({json.dumps(selector)});
                 e.scrollIntoView({{block: 'center'}});
                 const r = e.getBoundingClientRect();
                 return JSON.stringify([r.x + r.width / 2, r.y + r.height / 2]); }})()"""
        )
    )
    await browser.click(round(box[0]), round(box[1]))


@pytest.mark.subprocess
@pytest.mark.slow
async def test_the_facilitator_runs_an_item_from_a_phone_sized_remote_while_present_follows(
    tmp_path: Path, workshop_copy: Path
) -> None:
    from sessiontui import session_file

    helper = _load_helper()
    if helper.chromium() is None:
        pytest.skip("no chromium: .ci/run installs Debian's chromium")
    if shutil.which("tmux") is None:
        pytest.skip("no tmux to show `sessiontui present` in")
    path = workshop_copy
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "sessiontui", "serve", str(path), "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    present = None
    try:
        urls = await asyncio.wait_for(asyncio.to_thread(_banner, server), 60)
        present = _Tmux(
            f"sessiontui-test-{port}",
            [sys.executable, "-m", "sessiontui", "present", str(path)],
        )
        await present.until(lambda screen: "STARTS AT" in screen, "the planned session")
        async with helper.Browser(tmp_path / "chromium-profile") as browser:
            await browser.set_viewport(390, 844)
            await browser.open(urls["Remote (facilitator)"])
            # The token left the address bar, and the page follows the room.
            await browser.wait_until(
                "location.pathname === '/remote' && !location.search"
                " && document.readyState === 'complete'"
                " && document.body.dataset.connection === 'live'"
                " && document.body.dataset.status === 'planned'"
            )

            await _press(browser, "[data-action=start]")
            running = await present.until(
                lambda screen: (
                    "STARTS AT" not in screen
                    and "Welcome and introduction" in screen
                    and _next_time(screen) is not None
                ),
                "the first item running",
            )
            planned_next = _next_time(running)
            await _press(browser, "[data-action=extend][data-minutes='5']")
            await present.until(
                lambda screen: _next_time(screen) not in (None, planned_next),
                "the next item five minutes later",
            )
            await _press(browser, "#pause-resume")
            await present.until(lambda screen: "PAUSED" in screen, "PAUSED")
            await browser.wait_until(
                "document.querySelector('#pause-resume').dataset.action === 'resume'"
            )
            await _press(browser, "#pause-resume")
            await present.until(lambda screen: "PAUSED" not in screen, "the clock running again")

            await _press(browser, "#broadcast-text")
            await browser.type_text("Cameras on, please")
            await _press(browser, "[data-action=broadcast]")
            await present.until(lambda screen: "Cameras on, please" in screen, "the message")
            await browser.screenshot(tmp_path / "remote-390x844.png")
            await _press(browser, "[data-action=next]")
            await present.until(
                # "Trial", the third item; the second is the "Trials" one.
                lambda screen: re.search(r"Next\W[^\n]*Randomised Coffee Trial\b", screen),
                "the next item",
            )
        log = session_file.open_session(path).session.log
        assert [event.kind for event in log] == [
            "start",
            "extend",
            "pause",
            "resume",
            "broadcast",
            "next",
        ]
    finally:
        if present is not None:
            present.close()
        server.terminate()
        try:
            server.wait(20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        if server.stdout is not None:
            server.stdout.close()
