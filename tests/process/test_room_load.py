"""A room of phones on one `sessiontui serve` (issue 18): 200 at once, a control, then all leave.

Loopback only and bounded in time: every wait has a generous deadline so that a regression
fails rather than hangs, and nothing asserts how fast (bench/bench.py --only phones measures).
Linux only: the server's memory and open sockets are read from /proc.
"""

from __future__ import annotations

import asyncio
import json
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
import pytest

PHONES = 200
DEADLINE_SECONDS = 60.0
MEMORY_SLACK_MB = 20
ROLE_LINE = re.compile(r"(Participants|Remote \(facilitator\)|Notes): (http://\S+)\?token=(\S+)")

pytestmark = [
    pytest.mark.subprocess,
    pytest.mark.skipif(not Path("/proc/self/statm").exists(), reason="reads /proc (Linux)"),
]


@dataclass
class Room:
    process: subprocess.Popen[bytes]
    base: str
    viewer: str
    remote: str
    log: Path


@pytest.fixture
def room(tmp_path: Path, workshop_copy: Path) -> Iterator[Room]:
    path = workshop_copy
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    log = tmp_path / "serve.log"
    command = [sys.executable, "-m", "sessiontui", "serve", str(path), "--port", str(port)]
    # A file, not a pipe: 200 access-log lines into a pipe nobody reads would stall the server.
    with log.open("wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
    try:
        end = time.monotonic() + DEADLINE_SECONDS
        while "Press Ctrl+C to stop." not in (text := log.read_text(errors="replace")):
            assert process.poll() is None, f"serve ended:\n{text}"
            assert time.monotonic() < end, f"serve printed no banner:\n{text}"
            time.sleep(0.05)
        tokens = {role: token for role, _, token in ROLE_LINE.findall(text)}
        yield Room(
            process,
            f"http://127.0.0.1:{port}",
            tokens["Participants"],
            tokens["Remote (facilitator)"],
            log,
        )
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _rss_mb(pid: int) -> float:
    pages = int(Path(f"/proc/{pid}/statm").read_text().split()[1])
    return pages * 4096 / 1e6


def _sockets(pid: int) -> int:
    """The server's open sockets: the listening one plus one per connected client."""
    count = 0
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            count += fd.readlink().name.startswith("socket:")
        except OSError:
            continue  # closed while being read
    return count


@dataclass
class Phone:
    """One phone's stream of states: each event's JSON, and a wake-up for every new one."""

    states: list[dict[str, object]] = field(default_factory=list)
    arrived: asyncio.Event = field(default_factory=asyncio.Event)

    async def read(self, response: aiohttp.ClientResponse) -> None:
        buffer = b""
        async for chunk in response.content.iter_any():
            buffer += chunk
            while b"\n\n" in buffer:
                event, buffer = buffer.split(b"\n\n", 1)
                name, _, data = event.partition(b"\ndata: ")
                if name == b"event: state":
                    self.states.append(json.loads(data))
                    self.arrived.set()

    async def until(self, condition: Callable[[dict[str, object]], bool]) -> None:
        while not any(condition(state) for state in self.states):
            self.arrived.clear()
            await self.arrived.wait()


async def _within_deadline(what: str, *waits: object) -> None:
    try:
        await asyncio.wait_for(asyncio.gather(*waits), DEADLINE_SECONDS)  # type: ignore[arg-type]
    except TimeoutError:
        raise AssertionError(f"{what} within {DEADLINE_SECONDS:g} s") from None


async def _settled(measure: Callable[[], float], target: float, what: str) -> None:
    """Wait for the server to release what the phones held (it cancels their streams)."""
    end = time.monotonic() + DEADLINE_SECONDS
    while measure() > target:
        assert time.monotonic() < end, f"{what}: {measure()} > {target}"
        await asyncio.sleep(0.1)


async def test_200_phones_get_the_state_then_a_control_and_leave_nothing_behind(
    room: Room,
) -> None:
    pid = room.process.pid
    viewer = {"Authorization": f"Bearer {room.viewer}"}
    # One connection per phone, as phones have; no pool limit and no read timeout.
    connector = aiohttp.TCPConnector(limit=0, force_close=True)
    timeout = aiohttp.ClientTimeout(total=None)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as http:
        # A first page in and out: what the first request imports and allocates is shared.
        async with http.get(f"{room.base}/api/state", headers=viewer) as first:
            assert first.status == 200
            assert (await first.json())["status"] == "planned"
        await asyncio.sleep(0.5)
        rss_before, sockets_before = _rss_mb(pid), _sockets(pid)

        responses = await asyncio.gather(
            *(http.get(f"{room.base}/api/events", headers=viewer) for _ in range(PHONES))
        )
        assert [response.status for response in responses] == [200] * PHONES
        phones = [Phone() for _ in responses]
        readers = [
            asyncio.create_task(phone.read(response))
            for phone, response in zip(phones, responses, strict=True)
        ]
        await _within_deadline(
            f"all {PHONES} phones had the first state",
            *(phone.until(lambda state: state["status"] == "planned") for phone in phones),
        )
        rss_open = _rss_mb(pid)

        remote = {"Authorization": f"Bearer {room.remote}"}
        async with http.post(
            f"{room.base}/api/control", json={"action": "start"}, headers=remote
        ) as reply:
            assert reply.status == 200, await reply.text()
        await _within_deadline(
            f"all {PHONES} phones had the state after the control",
            *(phone.until(lambda state: state["status"] == "running") for phone in phones),
        )

        for reader in readers:
            reader.cancel()
        await asyncio.gather(*readers, return_exceptions=True)
        for response in responses:
            response.close()

    # Every stream ends with its phone: the server holds no socket of theirs any more.
    await _settled(lambda: _sockets(pid), sockets_before, "sockets still open after closing")
    # And what they cost is given back, or at least held for reuse: the bound is loose because
    # Python keeps freed memory in its arenas and the allocator rarely returns it to the
    # system (RSS does not fall back exactly); a per-phone buffer or queue that outlived its
    # phone, or a state kept per client, would exceed it (200 phones x 100 KB). The open
    # room's RSS is in the message, to see what the phones cost while connected.
    rss_after = _rss_mb(pid)
    assert rss_after - rss_before < MEMORY_SLACK_MB, (
        f"RSS {rss_before:.1f} MB before, {rss_open:.1f} MB with {PHONES} phones, "
        f"{rss_after:.1f} MB after they left"
    )
    assert room.process.poll() is None, "serve ended under the load"
    output = room.log.read_text(errors="replace")
    assert "Traceback" not in output
    assert room.viewer not in output.split("Press Ctrl+C to stop.", 1)[1]
