"""Fixtures shared by every test layer."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
EXAMPLE = REPO / "sessions" / "2023-02-16-building-common-purpose.toml"


LAYERS = ("core", "store", "minutes", "tui", "snapshots", "process", "web")
"""Test folders, each a marker of the same name; `make test-fast` runs core and store, not slow."""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark each test with its folder's layer, so a run can pick layers by marker."""
    for item in items:
        relative = Path(item.path).resolve().relative_to(HERE)
        if len(relative.parts) > 1 and relative.parts[0] in LAYERS:
            item.add_marker(getattr(pytest.mark, relative.parts[0]))


@pytest.fixture(autouse=True)
def isolated_user_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point user config, data, state and cache paths at tmp_path: no test touches real ones."""
    home = tmp_path / "home"
    for variable, folder in {
        "HOME": home,
        "XDG_CONFIG_HOME": home / ".config",
        "XDG_DATA_HOME": home / ".local" / "share",
        "XDG_STATE_HOME": home / ".local" / "state",
        "XDG_CACHE_HOME": home / ".cache",
    }.items():
        folder.mkdir(parents=True, exist_ok=True)
        monkeypatch.setenv(variable, str(folder))
    return home


@pytest.fixture
def example_path() -> Path:
    """The bundled example session: the reference workshop."""
    return EXAMPLE


@pytest.fixture
def workshop_copy(tmp_path: Path) -> Path:
    """The bundled example copied to tmp_path/workshop.toml: tests save there, not in sessions/."""
    return Path(shutil.copyfile(EXAMPLE, tmp_path / "workshop.toml"))
