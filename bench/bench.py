"""Benchmarks a person runs by hand: `python bench/bench.py` prints a Markdown table.

Not a test (pytest does not collect it: it lives outside tests/ and has no test_ names).
Each row is a function in ROWS returning Row objects; later issues add rows by adding a
function to that list. See bench/README.md for what each row measures.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sessiontui.model import Session

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "sessions" / "2023-02-16-building-common-purpose.toml"

# Runs in a fresh interpreter for each sample. It prints the wall-clock time (comparable
# across processes) of the first frame the compositor paints and, for sessiontui, of the
# first frame that shows the loaded session; then it exits.
CHILD = r"""
import sys, time
mode, path = sys.argv[1], sys.argv[2]
from textual.app import App

if mode == "bare":
    from textual.widgets import Footer, Static

    class Bare(App[None]):
        def compose(self):
            yield Static("Hello")
            yield Footer()

    app = Bare()
    def shown(app):
        return True
else:
    from pathlib import Path
    from sessiontui.app import make_app

    app = make_app(session_path=Path(path))
    def shown(app):
        return getattr(app.screen, "overview", None) is not None

times = {}
paint = app._display

def _display(screen, renderable):
    paint(screen, renderable)
    if renderable is None:
        return
    now = time.time()
    times.setdefault("first", now)
    if "shown" not in times and shown(app):
        times["shown"] = now
        app.exit()

app._display = _display
app.run(headless=True, size=(120, 40))
print(times["first"], times.get("shown", float("nan")))
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
    """What the person asked for on the command line."""

    runs: int
    io_runs: int
    session: Path


RowFunction = Callable[[Options], list[Row]]


def _percentile(values: Sequence[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def _spawn(mode: str, session: Path) -> tuple[float, float]:
    """Milliseconds from spawning a process to its first frame, and to the session shown."""
    env = {**os.environ, "TEXTUAL": "", "PYTHONDONTWRITEBYTECODE": "1"}
    started = time.time()
    result = subprocess.run(
        [sys.executable, "-c", CHILD, mode, str(session)],
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO,
        env=env,
        timeout=60,
    )
    first, shown = map(float, result.stdout.split())
    return (first - started) * 1000, (shown - started) * 1000


def startup(options: Options) -> list[Row]:
    """Spawn → first frame, bare Textual app vs sessiontui's run screen, interleaved."""
    for mode in ("bare", "sessiontui"):  # warm the OS file cache; not counted
        _spawn(mode, options.session)
    bare: list[float] = []
    ours: list[float] = []
    ours_shown: list[float] = []
    for _ in range(options.runs):
        bare.append(_spawn("bare", options.session)[0])
        first, shown = _spawn("sessiontui", options.session)
        ours.append(first)
        ours_shown.append(shown)
    ratio = statistics.median(ours) / statistics.median(bare)
    shown_ratio = statistics.median(ours_shown) / statistics.median(bare)

    def summary(values: list[float]) -> str:
        return f"{statistics.median(values):.0f} ms (p90 {_percentile(values, 0.9):.0f})"

    return [
        Row(
            f"startup to first frame, headless (n={options.runs})",
            f"bare Textual {summary(bare)}; sessiontui {summary(ours)}; ratio **{ratio:.2f}x**",
            "≤ 1.3x",
            ratio <= 1.3,
        ),
        Row(
            "startup to first frame showing the session",
            f"sessiontui {summary(ours_shown)}; ratio to bare first frame {shown_ratio:.2f}x",
            "(informational)",
        ),
    ]


VOCABULARY = (
    "people community trust listening purpose system partners council health care common "
    "understanding support benefit together change local voice time space really matters "
    "hear see think feel expect connect share practical next step"
)
"""Words the large session's notes are made of."""


def large_session() -> Session:
    """A session after a big day: 20 breakout groups, 4 notes fields of ~2,000 words each."""
    from sessiontui.model import Session

    rng = random.Random(20230216)
    words = VOCABULARY.split()

    def prose(count: int) -> str:
        sentences = []
        while count > 0:
            length = min(count, rng.randint(8, 20))
            sentence = " ".join(rng.choice(words) for _ in range(length))
            sentences.append(sentence.capitalize() + ".")
            count -= length
        return " ".join(sentences)

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
    """store.save and store.load of the large session, in a temporary folder."""
    from sessiontui import store

    session = large_session()
    with tempfile.TemporaryDirectory(prefix="sessiontui-bench-") as folder:
        path = Path(folder) / "large.toml"
        store.save(path, session)  # warm-up, and the file load reads
        size = path.stat().st_size / 1_000_000
        saves = _timed(lambda: store.save(path, session), options.io_runs)
        loads = _timed(lambda: store.load(path), options.io_runs)
    save_ms, load_ms = statistics.median(saves), statistics.median(loads)
    label = f"({size:.1f} MB, median of {options.io_runs})"
    return [
        Row(f"save a large session {label}", f"{save_ms:.0f} ms", "< 100 ms", save_ms < 100),
        Row(f"load a large session {label}", f"{load_ms:.0f} ms", "< 120 ms", load_ms < 120),
    ]


ROWS: list[RowFunction] = [startup, save_and_load]
"""Each function measures one thing and returns its rows; add new measurements here."""


def _example_session(folder: Path) -> Path:
    """The bundled example, or (while it is missing) a similar session written to `folder`."""
    if EXAMPLE.is_file():
        return EXAMPLE
    from sessiontui import store

    small = large_session().model_copy(update={"groups": [], "notes": []})
    path = folder / "example.toml"
    store.save(path, small)
    return path


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="processes per app for startup")
    parser.add_argument("--io-runs", type=int, default=10, help="runs of each save and load")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="sessiontui-bench-") as folder:
        options = Options(args.runs, args.io_runs, _example_session(Path(folder)))
        rows = [row for function in ROWS for row in function(options)]
    print("| Measure | Result | Target | Met |")
    print("|---|---|---|---|")
    for row in rows:
        met = "" if row.ok is None else ("yes" if row.ok else "**no**")
        print(f"| {row.measure} | {row.result} | {row.target} | {met} |")
    print(f"\n{sys.platform}, Python {sys.version.split()[0]}, {dt.date.today().isoformat()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
