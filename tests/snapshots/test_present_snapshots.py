"""An SVG snapshot of the shared screen (`present`) mid-item with a broadcast, projector theme.

Regenerate after an intended change with
`pytest tests/test_present_snapshots.py --snapshot-update` and look at the report. As in
test_snapshots.py, the session and the clock are fixed (the clock stopped, the settings given,
so nothing is read from the user's files) and nothing on the screen blinks or animates.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import tomli_w

from pilot_helpers import settle
from sessiontui.store.settings import UserConfig
from sessiontui.tui.app import make_app
from test_snapshots import SESSION, START, at

BROADCAST = [
    {"at": START, "kind": "start"},
    {"at": START + dt.timedelta(minutes=2), "kind": "broadcast", "text": "Cameras on, please"},
]


def test_present_screen_mid_item_with_a_broadcast(
    snap_compare: Callable[..., bool], tmp_path: Path
) -> None:
    path = tmp_path / "2023-02-16-workshop-2.toml"
    path.write_text(tomli_w.dumps({**SESSION, "log": BROADCAST}), encoding="utf-8")
    app = make_app(
        session_path=path,
        clock=at(START + dt.timedelta(minutes=4, seconds=12)),
        config=UserConfig(theme="sessiontui-high-contrast"),
        mode="present",
    )
    assert snap_compare(app, terminal_size=(120, 40), run_before=settle)
