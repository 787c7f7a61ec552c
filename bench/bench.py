"""Benchmarks a person runs by hand: `python bench/bench.py` prints a Markdown table.

Not a test (pytest does not collect it: it lives outside tests/ and has no test_ names).
Each row is a function in ROWS returning Row objects; later issues add rows by adding a
function to that list. See bench/README.md for what each row measures.
"""

from __future__ import annotations

import argparse
import compileall
import contextlib
import datetime as dt
import fcntl
import math
import os
import random
import select
import selectors
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
import tomllib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sessiontui.core.model import Session

REPO = Path(__file__).resolve().parent.parent
BENCH = REPO / "bench"
EXAMPLE = REPO / "sessions" / "2023-02-16-building-common-purpose.toml"

# Runs in a fresh interpreter for each sample. It prints the wall-clock time (comparable
# across processes) of the first frame the compositor paints and, for sessiontui, of the
# first frame showing the session's title or its first item's (any argument after the path);
# then it exits. Apps are run the way their command runs them (sessiontui through its CLI,
# so `sessiontui run` checking the file first is counted), made headless at 120x40. Their
# stdin and stdout are a pseudo-terminal, as when a person runs them (the CLI behaves
# differently without a terminal), so the times go to stderr.
CHILD = r"""
import sys, time
mode, path, markers = sys.argv[1], sys.argv[2], sys.argv[3:]
from textual.app import App

times = {}
paint, run = App._display, App.run

def _display(app, screen, renderable):
    paint(app, screen, renderable)
    if renderable is None:
        return
    now = time.time()
    if "first" not in times:
        times["first"] = now
        app.set_timer(15, app.exit)  # in case the session never shows
    if mode == "bare" or "shown" in times:
        app.exit()
        return
    text = "\n".join(strip.text for strip in screen._compositor.render_strips())
    if any(marker in text for marker in markers):
        times["shown"] = now
        app.exit()

def _run(app, *args, **kwargs):
    return run(app, *args, **{**kwargs, "headless": True, "size": (120, 40)})

App._display, App.run = _display, _run
if mode == "bare":
    sys.path.insert(0, path)
    from bare_digits import BareDigits
    BareDigits().run()
elif mode == "app":  # the app alone, without the command line's check of the file
    from pathlib import Path
    from sessiontui.tui.app import make_app
    make_app(session_path=Path(path), folder=Path(path).parent).run()
elif mode == "edit":  # the plan editor, through its command
    from sessiontui.cli import main
    main(["edit", path])
else:
    from sessiontui.cli import main
    main(["run", path])
print(times["first"], times.get("shown", float("nan")), file=sys.stderr)
"""


@dataclass(frozen=True)
class Row:
    """One line of the results table."""

    measure: str
    result: str
    target: str = ""
    ok: bool | None = None


@dataclass(frozen=True)
class Options:
    """What the person asked for on the command line, and where the children keep their files."""

    runs: int
    io_runs: int
    seconds: float
    keys: int
    session: Path
    home: Path
    """An empty folder standing in for the user's config, data and state folders."""
    control_keys: int = 40
    """Keys pressed into each app for the control-key rows."""


RowFunction = Callable[[Options], list[Row]]


def _percentile(values: Sequence[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def _ratio(ours: float, bare: float) -> float:
    if bare > 0:
        return ours / bare
    return 1.0 if ours == 0 else math.inf


def _child_env(home: Path) -> dict[str, str]:
    """The environment of every app the bench starts: the same for both, and not the user's.

    The user's settings, any TEXTUAL_* switches and a COLUMNS or LINES of the calling shell
    would change what the apps draw; the bench's own settings folder and xterm-256color stand in.
    """
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("TEXTUAL") and name not in {"COLUMNS", "LINES", "COLORTERM"}
    }
    env.update(TERM="xterm-256color", PYTHONDONTWRITEBYTECODE="1")
    for variable, folder in {
        "XDG_CONFIG_HOME": "config",
        "XDG_DATA_HOME": "data",
        "XDG_STATE_HOME": "state",
        "XDG_CACHE_HOME": "cache",
    }.items():
        env[variable] = str(home / folder)
    return env


def _markers(session: Path) -> list[str]:
    """Text that shows the session is on screen: the start of its title or its first item's."""
    data = tomllib.loads(session.read_text(encoding="utf-8"))
    titles = [data.get("title", "")] + [
        item.get("title", "") for item in data.get("agenda", [])[:1]
    ]
    return [title[:20] for title in titles if title]


def _spawn(mode: str, options: Options) -> tuple[float, float]:
    """Milliseconds from spawning a process to its first frame, and to the session shown."""
    target = BENCH if mode == "bare" else options.session
    terminal, child_side = os.openpty()
    started = time.time()
    try:
        result = subprocess.run(
            [sys.executable, "-c", CHILD, mode, str(target), *_markers(options.session)],
            stdin=child_side,
            stdout=child_side,
            stderr=subprocess.PIPE,
            text=True,
            check=True,
            cwd=REPO,
            env=_child_env(options.home),
            timeout=60,
        )
    except subprocess.CalledProcessError as error:
        raise SystemExit(f"bench: the {mode} app failed to start:\n{error.stderr}") from None
    finally:
        os.close(child_side)
        os.close(terminal)
    first, shown = map(float, result.stderr.split()[-2:])
    return (first - started) * 1000, (shown - started) * 1000


def startup(options: Options) -> list[Row]:
    """Spawn → first frame, the bare Digits app vs `sessiontui run` on the example, interleaved."""
    for mode in ("bare", "sessiontui", "app"):  # warm the OS file cache; not counted
        _spawn(mode, options)
    bare: list[float] = []
    ours: list[float] = []
    ours_shown: list[float] = []
    app_alone: list[float] = []
    for _ in range(options.runs):
        bare.append(_spawn("bare", options)[0])
        first, shown = _spawn("sessiontui", options)
        ours.append(first)
        ours_shown.append(shown)
        app_alone.append(_spawn("app", options)[0])
    ratio = statistics.median(ours) / statistics.median(bare)

    def summary(values: list[float]) -> str:
        return f"{statistics.median(values):.0f} ms (p90 {_percentile(values, 0.9):.0f})"

    shown = [value for value in ours_shown if not math.isnan(value)]
    if shown:
        shown_ratio = statistics.median(shown) / statistics.median(bare)
        missed = len(ours_shown) - len(shown)
        note = f"; did not show it in {missed} of {len(ours_shown)} runs" if missed else ""
        shown_result = f"sessiontui {summary(shown)}; ratio to bare first frame {shown_ratio:.2f}x"
        shown_result += note
    else:
        shown_result = "n/a: no frame showed the session's title or first item within 15 s"
    return [
        Row(
            f"startup to first frame: `sessiontui run` on the example, headless (n={options.runs})",
            f"bare Digits {summary(bare)}; sessiontui {summary(ours)}; ratio **{ratio:.2f}x**",
            "≤ 1.3x",
            ratio <= 1.3,
        ),
        Row(
            "startup to first frame: the app alone (`make_app`, without the CLI's check)",
            f"{summary(app_alone)}; ratio to bare "
            f"{statistics.median(app_alone) / statistics.median(bare):.2f}x",
            "(informational)",
        ),
        Row("startup to first frame showing the session", shown_result, "(informational)"),
    ]


VOCABULARY = (
    "people community trust listening purpose system partners council health care common "
    "understanding support benefit together change local voice time space really matters "
    "hear see think feel expect connect share practical next step"
)
"""Words the large session's notes are made of."""


def large_session() -> Session:
    """A session after a big day: 20 breakout groups, 4 notes fields of ~2,000 words each."""
    from sessiontui.core.model import Session

    rng = random.Random(20230216)
    words = VOCABULARY.split()

    def prose(count: int) -> str:
        # Paragraphs of about six sentences, as people type notes.
        sentences = []
        while count > 0:
            length = min(count, rng.randint(8, 20))
            sentence = " ".join(rng.choice(words) for _ in range(length))
            sentences.append(sentence.capitalize() + ".")
            count -= length
        paragraphs = [" ".join(sentences[i : i + 6]) for i in range(0, len(sentences), 6)]
        return "\n\n".join(paragraphs)

    names = [f"Participant {number:02d}" for number in range(80)]
    groups = [
        {"item": "empathy", "name": f"Group {g + 1}", "members": names[g * 4 : g * 4 + 4]}
        for g in range(20)
    ]
    notes = [
        {
            "item": "empathy",
            "group": f"Group {g + 1}",
            "edited": dt.datetime(2023, 2, 16, 14, g, tzinfo=dt.UTC),
            "see": prose(2000),
            "hear": prose(2000),
            "think_feel": prose(2000),
            "do_expect": prose(2000),
        }
        for g in range(20)
    ]
    return Session.model_validate(
        {
            "schema_version": 1,
            "title": "Benchmark: a long day of breakouts",
            "date": dt.date(2023, 2, 16),
            "start": dt.time(9, 0),
            "end": dt.time(17, 0),
            "timezone": "Europe/London",
            "participants": names,
            "agenda": [
                {
                    "id": "empathy",
                    "title": "Empathy mapping",
                    "kind": "breakout",
                    "minutes": 60,
                    "group_size": 4,
                    "notes_template": "empathy-map",
                }
            ],
            "groups": groups,
            "notes": notes,
        }
    )


def _timed(function: Callable[[], object], runs: int) -> list[float]:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def save_and_load(options: Options) -> list[Row]:
    """session_file.save and session_file.load of the large session, in a temporary folder."""
    from sessiontui import session_file

    session = large_session()
    with tempfile.TemporaryDirectory(prefix="sessiontui-bench-") as folder:
        path = Path(folder) / "large.toml"
        session_file.save(path, session)  # warm-up, and the file load reads
        size = path.stat().st_size / 1_000_000
        saves = _timed(lambda: session_file.save(path, session), options.io_runs)
        loads = _timed(lambda: session_file.load(path), options.io_runs)
    save_ms, load_ms = statistics.median(saves), statistics.median(loads)
    label = f"({size:.1f} MB, median of {options.io_runs})"
    return [
        Row(f"save a large session {label}", f"{save_ms:.0f} ms", "< 100 ms", save_ms < 100),
        Row(f"load a large session {label}", f"{load_ms:.0f} ms", "< 120 ms", load_ms < 120),
    ]


PTY_COLUMNS, PTY_ROWS = 120, 40
"""The pseudo-terminal's size: a laptop's terminal, as in the startup row."""
WARMUP = 5.0
"""Seconds of startup output (first frames, settings, the session loading) left out."""
QUIT = b"\x11"
"""ctrl+q, typed into each terminal to stop its app before harsher means."""


@dataclass
class Terminal:
    """An app on its own pseudo-terminal, and what the parent has read from the terminal."""

    name: str
    pid: int
    master: int
    read: int = 0
    """Bytes the app has written to the terminal so far."""
    tail: bytes = b""
    """The last of them, to show if the app dies."""
    status: int | None = None
    """The wait status once reaped."""

    def alive(self) -> bool:
        if self.status is None:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.status = status
        return self.status is None

    def cpu_seconds(self) -> float:
        """CPU time so far, user and system, with any reaped children's: /proc/PID/stat."""
        stat = Path(f"/proc/{self.pid}/stat").read_text()
        fields = stat.rsplit(")", 1)[1].split()  # after the command name, which may hold spaces
        utime, stime, cutime, cstime = (int(field) for field in fields[11:15])
        return (utime + stime + cutime + cstime) / os.sysconf("SC_CLK_TCK")

    def memory_mb(self) -> tuple[float, float]:
        """Peak and current resident memory in MB (10^6 bytes): VmHWM and VmRSS."""
        values = {}
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            key, _, rest = line.partition(":")
            if key in {"VmHWM", "VmRSS"}:
                values[key] = int(rest.split()[0]) * 1024 / 1_000_000
        return values["VmHWM"], values["VmRSS"]


def _open_terminal(name: str, argv: list[str], env: dict[str, str], cwd: Path) -> Terminal:
    """Start argv with a new 120x40 pseudo-terminal as its controlling terminal and stdio."""
    master, slave = os.openpty()
    # Sized before the fork, so the app's first look at the terminal already sees 120x40.
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", PTY_ROWS, PTY_COLUMNS, 0, 0))
    pid = os.fork()
    if pid == 0:  # the child: a session of its own on the terminal, then the app
        try:
            os.close(master)
            os.chdir(cwd)
            os.login_tty(slave)
            os.execve(argv[0], argv, env)
        finally:
            os._exit(127)
    os.close(slave)
    return Terminal(name, pid, master)


def _drain(selector: selectors.BaseSelector, seconds: float) -> None:
    """Read whatever the apps write for `seconds`, counting it, so no app blocks on a full pty."""
    deadline = time.monotonic() + seconds
    while (left := deadline - time.monotonic()) > 0:
        if not selector.get_map():
            time.sleep(left)
            return
        for key, _ in selector.select(left):
            terminal: Terminal = key.data
            try:
                data = os.read(terminal.master, 65536)
            except OSError:  # EIO: the app has gone and closed its side
                data = b""
            if not data:
                selector.unregister(terminal.master)
                continue
            terminal.read += len(data)
            terminal.tail = (terminal.tail + data)[-2000:]


def _stop(terminals: list[Terminal], selector: selectors.BaseSelector) -> None:
    """ctrl+q, then SIGTERM, then SIGKILL, draining all the while; reap and close everything."""
    for terminal in terminals:
        if terminal.alive():
            with contextlib.suppress(OSError):
                os.write(terminal.master, QUIT)
    for signal_number, grace in ((None, 3.0), (signal.SIGTERM, 2.0), (signal.SIGKILL, 5.0)):
        for terminal in terminals:
            if signal_number is not None and terminal.alive():
                with contextlib.suppress(ProcessLookupError):
                    os.kill(terminal.pid, signal_number)
        deadline = time.monotonic() + grace
        while any(terminal.alive() for terminal in terminals) and time.monotonic() < deadline:
            _drain(selector, 0.05)
        if not any(terminal.alive() for terminal in terminals):
            break
    for terminal in terminals:
        if terminal.master in selector.get_map():
            selector.unregister(terminal.master)
        os.close(terminal.master)


def _warm_up(terminals: list[Terminal], selector: selectors.BaseSelector) -> None:
    """Read every terminal through the warm-up; stop with an app's output if it did not start."""
    for terminal in terminals:
        selector.register(terminal.master, selectors.EVENT_READ, terminal)
    _drain(selector, WARMUP)
    for terminal in terminals:
        if not terminal.alive() or not terminal.read:
            tail = terminal.tail.decode("utf-8", "replace")
            raise SystemExit(f"bench: {terminal.name} did not start; it wrote:\n{tail}")


def _idle_cpu(
    terminals: list[Terminal], selector: selectors.BaseSelector, seconds: float
) -> tuple[list[float], float]:
    """Each app's CPU over a window of reading its terminal, as % of one core, and the window."""
    before = [terminal.cpu_seconds() for terminal in terminals]
    started = time.monotonic()
    _drain(selector, seconds)
    elapsed = time.monotonic() - started
    cpu = [
        (terminal.cpu_seconds() - used) / elapsed * 100
        for terminal, used in zip(terminals, before, strict=True)
    ]
    return cpu, elapsed


def _running_copy(
    options: Options,
    folder: Path,
    session: Session | None = None,
    still_for: float | None = None,
) -> Path:
    """A copy of the session, dated today, whose log starts it now: its countdown is running.

    The session is the example unless one is given. Also writes the settings the live apps
    read from `folder`/home, keeping the screen still for `still_for` seconds (by default the
    warm-up and the window, and a minute more).
    """
    from sessiontui import session_file
    from sessiontui.core.model import Event
    from sessiontui.store import settings
    from sessiontui.store.settings import UserConfig

    if session is None:
        session = session_file.load(options.session).session
    running = session.model_copy(
        update={
            "date": dt.date.today(),
            "log": [Event(at=dt.datetime.now(dt.UTC), kind="start")],
        }
    )
    path = folder / "running.toml"
    session_file.save(path, running)
    # Settings that keep the screen still but for the clock: the ways-of-working reminder
    # does not turn during the window, and nothing rings.
    settings_path = folder / "home" / "config" / "sessiontui" / "config.toml"
    rotate = int(still_for if still_for is not None else WARMUP + options.seconds + 60)
    settings.save_config(UserConfig(bell=False, rotate_seconds=rotate), settings_path)
    return path


def live_screen(options: Options) -> list[Row]:
    """Idle CPU, terminal bytes and memory of the running countdown, beside a bare Digits app.

    Both apps run at once, each in its own real pseudo-terminal, so whatever else the machine
    does lands on both; the parent reads both terminals all along, as a terminal would.
    """
    print(
        f"live screen: {WARMUP:.0f} s warm-up, then a {options.seconds:g} s window...",
        file=sys.stderr,
    )
    with tempfile.TemporaryDirectory(prefix="sessiontui-bench-") as name:
        folder = Path(name)
        running = _running_copy(options, folder)
        env = _child_env(folder / "home")
        commands = {
            "bare Digits": [sys.executable, str(BENCH / "bare_digits.py")],
            "sessiontui": [sys.executable, "-m", "sessiontui", "run", str(running)],
        }
        terminals = [_open_terminal(label, argv, env, folder) for label, argv in commands.items()]
        selector = selectors.DefaultSelector()
        try:
            _warm_up(terminals, selector)
            read = [terminal.read for terminal in terminals]
            cpu, elapsed = _idle_cpu(terminals, selector, options.seconds)
            for terminal in terminals:
                if not terminal.alive():
                    raise SystemExit(f"bench: {terminal.name} stopped during the window")
            rate = [
                (terminal.read - before) / elapsed
                for terminal, before in zip(terminals, read, strict=True)
            ]
            memory = [terminal.memory_mb() for terminal in terminals]
        finally:
            _stop(terminals, selector)
            selector.close()

    (bare_cpu, our_cpu), (bare_rate, our_rate) = cpu, rate
    (bare_peak, _), (our_peak, our_rss) = memory
    cpu_ratio, rate_ratio = _ratio(our_cpu, bare_cpu), _ratio(our_rate, bare_rate)
    window = f"{elapsed:.0f} s"
    return [
        Row(
            f"idle CPU, countdown running (% of one core over {window})",
            f"bare Digits {bare_cpu:.2f}%; sessiontui {our_cpu:.2f}%; ratio **{cpu_ratio:.2f}x**",
            "≤ 2x and < 0.5%",
            cpu_ratio <= 2 and our_cpu < 0.5,
        ),
        Row(
            f"terminal bytes/s while only the clock changes (over {window})",
            f"bare Digits {bare_rate:,.0f} B/s; sessiontui {our_rate:,.0f} B/s; "
            f"ratio **{rate_ratio:.2f}x**",
            "≤ 2x",
            rate_ratio <= 2,
        ),
        Row(
            "resident memory, `sessiontui run` with the countdown running",
            f"sessiontui peak {our_peak:.1f} MB, at the end {our_rss:.1f} MB "
            f"(bare Digits peak {bare_peak:.1f} MB)",
            "< 60 MB",
            our_peak < 60,
        ),
    ]


TYPED = "QXZJKVWY"
"""Letters typed in the latency test: none is in the large session's prose, so seeing one on
the terminal after typing it means the keystroke reached the screen."""
KEYS_IN_BURST = 2000
"""Keys written at once for the throughput test, the last a marker to wait for."""


BURST_END = b"@"
"""The last key of the burst; typed nowhere else, so seeing it means the burst is on screen."""


def _burst_keys() -> bytes:
    """KEYS_IN_BURST keys of typing: words, spaces and a new paragraph now and then."""
    rng = random.Random(7)
    words = VOCABULARY.split()
    typed = ""
    while len(typed) < KEYS_IN_BURST - 1:
        typed += rng.choice(words) + ("\r" if rng.random() < 0.02 else " ")
    return typed[: KEYS_IN_BURST - 1].encode() + BURST_END


def _read_until(terminal: Terminal, wanted: bytes, deadline: float) -> bool:
    """Read the terminal until `wanted` appears in what it writes; False at the deadline."""
    seen = b""
    while (left := deadline - time.monotonic()) > 0:
        ready, _, _ = select.select([terminal.master], [], [], left)
        if not ready:
            continue
        try:
            data = os.read(terminal.master, 65536)
        except OSError:
            return False
        if not data:
            return False
        terminal.read += len(data)
        # Looked for before it is cut: a read holding a whole repaint is longer than any cut.
        seen += data
        if wanted in seen:
            return True
        seen = seen[-len(wanted) :]
    return False


def _drain_now(terminal: Terminal) -> None:
    """Read whatever the terminal already holds, without waiting."""
    while select.select([terminal.master], [], [], 0)[0]:
        try:
            if not os.read(terminal.master, 65536):
                return
        except OSError:
            return


def notes_typing(options: Options) -> list[Row]:
    """Typing into the notes pane of a 1.2 MB session, beside a bare TextArea with the same text.

    Latency: one key at a time, at a fast typist's pace, alternating between the two apps,
    from writing the key to the terminal until the terminal receives the frame showing it.
    Throughput: a burst of keys written at once, until the last one is on screen. Idle CPU:
    both apps left alone, the cursor blinking, over the window.
    """
    from sessiontui import session_file
    from sessiontui.store import settings
    from sessiontui.store.settings import UserConfig

    print(f"notes typing: latency, a {KEYS_IN_BURST}-key burst, then idle...", file=sys.stderr)
    session = large_session()
    with tempfile.TemporaryDirectory(prefix="sessiontui-bench-") as name:
        folder = Path(name)
        path = folder / "large.toml"
        session_file.save(path, session)
        first = session.notes[0]
        (folder / "notes.txt").write_text(first.see, encoding="utf-8")
        settings_path = folder / "home" / "config" / "sessiontui" / "config.toml"
        settings.save_config(UserConfig(bell=False), settings_path)
        env = _child_env(folder / "home")
        commands = {
            "bare TextArea": [
                sys.executable, str(BENCH / "bare_textarea.py"), str(folder / "notes.txt")
            ],
            "sessiontui notes": [
                sys.executable, "-m", "sessiontui", "notes", str(path),
                "--item", first.item, "--group", first.group,
            ],
        }  # fmt: skip
        terminals = [_open_terminal(label, argv, env, folder) for label, argv in commands.items()]
        selector = selectors.DefaultSelector()
        try:
            _warm_up(terminals, selector)
            for terminal in terminals:
                selector.unregister(terminal.master)  # read directly, key by key
            latency: list[list[float]] = [[], []]
            for number in range(options.keys):
                letter = TYPED[number % len(TYPED)].encode()
                for index, terminal in enumerate(terminals):
                    _drain_now(terminal)
                    sent = time.perf_counter()
                    os.write(terminal.master, letter)
                    if _read_until(terminal, letter, time.monotonic() + 2):
                        latency[index].append((time.perf_counter() - sent) * 1000)
                    time.sleep(0.06)  # a fast typist's pace between keys, not a measurement
            burst = [0.0, 0.0]
            burst_keys = _burst_keys()
            for index, terminal in enumerate(terminals):
                time.sleep(1)  # let the last autosave and repaint pass
                _drain_now(terminal)
                sent = time.perf_counter()
                os.write(terminal.master, burst_keys)
                if _read_until(terminal, BURST_END, time.monotonic() + 60):
                    burst[index] = KEYS_IN_BURST / (time.perf_counter() - sent)
            for terminal in terminals:
                selector.register(terminal.master, selectors.EVENT_READ, terminal)
            _drain(selector, 3)
            idle, elapsed = _idle_cpu(terminals, selector, options.seconds)
        finally:
            _stop(terminals, selector)
            selector.close()
    size = len(session_file.dumps(session).encode()) / 1_000_000

    def spread(values: list[float]) -> str:
        if not values:
            return "n/a (no key seen on screen)"
        return f"p50 {_percentile(values, 0.5):.1f} ms, p95 {_percentile(values, 0.95):.1f} ms"

    (bare_latency, our_latency), (bare_rate, our_rate) = latency, burst
    our_p95 = _percentile(our_latency, 0.95) if our_latency else math.inf
    return [
        Row(
            f"keystroke to frame, notes pane of a {size:.1f} MB session ({options.keys} keys)",
            f"bare TextArea {spread(bare_latency)}; sessiontui {spread(our_latency)}",
            "p95 ≤ 22 ms (a 60 fps frame + 5 ms)",
            our_p95 <= 22,
        ),
        Row(
            f"typing throughput, a {KEYS_IN_BURST}-key burst into the notes pane",
            f"bare TextArea {bare_rate:,.0f} keys/s; sessiontui {our_rate:,.0f} keys/s",
            "≥ 1,000 keys/s",
            our_rate >= 1000,
        ),
        Row(
            f"idle CPU, notes pane focused, cursor blinking (over {elapsed:.0f} s)",
            f"bare TextArea {idle[0]:.2f}%; sessiontui {idle[1]:.2f}%",
            "≤ 0.8%",
            idle[1] <= 0.8,
        ),
    ]


FOLLOW_CHANGES = 100
"""Broadcasts the follow-lag row saves, one at a time."""


def present_view(options: Options) -> list[Row]:
    """The shared screen: idle CPU beside a bare Digits app, then how fast it follows saves.

    Idle: `sessiontui present` on the running copy of the example and the bare Digits app, side
    by side, as in the live-screen rows. Follow lag: the bench saves a broadcast event into
    the file, as the facilitator's `run` does, and times from the save until the present
    view's terminal shows the message; each message is one letter repeated, a different
    letter each time, so every cell of it changes and it arrives in one piece.
    """
    from sessiontui import session_file
    from sessiontui.core.model import Event

    print(f"present view: a {options.seconds:g} s idle window, then follow lag...", file=sys.stderr)
    with tempfile.TemporaryDirectory(prefix="sessiontui-bench-") as name:
        folder = Path(name)
        running = _running_copy(options, folder)
        env = _child_env(folder / "home")
        commands = {
            "bare Digits": [sys.executable, str(BENCH / "bare_digits.py")],
            "sessiontui present": [sys.executable, "-m", "sessiontui", "present", str(running)],
        }
        terminals = [_open_terminal(label, argv, env, folder) for label, argv in commands.items()]
        selector = selectors.DefaultSelector()
        try:
            _warm_up(terminals, selector)
            idle, elapsed = _idle_cpu(terminals, selector, options.seconds)
            present = terminals[1]
            selector.unregister(present.master)
            lags: list[float] = []
            session = session_file.load(running).session
            for number in range(FOLLOW_CHANGES):
                letter = chr(ord("A") + number % 26)
                message = letter * 12
                event = Event(at=dt.datetime.now(dt.UTC), kind="broadcast", text=message)
                session = session.model_copy(update={"log": [*session.log, event]})
                _drain_now(present)
                saved = time.perf_counter()
                session_file.save(running, session)
                if _read_until(present, message.encode(), time.monotonic() + 5):
                    lags.append((time.perf_counter() - saved) * 1000)
                _drain(selector, 0.05)  # the bare app's terminal keeps being read
        finally:
            _stop(terminals, selector)
            selector.close()
    ratio = _ratio(idle[1], idle[0])
    missed = FOLLOW_CHANGES - len(lags)
    lag_text = (
        f"p50 {_percentile(lags, 0.5):.0f} ms, p95 {_percentile(lags, 0.95):.0f} ms"
        if lags
        else "n/a"
    )
    if missed:
        lag_text += f"; {missed} of {FOLLOW_CHANGES} not seen within 5 s"
    p95 = _percentile(lags, 0.95) if lags else math.inf
    return [
        Row(
            f"present view follows a save (over {FOLLOW_CHANGES} broadcasts)",
            lag_text,
            "p95 ≤ 1 s (aim < 300 ms)",
            p95 <= 1000 and not missed,
        ),
        Row(
            f"idle CPU, present view with the countdown running (over {elapsed:.0f} s)",
            f"bare Digits {idle[0]:.2f}%; sessiontui present {idle[1]:.2f}%; "
            f"ratio **{ratio:.2f}x**",
            "≤ 2x (aim 1.5x)",
            ratio <= 2,
        ),
    ]


LIBRARY_SIZE = 1000
"""Session files in the library rows' folder: several years of weekly sessions."""

# Runs in one fresh interpreter with the bench's environment. The apps run headless at
# 120x40 through Textual's run_test (in process, so times are from just before the app
# starts until what is measured shows, without the interpreter's start-up). After one
# unmeasured warm-up of each app, it alternates the bare Digits app (until it is up, the
# yardstick), the home screen on an empty cache folder (first visit) and again on the same
# one (the index warm). It prints one JSON object on stdout.
LIBRARY_CHILD = r"""
import asyncio, json, os, statistics, sys, tempfile, time
from pathlib import Path
bench, folder, runs, review = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
sys.path.insert(0, bench)
from bare_digits import BareDigits
from textual.widgets import DataTable
from sessiontui.tui.app import make_app
from sessiontui.store.settings import UserConfig

SIZE = (120, 40)

async def until(condition, limit=60.0):
    deadline = time.perf_counter() + limit
    while not condition():
        if time.perf_counter() > deadline:
            raise SystemExit("gave up waiting")
        await asyncio.sleep(0.002)

async def bare():
    started = time.perf_counter()
    async with BareDigits().run_test(size=SIZE):
        return time.perf_counter() - started

def table_of(app):
    try:
        return app.screen.query_one("#sessions", DataTable)
    except Exception:
        return None

async def home(expected):
    app = make_app(folder=folder, config=UserConfig())
    started = time.perf_counter()
    async with app.run_test(size=SIZE):
        up = time.perf_counter() - started
        await until(lambda: (t := table_of(app)) is not None and t.row_count == expected)
        shown = time.perf_counter() - started
        await until(lambda: not app.screen.loading)
        exact = time.perf_counter() - started
        # Coming back to the list (Esc from a session, ctrl+r): the app is up, the index warm.
        again = time.perf_counter()
        app.screen.action_refresh()
        await until(lambda: not app.screen.loading)
        relisted = time.perf_counter() - again
    return shown, exact, shown - up, relisted

async def review_open(path):
    app = make_app(session_path=Path(path), folder=Path(path).parent, mode="review",
                   config=UserConfig())
    started = time.perf_counter()
    async with app.run_test(size=SIZE):
        try:
            await until(lambda: getattr(app.screen, "shown", False), 15)
        except SystemExit:
            return None
        return time.perf_counter() - started

async def review_pushed(path, runs):
    # Opened from the list (v): the app is already up, as when a reviewer picks a session.
    # Alternates with a bare screen (a Header, a Static, a Footer) pushed the same way: what
    # any screen costs to show on this machine at this moment, the yardstick.
    from textual.screen import Screen
    from textual.widgets import Footer, Header, Static
    from sessiontui.tui.screens.review import ReviewScreen

    class BareScreen(Screen):
        shown = True
        def compose(self):
            yield Header(); yield Static("hello"); yield Footer()

    app = make_app(folder=Path(path).parent / "empty", config=UserConfig())
    times = {"review": [], "bare": []}
    async with app.run_test(size=SIZE) as pilot:
        for number in range(runs + 1):
            for kind in times:
                screen = ReviewScreen(Path(path), app.clock) if kind == "review" else BareScreen()
                started = time.perf_counter()
                await app.push_screen(screen)
                await until(lambda: getattr(screen, "shown", False), 15)
                drawn = asyncio.Event()
                screen.call_after_refresh(drawn.set)  # the frame with the content
                await drawn.wait()
                if number:  # the first is the warm-up
                    times[kind].append(time.perf_counter() - started)
                await app.pop_screen()
                await pilot.pause()
    return times

def fresh_cache():
    os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="cache-", dir=os.environ["HOME"])

async def main():
    out = {"bare": [], "first": [], "first_exact": [], "after": [], "after_listing": [],
           "relisted": [], "review_pushed": {}, "review": []}
    if review != "-":
        # The review rows alone in their process, so nothing the home rows' apps leave on
        # the heap is collected during the review's frames.
        out["review_pushed"] = await review_pushed(review, runs)
        await review_open(review)  # warm-up
        for _ in range(runs):
            out["bare"].append(await bare())
            out["review"].append(await review_open(review))
        print(json.dumps(out))
        return
    expected = sum(1 for p in folder.iterdir() if p.suffix == ".toml")
    fresh_cache()
    await bare(); await home(expected); await home(expected)  # warm-up, not counted
    for _ in range(runs):
        out["bare"].append(await bare())
        fresh_cache()
        shown, exact, _, _ = await home(expected)
        out["first"].append(shown); out["first_exact"].append(exact)
        shown, _, listing, relisted = await home(expected)
        out["after"].append(shown); out["after_listing"].append(listing)
        out["relisted"].append(relisted)
    print(json.dumps(out))

asyncio.run(main())
"""


def library_folder(folder: Path, count: int = LIBRARY_SIZE) -> list[Path]:
    """`count` realistic sessions of about 20 KB: a plan, people, notes, commitments, a log.

    Returns the three files whose notes hold the phrase the search row looks for.
    """
    from sessiontui import session_file
    from sessiontui.core.model import Session

    rng = random.Random(1000)
    words = VOCABULARY.split()

    def prose(count: int) -> str:
        sentences = []
        while count > 0:
            length = min(count, rng.randint(6, 16))
            sentences.append(" ".join(rng.choice(words) for _ in range(length)).capitalize() + ".")
            count -= length
        return "\n\n".join(" ".join(sentences[i : i + 5]) for i in range(0, len(sentences), 5))

    planted = set(rng.sample(range(count), 3))
    found: list[Path] = []
    first = dt.date(2019, 1, 7)
    names = [f"Participant {number:02d}" for number in range(16)]
    for index in range(count):
        date = first + dt.timedelta(days=2 * index)
        start = dt.datetime.combine(date, dt.time(13, 0), tzinfo=dt.UTC)
        state = rng.choice(["planned", "running", "finished", "finished", "finished"])
        log: list[dict[str, object]] = []
        if state != "planned":
            log = [
                {"at": start + dt.timedelta(minutes=8 * step), "kind": kind}
                for step, kind in enumerate(["start"] + ["next"] * 6)
            ]
            if state == "finished":
                log.append({"at": start + dt.timedelta(hours=3), "kind": "finish"})
        notes = [
            {
                "item": "empathy",
                "group": f"Group {group + 1}",
                "edited": start + dt.timedelta(minutes=40 + group),
                "see": prose(300),
                "think_feel": prose(300),
            }
            for group in range(4)
        ]
        if index in planted:
            notes[1]["think_feel"] += "\n\nThey asked for a quarterly bus timetable review."
        session = Session.model_validate(
            {
                "schema_version": 1,
                "title": f"Workshop {index + 1}: " + " ".join(rng.sample(words, 4)),
                "series": f"Systems Leadership {date.year}",
                "date": date,
                "start": dt.time(13, 0),
                "end": dt.time(16, 0),
                "timezone": "Europe/London",
                "venue": "Online",
                "facilitators": ["Debbie Sorkin", "James Cook"],
                "participants": names,
                "agenda": [
                    {
                        "id": f"item-{item}",
                        "title": " ".join(rng.sample(words, 3)).capitalize(),
                        "kind": "plenary",
                        "minutes": 15,
                        "prompts": [prose(12)],
                    }
                    for item in range(6)
                ]
                + [
                    {
                        "id": "empathy",
                        "title": "Breakout groups: empathy mapping",
                        "kind": "breakout",
                        "minutes": 30,
                        "group_size": 4,
                        "notes_template": "empathy-map",
                    }
                ],
                "groups": [
                    {
                        "item": "empathy",
                        "name": f"Group {g + 1}",
                        "members": names[g * 4 : g * 4 + 4],
                    }
                    for g in range(4)
                ],
                "notes": notes,
                "actions": [
                    {"who": rng.choice(names), "what": prose(15), "item": "empathy"}
                    for _ in range(6)
                ],
                "log": log,
            }
        )
        path = folder / f"{date.isoformat()}-workshop-{index + 1}.toml"
        # Written without session_file.save's fsync and lock: a thousand files in seconds.
        path.write_text(session_file.dumps(session), encoding="utf-8")
        if index in planted:
            found.append(path)
    return found


def _library_child(options: Options, folder: Path, review: Path | None) -> dict[str, list[float]]:
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            LIBRARY_CHILD,
            str(BENCH),
            str(folder),
            str(options.runs),
            str(review) if review else "-",
        ],
        capture_output=True,
        text=True,
        cwd=REPO,
        env={**_child_env(options.home), "HOME": str(options.home)},
        timeout=1800,
        check=False,
    )
    if result.returncode != 0:
        raise SystemExit(f"bench: the library child failed:\n{result.stderr[-3000:]}")
    import json

    data: dict[str, list[float]] = json.loads(result.stdout.splitlines()[-1])
    return data


def _ms(values: Sequence[float]) -> str:
    return f"{statistics.median(values) * 1000:.0f} ms (p90 {_percentile(values, 0.9) * 1000:.0f})"


def home_listing(options: Options) -> list[Row]:
    """The home screen on 1,000 sessions of ~20 KB: first visit and with the index warm."""
    with tempfile.TemporaryDirectory(prefix="sessiontui-bench-") as where:
        folder = Path(where)
        library_folder(folder)
        size = sum(path.stat().st_size for path in folder.iterdir()) / LIBRARY_SIZE / 1000
        data = _library_child(options, folder, None)
    bare = statistics.median(data["bare"])
    first, after = statistics.median(data["first"]), statistics.median(data["after"])
    label = f"{LIBRARY_SIZE} sessions of {size:.0f} KB, n={options.runs}"
    return [
        Row(
            f"home screen lists the folder, first visit (empty cache; {label})",
            f"{_ms(data['first'])}; bare Digits up in {_ms(data['bare'])}; "
            f"ratio {_ratio(first, bare):.1f}x",
            "< 1 s",
            first < 1,
        ),
        Row(
            "home screen, first visit, until every row is exact (full read of each file)",
            _ms(data["first_exact"]),
            "(informational)",
        ),
        Row(
            f"home screen lists the folder again, index warm: back from a session or ctrl+r "
            f"({label})",
            _ms(data["relisted"]),
            "< 150 ms",
            statistics.median(data["relisted"]) < 0.150,
        ),
        Row(
            "a new app on the same folder, index warm: from the app's start to all rows",
            f"{_ms(data['after'])} (of which the listing after the app is up: "
            f"{_ms(data['after_listing'])}); ratio to bare Digits up {_ratio(after, bare):.1f}x",
            "(informational: the app's own start is the startup row)",
        ),
    ]


def search(options: Options) -> list[Row]:
    """Search over the same 1,000 sessions: a phrase in three notes, and one nowhere."""
    from sessiontui.store import index as folder_index

    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="sessiontui-bench-") as where:
        folder = Path(where)
        planted = library_folder(folder)
        for label, query, expected in (
            ("a phrase in 3 notes", "quarterly bus timetable", 3),
            ("a phrase nowhere", "zebra crossing", 0),
        ):
            cold: list[float] = []
            warm: list[float] = []
            for _ in range(options.io_runs):
                folder_index._SEARCH_CACHE.clear()
                started = time.perf_counter()
                hits = folder_index.search(folder, query)
                cold.append(time.perf_counter() - started)
                started = time.perf_counter()
                folder_index.search(folder, query)
                warm.append(time.perf_counter() - started)
            if len(hits) != expected or (expected and {h.path for h in hits} != set(planted)):
                raise SystemExit(f"bench: search for {query!r} found {len(hits)} hits")
            worst = max(statistics.median(cold), statistics.median(warm))
            rows.append(
                Row(
                    f"search {LIBRARY_SIZE} sessions, {label} (median of {options.io_runs})",
                    f"first {_ms(cold)}; again {_ms(warm)}",
                    "< 500 ms",
                    worst < 0.5,
                )
            )
    return rows


def review_open(options: Options) -> list[Row]:
    """The review screen on the 1.2 MB session, until its content is mounted."""
    from sessiontui import session_file

    with tempfile.TemporaryDirectory(prefix="sessiontui-bench-") as where:
        path = Path(where) / "large.toml"
        session_file.save(path, large_session())
        size = path.stat().st_size / 1_000_000
        empty = Path(where) / "empty"
        empty.mkdir()
        data = _library_child(options, empty, path)
    times = [value for value in data["review"] if value is not None]
    if not times:
        return [
            Row(
                f"review screen opens a large session ({size:.1f} MB)",
                "n/a: the review screen never set `shown` within 15 s",
                "< 300 ms",
                False,
            )
        ]
    pushed, bare_screen = data["review_pushed"]["review"], data["review_pushed"]["bare"]
    ratio = _ratio(statistics.median(pushed), statistics.median(bare_screen))
    return [
        Row(
            f"review opens a large session from the list ({size:.1f} MB, n={len(pushed)}; "
            "push to its content drawn)",
            f"{_ms(pushed)}; a bare screen pushed the same way {_ms(bare_screen)}; "
            f"ratio {ratio:.1f}x",
            "< 300 ms",
            statistics.median(pushed) < 0.3,
        ),
        Row(
            f"`sessiontui review` on it: from the app's start to content mounted (n={len(times)})",
            f"{_ms(times)}; bare Digits up in {_ms(data['bare'])}",
            "(informational: includes the app's own start)",
        ),
    ]


CONTROL_SETTLE = 0.3
"""Seconds between one control key's measurement and the next key: latency, not throughput."""
CONTROL_WARMUP_KEYS = 2
"""Keys pressed in each app before the measured ones (a `+` and a `-`): first-use imports."""
EXTEND_LINE = b'kind = "extend"'
"""How an extend event's line reads in the saved file: one more of them is one more key saved."""


def _minutes_marker(minutes: int) -> bytes:
    """The text both apps show for an item of `minutes` ("· 61 min"), as the terminal gets it."""
    return f"· {minutes} min".encode()


def _file_state(path: Path) -> tuple[int, int]:
    status = path.stat()
    return status.st_mtime_ns, status.st_size


def _key_to_screen_and_disk(
    terminal: Terminal, key: bytes, marker: bytes, *, path: Path | None, saved: int, limit: float
) -> tuple[float | None, float | None]:
    """Write a key; ms until `marker` reaches the terminal and until `path` holds `saved` extends.

    The file is looked at with one `stat` every 2 ms and read only when that changed, as a
    watcher would; either time is None if it did not happen within `limit` seconds.
    """
    _drain_now(terminal)
    last = _file_state(path) if path is not None else (0, 0)
    seen = b""
    screen: float | None = None
    disk: float | None = None if path is not None else math.nan
    sent = time.perf_counter()
    os.write(terminal.master, key)
    deadline = time.monotonic() + limit
    while (screen is None or disk is None) and time.monotonic() < deadline:
        if screen is None:
            ready, _, _ = select.select([terminal.master], [], [], 0.002)
            if ready:
                try:
                    data = os.read(terminal.master, 65536)
                except OSError:
                    data = b""
                if not data:
                    return screen, disk
                terminal.read += len(data)
                seen = (seen + data)[-4096:]
                if marker in seen:
                    screen = (time.perf_counter() - sent) * 1000
        else:
            time.sleep(0.002)
            _drain_now(terminal)  # the countdown's ticks, so the app never blocks on the pty
        if disk is None and path is not None:
            state = _file_state(path)
            if state != last:
                changed = time.perf_counter()
                last = state
                if path.read_bytes().count(EXTEND_LINE) >= saved:
                    disk = (changed - sent) * 1000
    return screen, disk


def control_keys(options: Options) -> list[Row]:
    """A control key on the run screen of the 1.2 MB session: to the screen, and to the file.

    Screen beside a bare Static, file alone (a bare app saves nothing). `+` and `-` alternate,
    so the item's minutes (in the heading) go 61, 60, 61...; the bare app repaints the same
    words on the same keys. The apps take turns, a key each, with a pause after each, so
    every key meets an idle app, as a facilitator's keys do.
    """
    keys = options.control_keys
    print(f"control keys: {keys} keys to each app, taking turns...", file=sys.stderr)
    session = large_session()
    minutes = session.agenda[0].minutes
    with tempfile.TemporaryDirectory(prefix="sessiontui-bench-") as name:
        folder = Path(name)
        still_for = WARMUP + (keys + CONTROL_WARMUP_KEYS) * 2 * (CONTROL_SETTLE + 5) + 60
        running = _running_copy(options, folder, session, still_for)
        size = running.stat().st_size / 1_000_000
        already = running.read_bytes().count(EXTEND_LINE)
        env = _child_env(folder / "home")
        commands = {
            "bare Static": [sys.executable, str(BENCH / "bare_static.py"), str(minutes)],
            "sessiontui run": [sys.executable, "-m", "sessiontui", "run", str(running)],
        }
        terminals = [_open_terminal(label, argv, env, folder) for label, argv in commands.items()]
        selector = selectors.DefaultSelector()
        screen: list[list[float]] = [[], []]
        disk: list[float] = []
        missed = [0, 0, 0]
        try:
            _warm_up(terminals, selector)
            for terminal in terminals:
                selector.unregister(terminal.master)  # read directly, key by key
            for number in range(CONTROL_WARMUP_KEYS + keys):
                more = number % 2 == 0
                key, marker = (b"+", minutes + 1) if more else (b"-", minutes)
                for index, terminal in enumerate(terminals):
                    path = running if index == 1 else None
                    if path is not None:
                        already += 1
                    shown, written = _key_to_screen_and_disk(
                        terminal, key, _minutes_marker(marker), path=path, saved=already, limit=5
                    )
                    if number >= CONTROL_WARMUP_KEYS:
                        if shown is None:
                            missed[index] += 1
                        else:
                            screen[index].append(shown)
                        if path is not None:
                            if written is None:
                                missed[2] += 1
                            else:
                                disk.append(written)
                    if not terminal.alive():
                        raise SystemExit(f"bench: {terminal.name} stopped during the keys")
                    time.sleep(CONTROL_SETTLE)
                    _drain_now(terminal)
        finally:
            for terminal in terminals:
                selector.register(terminal.master, selectors.EVENT_READ, terminal)
            _stop(terminals, selector)
            selector.close()

    def spread(values: list[float], lost: int) -> str:
        text = (
            f"p50 {_percentile(values, 0.5):.1f} ms, p95 {_percentile(values, 0.95):.1f} ms"
            if values
            else "n/a"
        )
        return text + (f" ({lost} of {keys} not seen within 5 s)" if lost else "")

    (bare, ours), (bare_missed, our_missed, disk_missed) = screen, missed
    our_p95 = _percentile(ours, 0.95) if ours else math.inf
    bare_p95 = _percentile(bare, 0.95) if bare else math.nan
    ratio = _ratio(our_p95, bare_p95)
    disk_p95 = _percentile(disk, 0.95) if disk else math.inf
    return [
        Row(
            f"control key to screen, `sessiontui run` on a {size:.1f} MB session, "
            f"`+`/`-` alternating ({keys} keys, {CONTROL_SETTLE * 1000:.0f} ms apart)",
            f"bare Static {spread(bare, bare_missed)}; sessiontui {spread(ours, our_missed)}; "
            f"ratio of p95s **{ratio:.2f}x**",
            "p95 ≤ 1.5x bare",
            ratio <= 1.5 and not our_missed,
        ),
        Row(
            f"control key to file on disk, the same keys ({size:.1f} MB, `stat` every 2 ms)",
            spread(disk, disk_missed),
            "p95 < 100 ms (no bare yardstick: a bare app saves nothing)",
            disk_p95 < 100 and not disk_missed,
        ),
    ]


PLAN_START = dt.time(9, 0)
"""When the plan editor rows' sessions start: the bare Input's end times count from here too."""
EDIT_KEYS = (b"1", b"\x7f")
"""Typed in turn at the end of the first item's minutes: 5 becomes 51, then 5 again."""
FOCUS_MINUTES = (b"\r", b"\t", b"\t", b"\x1b[F")
"""Enter (the first item's form), Tab, Tab (its minutes field), End (the cursor after the 5)."""


def plan_session(items: int, minutes: int) -> Session:
    """A plan of `items` items of `minutes` each from 09:00, with kinds, prompts and a break."""
    from sessiontui.core import item_kinds
    from sessiontui.core.model import AgendaItem, Participant, Session

    kinds = item_kinds.names()
    agenda = [
        AgendaItem(
            id=f"item-{index}",
            title=f"Item {index}: {VOCABULARY.split()[index % 30]} and what it means",
            kind=kinds[index % len(kinds)],
            minutes=minutes,
            prompts=[f"Question {n} about item {index}?" for n in range(3)],
        )
        for index in range(items)
    ]
    return Session(
        schema_version=1,
        title="Plan editor bench",
        date=dt.date(2023, 2, 16),
        start=PLAN_START,
        end=dt.time(23, 0),
        timezone="Europe/London",
        participants=[Participant(name=f"Person {n}") for n in range(24)],
        agenda=agenda,
    )


def _end_marker(minutes: int) -> bytes:
    """The first item's end (the second's start) on screen when it lasts `minutes`."""
    end = dt.datetime.combine(dt.date(2023, 2, 16), PLAN_START) + dt.timedelta(minutes=minutes)
    return f"{end:%H:%M}".encode()


def editor_keys(options: Options) -> list[Row]:
    """A key in the first item's minutes of a 60-item plan, to its recomputed times on screen.

    Beside `bare_input.py`, an Input whose end time is recomputed on each change. Both get
    the same keys in turn ("1", then backspace: minutes 5, 51, 5...), one at a time with a
    pause after each, and each is timed from writing the key to the terminal receiving the
    new end time (09:51 or 09:05): in the editor, the item list's recomputed times.
    """
    from sessiontui import session_file

    keys = options.control_keys
    print(f"editor keys: {keys} keys to each app, taking turns...", file=sys.stderr)
    with tempfile.TemporaryDirectory(prefix="sessiontui-bench-") as name:
        folder = Path(name)
        path = folder / "plan.toml"
        session_file.save(path, plan_session(60, 5))
        env = _child_env(folder / "home")
        commands = {
            "bare Input": [sys.executable, str(BENCH / "bare_input.py"), "5"],
            "sessiontui edit": [sys.executable, "-m", "sessiontui", "edit", str(path)],
        }
        terminals = [_open_terminal(label, argv, env, folder) for label, argv in commands.items()]
        selector = selectors.DefaultSelector()
        screen: list[list[float]] = [[], []]
        missed = [0, 0]
        try:
            _warm_up(terminals, selector)
            os.write(terminals[0].master, b"\x1b[F")
            for key in FOCUS_MINUTES:  # one at a time: Enter moves the focus in a message
                os.write(terminals[1].master, key)
                _drain(selector, 0.3)
            for terminal in terminals:
                selector.unregister(terminal.master)  # read directly, key by key
            for number in range(CONTROL_WARMUP_KEYS + keys):
                key = EDIT_KEYS[number % 2]
                marker = _end_marker(51 if number % 2 == 0 else 5)
                for index, terminal in enumerate(terminals):
                    shown, _ = _key_to_screen_and_disk(
                        terminal, key, marker, path=None, saved=0, limit=5
                    )
                    if number >= CONTROL_WARMUP_KEYS:
                        if shown is None:
                            missed[index] += 1
                        else:
                            screen[index].append(shown)
                    if not terminal.alive():
                        raise SystemExit(f"bench: {terminal.name} stopped during the keys")
                    time.sleep(CONTROL_SETTLE)
                    _drain_now(terminal)
        finally:
            for terminal in terminals:
                selector.register(terminal.master, selectors.EVENT_READ, terminal)
            _stop(terminals, selector)
            selector.close()
        saved = session_file.load(path).session.agenda[0].minutes

    def spread(values: list[float], lost: int) -> str:
        text = (
            f"p50 {_percentile(values, 0.5):.1f} ms, p95 {_percentile(values, 0.95):.1f} ms"
            if values
            else "n/a"
        )
        return text + (f" ({lost} of {keys} not seen within 5 s)" if lost else "")

    (bare, ours), (bare_missed, our_missed) = screen, missed
    ratio = _ratio(
        _percentile(ours, 0.95) if ours else math.inf,
        _percentile(bare, 0.95) if bare else math.nan,
    )
    return [
        Row(
            f"editor: a key in a duration field to recomputed times on screen, `sessiontui edit` "
            f"on a 60-item plan ({keys} keys, {CONTROL_SETTLE * 1000:.0f} ms apart)",
            f"bare Input {spread(bare, bare_missed)}; sessiontui {spread(ours, our_missed)}; "
            f"ratio of p95s **{ratio:.2f}x** (saved minutes at the end: {saved})",
            "p95 ≤ 1.5x bare",
            ratio <= 1.5 and not our_missed,
        )
    ]


def editor_open(options: Options) -> list[Row]:
    """Spawn to the 200-item plan on screen: `sessiontui edit` against `sessiontui run`."""
    from dataclasses import replace

    from sessiontui import session_file

    print("editor open: a 200-item plan, edit and run in turn...", file=sys.stderr)
    with tempfile.TemporaryDirectory(prefix="sessiontui-bench-") as name:
        path = Path(name) / "plan.toml"
        session_file.save(path, plan_session(200, 3))
        plan = replace(options, session=path)
        for mode in ("edit", "sessiontui"):  # warm the OS file cache; not counted
            _spawn(mode, plan)
        edit: list[float] = []
        run: list[float] = []
        for _ in range(options.runs):
            edit.append(_spawn("edit", plan)[1])
            run.append(_spawn("sessiontui", plan)[1])
    edit = [value for value in edit if not math.isnan(value)]
    run = [value for value in run if not math.isnan(value)]
    if not edit or not run:
        return [Row("opening a 200-item plan in the editor", "n/a: never shown", "≤ 1.3x run")]
    ratio = statistics.median(edit) / statistics.median(run)

    def summary(values: list[float]) -> str:
        return f"{statistics.median(values):.0f} ms (p90 {_percentile(values, 0.9):.0f})"

    return [
        Row(
            f"opening a 200-item plan: spawn to the plan on screen, `sessiontui edit` against "
            f"`sessiontui run` (n={options.runs})",
            f"run {summary(run)}; edit {summary(edit)}; ratio **{ratio:.2f}x**",
            "≤ 1.3x run",
            ratio <= 1.3,
        )
    ]


PHONE_COUNTS = (10, 100, 500)
"""Phones joining `serve` at once, one fresh server for each count."""
IDLE_PHONES = 100
"""Phones connected while the server's idle CPU and the follow lag are measured."""
PHONE_IDLE_SECONDS = 5.0
PHONE_CONTROLS = 20
"""Broadcasts sent from the remote's token, each timed until the last phone has it."""
TAB_COUNTS = (10, 40)
"""Browser tabs of textual-serve's present view: today's baseline, as in issue 18's table."""


def phones(options: Options) -> list[Row]:
    """The room's phones on one `sessiontui serve`, beside textual-serve's process per tab.

    Helpers in bench/phones.py: real `serve` processes on loopback, phones that read
    `/api/events`, the server's memory and CPU from /proc; the baseline serves the present view
    through textual-serve, and each tab waits until its screen shows the current item.
    """
    import asyncio

    import phones as room

    print("phones: 10, 100 and 500 joining at once, then textual-serve tabs...", file=sys.stderr)
    with tempfile.TemporaryDirectory(prefix="sessiontui-bench-") as name:
        folder = Path(name)
        running = _running_copy(options, folder)
        env = _child_env(folder / "home")
        figures = asyncio.run(
            room.measure_room(
                running,
                env,
                PHONE_COUNTS,
                idle_phones=IDLE_PHONES,
                idle_seconds=PHONE_IDLE_SECONDS,
                controls=PHONE_CONTROLS,
            )
        )
        marker = _markers(running)[-1][:16]
        tabs = [
            asyncio.run(room.measure_tabs(running, env, count, PHONE_IDLE_SECONDS, marker))
            for count in TAB_COUNTS
        ]
    mb = 1e6
    joins = {join.phones: join for join in figures.joins}

    def joined(join: room.Join) -> str:
        text = f"{join.phones}: last {join.last_seconds:.2f} s (first {join.first_seconds:.2f} s)"
        return text + (f", **{join.missed} never**" if join.missed else "")

    at_idle = joins.get(IDLE_PHONES)
    last_at_idle = at_idle.last_seconds if at_idle and not at_idle.missed else math.inf
    lags = figures.lags_ms
    lag_p95 = room.p95(lags) if lags and not figures.lag_missed else math.inf
    lag_text = f"p50 {room.median(lags):.0f} ms, p95 {room.p95(lags):.0f} ms" if lags else "n/a"
    if figures.lag_missed:
        lag_text += f"; {figures.lag_missed} of {PHONE_CONTROLS} not everywhere within 10 s"
    server_mb = figures.rss_at_idle / mb
    tab_text = "; ".join(
        f"{tab.tabs} tabs: {tab.processes} processes, {tab.rss / mb:,.0f} MB, "
        f"{tab.idle_cpu:.1f}% of a core idle, first screen {tab.first_seconds:.1f} s, "
        f"last {tab.last_seconds:.1f} s" + (f", **{tab.missed} never**" if tab.missed else "")
        for tab in tabs
    )
    ratios = []
    for tab in tabs:
        # Against as many phones or more (40 tabs against 100 phones): never flattering.
        more = [join for join in figures.joins if join.phones >= tab.tabs] or figures.joins
        join = min(more, key=lambda candidate: candidate.phones)
        memory = _ratio(tab.rss, join.rss_after)
        wait = _ratio(tab.last_seconds, join.last_seconds)
        ratios.append(
            f"{tab.tabs} tabs vs {join.phones} phones: memory {memory:.0f}x, last {wait:.0f}x"
        )
    return [
        Row(
            "phones joining `serve` at once: until the last has its first state",
            "; ".join(joined(join) for join in figures.joins),
            f"{IDLE_PHONES} within 2 s",
            last_at_idle <= 2,
        ),
        Row(
            "server memory per phone (RSS growth / phones)",
            "; ".join(f"{j.phones}: {j.per_phone_kb:.0f} KB" for j in figures.joins)
            + f"; the server with {IDLE_PHONES} phones: {server_mb:.0f} MB",
            f"< 150 MB with {IDLE_PHONES}",
            0 < server_mb < 150,
        ),
        Row(
            f"idle CPU of `serve` with {IDLE_PHONES} phones (over {PHONE_IDLE_SECONDS:g} s)",
            f"{figures.idle_cpu:.2f}% of a core",
            "< 5%",
            figures.idle_cpu < 5,
        ),
        Row(
            f"a control reaches the last of {IDLE_PHONES} phones (over {PHONE_CONTROLS})",
            lag_text,
            "p95 ≤ 300 ms",
            lag_p95 <= 300,
        ),
        Row("baseline: textual-serve's present view, a process per tab", tab_text),
        Row("baseline / one process", "; ".join(ratios)),
    ]


ROWS: list[RowFunction] = [
    startup,
    save_and_load,
    live_screen,
    notes_typing,
    present_view,
    home_listing,
    search,
    review_open,
    control_keys,
    editor_keys,
    editor_open,
    phones,
]
"""Each function measures one thing and returns its rows; add new measurements here."""


def _example_session(folder: Path) -> Path:
    """The bundled example, or (while it is missing) a similar session written to `folder`."""
    if EXAMPLE.is_file():
        return EXAMPLE
    from sessiontui import session_file

    small = large_session().model_copy(update={"groups": [], "notes": []})
    path = folder / "example.toml"
    session_file.save(path, small)
    return path


def _compile_bytecode() -> None:
    """Compile sessiontui's modules once, as `pip install` does for the bare app's Textual.

    The children run with PYTHONDONTWRITEBYTECODE (set in many shells, and here), so an editable
    install would otherwise compile every module on every start and charge that to sessiontui
    alone: about 40 ms of a 400 ms start on this machine.
    """
    import sessiontui

    compileall.compile_dir(Path(sessiontui.__file__).parent, quiet=1)


def main(argv: Sequence[str] | None = None) -> int:
    names = {function.__name__: function for function in ROWS}
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="processes per app for startup")
    parser.add_argument("--io-runs", type=int, default=10, help="runs of each save and load")
    parser.add_argument("--keys", type=int, default=200, help="keys typed for the latency row")
    parser.add_argument(
        "--control-keys", type=int, default=40, help="keys pressed for the control-key rows"
    )
    parser.add_argument(
        "--seconds",
        type=float,
        default=60,
        help="measurement window of the live screen rows (default 60; 10 for a quick look)",
    )
    parser.add_argument(
        "--only",
        action="append",
        choices=list(names),
        metavar="ROW",
        help=f"run only these measurements (repeatable): {', '.join(names)}",
    )
    args = parser.parse_args(argv)
    if args.seconds <= 0:
        parser.error("--seconds must be more than 0")
    chosen = [names[name] for name in args.only] if args.only else ROWS
    _compile_bytecode()
    with tempfile.TemporaryDirectory(prefix="sessiontui-bench-") as folder:
        home = Path(folder) / "home"
        home.mkdir()
        session = _example_session(Path(folder))
        options = Options(
            args.runs, args.io_runs, args.seconds, args.keys, session, home, args.control_keys
        )
        rows = [row for function in chosen for row in function(options)]
    print("| Measure | Result | Target | Met |")
    print("|---|---|---|---|")
    for row in rows:
        met = "" if row.ok is None else ("yes" if row.ok else "**no**")
        print(f"| {row.measure} | {row.result} | {row.target} | {met} |")
    cores = os.cpu_count() or 0
    print(
        f"\n{sys.platform}, {cores} CPUs, Python {sys.version.split()[0]}, "
        f"{dt.date.today().isoformat()}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
