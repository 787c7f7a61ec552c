"""Simulated phones for bench.py's `phones` rows: many browsers on one `sessiontui serve`.

A phone here is what the participants' page does on the network: one connection to
`/api/events`, reading server-sent events. The bench starts a real `sessiontui serve` (its
command line, its banner), joins N phones at once, and reads the server's memory and CPU from
/proc. Beside it, today's baseline: textual-serve running the present view in one Textual
process per browser tab (the path `serve` took before the room's pages), with N websocket
clients that wait for their tab's first output frame, as the issue's first table measured.
Linux only (/proc). Nothing here asserts: bench.py prints the figures against the targets.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp

ROLE_LINE = re.compile(r"(Participants|Remote \(facilitator\)|Notes): (http://\S+)\?token=(\S+)")
DEADLINE = 120.0
"""Seconds any one wait may take before the bench gives up on it (and says so)."""
TICKS = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")

# The baseline: textual-serve's present view, a Textual process per websocket, unguarded on
# loopback (the bench's own), ended cleanly on SIGTERM so no tab outlives the bench.
TABS_CHILD = r"""
import asyncio, signal, sys
from pathlib import Path
from aiohttp import web
from sessiontui.web import serve

async def main(path, port):
    server = serve.make_tab_server(serve.tab_command(path, "present"), title="baseline")
    runner = web.AppRunner(await server._make_app(), handle_signals=False, shutdown_timeout=5)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port, backlog=1024).start()
    print("ready", flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for number in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(number, stop.set)
    await stop.wait()
    await runner.cleanup()

asyncio.run(main(Path(sys.argv[1]), int(sys.argv[2])))
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def descendants(pid: int) -> list[int]:
    """Every process below pid (children, their children...), from /proc."""
    parents: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # ended while being read
        if fields[0] != "Z":
            parents.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found: list[int] = []
    waiting = [pid]
    while waiting:
        children = parents.get(waiting.pop(), [])
        found += children
        waiting += children
    return found


def rss_bytes(pid: int) -> int:
    """Resident memory of one process (0 once it has ended)."""
    try:
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE
    except (OSError, IndexError):
        return 0


def cpu_seconds(pid: int) -> float:
    """User plus system time of one process so far (0 once it has ended)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICKS


def tree_cpu_seconds(pids: Sequence[int]) -> dict[int, float]:
    return {pid: cpu_seconds(pid) for pid in pids}


async def idle_cpu_percent(pids: Sequence[int], seconds: float) -> float:
    """CPU of these processes over a window, as % of one core (the loop keeps serving)."""
    before = tree_cpu_seconds(pids)
    started = time.monotonic()
    await asyncio.sleep(seconds)
    elapsed = time.monotonic() - started
    after = tree_cpu_seconds(pids)
    used = sum(after[pid] - before[pid] for pid in pids if after[pid] >= before[pid])
    return used / elapsed * 100


@dataclass
class Room:
    """A running `sessiontui serve`: its process, base URL and each role's token."""

    process: subprocess.Popen[bytes]
    base: str
    tokens: dict[str, str]
    log: Path

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def start_room(session: Path, env: dict[str, str], folder: Path, max_clients: int) -> Room:
    """`sessiontui serve` on a free loopback port, once its banner says it is listening.

    Its output goes to a file, not a pipe: 500 phones' access-log lines would fill a pipe
    nobody reads, and the server would stop.
    """
    port = free_port()
    log = folder / f"serve-{port}.log"
    command = [sys.executable, "-m", "sessiontui", "serve", str(session)]
    command += ["--port", str(port), "--max-clients", str(max_clients)]
    with log.open("wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env)
    end = time.monotonic() + DEADLINE
    while time.monotonic() < end:
        text = log.read_text(encoding="utf-8", errors="replace")
        if "Press Ctrl+C to stop." in text:
            tokens = {match[0]: match[2] for match in ROLE_LINE.findall(text)}
            return Room(process, f"http://127.0.0.1:{port}", tokens, log)
        if process.poll() is not None:
            raise SystemExit(f"bench: sessiontui serve ended at once:\n{text}")
        time.sleep(0.05)
    process.kill()
    raise SystemExit("bench: sessiontui serve printed no banner within the deadline")


@dataclass
class Watch:
    """A text every phone waits to see in a state (a broadcast's), and when each first saw it."""

    marker: bytes = b""
    seen: dict[int, float] = field(default_factory=dict)
    everyone: asyncio.Event = field(default_factory=asyncio.Event)
    phones: int = 0

    def arm(self, marker: bytes, phones: int) -> None:
        self.marker, self.seen, self.phones = marker, {}, phones
        self.everyone = asyncio.Event()

    def saw(self, phone: int, data: bytes, at: float) -> None:
        if self.marker and phone not in self.seen and self.marker in data:
            self.seen[phone] = at
            if len(self.seen) == self.phones:
                self.everyone.set()


@dataclass
class Phones:
    """N simulated phones reading `/api/events`, each its own connection."""

    first_state: dict[int, float] = field(default_factory=dict)
    all_in: asyncio.Event = field(default_factory=asyncio.Event)
    refused: int = 0
    watch: Watch = field(default_factory=Watch)
    tasks: list[asyncio.Task[None]] = field(default_factory=list)
    wanted: int = 0

    async def read(self, http: aiohttp.ClientSession, url: str, token: str, number: int) -> None:
        headers = {"Authorization": f"Bearer {token}", "Accept": "text/event-stream"}
        try:
            async with http.get(url, headers=headers) as response:
                if response.status != 200:
                    self.refused += 1
                    self._count()
                    return
                buffer = b""
                async for chunk in response.content.iter_any():
                    buffer += chunk
                    while b"\n\n" in buffer:
                        event, buffer = buffer.split(b"\n\n", 1)
                        if not event.startswith(b"event: state"):
                            continue
                        now = time.perf_counter()
                        if number not in self.first_state:
                            self.first_state[number] = now
                            self._count()
                        self.watch.saw(number, event, now)
        except (aiohttp.ClientError, ConnectionError):
            self.refused += 1
            self._count()

    def _count(self) -> None:
        if len(self.first_state) + self.refused >= self.wanted:
            self.all_in.set()


@dataclass(frozen=True)
class Join:
    """How N phones joining at once went."""

    phones: int
    first_seconds: float
    last_seconds: float
    missed: int
    rss_before: int
    rss_after: int

    @property
    def per_phone_kb(self) -> float:
        return (self.rss_after - self.rss_before) / max(1, self.phones - self.missed) / 1024


@dataclass(frozen=True)
class RoomFigures:
    joins: list[Join]
    idle_cpu: float
    """% of a core, the server with IDLE phones connected."""
    idle_phones: int
    lags_ms: list[float]
    lag_missed: int
    rss_at_idle: int


async def _join(room: Room, count: int, http: aiohttp.ClientSession) -> tuple[Phones, Join]:
    phones = Phones(wanted=count)
    url = f"{room.base}/api/events"
    rss_before = rss_bytes(room.process.pid)
    started = time.perf_counter()
    phones.tasks = [
        asyncio.create_task(phones.read(http, url, room.tokens["Participants"], number))
        for number in range(count)
    ]
    with contextlib.suppress(TimeoutError):  # the missed ones are counted below
        await asyncio.wait_for(phones.all_in.wait(), DEADLINE)
    times = sorted(phones.first_state.values())
    await asyncio.sleep(0.5)  # the server's last allocations settle
    join = Join(
        phones=count,
        first_seconds=(times[0] - started) if times else float("nan"),
        last_seconds=(times[-1] - started) if times else float("nan"),
        missed=count - len(times),
        rss_before=rss_before,
        rss_after=rss_bytes(room.process.pid),
    )
    return phones, join


async def _controls(
    room: Room, phones: Phones, http: aiohttp.ClientSession, count: int
) -> tuple[list[float], int]:
    """Broadcasts from the remote's token, timed until the last phone has each."""
    lags: list[float] = []
    missed = 0
    headers = {"Authorization": f"Bearer {room.tokens['Remote (facilitator)']}"}
    watching = len(phones.first_state)
    for number in range(count):
        marker = f"bench broadcast {number} {time.time_ns()}"
        phones.watch.arm(marker.encode(), watching)
        sent = time.perf_counter()
        body = {"action": "broadcast", "text": marker}
        async with http.post(f"{room.base}/api/control", json=body, headers=headers) as reply:
            if reply.status != 200:
                raise SystemExit(f"bench: a control was refused: {await reply.text()}")
        try:
            await asyncio.wait_for(phones.watch.everyone.wait(), 10)
            lags.append((max(phones.watch.seen.values()) - sent) * 1000)
        except TimeoutError:
            missed += 1
        await asyncio.sleep(0.2)
    return lags, missed


async def _close(phones: Phones) -> None:
    for task in phones.tasks:
        task.cancel()
    await asyncio.gather(*phones.tasks, return_exceptions=True)


def _session() -> aiohttp.ClientSession:
    # One connection per phone, as phones have; no pool limit, no read timeout on the streams.
    connector = aiohttp.TCPConnector(limit=0, force_close=True)
    return aiohttp.ClientSession(connector=connector, timeout=aiohttp.ClientTimeout(total=None))


async def measure_room(
    session: Path,
    env: dict[str, str],
    counts: Sequence[int],
    *,
    idle_phones: int,
    idle_seconds: float,
    controls: int,
) -> RoomFigures:
    """A fresh `serve` for each count of phones joining at once; idle CPU and follow lag at one."""
    joins: list[Join] = []
    idle_cpu, lags, lag_missed, rss_at_idle = float("nan"), [], 0, 0
    with tempfile.TemporaryDirectory(prefix="sessiontui-phones-") as name:
        for count in counts:
            room = start_room(session, env, Path(name), max_clients=max(counts) + 10)
            try:
                async with _session() as http:
                    # One phone in and out first: the server's first request imports and
                    # allocates what every later one shares, which is not a phone's cost.
                    warm, _ = await _join(room, 1, http)
                    await _close(warm)
                    await asyncio.sleep(0.5)
                    phones, join = await _join(room, count, http)
                    joins.append(join)
                    if count == idle_phones:
                        rss_at_idle = rss_bytes(room.process.pid)
                        idle_cpu = await idle_cpu_percent([room.process.pid], idle_seconds)
                        lags, lag_missed = await _controls(room, phones, http, controls)
                    await _close(phones)
            finally:
                room.stop()
    return RoomFigures(joins, idle_cpu, idle_phones, lags, lag_missed, rss_at_idle)


@dataclass(frozen=True)
class Tabs:
    """How N browser tabs of textual-serve's present view went."""

    tabs: int
    processes: int
    rss: int
    first_seconds: float
    last_seconds: float
    missed: int
    idle_cpu: float


async def _tab(
    url: str, origin: str, http: aiohttp.ClientSession, marker: bytes, first: list[float]
) -> None:
    """One browser tab: open the websocket, note when its screen first shows the session (the
    marker: the current item's title; the first frames are blank), then keep reading."""
    try:
        async with http.ws_connect(url, headers={"Origin": origin}, max_msg_size=0) as websocket:
            await websocket.send_str(json.dumps(["resize", {"width": 40, "height": 20}]))
            tail, seen = b"", False
            async for message in websocket:
                if message.type != aiohttp.WSMsgType.BINARY or seen:
                    continue  # after the first screen, only read, as a browser would
                tail = tail[-len(marker) :] + message.data
                if marker in tail:
                    first.append(time.perf_counter())
                    seen = True
    except (aiohttp.ClientError, ConnectionError):
        pass


async def measure_tabs(
    session: Path, env: dict[str, str], count: int, idle_seconds: float, marker: str
) -> Tabs:
    """textual-serve's present view in `count` tabs opened at once, as the issue measured.

    `marker`: text the present view shows once the session is on screen.
    """
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-c", TABS_CHILD, str(session), str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    try:
        assert server.stdout is not None
        ready = await asyncio.wait_for(asyncio.to_thread(server.stdout.readline), DEADLINE)
        if ready.strip() != b"ready":
            raise SystemExit("bench: the textual-serve baseline did not start")
        origin = f"http://127.0.0.1:{port}"
        url = f"ws://127.0.0.1:{port}/ws?width=40&height=20"
        first: list[float] = []
        async with _session() as http:
            started = time.perf_counter()
            shown = marker.encode("utf-8")
            tasks = [
                asyncio.create_task(_tab(url, origin, http, shown, first)) for _ in range(count)
            ]
            end = time.monotonic() + DEADLINE
            while len(first) < count and time.monotonic() < end:
                await asyncio.sleep(0.05)
            await asyncio.sleep(2.0)  # every tab's app past its first frame
            pids = [server.pid, *descendants(server.pid)]
            rss = sum(rss_bytes(pid) for pid in pids)
            idle = await idle_cpu_percent(pids, idle_seconds)
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
        times = sorted(first)
        return Tabs(
            tabs=count,
            processes=len(pids),
            rss=rss,
            first_seconds=(times[0] - started) if times else float("nan"),
            last_seconds=(times[-1] - started) if times else float("nan"),
            missed=count - len(times),
            idle_cpu=idle,
        )
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(60)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def p95(values: Sequence[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def median(values: Sequence[float]) -> float:
    return statistics.median(values)
