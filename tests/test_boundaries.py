"""The functional core must never import Textual, so it stays testable and fast to load."""

from __future__ import annotations

import ast
import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "sessiontui"
CORE = ["model", "schedule", "store", "config", "grouping", "export", "merge", "library", "review"]
UI_MODULES = ("textual", "sessiontui.app", "sessiontui.screens", "sessiontui.widgets")


def existing_core() -> list[str]:
    return [name for name in CORE if (PACKAGE / f"{name}.py").exists()]


def test_the_core_modules_exist() -> None:
    assert {"model", "schedule", "store"} <= set(existing_core())


@pytest.mark.parametrize("name", existing_core())
def test_core_module_source_has_no_ui_import(name: str) -> None:
    tree = ast.parse((PACKAGE / f"{name}.py").read_text(encoding="utf-8"))
    imported: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.append(node.module)
    offending = [module for module in imported if module.startswith(UI_MODULES)]
    assert offending == [], f"sessiontui.{name} imports {offending}"


def test_importing_the_whole_core_loads_no_textual_module() -> None:
    modules = ", ".join(f"sessiontui.{name}" for name in existing_core())
    script = (
        f"import sys, {modules}, sessiontui.cli\n"
        "loaded = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print(','.join(loaded))\n"
    )
    assert importlib.util.find_spec("sessiontui") is not None
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == ""
