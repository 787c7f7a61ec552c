"""The wheel as a new user gets it: built, installed with its dependencies in a fresh venv.

A fresh venv made with `python -m venv` (no --system-site-packages) and the wheel installed
with its dependencies from the package index, as `pipx install` would: borrowing the test
venv's packages could hide a dependency missing from the wheel's metadata, or a template
file missing from the wheel. It takes about 45 s, most of it pip; pip's own cache (the
user's real one, captured before the tests point HOME elsewhere) makes later runs quicker.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from sessiontui.store import templates

pytestmark = [pytest.mark.subprocess, pytest.mark.slow]

REPO = Path(__file__).resolve().parents[2]

REAL_ENVIRONMENT = dict(os.environ)
"""The environment before the autouse fixture moves HOME: pip finds its config and cache."""


def run(*command: str | Path, env: dict[str, str] | None = None, timeout: float = 300) -> str:
    result = subprocess.run(
        [str(part) for part in command],
        capture_output=True,
        check=False,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
        env=env,
    )
    assert result.returncode == 0, f"{command}: {result.stdout}\n{result.stderr}"
    return result.stdout


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The `sessiontui` command of a fresh venv holding only the wheel and its dependencies."""
    where = tmp_path_factory.mktemp("wheel")
    wheels = where / "dist"
    run(
        sys.executable,
        "-m",
        "pip",
        "wheel",
        "--no-deps",
        "-q",
        "-w",
        wheels,
        REPO,
        env=REAL_ENVIRONMENT,
    )
    (wheel,) = wheels.glob("sessiontui-*.whl")
    venv = where / "venv"
    run(sys.executable, "-m", "venv", venv)
    python = venv / "bin" / "python"
    run(python, "-m", "pip", "install", "-q", wheel, env=REAL_ENVIRONMENT)
    return venv / "bin" / "sessiontui"


def test_the_installed_command_lists_the_templates_and_makes_sessions_that_pass_check(
    installed: Path, tmp_path: Path
) -> None:
    listed = run(installed, "templates")
    for name in templates.BUILT_IN:
        assert f"\n{name} " in f"\n{listed}"
    assert "built-in" in listed

    folder = tmp_path / "sessions"
    for name in templates.BUILT_IN:
        written = run(
            installed,
            "--dir",
            folder,
            "new",
            "--template",
            name,
            "--title",
            f"My {name}",
            "--date",
            "2026-12-10",
        ).strip()
        assert Path(written).parent == folder
        assert run(installed, "check", written) == f"{written}: ok\n"


def test_the_installed_package_reads_its_templates_from_the_wheel_not_the_checkout(
    installed: Path,
) -> None:
    python = installed.parent / "python"
    location = run(python, "-c", "import sessiontui.templates as t; print(t.__file__)").strip()
    assert "site-packages" in location
    assert not location.startswith(str(REPO))
