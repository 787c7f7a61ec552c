"""Drive Debian's headless Chromium over the DevTools protocol, for the browser test of `serve`.

`--dump-dom` returns before a page's websocket has delivered anything, so the test instead
starts Chromium with a DevTools port, opens the page in a tab, and waits (with a deadline)
for what the test needs: the websocket frames the page received, the page's state, a
screenshot. Only aiohttp (which textual-serve already needs) is used: no driver downloads,
which fail on this closed network. Tests load this file by its path.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import re
import shutil
import subprocess
import time
from pathlib import Path
from types import TracebackType
from typing import Any

import aiohttp

# The flags this machine needs (see the machine notes): no GPU, no sandbox as root, and no
# background traffic, which the closed network would refuse many times over.
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1280,800",
    "--remote-debugging-port=0",
]
LISTENING = re.compile(r"DevTools listening on (ws://\S+)")
ESCAPE = re.compile(r"\x1b(\[[0-9;?<>=]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[@-Z\\-_])")


def chromium() -> str | None:
    """The path of Chromium, or None where it is not installed."""
    return shutil.which("chromium")


class Browser:
    """One headless Chromium with one tab, its requests and websocket frames recorded."""

    def __init__(self, profile: Path) -> None:
        self.profile = profile
        self.process: subprocess.Popen[str] | None = None
        self.http: aiohttp.ClientSession | None = None
        self.socket: aiohttp.ClientWebSocketResponse | None = None
        self.session_id = ""
        self.next_id = 0
        self.replies: dict[int, asyncio.Future[dict[str, Any]]] = {}
        self.frames: list[bytes] = []
        self.requested: list[str] = []
        """The URL of every request the tab made, in order."""
        self.errors: list[str] = []
        """Uncaught script errors and error-level console and log lines (after Runtime.enable
        and Log.enable), a refused Content-Security-Policy among them."""
        self.reader: asyncio.Task[None] | None = None

    async def __aenter__(self) -> Browser:
        path = chromium()
        assert path is not None
        self.process = subprocess.Popen(
            [path, *FLAGS, f"--user-data-dir={self.profile}", "about:blank"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        browser_url = await asyncio.to_thread(self._devtools_url)
        self.http = aiohttp.ClientSession()
        self.socket = await self.http.ws_connect(browser_url, max_msg_size=0)
        self.reader = asyncio.create_task(self._read())
        target = await self.call("Target.createTarget", {"url": "about:blank"}, browser=True)
        attached = await self.call(
            "Target.attachToTarget", {"targetId": target["targetId"], "flatten": True}, browser=True
        )
        self.session_id = attached["sessionId"]
        await self.call("Network.enable")
        await self.call("Page.enable")
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self.reader is not None:
            self.reader.cancel()
        if self.socket is not None:
            await self.socket.close()
        if self.http is not None:
            await self.http.close()
        if self.process is not None:
            self.process.terminate()
            try:
                await asyncio.to_thread(self.process.wait, 10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            if self.process.stderr is not None:
                self.process.stderr.close()

    def _devtools_url(self) -> str:
        assert self.process is not None and self.process.stderr is not None
        deadline = time.monotonic() + 30
        seen = []
        while time.monotonic() < deadline:
            line = self.process.stderr.readline()
            if not line:
                break
            seen.append(line)
            match = LISTENING.search(line)
            if match:
                return match.group(1)
        raise AssertionError("Chromium printed no DevTools address:\n" + "".join(seen))

    async def call(
        self, method: str, params: dict[str, Any] | None = None, *, browser: bool = False
    ) -> dict[str, Any]:
        """Send one DevTools command and wait for its result."""
        assert self.socket is not None
        self.next_id += 1
        message: dict[str, Any] = {"id": self.next_id, "method": method, "params": params or {}}
        if not browser:
            message["sessionId"] = self.session_id
        reply: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self.replies[self.next_id] = reply
        await self.socket.send_str(json.dumps(message))
        answer = await asyncio.wait_for(reply, 30)
        if "error" in answer:
            raise AssertionError(f"{method}: {answer['error']}")
        result: dict[str, Any] = answer.get("result", {})
        return result

    async def _read(self) -> None:
        assert self.socket is not None
        async for message in self.socket:
            if message.type != aiohttp.WSMsgType.TEXT:
                continue
            data = json.loads(message.data)
            if "id" in data and data["id"] in self.replies:
                self.replies.pop(data["id"]).set_result(data)
            elif data.get("method") == "Runtime.exceptionThrown":
                details = data["params"]["exceptionDetails"]
                thrown = details.get("exception", {}).get("description") or details.get("text")
                self.errors.append(f"exception: {thrown}")
            elif data.get("method") == "Log.entryAdded":
                entry = data["params"]["entry"]
                if entry.get("level") == "error":
                    self.errors.append(
                        f"{entry.get('source')}: {entry.get('text')} {entry.get('url', '')}"
                    )
            elif data.get("method") == "Runtime.consoleAPICalled":
                if data["params"].get("type") == "error":
                    texts = [
                        str(arg.get("value", arg.get("description")))
                        for arg in data["params"]["args"]
                    ]
                    self.errors.append("console: " + " ".join(texts))
            elif data.get("method") == "Network.requestWillBeSent":
                self.requested.append(data["params"]["request"]["url"])
            elif data.get("method") == "Network.webSocketFrameReceived":
                response = data["params"]["response"]
                payload = response["payloadData"]
                # Opcode 2 is a binary frame, which DevTools hands over in base64.
                raw = base64.b64decode(payload) if response["opcode"] == 2 else payload.encode()
                self.frames.append(raw)

    def received_text(self) -> str:
        """All the websocket frames so far, escape sequences removed: the app's words."""
        # Joined before decoding: a character's bytes may be split across two frames.
        return ESCAPE.sub("", b"".join(self.frames).decode("utf-8", "replace"))

    async def open(self, url: str) -> None:
        """Navigate the tab to url."""
        await self.call("Page.navigate", {"url": url})

    async def evaluate(self, expression: str) -> Any:
        """The value of a JavaScript expression in the page."""
        result = await self.call("Runtime.evaluate", {"expression": expression})
        return result["result"].get("value")

    async def evaluate_promise(self, expression: str, timeout: float = 60) -> Any:
        """The value a JavaScript expression's promise resolves to (returned as JSON)."""
        result = await self.call(
            "Runtime.evaluate",
            {
                "expression": expression,
                "awaitPromise": True,
                "returnByValue": True,
                "timeout": timeout * 1000,
            },
        )
        if "exceptionDetails" in result:
            raise AssertionError(f"{expression[:80]}: {result['exceptionDetails']}")
        return result["result"].get("value")

    async def wait_until(self, expression: str, timeout: float = 30) -> Any:
        """Wait until a JavaScript expression is truthy in the page; return its value."""
        deadline = time.monotonic() + timeout
        last: Any = None
        while time.monotonic() < deadline:
            try:
                last = await self.evaluate(expression)
            except AssertionError:
                last = None  # the page is navigating: its context is being replaced
            if last:
                return last
            await asyncio.sleep(0.1)
        raise AssertionError(f"never true in the page: {expression} (last: {last!r})")

    async def set_viewport(
        self, width: int, height: int, *, scale: float = 1, mobile: bool | None = None
    ) -> None:
        """Make the tab a screen of this many CSS pixels (a phone, a projector)."""
        await self.call(
            "Emulation.setDeviceMetricsOverride",
            {
                "width": width,
                "height": height,
                "deviceScaleFactor": scale,
                "mobile": width < 600 if mobile is None else mobile,
            },
        )

    async def run_axe(self, axe_source: str) -> list[dict[str, Any]]:
        """axe-core's violations on the page as it is now (the script is injected by DevTools).

        Each violation is a dict with id, impact, help and the selectors of its nodes.
        """
        await self.evaluate_promise(axe_source + "\n;true")
        found: list[dict[str, Any]] = await self.evaluate_promise(
            """axe.run(document, {resultTypes: ['violations']}).then(results =>
                results.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                  nodes: v.nodes.map(n => n.target.join(' '))})))"""
        )
        return found

    async def wait_for_text(self, text: str, timeout: float = 30) -> None:
        """Wait until the app has sent `text` to the page over its websocket."""
        deadline = time.monotonic() + timeout
        while text not in self.received_text():
            if time.monotonic() > deadline:
                tail = self.received_text()[-2000:]
                raise AssertionError(f"{text!r} never reached the page; it got:\n{tail}")
            await asyncio.sleep(0.2)

    async def click(self, x: int, y: int) -> None:
        """Click the left mouse button at a point of the page, in CSS pixels."""
        for kind in ("mousePressed", "mouseReleased"):
            await self.call(
                "Input.dispatchMouseEvent",
                {"type": kind, "x": x, "y": y, "button": "left", "clickCount": 1},
            )

    async def type_text(self, text: str) -> None:
        """Type text into whatever has the focus, as an input method would."""
        await self.call("Input.insertText", {"text": text})

    async def screenshot(self, path: Path) -> bytes:
        """Save a PNG of the tab to path and return its bytes."""
        result = await self.call("Page.captureScreenshot", {"format": "png"})
        png = base64.b64decode(result["data"])
        path.write_bytes(png)
        return png


@contextlib.asynccontextmanager
async def websocket_status(url: str, headers: dict[str, str]) -> Any:
    """Yield the HTTP status a websocket handshake to url gets (101 when it is accepted)."""
    async with aiohttp.ClientSession() as http:
        try:
            socket = await http.ws_connect(url, headers=headers)
        except aiohttp.WSServerHandshakeError as error:
            yield error.status
        else:
            try:
                yield 101
            finally:
                await socket.close()
