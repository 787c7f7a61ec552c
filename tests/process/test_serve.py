"""`sessiontui serve`: the token and Origin guard, the command line, and a real headless browser.

The guard is tested in-process on aiohttp's test server (no browser), the command line without
binding a port (the serving itself is replaced), and the whole path once in Debian's headless
Chromium, where the page must show the served notes view.
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

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from sessiontui.cli import main
from sessiontui.web import serve

TOKEN = "right-token-0123456789"
COOKIE = serve.cookie_name(1234)
HELPER = Path(__file__).resolve().parent.parent / "helpers" / "headless_chromium.py"
SESSION_TITLE = "Workshop 2: Building common understanding and common purpose"


async def _hello(request: web.Request) -> web.Response:
    return web.Response(text="hello")


async def _echo(request: web.Request) -> web.WebSocketResponse:
    socket = web.WebSocketResponse()
    await socket.prepare(request)
    async for message in socket:
        await socket.send_str(message.data)
    return socket


@pytest.fixture
async def client() -> AsyncIterator[TestClient[web.Request, web.Application]]:
    """A small app behind the guard: a page and an echoing websocket."""
    app = web.Application(middlewares=[serve.access_guard(TOKEN, COOKIE)])
    app.router.add_get("/", _hello)
    app.router.add_get("/ws", _echo)
    async with TestClient(TestServer(app)) as test_client:
        yield test_client


def _origin(client: TestClient[web.Request, web.Application]) -> str:
    return str(client.make_url("")).rstrip("/")


async def test_a_request_without_the_token_is_refused(
    client: TestClient[web.Request, web.Application],
) -> None:
    response = await client.get("/")
    assert response.status == 403
    assert "Set-Cookie" not in response.headers


async def test_a_wrong_or_non_ascii_token_is_refused(
    client: TestClient[web.Request, web.Application],
) -> None:
    for wrong in ("wrong", TOKEN[:-1], TOKEN + "x", "é" * 22, ""):
        response = await client.get("/", params={"token": wrong})
        assert response.status == 403, wrong
    response = await client.get("/", headers={"Cookie": f"{COOKIE}=wrong"})
    assert response.status == 403


async def test_the_right_token_is_served_and_sets_a_strict_http_only_cookie(
    client: TestClient[web.Request, web.Application],
) -> None:
    response = await client.get("/", params={"token": TOKEN})
    assert response.status == 200
    assert await response.text() == "hello"
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith(f"{COOKIE}={TOKEN};")
    assert "HttpOnly" in cookie
    assert "SameSite=Strict" in cookie


async def test_the_cookie_alone_authorises_later_requests(
    client: TestClient[web.Request, web.Application],
) -> None:
    response = await client.get("/", headers={"Cookie": f"{COOKIE}={TOKEN}"})
    assert response.status == 200
    # Another server's cookie (another port) does not open this one.
    other = serve.cookie_name(4321)
    response = await client.get("/", headers={"Cookie": f"{other}={TOKEN}"})
    assert response.status == 403


async def test_a_same_origin_websocket_with_the_token_is_accepted(
    client: TestClient[web.Request, web.Application],
) -> None:
    headers = {"Origin": _origin(client), "Cookie": f"{COOKIE}={TOKEN}"}
    async with client.ws_connect("/ws", headers=headers) as socket:
        await socket.send_str("ping")
        assert await socket.receive_str() == "ping"


@pytest.mark.parametrize(
    "origin",
    [
        "http://evil.example",
        "http://evil.example:1234",
        "https://127.0.0.1",
        "null",
        None,
    ],
)
async def test_a_websocket_from_another_site_is_refused_even_with_the_token(
    client: TestClient[web.Request, web.Application], origin: str | None
) -> None:
    headers = {"Cookie": f"{COOKIE}={TOKEN}"}
    if origin is not None:
        headers["Origin"] = origin
    with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
        await client.ws_connect("/ws", headers=headers)
    assert refused.value.status == 403


async def test_a_websocket_without_the_token_is_refused(
    client: TestClient[web.Request, web.Application],
) -> None:
    with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
        await client.ws_connect("/ws", headers={"Origin": _origin(client)})
    assert refused.value.status == 403


async def test_the_served_page_points_its_assets_and_websocket_at_the_host_it_was_opened_on(
    tmp_path: Path,
) -> None:
    plan = serve.plan(tmp_path / "w.toml", view="notes", port=1234, token=TOKEN)
    server = serve.make_server(plan)
    app = await server._make_app()
    async with TestClient(TestServer(app)) as test_client:
        page = await test_client.get("/", params={"token": TOKEN})
        assert page.status == 200
        html = await page.text()
        host = test_client.make_url("").host
        port = test_client.make_url("").port
        assert f'data-session-websocket-url="ws://{host}:{port}/ws"' in html
        assert f'src="http://{host}:{port}/static/js/textual.js"' in html
        script = await test_client.get(
            "/static/js/textual.js", headers={"Cookie": f"{COOKIE}={TOKEN}"}
        )
        assert script.status == 200
        test_client.session.cookie_jar.clear()
        assert (await test_client.get("/static/js/textual.js")).status == 403


def test_the_command_is_this_interpreter_with_every_part_quoted(tmp_path: Path) -> None:
    path = tmp_path / "a b $(touch x); 'q'.toml"
    plan = serve.plan(path, view="notes", item="coffee-trial", group="Group 2; rm")
    assert shlex.split(plan.command) == [
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
    assert plan.host == "127.0.0.1"
    assert plan.warning is None
    assert len(plan.token) >= 32
    assert plan.token != serve.plan(path, view="notes").token
    assert plan.url == f"http://127.0.0.1:8000/?token={plan.token}"


def test_present_is_served_through_the_same_path(tmp_path: Path) -> None:
    plan = serve.plan(tmp_path / "w.toml", view="present", port=9000)
    assert shlex.split(plan.command)[3:] == ["present", str((tmp_path / "w.toml").resolve())]


def _record_runs(monkeypatch: pytest.MonkeyPatch) -> list[serve.ServePlan]:
    runs: list[serve.ServePlan] = []
    monkeypatch.setattr(serve, "run", runs.append)
    return runs


def test_serve_listens_on_loopback_without_a_warning_by_default(
    example_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    runs = _record_runs(monkeypatch)
    assert main(["serve", str(example_path), "--view", "notes", "--port", "8123"]) == 0
    assert [(plan.host, plan.port) for plan in runs] == [("127.0.0.1", 8123)]
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
    assert main(["serve", str(path), "--view", "notes"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith(str(path))
    assert runs == []


def test_serve_refuses_an_unknown_item_and_notes_options_for_present(
    example_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    runs = _record_runs(monkeypatch)
    assert main(["serve", str(example_path), "--view", "notes", "--item", "nope"]) == 2
    assert "no agenda item has id 'nope'" in capsys.readouterr().err
    assert main(["serve", str(example_path), "--view", "present", "--group", "Group 1"]) == 2
    assert "--view notes" in capsys.readouterr().err
    assert runs == []


def test_serve_a_port_already_in_use_is_one_line_and_exit_2(
    example_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["serve", str(example_path), "--view", "notes", "--port", str(port)]) == 2
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
        match = re.match(r"Open: (http://\S+)", line)
        if match:
            return match.group(1)
    raise AssertionError("serve printed no URL:\n" + "".join(seen))


@pytest.mark.subprocess
async def test_a_real_browser_shows_and_saves_the_served_notes_view_and_strangers_are_refused(
    tmp_path: Path, example_path: Path
) -> None:
    helper = _load_helper()
    if helper.chromium() is None:
        pytest.skip("no chromium: .ci/run installs Debian's chromium")
    path = tmp_path / "workshop.toml"
    shutil.copy(example_path, path)
    port = _free_port()
    command = [sys.executable, "-m", "sessiontui", "serve", str(path), "--view", "notes"]
    server = subprocess.Popen(
        [*command, "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        url = await asyncio.wait_for(asyncio.to_thread(_read_url, server), 60)
        assert url.startswith(f"http://127.0.0.1:{port}/?token=")
        token = url.split("token=", 1)[1]
        async with aiohttp.ClientSession() as http:
            async with http.get(f"http://127.0.0.1:{port}/") as response:
                assert response.status == 403
            async with http.get(f"http://127.0.0.1:{port}/?token=x{token}") as response:
                assert response.status == 403
        websocket = f"ws://127.0.0.1:{port}/ws?token={token}"
        async with helper.websocket_status(websocket, {"Origin": "http://evil.example"}) as status:
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


@pytest.mark.subprocess
async def test_a_browser_tab_of_the_present_view_follows_the_facilitators_saves(
    tmp_path: Path, example_path: Path
) -> None:
    import datetime as dt

    from sessiontui import session_file
    from sessiontui.core.model import Event

    helper = _load_helper()
    if helper.chromium() is None:
        pytest.skip("no chromium: .ci/run installs Debian's chromium")
    path = tmp_path / "workshop.toml"
    shutil.copy(example_path, path)
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "sessiontui", "serve", str(path), "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        url = await asyncio.wait_for(asyncio.to_thread(_read_url, server), 60)
        async with helper.Browser(tmp_path / "chromium-profile") as browser:
            await browser.open(url)
            await browser.wait_for_text("STARTS AT 13:00", timeout=60)
            # The facilitator starts, moves on to the coffee trial and tells the room, with
            # markup that must reach the page as text.
            session = session_file.load(path).session
            now = dt.datetime.now(dt.UTC)
            log = [
                Event(at=now, kind="start"),
                Event(at=now, kind="next"),
                Event(at=now, kind="next"),
                Event(at=now, kind="broadcast", text="Find your partner [b]now[/] \x1b[31m!"),
            ]
            session_file.save(path, session.model_copy(update={"date": now.date(), "log": log}))
            await browser.wait_for_text("Find your partner [b]now[/] ␛[31m!", timeout=10)
            await browser.wait_for_text("Randomised Coffee Trial", timeout=10)
            await browser.wait_for_text("RUNNING", timeout=10)
            await browser.wait_for_text("Turn 1 of 2", timeout=10)
            await asyncio.sleep(1.0)
            png = await browser.screenshot(tmp_path / "serve-present.png")
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
