"""A saver killed at any moment, or two savers at once, never leave a broken session file."""

from __future__ import annotations

import importlib.util
import os
import queue
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from types import ModuleType
from typing import IO

import pytest

from sessiontui import session_file

pytestmark = [
    pytest.mark.subprocess,
    pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork and SIGKILL"),
]

HELPER = Path(__file__).resolve().parent.parent / "helpers" / "save_loop.py"


def load_helper() -> ModuleType:
    spec = importlib.util.spec_from_file_location("save_loop", HELPER)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


helper = load_helper()


class Output:
    """The helper's stdout as lines, read in a thread so a hung helper fails the test instead."""

    def __init__(self, stream: IO[str]) -> None:
        self.lines: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._pump, args=(stream,), daemon=True).start()

    def _pump(self, stream: IO[str]) -> None:
        for line in stream:
            self.lines.put(line.rstrip("\n"))
        self.lines.put(None)

    def until(self, prefix: str) -> tuple[str, list[int]]:
        """The next line starting with prefix, and the versions reported saved before it."""
        saved: list[int] = []
        while True:
            line = self.lines.get(timeout=60)
            if line is None:
                pytest.fail(f"the helper exited while we waited for {prefix!r}")
            if line.startswith("saved "):
                saved.append(int(line.split()[1]))
            if line.startswith(prefix):
                return line, saved
            if not line.startswith(("saved ", "writing")):
                pytest.fail(f"unexpected helper output {line!r}")


def check_complete(path: Path) -> tuple[str, int]:
    """Load the file and check it is exactly one version some writer produced, not a mix."""
    session = session_file.load(path).session
    tag, version = helper.version_of(session)
    assert session == helper.make_session(tag, version), f"{tag}-{version} is not intact"
    return tag, version


def temporaries(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir() if path.name.endswith(".tmp"))


@pytest.mark.slow
def test_killed_saver_leaves_a_whole_version(tmp_path: Path) -> None:
    path = tmp_path / "crash.toml"
    session_file.save(path, helper.make_session("k", 0))
    assert path.stat().st_size > 1_000_000
    child = subprocess.Popen(
        [sys.executable, os.fspath(HELPER), "fork", os.fspath(path), "k"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdin is not None and child.stdout is not None
    output = Output(child.stdout)
    try:
        output.until("ready")
        on_disk = 0
        for attempt in range(30):
            child.stdin.write(f"go {on_disk + 1}\n")
            child.stdin.flush()
            line, saved = output.until("worker ")
            if attempt % 2:
                # Aimed: just after the temporary file appears, while bytes go to disk, the
                # fsync runs or the rename happens.
                _, more = output.until("writing")
                saved += more
                time.sleep(random.uniform(0, 0.01))
            else:
                # Anywhere in the first two saves (~0.15 s each), serialising included.
                time.sleep(random.uniform(0, 0.3))
            os.kill(int(line.split()[1]), signal.SIGKILL)
            _, more = output.until("reaped")
            saved += more
            last = max(saved, default=on_disk)
            tag, version = check_complete(path)
            # Either the last reported save, or one that finished just before its report.
            assert tag == "k"
            assert version in {last, last + 1}, (version, on_disk, saved)
            on_disk = version
    finally:
        child.stdin.close()
        child.wait(timeout=30)
    assert child.returncode == 0
    # The next save clears what the killed savers left behind.
    session_file.save(path, helper.make_session("k", on_disk + 1))
    assert temporaries(tmp_path) == []
    assert check_complete(path) == ("k", on_disk + 1)


def test_two_processes_saving_at_once_never_corrupt_the_file(tmp_path: Path) -> None:
    path = tmp_path / "shared.toml"
    session_file.save(path, helper.make_session("a", 0))
    count = 10
    savers = [
        subprocess.Popen(
            [sys.executable, os.fspath(HELPER), "loop", os.fspath(path), tag, "1", str(count)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for tag in ("a", "b")
    ]
    seen: set[tuple[str, int]] = set()
    try:
        # Readers take no lock: the atomic rename alone must show them whole versions.
        while any(saver.poll() is None for saver in savers):
            seen.add(check_complete(path))
    finally:
        errors = [saver.communicate(timeout=60)[1] for saver in savers]
    assert [saver.returncode for saver in savers] == [0, 0], errors
    assert check_complete(path) in {("a", count), ("b", count)}
    assert temporaries(tmp_path) == []
    assert seen
